// Fires a few thousand random and malformed requests: never a 5xx, never a crash, and the decision log
// only grows by the events that were accepted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, loanEvent, publishPreLoan } from './helpers.js';
import { seededRandom } from '../../src/core/random.js';

const rng = seededRandom;

test('fuzz: random and malformed requests never cause a 5xx', async () => {
  const h = await harness();
  await publishPreLoan(h);
  const r = rng(42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const weird = (depth = 0): unknown => {
    const k = Math.floor(r() * 12);
    if (depth > 3) return 'x';
    switch (k) {
      case 0: return null;
      case 1: return r() * 1e20 - 1e10;
      case 2: return -0;
      case 3: return pick(['', ' ', '\u0000', '😀', '"', '\\', '__proto__', 'constructor', 'a'.repeat(600), '2026-13-45T99:99:99Z', '1e400']);
      case 4: return [weird(depth + 1), weird(depth + 1)];
      case 5: return { __proto__: { polluted: true }, constructor: { prototype: { x: 1 } }, [pick(['a', 'amount', 'userId'])]: weird(depth + 1) };
      case 6: return true;
      case 7: return Number.MAX_SAFE_INTEGER;
      case 8: return { nested: weird(depth + 1) };
      default: return pick(['register', 'login', 'payment', 'loan_application', 'Bad Type', 'custom_type', 'a'.repeat(70)]);
    }
  };
  const mutateEvent = () => {
    const e: Record<string, unknown> = loanEvent();
    const fields = ['id', 'type', 'occurredAt', 'subject', 'data'];
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      const f = pick(fields);
      if (r() < 0.3) delete e[f];
      else if (r() < 0.5 && (f === 'subject' || f === 'data') && e[f] && typeof e[f] === 'object') (e[f] as Record<string, unknown>)[pick(['userId', 'phone', 'amount', 'x', '__proto__'])] = weird();
      else e[f] = weird();
    }
    return e;
  };
  const paths = [
    '/v1/events', '/v1/events?trace=1', '/v1/events?trace=maybe', '/v1/events:batch', '/v1/events:import', '/v1/strategies', '/v1/strategies/pre-loan',
    '/v1/strategies/pre-loan/publish', '/v1/strategies/pre-loan/test', '/v1/strategies/pre-loan/validate', '/v1/strategies/pre-loan/diff?from=1&to=99999999999',
    '/v1/strategies/%00/versions/abc', '/v1/decisions?limit=-1', '/v1/decisions?cursor=garbage', '/v1/decisions?from=x', '/v1/decisions/%ff', '/v1/lists',
    '/v1/lists/x/entries', '/v1/lists/x/import', '/v1/labels', '/v1/stats?bucket=year', '/v1/auth/login', '/v1/api-keys', '/v1/bindings/Bad/shadow', '/v1/../../etc/passwd',
  ];
  const cts = ['application/json', 'application/json; charset=utf-8', 'text/csv', 'application/x-ndjson', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', ''];
  const accepted = new Set<string>();
  let fiveXX: string[] = [];
  const N = 3000;
  for (let i = 0; i < N; i++) {
    const path = r() < 0.5 ? '/v1/events' : pick(paths);
    const method = path === '/v1/events' ? 'POST' : pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    let payload: string | undefined;
    const k = r();
    if (k < 0.45) payload = JSON.stringify(mutateEvent());
    else if (k < 0.55) payload = JSON.stringify(mutateEvent()).slice(0, Math.floor(r() * 60));
    else if (k < 0.65) payload = JSON.stringify({ events: [mutateEvent(), mutateEvent(), loanEvent()] });
    else if (k < 0.75) payload = JSON.stringify(weird());
    else if (k < 0.8) payload = Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))).toString('latin1');
    else if (k < 0.85) payload = '{"a":'.repeat(200);
    else if (k < 0.9) payload = undefined;
    else payload = JSON.stringify(loanEvent());
    const headers: Record<string, string> = {};
    if (r() > 0.05) headers.authorization = `Bearer ${r() < 0.95 ? h.keyA : 'xz_' + 'z'.repeat(40)}`;
    const ct = r() < 0.8 ? 'application/json' : pick(cts);
    if (ct && payload !== undefined) headers['content-type'] = ct;
    const res = await h.app.inject({ method: method as 'POST', url: path, headers, payload });
    if (res.statusCode >= 500) fiveXX.push(`${method} ${path} ${ct} -> ${res.statusCode} ${res.body.slice(0, 200)} payload=${String(payload).slice(0, 120)}`);
    if (res.statusCode === 200 && (path === '/v1/events' || path.startsWith('/v1/events?'))) {
      const body = res.json() as { eventId?: string };
      if (body.eventId) accepted.add(body.eventId);
    }
    if (res.statusCode === 200 && path === '/v1/events:batch') {
      for (const x of (res.json() as { results: { eventId?: string; decision?: string }[] }).results) if (x.decision && x.eventId) accepted.add(x.eventId);
    }
    if (res.statusCode === 200 && path === '/v1/events:import') {
      // imports store history; count them through the log below
      const last = JSON.parse(res.body.trim().split('\n').pop() ?? '{}') as { imported?: number };
      if (last.imported) throw new Error('fuzz import unexpectedly stored events: ' + res.body.slice(0, 300));
    }
    if (fiveXX.length > 5) break;
  }
  assert.deepEqual(fiveXX, []);
  assert.ok(accepted.size > 100, `some requests were accepted (${accepted.size})`);
  assert.equal(await h.store.log.count(h.ta), accepted.size, 'rejected requests stored nothing');
  const health = await h.app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(health.statusCode, 200);
  fiveXX = [];
  await h.close();
});
