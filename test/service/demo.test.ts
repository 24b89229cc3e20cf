// The demo data generator plants what it claims, and `xiezhi demo` sends it to a running server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateDemo } from '../../src/service/demo-data.js';
import { command as demo } from '../../src/cli/commands/demo.js';
import { harness, PRE_LOAN } from './helpers.js';

test('generator: deterministic, time-ordered, rings share devices and phones, labels per application', () => {
  const a = generateDemo({ applicants: 50, rings: 2, ringSize: 6, seed: 7, endAt: Date.UTC(2026, 10, 24) });
  const b = generateDemo({ applicants: 50, rings: 2, ringSize: 6, seed: 7, endAt: Date.UTC(2026, 10, 24) });
  assert.deepEqual(a, b);
  for (let i = 1; i < a.events.length; i++) assert.ok(a.events[i]!.occurredAt >= a.events[i - 1]!.occurredAt);
  assert.equal(a.rings.length, 2);
  for (const ring of a.rings) {
    const apps = a.events.filter((e) => e.type === 'loan_application' && ring.includes(e.subject.userId!));
    assert.equal(apps.length, 6);
    assert.ok(new Set(apps.map((e) => e.subject.deviceId)).size <= 2, 'ring members share devices');
    assert.ok(new Set(apps.map((e) => e.subject.phone)).size <= 3, 'ring members share phones');
    assert.equal(new Set(apps.map((e) => e.subject.idNumber)).size, 6, 'each member has their own ID number');
  }
  const apps = a.events.filter((e) => e.type === 'loan_application');
  assert.equal(a.labels.length, apps.length);
  const ringIds = new Set(a.rings.flat());
  const ringBad = a.labels.filter((l) => ringIds.has(apps.find((e) => e.id === l.eventId)!.subject.userId!) && l.label !== 'good').length;
  assert.ok(ringBad >= 8, `most ring members default or are fraud (${ringBad}/12)`);
});

test('xiezhi demo sends the traffic and labels to a server', { timeout: 60_000 }, async () => {
  const h = await harness();
  await h.req('POST', '/v1/strategies', { id: 'pre-loan', name: 'p', eventTypes: ['loan_application'], draft: PRE_LOAN.draft });
  await h.req('POST', '/v1/strategies/pre-loan/publish', {});
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (h.app.server.address() as { port: number }).port;
  try {
    const log = console.log;
    console.log = () => undefined;
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let code: number;
    try {
      code = await demo.run(['--url', `http://127.0.0.1:${port}`, '--api-key', h.keyA, '--applicants', '20', '--rings', '1', '--ring-size', '4', '--seed', '3']);
    } finally {
      console.log = log;
      process.stdout.write = write;
    }
    assert.equal(code, 0);
    const n = await h.store.log.count(h.ta);
    assert.ok(n > 60, `events stored: ${n}`);
    assert.equal((await h.store.labels.list(h.ta, { limit: 1000 })).length, 24);
    assert.equal(await demo.run(['--url', `http://127.0.0.1:${port}`, '--api-key', 'xz_wrong_key_000000000000000']), 1);
    assert.equal(await demo.run(['--applicants', 'many', '--api-key', 'k']), 2);
  } finally {
    await h.close();
  }
});
