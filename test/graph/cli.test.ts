import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command } from '../../src/cli/commands/graph.js';

const EVENTS = 'test/graph/fixtures/events.ndjson';
const LABELS = 'test/graph/fixtures/labels.ndjson';

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    const code = await command.run(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('graph rings lists the ring of five with masked shared values', async () => {
  const r = await capture(['rings', '--events', EVENTS, '--labels', LABELS, '--json']);
  assert.equal(r.code, 0, r.err);
  const rep = JSON.parse(r.out);
  assert.equal(rep.rings.length, 1);
  assert.deepEqual(rep.rings[0].members, ['u1', 'u2', 'u3', 'u4', 'u5']);
  assert.ok(!r.out.includes('13800000001'), 'phones are masked');
});

test('graph snapshot round-trips into graph features', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-graph-'));
  try {
    const snap = join(dir, 'g.json');
    assert.equal((await capture(['snapshot', '--events', EVENTS, '--out', snap])).code, 0);
    assert.equal(JSON.parse(readFileSync(snap, 'utf8')).format, 'xiezhi-graph');
    const event = JSON.stringify({ id: 'n1', type: 'loan_application', occurredAt: '2026-03-02T12:00:00Z', subject: { userId: 'u9', deviceId: 'D-100' } });
    const r = await capture(['features', '--snapshot', snap, '--event', event]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out)['graph.device_subjects'], 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad usage gets a clear message and a non-zero exit', async () => {
  assert.equal((await capture(['nope'])).code, 2);
  const missing = await capture(['rings']);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /--events/);
  const bad = await capture(['rings', '--events', 'test/graph/fixtures/nope.ndjson']);
  assert.match(bad.err, /cannot read events/);
  assert.equal((await capture(['subject', 'ghost', '--events', EVENTS])).code, 1);
  assert.equal((await capture(['--help'])).code, 0);
});
