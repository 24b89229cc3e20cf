import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFeatureEngine, FeatureDefinitionError, parseWindow, validateDefinitions } from '../../src/features/index.js';
import { ALL_DEFS } from './defs.js';

function problems(input: unknown): string[] {
  try {
    validateDefinitions(input);
  } catch (err) {
    assert.ok(err instanceof FeatureDefinitionError);
    assert.match(err.message, /特征定义无效/);
    return err.problems;
  }
  assert.fail('expected the definitions to be rejected');
}

test('every kind of definition in the shared set validates and round-trips through JSON', () => {
  assert.equal(validateDefinitions(JSON.parse(JSON.stringify({ features: ALL_DEFS }))).length, ALL_DEFS.length);
});

test('windows: seconds or 30s/10m/1h/7d, between 1 s and 90 days', () => {
  assert.equal(parseWindow(90), 90_000);
  assert.equal(parseWindow('10m'), 600_000);
  assert.equal(parseWindow('90d'), 90 * 86_400_000);
  assert.match(String(parseWindow('91d')), /outside 1s\.\.90d/);
  assert.match(String(parseWindow(0.5)), /outside/);
  assert.match(String(parseWindow('1 week')), /not a duration/);
});

test('each problem is reported with its position, name and what is expected', () => {
  const p = problems([
    { name: 'ok_1', kind: 'velocity', agg: 'count', key: 'subject.userId', window: '1h' },
    { name: 'ok_1', kind: 'velocity', agg: 'count', key: 'subject.userId', window: '1h' },
    { name: 'bad agg', kind: 'velocity', agg: 'median', key: 'subject.userId', window: '1h' },
    { name: 'no_field', kind: 'velocity', agg: 'sum', key: 'subject.userId', window: '1h' },
    { name: 'bad_path', kind: 'velocity', agg: 'count', key: 'user.id', window: '1h', eventTypes: ['Login'] },
    { name: 'typo', kind: 'velocity', agg: 'count', key: 'subject.userId', window: '1h', windw: '2h' },
    { name: 'sig', kind: 'signal', signal: 'teleport' },
    { name: 'ato', kind: 'signal', signal: 'ato_chain' },
    { name: 'night', kind: 'signal', signal: 'night_ratio', utcOffsetHours: 5.5 },
    { name: 'geo', kind: 'signal', signal: 'impossible_travel', ipLocations: { '1.2.': { lat: 200, lon: 0 } } },
    { name: 'prof', kind: 'profile', entity: 'subject.userId', attribute: 'mean' },
    { kind: 'magic' },
    'nope',
  ]);
  const expected = [
    /features\[1\] \(ok_1\): duplicate name/,
    /features\[2\] \(bad agg\): name must be an identifier/,
    /features\[2\] \(bad agg\): agg must be one of count, sum/,
    /features\[3\] \(no_field\): field is required/,
    /features\[4\] \(bad_path\): key 'user\.id' must be a dotted path/,
    /features\[4\] \(bad_path\): eventTypes must be a non-empty array/,
    /features\[5\] \(typo\): unknown property 'windw'/,
    /features\[6\] \(sig\): signal must be one of new_device/,
    /features\[7\] \(ato\): ato_chain needs a threshold/,
    /features\[8\] \(night\): utcOffsetHours must be a whole number/,
    /features\[9\] \(geo\): ipLocations\['1\.2\.'\] needs lat/,
    /features\[10\] \(prof\): field is required/,
    /features\[11\]: kind must be velocity, profile or signal/,
    /features\[12\]: must be an object/,
  ];
  for (const re of expected) assert.ok(p.some((x) => re.test(x)), `missing ${re}: got\n${p.join('\n')}`);
  assert.deepEqual(problems('x'), ['expected an array of feature definitions or {"features": [...]}']);
});

test('the engine refuses bad definitions, bad policies and bad events with clear errors', async () => {
  assert.throws(() => createFeatureEngine({ definitions: [{ name: 'x', kind: 'velocity' }] }), FeatureDefinitionError);
  assert.throws(() => createFeatureEngine({ definitions: [], failPolicy: 'maybe' as never }), /failPolicy must be 'open' or 'closed'/);
  const engine = createFeatureEngine({ definitions: ALL_DEFS });
  await assert.rejects(async () => engine.compute({ id: 'e', type: 'login', occurredAt: '2026-01-01' as never, subject: {}, data: {} }, ['ato']), /occurredAt as UTC epoch milliseconds/);
  await assert.rejects(async () => engine.apply({ id: '', type: 'login', occurredAt: 1, subject: {}, data: {} }), /event.id must be a non-empty string/);
  assert.throws(
    () => createFeatureEngine({ definitions: [{ name: 'f', kind: 'velocity', agg: 'count', key: 'subject.userId', window: '1h', filter: 'data.amount >' }] }),
    /feature f: filter 'data.amount >' does not compile/,
  );
});

test('names other providers answer (graph.*, statement.*) are skipped, and nothing requested costs nothing', async () => {
  const engine = createFeatureEngine({ definitions: ALL_DEFS });
  const e = { id: 'e1', type: 'login', occurredAt: Date.UTC(2026, 0, 1), subject: { userId: 'u1' }, data: {} };
  assert.deepEqual(await engine.compute(e, ['graph.shared_device_users', 'p_count']), { values: { p_count: 0 } });
  assert.deepEqual(await engine.compute(e, []), { values: {} });
});
