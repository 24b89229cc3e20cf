// The repository suite, run against SQLite and PostgreSQL alike.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreConflictError, StoreNotFoundError, StoreValidationError, type Store } from '../../src/store/index.js';
import { dialects, manualClock } from './dialects.js';

for (const d of await dialects('repos')) {
  describe(`repositories on ${d.name}`, { skip: d.skip }, () => {
    after(() => d.cleanup());

    test('migrate is idempotent and ping answers', async () => {
      const s = await d.open();
      await s.migrate();
      await s.migrate();
      assert.equal(await s.ping(), true);
      assert.equal(s.dialect, d.name);
    });

    test('tenants: create, get, duplicate and bad id', async () => {
      const s = await d.open();
      const t = await s.tenants.create({ id: 'acme', name: 'Acme 小贷' });
      assert.equal((await s.tenants.get('acme'))?.name, 'Acme 小贷');
      assert.deepEqual((await s.tenants.list()).map((x) => x.id), [t.id]);
      await assert.rejects(s.tenants.create({ id: 'acme', name: 'again' }), StoreConflictError);
      await assert.rejects(s.tenants.create({ id: 'bad id!', name: 'x' }), StoreValidationError);
      assert.equal(await s.tenants.get('nope'), undefined);
    });

    test('api keys: hashed at rest, verify, touch, revoke', async () => {
      const clock = manualClock();
      const s = await d.open({ clock });
      await s.tenants.create({ id: 't1', name: 'T1' });
      const { key, record } = await s.apiKeys.create('t1', { name: 'ci' });
      assert.match(key, /^xz_[A-Za-z0-9_-]{40,}$/);
      const stored = await s.db.selectFrom('api_keys').select(['key_hash', 'prefix']).execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0]!.key_hash, key);
      assert.ok(!stored[0]!.key_hash.includes(key.slice(3, 20)));
      assert.equal((await s.apiKeys.verify(key))?.tenantId, 't1');
      assert.equal(await s.apiKeys.verify(key + 'x'), undefined);
      assert.equal(await s.apiKeys.verify(''), undefined);
      clock.advance(5000);
      await s.apiKeys.touch(record.id);
      assert.equal((await s.apiKeys.list('t1'))[0]!.lastUsedAt, clock());
      const chosen = 'bootstrap-key-0123456789abcdef';
      await s.apiKeys.create('t1', { name: 'bootstrap', key: chosen });
      assert.equal((await s.apiKeys.verify(chosen))?.name, 'bootstrap');
      await assert.rejects(s.apiKeys.create('t1', { name: 'dup', key: chosen }), StoreConflictError);
      await assert.rejects(s.apiKeys.create('t1', { name: 'short', key: 'short' }), StoreValidationError);
      assert.equal(await s.apiKeys.revoke('other-tenant', record.id), false);
      assert.equal(await s.apiKeys.revoke('t1', record.id), true);
      assert.equal(await s.apiKeys.revoke('t1', record.id), false);
      assert.equal(await s.apiKeys.verify(key), undefined);
    });

    test('users: scrypt passwords, sessions with expiry, disable', async () => {
      const clock = manualClock();
      const s = await d.open({ clock });
      const u = await s.users.create('t1', { username: 'alice', password: 'correct horse', role: 'admin' });
      const row = await s.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
      assert.match(row.password_hash, /^scrypt\$/);
      assert.ok(!row.password_hash.includes('correct horse'));
      assert.equal((await s.users.verifyPassword('t1', 'alice', 'correct horse'))?.id, u.id);
      assert.equal(await s.users.verifyPassword('t1', 'alice', 'wrong password'), undefined);
      assert.equal(await s.users.verifyPassword('t2', 'alice', 'correct horse'), undefined);
      assert.equal(await s.users.verifyPassword('t1', 'bob', 'correct horse'), undefined);
      await assert.rejects(s.users.create('t1', { username: 'alice', password: 'another one', role: 'viewer' }), StoreConflictError);
      await assert.rejects(s.users.create('t1', { username: 'bob', password: 'short', role: 'viewer' }), StoreValidationError);
      await assert.rejects(s.users.create('t1', { username: 'bob', password: 'long enough', role: 'root' as never }), StoreValidationError);

      const { token, session } = await s.users.createSession('t1', u.id, 60_000);
      assert.equal(session.expiresAt, clock() + 60_000);
      assert.equal((await s.users.verifySession(token))?.user.username, 'alice');
      clock.advance(60_001);
      assert.equal(await s.users.verifySession(token), undefined, 'expired session');
      assert.equal(await s.users.purgeExpiredSessions(), 1);

      const second = await s.users.createSession('t1', u.id);
      assert.ok(await s.users.verifySession(second.token));
      assert.equal(await s.users.revokeSession(second.token), true);
      assert.equal(await s.users.verifySession(second.token), undefined);

      const third = await s.users.createSession('t1', u.id);
      assert.equal(await s.users.setRole('t1', u.id, 'viewer'), true);
      assert.equal((await s.users.verifySession(third.token))?.user.role, 'viewer');
      assert.equal(await s.users.setPassword('t1', u.id, 'new password!'), true);
      assert.ok(await s.users.verifyPassword('t1', 'alice', 'new password!'));
      assert.equal(await s.users.disable('t1', u.id), true);
      assert.equal(await s.users.verifySession(third.token), undefined, 'disabling revokes sessions');
      assert.equal(await s.users.verifyPassword('t1', 'alice', 'new password!'), undefined);
      await assert.rejects(s.users.createSession('t1', u.id), StoreNotFoundError);
    });

    test('strategies: draft, immutable versions, bindings, rollback, shadow, audit', async () => {
      const clock = manualClock();
      const s = await d.open({ clock });
      const v1Graph = { nodes: [{ id: 'in', type: 'inputNode' }], edges: [] };
      const st = await s.strategies.create('t1', { id: 'preloan', name: '贷前', eventTypes: ['loan_application'], draft: v1Graph }, 'alice');
      assert.equal(st.latestVersion, 0);
      await assert.rejects(s.strategies.create('t1', { id: 'preloan', name: 'x', draft: {} }, 'alice'), StoreConflictError);
      await assert.rejects(s.strategies.create('t1', { name: 'x', draft: {}, eventTypes: ['Bad Type'] }, 'alice'), StoreValidationError);

      clock.advance(1000);
      const v1 = await s.strategies.publish('t1', 'preloan', { actor: 'bob', comment: 'first' });
      assert.equal(v1.version, 1);
      assert.deepEqual(v1.content, v1Graph);
      assert.equal(v1.publishedBy, 'bob');
      assert.equal((await s.strategies.binding('t1', 'loan_application'))?.version, 1);

      const v2Graph = { nodes: [{ id: 'in', type: 'inputNode' }, { id: 'out', type: 'outputNode' }], edges: [] };
      await s.strategies.updateDraft('t1', 'preloan', { draft: v2Graph }, 'alice');
      assert.deepEqual((await s.strategies.getVersion('t1', 'preloan', 1))?.content, v1Graph, 'published versions do not follow the draft');
      const v2 = await s.strategies.publish('t1', 'preloan', { actor: 'bob', eventTypes: ['loan_application', 'drawdown'] });
      assert.equal(v2.version, 2);
      assert.deepEqual((await s.strategies.bindings('t1')).map((b) => [b.eventType, b.version]), [
        ['drawdown', 2],
        ['loan_application', 2],
      ]);

      const v3 = await s.strategies.rollback('t1', 'preloan', 1, { actor: 'carol' });
      assert.equal(v3.version, 3);
      assert.equal(v3.rolledBackFrom, 1);
      assert.deepEqual(v3.content, v1Graph);
      assert.equal((await s.strategies.binding('t1', 'loan_application'))?.version, 3);
      assert.equal((await s.strategies.binding('t1', 'drawdown'))?.version, 2, 'rollback binds the old version event types only');
      await assert.rejects(s.strategies.rollback('t1', 'preloan', 9, { actor: 'carol' }), StoreNotFoundError);

      const b = await s.strategies.setShadow('t1', 'loan_application', { strategyId: 'preloan', version: 2 }, 'alice');
      assert.deepEqual(b.shadow, { strategyId: 'preloan', version: 2 });
      await assert.rejects(s.strategies.setShadow('t1', 'loan_application', { strategyId: 'preloan', version: 7 }, 'alice'), StoreNotFoundError);
      await assert.rejects(s.strategies.setShadow('t1', 'payment', null, 'alice'), StoreNotFoundError);
      assert.equal((await s.strategies.setShadow('t1', 'loan_application', null, 'alice')).shadow, undefined);

      assert.deepEqual((await s.strategies.listVersions('t1', 'preloan')).map((v) => v.version), [1, 2, 3]);
      await assert.rejects(s.strategies.delete('t1', 'preloan', 'alice'), StoreConflictError);
      const history = await s.strategies.history('t1', 'preloan');
      assert.deepEqual(
        history.map((h) => [h.action, h.actor]),
        [
          ['strategy.shadow_clear', 'alice'],
          ['strategy.shadow', 'alice'],
          ['strategy.rollback', 'carol'],
          ['strategy.publish', 'bob'],
          ['strategy.update_draft', 'alice'],
          ['strategy.publish', 'bob'],
          ['strategy.create', 'alice'],
        ],
      );
      assert.ok(history.every((h) => h.at >= Date.UTC(2026, 0, 1)));

      assert.equal(await s.strategies.unbind('t1', 'loan_application', 'alice'), true);
      assert.equal(await s.strategies.unbind('t1', 'drawdown', 'alice'), true);
      assert.equal(await s.strategies.delete('t1', 'preloan', 'alice'), true);
      assert.equal(await s.strategies.get('t1', 'preloan'), undefined);
      assert.deepEqual(await s.strategies.listVersions('t1', 'preloan'), []);
      await assert.rejects(s.strategies.publish('t1', 'preloan', { actor: 'x' }), StoreNotFoundError);
    });

    test('strategies: publish without event types is refused', async () => {
      const s = await d.open();
      await s.strategies.create('t1', { id: 'x', name: 'x', draft: {} }, 'alice');
      await assert.rejects(s.strategies.publish('t1', 'x', { actor: 'alice' }), (e: unknown) => e instanceof StoreValidationError && e.field === 'eventTypes');
    });

    test('labels: by event id or subject, validated', async () => {
      const s = await d.open();
      const a = await s.labels.add('t1', { eventId: 'e1', label: 'fraud', observedAt: 1000, source: 'chargeback-file' });
      await s.labels.add('t1', { subject: { userId: 'u1', phone: '13800000000' }, label: 'default', observedAt: 2000 });
      await s.labels.add('t1', { eventId: 'e2', label: 'good', observedAt: 3000 });
      assert.equal(a.label, 'fraud');
      assert.deepEqual((await s.labels.list('t1', { eventId: 'e1' })).map((l) => l.id), [a.id]);
      const byPhone = await s.labels.list('t1', { subject: { field: 'phone', value: '13800000000' } });
      assert.equal(byPhone.length, 1);
      assert.deepEqual(byPhone[0]!.subject, { userId: 'u1', phone: '13800000000' });
      assert.equal((await s.labels.list('t1', { subject: { field: 'userId', value: 'u1' } })).length, 1);
      assert.deepEqual((await s.labels.list('t1', { from: 1500 })).map((l) => l.label), ['good', 'default']);
      await assert.rejects(s.labels.add('t1', { label: 'fraud', observedAt: 1 }), StoreValidationError);
      await assert.rejects(s.labels.add('t1', { eventId: 'e1', label: 'Not A Label', observedAt: 1 }), StoreValidationError);
      await assert.rejects(s.labels.add('t1', { eventId: 'e1', label: 'fraud', observedAt: Number.NaN }), StoreValidationError);
      assert.equal(await s.labels.delete('t1', a.id), true);
      assert.equal((await s.labels.list('t1')).length, 2);
    });

    test('name lists: normalised upsert, expiry, delete, change events', async () => {
      const clock = manualClock();
      const s = await d.open({ clock });
      const changes: string[] = [];
      s.lists.onChange((c) => changes.push(`${c.op}:${c.listId}:${c.entries?.length ?? c.values?.length ?? 0}`));
      await s.lists.createList('t1', { id: 'phones', name: '手机黑名单', dimension: 'phone', kind: 'black' }, 'alice');
      await assert.rejects(s.lists.createList('t1', { id: 'phones', name: 'x', dimension: 'phone', kind: 'black' }, 'alice'), StoreConflictError);
      await assert.rejects(s.lists.createList('t1', { name: 'x', dimension: 'shoeSize' as never, kind: 'black' }, 'alice'), StoreValidationError);
      const r1 = await s.lists.upsertEntries(
        't1',
        'phones',
        [
          { value: '+86 138-1234-5678', category: '小贷类', riskIntensity: 'high', reason: '多头逾期' },
          { value: '13900000000', riskIntensity: 2, expiresAt: clock() + 1000 },
        ],
        'alice',
      );
      assert.deepEqual(r1, { inserted: 2, updated: 0 });
      const e = await s.lists.getEntry('t1', 'phones', '138 1234 5678');
      assert.equal(e?.value, '13812345678');
      assert.equal(e?.riskIntensity, 5);
      assert.equal(e?.category, '小贷类');
      assert.equal(e?.collectionCount, 1);

      const r2 = await s.lists.upsertEntries('t1', 'phones', [{ value: '13812345678', collectionCount: 3, category: '银行类' }], 'bob');
      assert.deepEqual(r2, { inserted: 0, updated: 1 });
      const e2 = await s.lists.getEntry('t1', 'phones', '13812345678');
      assert.equal(e2?.collectionCount, 3);
      assert.equal(e2?.category, '银行类');
      assert.equal(e2?.createdAt, e?.createdAt);

      await assert.rejects(
        s.lists.upsertEntries('t1', 'phones', [{ value: '1' }, { value: '2', category: '不存在' as never }], 'alice'),
        (err: unknown) => err instanceof StoreValidationError && err.field === 'entries[1].category',
      );
      await assert.rejects(s.lists.upsertEntries('t1', 'phones', [{ value: '3', riskIntensity: 9 }], 'alice'), StoreValidationError);
      assert.equal(await s.lists.countEntries('t1', 'phones'), 2, 'a rejected batch writes nothing');
      await assert.rejects(s.lists.upsertEntries('t1', 'missing', [{ value: '1' }], 'alice'), StoreNotFoundError);

      clock.advance(1001);
      assert.deepEqual((await s.lists.entries('t1', 'phones')).map((x) => x.value), ['13812345678']);
      assert.equal((await s.lists.entries('t1', 'phones', { includeExpired: true })).length, 2);
      assert.equal(await s.lists.purgeExpired('t1'), 1);
      assert.equal(await s.lists.countEntries('t1', 'phones', true), 1);

      const scanned = [];
      for await (const x of s.lists.scanEntries('t1')) scanned.push(`${x.list.kind}:${x.entry.value}`);
      assert.deepEqual(scanned, ['black:13812345678']);

      assert.equal(await s.lists.deleteEntries('t1', 'phones', ['+86 13812345678'], 'alice'), 1);
      assert.equal(await s.lists.countEntries('t1', 'phones'), 0);
      const updated = await s.lists.updateList('t1', 'phones', { kind: 'grey', description: '观察' }, 'alice');
      assert.equal(updated.kind, 'grey');
      assert.equal(await s.lists.deleteList('t1', 'phones', 'alice'), true);
      assert.equal(await s.lists.getList('t1', 'phones'), undefined);
      assert.deepEqual(changes, ['upsert:phones:2', 'upsert:phones:1', 'delete:phones:1', 'updateList:phones:0', 'dropList:phones:0']);
      const audit = await s.audit.list('t1', { entityType: 'list', entityId: 'phones' });
      assert.deepEqual(audit.map((a) => a.action).reverse(), [
        'list.create',
        'list.upsert_entries',
        'list.upsert_entries',
        'list.delete_entries',
        'list.update',
        'list.delete',
      ]);
    });

    test('bulk upsert of 5,000 entries in one call', async () => {
      const s = await d.open();
      await s.lists.createList('t1', { id: 'cards', name: 'cards', dimension: 'bankCard', kind: 'black' }, 'a');
      const entries = Array.from({ length: 5000 }, (_, i) => ({ value: `6222 0200 ${String(i).padStart(8, '0')}`, riskIntensity: 3 }));
      assert.deepEqual(await s.lists.upsertEntries('t1', 'cards', entries, 'a'), { inserted: 5000, updated: 0 });
      assert.deepEqual(await s.lists.upsertEntries('t1', 'cards', entries.slice(0, 10), 'a'), { inserted: 0, updated: 10 });
      assert.equal(await s.lists.countEntries('t1', 'cards'), 5000);
      assert.equal((await s.lists.getEntry('t1', 'cards', '6222020000000042'))?.riskIntensity, 3);
    });

    test('tenant A never sees tenant B', async () => {
      const s: Store = await d.open();
      await s.tenants.create({ id: 'A', name: 'A' });
      await s.tenants.create({ id: 'B', name: 'B' });
      const keyB = await s.apiKeys.create('B', { name: 'b' });
      const userB = await s.users.create('B', { username: 'bob', password: 'password-b', role: 'admin' });
      await s.strategies.create('B', { id: 'sb', name: 'sb', eventTypes: ['login'], draft: {} }, 'bob');
      await s.strategies.publish('B', 'sb', { actor: 'bob' });
      await s.labels.add('B', { eventId: 'eb', label: 'fraud', observedAt: 1 });
      await s.lists.createList('B', { id: 'lb', name: 'lb', dimension: 'phone', kind: 'black' }, 'bob');
      await s.lists.upsertEntries('B', 'lb', [{ value: '13800000000' }], 'bob');
      await s.log.append({ tenantId: 'B', eventId: 'eb', eventType: 'login', occurredAt: 1, subject: { userId: 'u' }, data: {}, decision: 'reject' });

      assert.deepEqual(await s.apiKeys.list('A'), []);
      assert.equal(await s.apiKeys.revoke('A', keyB.record.id), false);
      assert.equal((await s.apiKeys.verify(keyB.key))?.tenantId, 'B');
      assert.equal(await s.users.get('A', userB.id), undefined);
      assert.equal(await s.users.verifyPassword('A', 'bob', 'password-b'), undefined);
      await assert.rejects(s.users.createSession('A', userB.id), StoreNotFoundError);
      assert.deepEqual(await s.users.list('A'), []);
      assert.equal(await s.strategies.get('A', 'sb'), undefined);
      assert.deepEqual(await s.strategies.list('A'), []);
      assert.deepEqual(await s.strategies.bindings('A'), []);
      assert.equal(await s.strategies.getVersion('A', 'sb', 1), undefined);
      await assert.rejects(s.strategies.publish('A', 'sb', { actor: 'x', eventTypes: ['login'] }), StoreNotFoundError);
      assert.deepEqual(await s.strategies.history('A', 'sb'), []);
      assert.deepEqual(await s.labels.list('A'), []);
      assert.equal(await s.labels.delete('A', (await s.labels.list('B'))[0]!.id), false);
      assert.deepEqual(await s.lists.lists('A'), []);
      assert.equal(await s.lists.getEntry('A', 'lb', '13800000000'), undefined);
      assert.deepEqual(await s.lists.entries('A', 'lb'), []);
      await assert.rejects(s.lists.upsertEntries('A', 'lb', [{ value: '1' }], 'x'), StoreNotFoundError);
      assert.equal(await s.lists.deleteList('A', 'lb', 'x'), false);
      assert.equal(await s.log.get('A', 'eb'), undefined);
      assert.deepEqual((await s.log.search('A', {})).items, []);
      assert.equal(await s.log.count('A'), 0);
      const scannedA = [];
      for await (const r of s.log.scan({ tenantId: 'A' })) scannedA.push(r);
      assert.deepEqual(scannedA, []);
      assert.equal((await s.log.stats('A', { from: 0, to: Date.now() + 1e9, bucket: 'hour' })).total, 0);
      assert.deepEqual(await s.audit.list('A'), []);
      // And B still sees all of it.
      assert.equal(await s.log.count('B'), 1);
      assert.equal((await s.lists.entries('B', 'lb')).length, 1);
    });
  });
}
