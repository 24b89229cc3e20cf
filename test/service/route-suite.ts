// The route behaviour suite, run against SQLite (routes.test.ts) and PostgreSQL (routes-postgres.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/types.js';
import { harness, loanEvent, publishPreLoan, PRE_LOAN, type Harness } from './helpers.js';

export function routeSuite(label: string, makeStore: () => Promise<Store | undefined>): void {
  const withH = (name: string, fn: (h: Harness) => Promise<void>) =>
    test(`${label}: ${name}`, async (t) => {
      const store = await makeStore();
      if (store === undefined) return t.skip('store unavailable');
      const h = await harness({ store });
      try {
        await fn(h);
      } finally {
        await h.close();
      }
    });

  withH('every /v1 route needs a valid bearer token; ops routes do not', async (h) => {
    assert.equal((await h.req('GET', '/v1/strategies', undefined, '')).status, 401);
    assert.equal((await h.req('GET', '/v1/strategies', undefined, 'xz_not_a_real_key_123456789')).status, 401);
    const r = await h.req('POST', '/v1/events', loanEvent(), '');
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'unauthorized');
    assert.equal((await h.req('GET', '/healthz', undefined, '')).status, 200);
    assert.equal((await h.req('GET', '/readyz', undefined, '')).json.status, 'ready');
  });

  withH('decides an event with the published strategy and stores it', async (h) => {
    await publishPreLoan(h);
    const ev = loanEvent();
    const r = await h.req('POST', '/v1/events', ev);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.eventId, ev.id);
    assert.equal(r.json.decision, 'approve');
    assert.deepEqual(r.json.strategy, { id: 'pre-loan', version: 1 });
    assert.equal(typeof r.json.latencyMs, 'number');
    const bad = await h.req('POST', '/v1/events', loanEvent({ data: { amount: 100000, income: 300000, age: 17 } }));
    assert.equal(bad.json.decision, 'reject');
    assert.equal(bad.json.reasons[0].code, 'AGE_OUT_OF_RANGE');
    const got = await h.req('GET', `/v1/decisions/${ev.id}`);
    assert.equal(got.status, 200);
    assert.equal(got.json.decision, 'approve');
    assert.equal(got.json.subject.phone, '138****5678', 'personal data masked when read back');
    const search = await h.req('GET', '/v1/decisions?decision=reject&eventType=loan_application');
    assert.deepEqual(search.json.items.map((i: { eventId: string }) => i.eventId), [bad.json.eventId]);
    const bySubject = await h.req('GET', `/v1/decisions?subjectField=userId&subjectValue=${(ev.subject as { userId: string }).userId}`);
    assert.equal(bySubject.json.items.length, 1);
  });

  withH('trace=1 adds the node trace and feature values with personal data masked', async (h) => {
    await publishPreLoan(h);
    const r = await h.req('POST', '/v1/events?trace=1', loanEvent());
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.trace && r.json.trace.rules, 'trace of the ruleSet node');
    assert.equal(r.json.trace.rules.name, '贷前规则 Application rules', 'node names stay readable');
    const text = JSON.stringify(r.json.trace);
    assert.ok(!text.includes('13812345678') && !text.includes('110101199003071234'), 'no raw phone or ID number in the trace');
    assert.ok(text.includes('138****5678'));
    assert.equal(typeof r.json.features, 'object');
  });

  withH('idempotency: same id replays the stored decision, a different payload is a 409', async (h) => {
    await publishPreLoan(h);
    const ev = loanEvent();
    const first = await h.req('POST', '/v1/events', ev);
    const again = await h.req('POST', '/v1/events', ev);
    assert.equal(again.status, 200);
    assert.equal(again.json.replayed, true);
    assert.equal(again.json.decision, first.json.decision);
    assert.equal(await h.store.log.count(h.ta), 1);
    const changed = await h.req('POST', '/v1/events', { ...ev, data: { ...(ev.data as object), amount: 999 } });
    assert.equal(changed.status, 409);
    assert.equal(changed.json.error.code, 'idempotency_conflict');
    assert.match(changed.json.error.message, /different payload/);
    assert.equal(await h.store.log.count(h.ta), 1);
    // concurrent duplicates are decided once
    const ev2 = loanEvent();
    const rs = await Promise.all([1, 2, 3, 4].map(() => h.req('POST', '/v1/events', ev2)));
    assert.ok(rs.every((r) => r.status === 200 && r.json.decision === rs[0]!.json.decision));
    assert.equal(await h.store.log.count(h.ta), 2);
  });

  withH('validation errors name each bad field; unknown and custom types', async (h) => {
    const r = await h.req('POST', '/v1/events', { id: 'a b', type: 'loan_application', occurredAt: 'yesterday', subject: { userId: 5, phone: {} }, data: {} });
    assert.equal(r.status, 400);
    const fields = r.json.error.fields.map((f: { field: string }) => f.field).sort();
    assert.deepEqual(fields, ['body.data.amount', 'body.id', 'body.occurredAt', 'body.subject.phone']);
    const unknown = await h.req('POST', '/v1/events', loanEvent({ type: 'Loan-Application!' }));
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error.fields[0].field, 'body.type');
    const custom = await h.req('POST', '/v1/events', loanEvent({ type: 'coupon_claim', data: {} }));
    assert.equal(custom.status, 200, custom.text);
    assert.equal(custom.json.strategy, null);
    assert.equal(custom.json.decision, 'approve');
    const malformed = await h.req('POST', '/v1/events', '{"id": "x",');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.json.error.code, 'malformed_json');
    const big = await h.req('POST', '/v1/events', JSON.stringify({ ...loanEvent(), data: { amount: 1, pad: 'x'.repeat(1_100_000) } }));
    assert.equal(big.status, 413);
    const wrongType = await h.req('POST', '/v1/events', 'id=1', undefined, { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(wrongType.status, 415);
    assert.equal((await h.req('GET', '/v1/nope')).status, 404);
    assert.equal(await h.store.log.count(h.ta), 1, 'only the custom event was stored');
  });

  withH('tenants never see each other', async (h) => {
    await publishPreLoan(h);
    const ev = loanEvent();
    await h.req('POST', '/v1/events', ev);
    assert.equal((await h.req('GET', `/v1/decisions/${ev.id}`, undefined, h.keyB)).status, 404);
    assert.equal((await h.req('GET', '/v1/strategies/pre-loan', undefined, h.keyB)).status, 404);
    assert.deepEqual((await h.req('GET', '/v1/strategies', undefined, h.keyB)).json.items, []);
    // B has no strategy: the same event id in B is independent and gets the no-strategy answer
    const inB = await h.req('POST', '/v1/events', ev, h.keyB);
    assert.equal(inB.status, 200);
    assert.equal(inB.json.strategy, null);
    assert.equal((await h.req('GET', '/v1/decisions', undefined, h.keyB)).json.items.length, 1);
    await h.req('POST', '/v1/lists', { id: 'bl', name: 'x', dimension: 'phone', kind: 'black' });
    assert.equal((await h.req('GET', '/v1/lists/bl', undefined, h.keyB)).status, 404);
  });

  withH('strategy lifecycle: validate, test, publish, diff, rollback, shadow, history', async (h) => {
    const bad = await h.req('POST', '/v1/strategies', { id: 's1', name: 's1', eventTypes: ['loan_application'], draft: { nodes: [{ id: 'x', type: 'customNode', content: { kind: 'ruleSet', config: { rules: [{ id: 'r', condition: 'data.amount >' }] } } }], edges: [] } });
    assert.equal(bad.status, 201);
    const v = await h.req('POST', '/v1/strategies/s1/validate', {});
    assert.equal(v.json.valid, false);
    assert.ok(v.json.issues.length > 0);
    const pub = await h.req('POST', '/v1/strategies/s1/publish', {});
    assert.equal(pub.status, 422);
    assert.equal(pub.json.error.code, 'invalid_strategy');
    assert.equal((await h.req('DELETE', '/v1/strategies/s1')).status, 204);

    await publishPreLoan(h);
    const tested = await h.req('POST', '/v1/strategies/pre-loan/test', { events: [loanEvent({ features: { device_users_7d: 9 } })], trace: true });
    assert.equal(tested.status, 200, tested.text);
    assert.equal(tested.json.failed, 0);
    assert.equal(tested.json.passed, PRE_LOAN.draft.tests.length);
    assert.equal(tested.json.events[0].result.decision, 'review');

    // v2 lowers the reject threshold
    const draft2 = structuredClone(PRE_LOAN.draft) as any;
    draft2.nodes.find((n: any) => n.id === 'decide').content.config.thresholds.reject = 50;
    assert.equal((await h.req('PUT', '/v1/strategies/pre-loan', { draft: draft2 })).status, 200);
    const p2 = await h.req('POST', '/v1/strategies/pre-loan/publish', { comment: 'stricter' });
    assert.equal(p2.json.version, 2);
    const diff = await h.req('GET', '/v1/strategies/pre-loan/diff?from=1&to=2');
    assert.equal(diff.status, 200);
    assert.deepEqual(diff.json.nodes.changed[0].changes, [{ path: 'content.config.thresholds.reject', from: 70, to: 50 }]);
    assert.equal((await h.req('GET', '/v1/strategies/pre-loan/diff?from=1&to=9')).status, 404);
    assert.equal((await h.req('GET', '/v1/strategies/pre-loan/diff?from=x&to=2')).status, 400);

    const ring = { data: { amount: 500000, income: 800000, age: 30, creditInquiries30d: 8, existingLoans: 0 }, features: undefined };
    const e2 = await h.req('POST', '/v1/events', loanEvent({ ...ring, data: { ...ring.data, existingLoans: 0, creditInquiries30d: 9 } }));
    assert.deepEqual(e2.json.strategy, { id: 'pre-loan', version: 2 });

    const rb = await h.req('POST', '/v1/strategies/pre-loan/rollback', { toVersion: 1, comment: 'oops' });
    assert.equal(rb.status, 201);
    assert.equal(rb.json.version, 3);
    assert.equal(rb.json.rolledBackFrom, 1);
    const e3 = await h.req('POST', '/v1/events', loanEvent());
    assert.deepEqual(e3.json.strategy, { id: 'pre-loan', version: 3 });

    const sh = await h.req('PUT', '/v1/bindings/loan_application/shadow', { strategyId: 'pre-loan', version: 2 });
    assert.equal(sh.status, 200, sh.text);
    const e4 = await h.req('POST', '/v1/events', loanEvent());
    assert.deepEqual(e4.json.strategy, { id: 'pre-loan', version: 3 }, 'shadow is not answered');
    const logged = await h.req('GET', `/v1/decisions/${e4.json.eventId}`);
    assert.equal(logged.json.shadow.version, 2, 'shadow result logged');
    assert.equal((await h.req('DELETE', '/v1/bindings/loan_application/shadow')).status, 200);

    const hist = await h.req('GET', '/v1/strategies/pre-loan/history');
    const actions = hist.json.items.map((e: { action: string }) => e.action);
    assert.ok(actions.includes('strategy.publish') && actions.includes('strategy.rollback'), actions.join(','));
    assert.ok(hist.json.items.every((e: { actor: string; at: string }) => e.actor.startsWith('apikey:') || e.actor.startsWith('system')));
    const versions = await h.req('GET', '/v1/strategies/pre-loan/versions');
    assert.deepEqual(versions.json.items.map((x: { version: number }) => x.version).sort(), [1, 2, 3]);
    assert.equal((await h.req('DELETE', '/v1/strategies/pre-loan')).status, 409, 'bound strategies cannot be deleted');
  });

  withH('name lists: CRUD, CSV import/export, lookup, and the engine sees changes at once', async (h) => {
    await publishPreLoan(h);
    assert.equal((await h.req('POST', '/v1/lists', { id: 'bl', name: '黑名单', dimension: 'phone', kind: 'blue' })).status, 400);
    assert.equal((await h.req('POST', '/v1/lists', { id: 'bl', name: '黑名单', dimension: 'phone', kind: 'black' })).status, 201);
    const before = await h.req('POST', '/v1/events', loanEvent({ subject: { userId: 'x1', phone: '13611112222' } }));
    assert.equal(before.json.decision, 'approve');
    const add = await h.req('POST', '/v1/lists/bl/entries', { entries: [{ value: '+86 136-1111-2222', category: '小贷类', riskIntensity: 'high', reason: '逾期' }] });
    assert.equal(add.status, 200, add.text);
    assert.equal(add.json.inserted, 1);
    const after = await h.req('POST', '/v1/events', loanEvent({ subject: { userId: 'x2', phone: '13611112222' } }));
    assert.equal(after.json.decision, 'reject');
    const look = await h.req('GET', '/v1/lists/lookup?dimension=phone&value=13611112222');
    assert.equal(look.json.hits[0].listId, 'bl');
    const badEntry = await h.req('POST', '/v1/lists/bl/entries', { entries: [{ value: '1' }, { value: '2', category: '不存在' }] });
    assert.equal(badEntry.status, 400);
    assert.equal(badEntry.json.error.fields[0].field, 'body.entries[1].category');
    const csv = 'value,category,riskIntensity,reason\n13700001111,消金类,3,欺诈\n13700002222,,low,\n';
    const imp = await h.req('POST', '/v1/lists/bl/import', csv, undefined, { 'content-type': 'text/csv' });
    assert.equal(imp.status, 200, imp.text);
    assert.deepEqual(imp.json, { rows: 2, inserted: 2, updated: 0 });
    const badCsv = await h.req('POST', '/v1/lists/bl/import', 'value,expiresAt\n1370000,soon\n', undefined, { 'content-type': 'text/csv' });
    assert.equal(badCsv.status, 400);
    assert.equal(badCsv.json.error.fields[0].field, 'line 2.expiresAt');
    const exp = await h.req('GET', '/v1/lists/bl/export');
    assert.match(exp.text, /13700001111,消金类,3,1,,欺诈/);
    assert.match((await h.req('GET', '/v1/lists/bl/export?header=zh')).text.split('\n')[0]!, /值/);
    const entries = await h.req('GET', '/v1/lists/bl/entries');
    assert.equal(entries.json.total, 3);
    assert.ok(entries.json.items.every((e: { value: string }) => e.value.includes('****')), 'phones masked in listings');
    const del = await h.req('DELETE', '/v1/lists/bl/entries', { values: ['13611112222'] });
    assert.equal(del.json.deleted, 1);
    const again = await h.req('POST', '/v1/events', loanEvent({ subject: { userId: 'x3', phone: '13611112222' } }));
    assert.equal(again.json.decision, 'approve');
    assert.equal((await h.req('DELETE', '/v1/lists/bl')).status, 204);
  });

  withH('labels, batch, import, stats, metrics', async (h) => {
    await publishPreLoan(h);
    const ev = loanEvent();
    await h.req('POST', '/v1/events', ev);
    const l = await h.req('POST', '/v1/labels', { eventId: ev.id, label: 'default', observedAt: '2026-11-30T00:00:00Z' });
    assert.equal(l.status, 201, l.text);
    assert.equal((await h.req('POST', '/v1/labels', { eventId: 'missing', label: 'fraud', observedAt: '2026-11-30T00:00:00Z' })).status, 404);
    assert.equal((await h.req('POST', '/v1/labels', { label: 'fraud', observedAt: '2026-11-30T00:00:00Z' })).status, 400);
    assert.equal((await h.req('POST', '/v1/labels', { subject: { userId: 'u9' }, label: 'Fraud!', observedAt: 'x' })).status, 400);
    assert.equal((await h.req('GET', `/v1/decisions/${ev.id}`)).json.labels[0].label, 'default');

    const batch = await h.req('POST', '/v1/events::batch'.replace('::', ':'), { events: [loanEvent(), { id: 'bad' }, loanEvent()] });
    assert.equal(batch.status, 200, batch.text);
    assert.equal(batch.json.results.length, 3);
    assert.equal(batch.json.results[1].error.code, 'validation');
    assert.equal(batch.json.results[2].decision, 'approve');
    const tooMany = await h.req('POST', '/v1/events:batch', { events: Array.from({ length: 1001 }, () => ({})) });
    assert.equal(tooMany.status, 400);

    const nd = [loanEvent({ id: 'h1' }), loanEvent({ id: 'h2' }), { id: 'h3' }].map((e) => JSON.stringify(e)).join('\n') + '\nnot json\n';
    const imp = await h.req('POST', '/v1/events:import', nd, undefined, { 'content-type': 'application/x-ndjson' });
    assert.equal(imp.status, 200);
    const last = JSON.parse(imp.text.trim().split('\n').pop()!);
    assert.equal(last.done, true);
    assert.equal(last.imported, 2);
    assert.equal(last.rows, 4);
    assert.ok(last.errors.length >= 2);
    const h1 = await h.req('GET', '/v1/decisions/h1');
    assert.equal(h1.json.decision, null, 'imported history has no decision');
    const csv = 'id,type,occurredAt,subject.userId,data.amount\nc1,payment,2026-11-20T00:00:00Z,u1,1200\nc2,payment,bad,u1,5\n';
    const impCsv = await h.req('POST', '/v1/events:import', csv, undefined, { 'content-type': 'text/csv' });
    const lastCsv = JSON.parse(impCsv.text.trim().split('\n').pop()!);
    assert.equal(lastCsv.imported, 1);
    assert.equal(lastCsv.errors[0].field, 'occurredAt');
    assert.equal((await h.req('GET', '/v1/decisions/c1')).json.data.amount, 1200);

    // a larger streamed import reports progress every 1,000 rows
    const many = Array.from({ length: 2500 }, (_, i) => JSON.stringify({ id: `big-${h.ta}-${i}`, type: 'login', occurredAt: 1_700_000_000_000 + i, subject: { userId: `u${i % 40}` }, data: { success: true } })).join('\n');
    const big = await h.req('POST', '/v1/events:import', many, undefined, { 'content-type': 'application/x-ndjson' });
    const lines = big.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.filter((l) => l.progress).map((l) => l.progress.rows), [1000, 2000]);
    assert.equal(lines.at(-1).imported, 2500);

    const stats = await h.req('GET', '/v1/stats?from=2020-01-01T00:00:00Z');
    assert.equal(stats.status, 200, stats.text);
    assert.ok(stats.json.total >= 3);
    assert.equal(typeof stats.json.rejectRate, 'number');
    assert.equal((await h.req('GET', '/v1/stats?from=soon')).status, 400);
    const m = await h.req('GET', '/metrics', undefined, '');
    assert.match(m.text, /xiezhi_events_total\{type="loan_application",decision="approve"\}/);
  });

  withH('console login, roles, sessions, API keys', async (h) => {
    await h.store.users.create(h.ta, { username: 'alice', password: 'correct horse', role: 'admin' });
    await h.store.users.create(h.ta, { username: 'vic', password: 'viewer pass', role: 'viewer' });
    const bad = await h.req('POST', '/v1/auth/login', { username: 'alice', password: 'wrong', tenant: h.ta }, '');
    assert.equal(bad.status, 401);
    const ok = await h.req('POST', '/v1/auth/login', { username: 'alice', password: 'correct horse', tenant: h.ta }, '');
    assert.equal(ok.status, 200, ok.text);
    const token = ok.json.token as string;
    const me = await h.req('GET', '/v1/auth/me', undefined, token);
    assert.equal(me.json.user.username, 'alice');
    assert.equal(me.json.tenant.id, h.ta);
    const created = await h.req('POST', '/v1/api-keys', { name: 'core' }, token);
    assert.equal(created.status, 201);
    const newKey = created.json.key as string;
    assert.equal((await h.req('GET', '/v1/strategies', undefined, newKey)).status, 200);
    const list = await h.req('GET', '/v1/api-keys', undefined, token);
    assert.ok(list.json.items.every((k: Record<string, unknown>) => !('key' in k) && typeof k.prefix === 'string'));
    assert.equal((await h.req('DELETE', `/v1/api-keys/${created.json.record.id}`, undefined, token)).status, 204);
    assert.equal((await h.req('GET', '/v1/strategies', undefined, newKey)).status, 401, 'revoked key refused at once');

    const v = await h.req('POST', '/v1/auth/login', { username: 'vic', password: 'viewer pass', tenant: h.ta }, '');
    const vt = v.json.token as string;
    assert.equal((await h.req('GET', '/v1/strategies', undefined, vt)).status, 200);
    assert.equal((await h.req('POST', '/v1/lists', { name: 'x', dimension: 'ip', kind: 'grey' }, vt)).status, 403);
    assert.equal((await h.req('GET', '/v1/api-keys', undefined, vt)).status, 403);

    assert.equal((await h.req('POST', '/v1/auth/logout', undefined, token)).status, 204);
    assert.equal((await h.req('GET', '/v1/auth/me', undefined, token)).status, 401);
  });

  withH('OpenAPI document lists the routes', async (h) => {
    const r = await h.req('GET', '/docs/json', undefined, '');
    assert.equal(r.status, 200);
    for (const p of ['/v1/events', '/v1/strategies/{id}/publish', '/v1/lists/{id}/import', '/v1/stats', '/v1/auth/login']) assert.ok(r.json.paths[p], p);
  });
}
