// Validation of feature definitions (JSON data from files, the API or the console) with clear errors.
import { parseWindow } from './duration.js';
import { PATH_RE } from './paths.js';
import { AGGREGATES, PROFILE_ATTRIBUTES, SIGNALS, type FeatureDefinition } from './types.js';

export class FeatureDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid feature definitions (特征定义无效):\n  - ${problems.join('\n  - ')}`);
    this.name = 'FeatureDefinitionError';
  }
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_RE = /^[a-z][a-z0-9_]*$/;

type Obj = Record<string, unknown>;

const VELOCITY_KEYS = new Set(['name', 'kind', 'agg', 'field', 'key', 'window', 'eventTypes', 'filter', 'description']);
const PROFILE_KEYS = new Set(['name', 'kind', 'entity', 'attribute', 'field', 'eventType', 'eventTypes', 'description']);
const SIGNAL_KEYS = new Set([
  'name', 'kind', 'signal', 'user', 'device', 'key', 'amount', 'payee', 'lat', 'lon', 'ip', 'window', 'threshold', 'smallAmount',
  'maxKmh', 'minKm', 'minHistory', 'eventTypes', 'changeTypes', 'changeField', 'changeValues', 'utcOffsetHours',
  'nightStartHour', 'nightEndHour', 'ipLocations', 'description',
]);
const SIGNAL_PATHS = ['user', 'device', 'key', 'amount', 'payee', 'lat', 'lon', 'ip', 'changeField'] as const;
const SIGNAL_NUMBERS = ['threshold', 'smallAmount', 'maxKmh', 'minKm', 'minHistory', 'utcOffsetHours', 'nightStartHour', 'nightEndHour'] as const;
/** Signals that cannot work without a threshold of their own (an amount). */
const NEEDS_THRESHOLD = new Set(['new_payee_large', 'ato_chain']);

/**
 * Checks an array of definitions (or `{features: [...]}`) and returns it typed. Throws FeatureDefinitionError
 * listing every problem, each prefixed with its position and name.
 */
export function validateDefinitions(input: unknown): FeatureDefinition[] {
  const list = Array.isArray(input) ? input : isObj(input) && Array.isArray(input.features) ? input.features : undefined;
  if (!list) throw new FeatureDefinitionError(['expected an array of feature definitions or {"features": [...]}']);
  const problems: string[] = [];
  const names = new Set<string>();
  list.forEach((d, i) => {
    const at = `features[${i}]${isObj(d) && typeof d.name === 'string' ? ` (${d.name})` : ''}`;
    const p = (msg: string): void => void problems.push(`${at}: ${msg}`);
    if (!isObj(d)) return p('must be an object');
    if (typeof d.name !== 'string' || !NAME_RE.test(d.name)) p('name must be an identifier (letters, digits, _), used as features.<name>');
    else if (names.has(d.name)) p(`duplicate name '${d.name}'`);
    else names.add(d.name);
    const checkPath = (field: string, required: boolean): void => {
      const v = d[field];
      if (v === undefined) {
        if (required) p(`${field} is required (a dotted path such as subject.userId or data.amount)`);
      } else if (typeof v !== 'string' || !PATH_RE.test(v)) p(`${field} '${String(v)}' must be a dotted path such as subject.userId or data.amount`);
    };
    const checkTypes = (field: string): void => {
      const v = d[field];
      if (v === undefined) return;
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'string' && TYPE_RE.test(x))) {
        p(`${field} must be a non-empty array of event types (lowercase snake case)`);
      }
    };
    const checkWindow = (required: boolean): void => {
      if (d.window === undefined) {
        if (required) p('window is required (seconds, or 30s / 10m / 1h / 7d)');
        return;
      }
      const w = parseWindow(d.window);
      if (typeof w === 'string') p(w);
    };
    const unknownKeys = (allowed: Set<string>): void => {
      for (const k of Object.keys(d)) if (!allowed.has(k)) p(`unknown property '${k}'`);
    };
    if (d.description !== undefined && typeof d.description !== 'string') p('description must be a string');
    switch (d.kind) {
      case 'velocity':
        unknownKeys(VELOCITY_KEYS);
        if (!AGGREGATES.includes(d.agg as never)) p(`agg must be one of ${AGGREGATES.join(', ')}`);
        checkPath('key', true);
        checkPath('field', d.agg !== 'count' && d.agg !== 'first_seen' && d.agg !== 'last_seen');
        checkWindow(true);
        checkTypes('eventTypes');
        if (d.filter !== undefined && (typeof d.filter !== 'string' || d.filter.trim() === '')) p('filter must be a non-empty expression string');
        break;
      case 'profile':
        unknownKeys(PROFILE_KEYS);
        checkPath('entity', true);
        if (!PROFILE_ATTRIBUTES.includes(d.attribute as never)) p(`attribute must be one of ${PROFILE_ATTRIBUTES.join(', ')}`);
        checkPath('field', ['known_count', 'is_known', 'mean', 'stddev'].includes(d.attribute as string));
        if (d.eventType !== undefined && (typeof d.eventType !== 'string' || !TYPE_RE.test(d.eventType))) p('eventType must be an event type');
        checkTypes('eventTypes');
        break;
      case 'signal': {
        unknownKeys(SIGNAL_KEYS);
        if (!SIGNALS.includes(d.signal as never)) p(`signal must be one of ${SIGNALS.join(', ')}`);
        for (const f of SIGNAL_PATHS) checkPath(f, false);
        for (const f of SIGNAL_NUMBERS) if (d[f] !== undefined && (typeof d[f] !== 'number' || !Number.isFinite(d[f]))) p(`${f} must be a finite number`);
        if (NEEDS_THRESHOLD.has(d.signal as string) && typeof d.threshold !== 'number') p(`${String(d.signal)} needs a threshold (the amount that counts as large)`);
        if (d.utcOffsetHours !== undefined && (!Number.isInteger(d.utcOffsetHours) || Math.abs(d.utcOffsetHours as number) > 14)) p('utcOffsetHours must be a whole number of hours in -14..14');
        for (const f of ['nightStartHour', 'nightEndHour'] as const) {
          const v = d[f];
          if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 24)) p(`${f} must be a whole hour 0..24`);
        }
        checkWindow(false);
        checkTypes('eventTypes');
        checkTypes('changeTypes');
        if (d.changeValues !== undefined && (!Array.isArray(d.changeValues) || !d.changeValues.every((x) => typeof x === 'string'))) p('changeValues must be an array of strings');
        if (d.ipLocations !== undefined) {
          if (!isObj(d.ipLocations)) p('ipLocations must be an object {ipOrPrefix: {lat, lon}}');
          else {
            for (const [ip, loc] of Object.entries(d.ipLocations)) {
              if (!isObj(loc) || !validLat(loc.lat) || !validLon(loc.lon)) p(`ipLocations['${ip}'] needs lat in -90..90 and lon in -180..180`);
            }
          }
        }
        break;
      }
      default:
        p(`kind must be velocity, profile or signal (got ${JSON.stringify(d.kind)})`);
    }
  });
  if (problems.length > 0) throw new FeatureDefinitionError(problems);
  return list as FeatureDefinition[];
}

export function validLat(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= -90 && v <= 90;
}

export function validLon(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= -180 && v <= 180;
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
