// Which event fields link subjects, per tenant. A link rule reads one path of the event (with `[]` to fan out
// over arrays, e.g. `data.contacts[].phone`) and ties the subject to an attribute node of `kind`. Rules of the
// same kind share nodes: an emergency contact's phone is the same node as another applicant's own phone.
import type { RiskEvent } from '../core/event.js';

export interface LinkRule {
  /** Attribute kind = node namespace and list dimension (deviceId, phone, idNumber, bankCard, ip, ...). */
  kind: string;
  /** Event path: `subject.deviceId`, `data.wifi`, `data.contacts[].phone`. */
  path: string;
  /** How the subject relates to the value (own, contact, ...); kept on the edge. Default `own`. */
  role?: string;
  /** Feature alias: `graph.<alias>_subjects`. Default derived from kind (deviceId → device). */
  alias?: string;
}

export interface GraphConfig {
  /** Path of the subject id. Default `subject.userId`. */
  subject: string;
  links: LinkRule[];
  /** Attributes linked to more subjects than this stop linking (public IP, office Wi-Fi). */
  degreeCap: number;
  /** Only these event types link; empty/undefined = all. */
  eventTypes?: string[];
}

export const DEFAULT_LINKS: LinkRule[] = [
  { kind: 'deviceId', path: 'subject.deviceId' },
  { kind: 'phone', path: 'subject.phone' },
  { kind: 'idNumber', path: 'subject.idNumber' },
  { kind: 'bankCard', path: 'subject.bankCard' },
  { kind: 'ip', path: 'subject.ip' },
  { kind: 'email', path: 'subject.email' },
  { kind: 'address', path: 'subject.address' },
  { kind: 'employer', path: 'data.employer' },
  { kind: 'phone', path: 'data.contacts[].phone', role: 'contact', alias: 'contact' },
  { kind: 'wifi', path: 'data.wifi' },
];

export const DEFAULT_CONFIG: GraphConfig = { subject: 'subject.userId', links: DEFAULT_LINKS, degreeCap: 50 };

const ALIASES: Record<string, string> = {
  deviceId: 'device',
  idNumber: 'id_number',
  bankCard: 'bank_card',
};

export function aliasOf(rule: LinkRule): string {
  return rule.alias ?? ALIASES[rule.kind] ?? rule.kind.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

const PATH_RE = /^(subject|data)(\.[A-Za-z_][A-Za-z0-9_]*(\[\])?)+$/;
const KIND_RE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export class GraphConfigError extends Error {}

/** Validates and fills defaults; throws GraphConfigError with a clear message on bad input. */
export function normalizeConfig(input: Partial<GraphConfig> | undefined): GraphConfig {
  const c = { ...DEFAULT_CONFIG, ...(input ?? {}) };
  if (!Number.isInteger(c.degreeCap) || c.degreeCap < 2) throw new GraphConfigError(`degreeCap must be an integer ≥ 2, got ${String(c.degreeCap)}`);
  if (typeof c.subject !== 'string' || !PATH_RE.test(c.subject) || c.subject.includes('[]')) {
    throw new GraphConfigError(`subject must be a path like subject.userId, got ${String(c.subject)}`);
  }
  if (!Array.isArray(c.links) || c.links.length === 0) throw new GraphConfigError('links must be a non-empty array');
  const aliases = new Set<string>();
  for (const r of c.links) {
    if (!r || typeof r.kind !== 'string' || !KIND_RE.test(r.kind)) throw new GraphConfigError(`link kind must match ${KIND_RE}, got ${JSON.stringify(r?.kind)}`);
    if (typeof r.path !== 'string' || !PATH_RE.test(r.path)) throw new GraphConfigError(`link path must look like subject.x or data.a[].b, got ${JSON.stringify(r.path)}`);
    if (r.role !== undefined && (typeof r.role !== 'string' || !KIND_RE.test(r.role))) throw new GraphConfigError(`link role invalid: ${JSON.stringify(r.role)}`);
    const a = aliasOf(r);
    if (aliases.has(a)) throw new GraphConfigError(`two links share the feature alias "${a}": set alias on one`);
    aliases.add(a);
  }
  return { subject: c.subject, links: c.links.map((r) => ({ ...r })), degreeCap: c.degreeCap, eventTypes: c.eventTypes };
}

/** Compiled reader of one path: pushes every string/number value found (fans out over `[]`). */
export type PathReader = (event: RiskEvent, out: string[]) => void;

export function compilePath(path: string): PathReader {
  const steps = path.split('.');
  const root = steps.shift() as 'subject' | 'data';
  const walk = (v: unknown, i: number, out: string[]): void => {
    if (v === undefined || v === null) return;
    if (i === steps.length) {
      if (typeof v === 'string') {
        const s = v.trim();
        if (s.length > 0 && s.length <= 256) out.push(s);
      } else if (typeof v === 'number' && Number.isFinite(v)) out.push(String(v));
      return;
    }
    let step = steps[i];
    const fan = step.endsWith('[]');
    if (fan) step = step.slice(0, -2);
    if (typeof v !== 'object') return;
    const next = Object.prototype.hasOwnProperty.call(v, step) ? (v as Record<string, unknown>)[step] : undefined;
    if (fan) {
      if (Array.isArray(next)) for (let k = 0; k < next.length && k < 64; k++) walk(next[k], i + 1, out);
    } else walk(next, i + 1, out);
  };
  return (event, out) => walk(root === 'subject' ? event.subject : event.data, 0, out);
}

/** One value an event links its subject to. */
export interface LinkValue {
  rule: number;
  kind: string;
  role: string;
  value: string;
}

export interface CompiledConfig {
  config: GraphConfig;
  subject: PathReader;
  readers: PathReader[];
  aliases: string[];
  roles: string[];
}

export function compileConfig(config: GraphConfig): CompiledConfig {
  const roles: string[] = ['own'];
  for (const r of config.links) if (r.role && !roles.includes(r.role)) roles.push(r.role);
  return {
    config,
    subject: compilePath(config.subject),
    readers: config.links.map((r) => compilePath(r.path)),
    aliases: config.links.map(aliasOf),
    roles,
  };
}

/** Subject id and the distinct attribute values the event links it to (empty subject ⇒ nothing links). */
export function extractLinks(cc: CompiledConfig, event: RiskEvent): { subject: string | undefined; links: LinkValue[] } {
  const tmp: string[] = [];
  cc.subject(event, tmp);
  const subject = tmp[0];
  const links: LinkValue[] = [];
  if (subject === undefined) return { subject, links };
  if (cc.config.eventTypes && cc.config.eventTypes.length > 0 && !cc.config.eventTypes.includes(event.type)) return { subject, links };
  const seen = new Set<string>();
  for (let i = 0; i < cc.readers.length; i++) {
    tmp.length = 0;
    cc.readers[i](event, tmp);
    const rule = cc.config.links[i];
    for (const value of tmp) {
      const key = rule.kind + '\u0000' + value + '\u0000' + i;
      if (seen.has(key)) continue;
      seen.add(key);
      links.push({ rule: i, kind: rule.kind, role: rule.role ?? 'own', value });
    }
  }
  return { subject, links };
}
