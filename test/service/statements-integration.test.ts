// Statements inside the service: reports persisted per tenant behind the API key, and read by loan strategies
// as `features.statement.*` for the applicant (userId or idNumber).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/service/app.js';
import { generateTransactions, statementBuffer } from '../../src/statements/generate/index.js';
import { harness, type Harness } from './helpers.js';
import { dialects } from '../store/dialects.js';

function multipart(files: { name: string; data: Buffer }[], fields: Record<string, string> = {}) {
  const boundary = '----xiezhi' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const ALIPAY = await statementBuffer('alipay-2023', [...generateTransactions({ seed: 1, count: 150 })]);

async function upload(h: Harness, key: string | undefined, fields: Record<string, string>, data = ALIPAY) {
  const m = multipart([{ name: 'ali.csv', data }], fields);
  const headers: Record<string, string> = { ...m.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await h.app.inject({ method: 'POST', url: '/v1/statements', payload: m.payload, headers });
  return { status: res.statusCode, json: res.json() as any };
}

/** A loan strategy that reads statement features: approve a verified income, review otherwise. */
const STATEMENT_STRATEGY = {
  nodes: [
    { id: 'in', type: 'inputNode', name: 'in', position: { x: 0, y: 0 } },
    {
      id: 'e',
      type: 'expressionNode',
      name: 'statement check',
      position: { x: 200, y: 0 },
      content: {
        expressions: [
          { id: '1', key: 'income', value: 'features.statement.incomeMonthlyAvg' },
          { id: '2', key: 'platforms', value: 'features.statement.platformCount' },
          { id: '3', key: 'decision', value: "features.statement.available and features.statement.incomeMonthlyAvg > 0 ? 'approve' : 'review'" },
        ],
      },
    },
    { id: 'out', type: 'outputNode', name: 'out', position: { x: 400, y: 0 } },
  ],
  edges: [
    { id: 'a', sourceId: 'in', targetId: 'e' },
    { id: 'b', sourceId: 'e', targetId: 'out' },
  ],
};

async function publishStatementStrategy(h: Harness, key: string) {
  const c = await h.req('POST', '/v1/strategies', { id: 'stmt', name: 'statement', eventTypes: ['loan_application'], draft: STATEMENT_STRATEGY }, key);
  assert.equal(c.status, 201, c.text);
  const p = await h.req('POST', '/v1/strategies/stmt/publish', { comment: 'v1' }, key);
  assert.equal(p.status, 201, p.text);
}

let n = 0;
const loan = (subject: Record<string, string>) => ({
  id: `stmt-ev-${process.pid}-${++n}`,
  type: 'loan_application',
  occurredAt: '2026-11-24T10:00:00.000Z',
  subject,
  data: { amount: 500000 },
});

test('reports are stored per tenant: tenant B never reads tenant A report; no key is 401', async () => {
  const h = await harness();
  try {
    const up = await upload(h, h.keyA, { userId: 'u1', idNumber: '110101199003071234' });
    assert.equal(up.status, 201, JSON.stringify(up.json));
    assert.equal(up.json.subject.userId, 'u1');
    assert.notEqual(up.json.subject.idNumber, '110101199003071234', 'the ID number is masked in the answer');
    const id = up.json.id as string;

    const a = await h.req('GET', `/v1/statements/${id}`);
    assert.equal(a.status, 200);
    assert.equal(a.json.transactions.length, 150);
    assert.equal(a.json.risk.level, up.json.risk.level);
    for (const url of [`/v1/statements/${id}`, `/v1/statements/${id}/report.html`, `/v1/statements/${id}/report.pdf`]) {
      const b = await h.req('GET', url, undefined, h.keyB);
      assert.equal(b.status, 404, `${url} for tenant B`);
    }
    const html = await h.req('GET', `/v1/statements/${id}/report.html?lang=en`);
    assert.equal(html.status, 200);
    assert.match(html.text, /Statement analysis report/);

    // A console viewer may read reports but not upload them.
    const viewer = await h.store.users.create(h.ta, { username: 'viewer1', password: 'viewer-password-1', role: 'viewer' });
    const { token } = await h.store.users.createSession(h.ta, viewer.id);
    assert.equal((await h.req('GET', `/v1/statements/${id}`, undefined, token)).status, 200);
    assert.equal((await upload(h, token, { userId: 'u1' })).status, 403);

    assert.equal((await h.req('GET', `/v1/statements/${id}`, undefined, '')).status, 401);
    assert.equal((await upload(h, undefined, { userId: 'u1' })).status, 401);
    assert.equal((await upload(h, 'xz_not_a_real_key_at_all_000000', { userId: 'u1' })).status, 401);

    // Persisted in the database: another app over the same store still answers it.
    const app2 = await buildApp({ store: h.store, processMetrics: false });
    try {
      const again = await app2.inject({ url: `/v1/statements/${id}`, headers: { authorization: `Bearer ${h.keyA}` } });
      assert.equal(again.statusCode, 200);
      const rows = await h.store.db.selectFrom('statement_reports' as any).select(['tenant_id', 'user_id']).execute();
      assert.deepEqual(rows, [{ tenant_id: h.ta, user_id: 'u1' }]);
    } finally {
      await app2.close();
    }
  } finally {
    await h.close();
  }
});

test('bad uploads get 4xx: long subject field, unknown file, not multipart, no files', async () => {
  const h = await harness();
  try {
    const long = await upload(h, h.keyA, { userId: 'x'.repeat(200) });
    assert.equal(long.status, 400);
    assert.equal(long.json.error.code, 'BAD_FIELD');
    const junk = await upload(h, h.keyA, { userId: 'u1' }, Buffer.from('a,b\n1,2\n'));
    assert.equal(junk.status, 422);
    assert.equal(junk.json.error.code, 'UNKNOWN_FORMAT');
    const json = await h.req('POST', '/v1/statements', { x: 1 });
    assert.equal(json.status, 415);
    const m = multipart([], { userId: 'u1' });
    const none = await h.app.inject({ method: 'POST', url: '/v1/statements', payload: m.payload, headers: { ...m.headers, authorization: `Bearer ${h.keyA}` } });
    assert.equal(none.statusCode, 400);
    const rows = await h.store.db.selectFrom('statement_reports' as any).selectAll().execute();
    assert.equal(rows.length, 0, 'nothing stored for rejected uploads');
  } finally {
    await h.close();
  }
});

async function featureFlow(h: Harness) {
  await publishStatementStrategy(h, h.keyA);
  await publishStatementStrategy(h, h.keyB);
  const before = await h.req('POST', '/v1/events?trace=1', loan({ userId: 'u1' }));
  assert.equal(before.status, 200, before.text);
  assert.equal(before.json.decision, 'review');
  assert.equal(before.json.features.statement.available, false);
  assert.equal(before.json.features.statement.incomeMonthlyAvg, null);

  const up = await upload(h, h.keyA, { userId: 'u1', idNumber: '110101199003071234' });
  assert.equal(up.status, 201);
  const report = (await h.req('GET', `/v1/statements/${up.json.id}`)).json;
  const income = report.features.incomeMonthlyAvg as number;
  assert.ok(income > 0, 'the generated statement has income');

  const after = await h.req('POST', '/v1/events?trace=1', loan({ userId: 'u1' }));
  assert.equal(after.status, 200, after.text);
  assert.equal(after.json.decision, 'approve');
  assert.equal(after.json.outputs.income, income);
  assert.equal(after.json.outputs.platforms, report.features.platformCount);
  assert.equal(after.json.features.statement.incomeMonthlyAvg, income);
  assert.equal(after.json.features.statement.available, true);
  assert.equal(after.json.trace.e.input.features.statement.incomeMonthlyAvg, income, 'the node trace shows the feature');
  // The decision log keeps the feature values the decision used.
  const logged = await h.req('GET', `/v1/decisions/${after.json.eventId}`);
  assert.equal(logged.status, 200);
  assert.equal(logged.json.features.statement.incomeMonthlyAvg, income);

  // Found by idNumber too; another applicant and another tenant see nothing.
  const byId = await h.req('POST', '/v1/events?trace=1', loan({ userId: 'u9', idNumber: '110101199003071234' }));
  assert.equal(byId.json.features.statement.incomeMonthlyAvg, income);
  const other = await h.req('POST', '/v1/events?trace=1', loan({ userId: 'u2' }));
  assert.equal(other.json.features.statement.available, false);
  assert.equal(other.json.decision, 'review');
  const tenantB = await h.req('POST', '/v1/events?trace=1', loan({ userId: 'u1' }), h.keyB);
  assert.equal(tenantB.json.features.statement.available, false);
  assert.equal(tenantB.json.decision, 'review');
}

test('a loan strategy reads features.statement.* of the applicant; the trace shows the values', async () => {
  const h = await harness();
  try {
    await featureFlow(h);
  } finally {
    await h.close();
  }
});

// The same flow on the real PostgreSQL server (skipped with a message when it is unreachable).
const pgDialect = (await dialects('stmtsvc')).find((d) => d.name === 'postgres')!;
after(() => pgDialect.cleanup());
test('statement features on PostgreSQL', { skip: pgDialect.skip }, async () => {
  const h = await harness({ store: await pgDialect.open() });
  try {
    await featureFlow(h);
  } finally {
    await h.app.close();
  }
});

test('a statement over the 1 MiB JSON body limit is accepted (statement uploads have their own limit)', async () => {
  const h = await harness();
  try {
    const big = await statementBuffer('alipay-2023', [...generateTransactions({ seed: 4, count: 9000 })]);
    assert.ok(big.length > 2 * 1024 * 1024);
    const up = await upload(h, h.keyA, { userId: 'big' }, big);
    assert.equal(up.status, 201, JSON.stringify(up.json));
    assert.equal(up.json.files[0].transactionCount, 9000);
  } finally {
    await h.close();
  }
});
