// Point-in-time correctness: replayed vectors equal the online ones, never include the current or a later
// event, and match a brute-force recomputation from the raw log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RiskEvent } from '../../src/core/event.js';
import { command } from '../../src/cli/commands/replay.js';
import { createFeatureEngine, replayEvents, validateDefinitions, type ReplayRow } from '../../src/features/index.js';
import { ALL_DEFS, ALL_NAMES } from './defs.js';
import { makeStore, redisSkip, rng, syntheticStream, vectorsOf } from './helpers.js';

const events = syntheticStream(300, 21);

async function collect(it: AsyncIterable<ReplayRow>): Promise<ReplayRow[]> {
  const out: ReplayRow[] = [];
  for await (const r of it) out.push(r);
  return out;
}

/**
 * The log out of time order, except that events of the same millisecond keep their relative (arrival) order:
 * that order is part of the log, and profiles, unlike windows, do see same-millisecond predecessors.
 */
function shuffled(xs: RiskEvent[], seed: number): RiskEvent[] {
  const r = rng(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  const sameMs = new Map<number, RiskEvent[]>();
  for (const e of xs) sameMs.set(e.occurredAt, [...(sameMs.get(e.occurredAt) ?? []), e]);
  return a.map((e) => sameMs.get(e.occurredAt)!.shift()!);
}

test('replaying a shuffled log gives the vectors computed online (memory and Redis)', async () => {
  const rows = await collect(replayEvents(shuffled(events, 3), { definitions: ALL_DEFS }));
  assert.deepEqual(rows.map((r) => r.id), events.map((e) => e.id), 'time order, same-millisecond events in log order');
  const online = await vectorsOf(createFeatureEngine({ definitions: ALL_DEFS }), events, ALL_NAMES);
  for (let i = 0; i < events.length; i++) assert.deepEqual(rows[i].features, online[i], events[i].id);
  const skip = await redisSkip();
  if (!skip) {
    const { store, done } = await makeStore('redis');
    try {
      const redisOnline = await vectorsOf(createFeatureEngine({ definitions: ALL_DEFS, store, failPolicy: 'closed' }), events, ALL_NAMES);
      for (let i = 0; i < events.length; i++) assert.deepEqual(rows[i].features, redisOnline[i], events[i].id);
    } finally {
      await done();
    }
  }
});

test('no feature includes the current event or a later one', async () => {
  const rows = await collect(replayEvents(events, { definitions: ALL_DEFS }));
  // Knowing only the strictly earlier history gives the same vector: the event and the future played no part.
  for (const i of [0, 1, 17, 60, 61, 150, 222, 299]) {
    const engine = createFeatureEngine({ definitions: ALL_DEFS });
    for (const e of events.slice(0, i)) await engine.apply(e);
    assert.deepEqual((await engine.compute(events[i], ALL_NAMES)).values, rows[i].features, `event ${i}`);
  }
  // Brute force for every velocity feature: aggregate the raw log over (t - window, t), strictly before t.
  const windowMs: Record<string, number> = { '1h': 3_600_000, '7d': 7 * 86_400_000, '1d': 86_400_000, '24h': 86_400_000, '30d': 30 * 86_400_000, 3600: 3_600_000 };
  const get = (e: RiskEvent, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], e);
  for (const d of ALL_DEFS.filter((x) => x.kind === 'velocity')) {
    events.forEach((e, i) => {
      const key = get(e, d.key!);
      const w = windowMs[d.window as string];
      const prior = events.filter((p) => p.occurredAt < e.occurredAt && p.occurredAt > e.occurredAt - w && get(p, d.key!) === key && (!d.eventTypes || d.eventTypes.includes(p.type)));
      const vals = d.field ? prior.map((p) => get(p, d.field!)).filter((v) => v !== undefined) : prior.map(() => 1);
      const nums = vals as number[];
      const expected =
        key === undefined ? null
        : d.agg === 'count' ? prior.length
        : d.agg === 'sum' ? nums.reduce((a, b) => a + b, 0)
        : d.agg === 'avg' ? (nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null)
        : d.agg === 'min' ? (nums.length ? Math.min(...nums) : null)
        : d.agg === 'max' ? (nums.length ? Math.max(...nums) : null)
        : d.agg === 'distinct' ? new Set(vals).size
        : d.agg === 'first_seen' ? (prior.length ? prior[0].occurredAt : null)
        : prior.length ? prior[prior.length - 1].occurredAt : null;
      const got = rows[i].features[d.name];
      if (typeof expected === 'number' && typeof got === 'number') assert.ok(Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${d.name} at ${e.id}: ${got} vs ${expected}`);
      else assert.equal(got, expected, `${d.name} at ${e.id}`);
    });
  }
});

test('xiezhi replay writes one vector (and the strategy decision) per event, in time order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xz-replay-'));
  try {
    const evFile = join(dir, 'events.ndjson');
    const sample = events.slice(0, 80);
    writeFileSync(evFile, shuffled(sample, 9).map((e) => JSON.stringify({ ...e, occurredAt: new Date(e.occurredAt).toISOString() })).join('\n') + '\n');
    writeFileSync(join(dir, 'defs.json'), JSON.stringify({ features: ALL_DEFS }));
    const strategy = {
      nodes: [
        { id: 'in', type: 'inputNode', name: 'in' },
        { id: 'ex', type: 'expressionNode', name: 'rules', content: { expressions: [{ id: 'e1', key: 'burst', value: 'features.card_pay_1h >= 2' }] } },
        { id: 'out', type: 'outputNode', name: 'out' },
      ],
      edges: [
        { id: 'a', sourceId: 'in', targetId: 'ex' },
        { id: 'b', sourceId: 'ex', targetId: 'out' },
      ],
    };
    writeFileSync(join(dir, 'strategy.json'), JSON.stringify({ draft: strategy }));
    const out = join(dir, 'features.ndjson');
    const code = await command.run(['--events', evFile, '--features', join(dir, 'defs.json'), '--strategy', join(dir, 'strategy.json'), '--names', 'card_pay_1h,ato', '--out', out]);
    assert.equal(code, 0);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ReplayRow);
    const expected = await collect(replayEvents(sample, { definitions: ALL_DEFS, names: ['card_pay_1h', 'ato'] }));
    assert.deepEqual(rows.map((r) => ({ ...r, decision: undefined })), expected.map((r) => ({ ...r, decision: undefined })));
    for (const r of rows) assert.deepEqual(r.decision, { burst: (r.features.card_pay_1h as number) >= 2 });
    assert.ok(rows.some((r) => (r.decision as { burst: boolean }).burst));
    assert.match(rows[0].occurredAt, /^\d{4}-\d\d-\d\dT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('xiezhi replay rejects bad input with a clear message and exit code', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xz-replay-'));
  const errors: string[] = [];
  const orig = console.error;
  console.error = (...a: unknown[]) => void errors.push(a.join(' '));
  try {
    assert.equal(await command.run(['--features', 'x.json']), 2);
    writeFileSync(join(dir, 'defs.json'), JSON.stringify(ALL_DEFS));
    writeFileSync(join(dir, 'bad.ndjson'), '{"id":"a","type":"login","occurredAt":"2026-01-01T00:00:00Z"}\n{"id":"b","type":"login","occurredAt":"yesterday"}\n');
    assert.equal(await command.run(['--events', join(dir, 'bad.ndjson'), '--features', join(dir, 'defs.json'), '--out', join(dir, 'o.ndjson')]), 1);
    assert.match(errors.at(-1)!, /bad\.ndjson:2: occurredAt 'yesterday' is not a valid time/);
    writeFileSync(join(dir, 'defs2.json'), JSON.stringify([{ name: 'x', kind: 'velocity', agg: 'count', key: 'subject.userId', window: '100d' }]));
    assert.equal(await command.run(['--events', join(dir, 'bad.ndjson'), '--features', join(dir, 'defs2.json')]), 1);
    assert.match(errors.at(-1)!, /features\[0\] \(x\): window 100d is outside 1s\.\.90d/);
  } finally {
    console.error = orig;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the example feature definitions validate', () => {
  const path = new URL('../../examples/features/default.json', import.meta.url);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  assert.ok(validateDefinitions(JSON.parse(text)).length > 0);
});
