// PATCH /v1/users/:id: admins change roles and disable accounts; nobody demotes or disables themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './helpers.js';

async function login(h: Harness, username: string, password: string): Promise<string> {
  const r = await h.req('POST', '/v1/auth/login', { username, password, tenant: h.ta }, '');
  assert.equal(r.status, 200, r.text);
  return r.json.token as string;
}

test('PATCH /v1/users/:id changes roles, disables users and refuses what it must', async () => {
  const h = await harness();
  try {
    const alice = await h.store.users.create(h.ta, { username: 'alice', password: 'correct horse', role: 'admin' });
    const bob = await h.store.users.create(h.ta, { username: 'bob', password: 'bob password', role: 'viewer' });
    const other = await h.store.users.create(h.tb, { username: 'carol', password: 'carol password', role: 'viewer' });
    const admin = await login(h, 'alice', 'correct horse');

    // Promote bob; the answer is the updated user, and the list agrees.
    const promoted = await h.req('PATCH', `/v1/users/${bob.id}`, { role: 'analyst' }, admin);
    assert.equal(promoted.status, 200, promoted.text);
    assert.equal(promoted.json.role, 'analyst');
    assert.equal(promoted.json.username, 'bob');
    assert.equal(promoted.json.disabledAt, undefined);
    const listed = await h.req('GET', '/v1/users', undefined, admin);
    assert.equal(listed.json.items.find((u: { id: string }) => u.id === bob.id).role, 'analyst');
    // A fresh session of bob carries the new role (analysts may create lists, viewers may not).
    const bobToken = await login(h, 'bob', 'bob password');
    assert.equal((await h.req('GET', '/v1/auth/me', undefined, bobToken)).json.role, 'analyst');

    // Non-admins may not change users.
    const denied = await h.req('PATCH', `/v1/users/${alice.id}`, { role: 'viewer' }, bobToken);
    assert.equal(denied.status, 403, denied.text);

    // Bad bodies name the field.
    const badRole = await h.req('PATCH', `/v1/users/${bob.id}`, { role: 'superuser' }, admin);
    assert.equal(badRole.status, 400);
    assert.ok(badRole.json.error.fields.some((f: { field: string }) => f.field.includes('role')), badRole.text);
    const badDisabled = await h.req('PATCH', `/v1/users/${bob.id}`, { disabled: 'maybe' }, admin);
    assert.equal(badDisabled.status, 400);
    assert.ok(badDisabled.json.error.fields.some((f: { field: string }) => f.field.includes('disabled')), badDisabled.text);
    const reenable = await h.req('PATCH', `/v1/users/${bob.id}`, { disabled: false }, admin);
    assert.equal(reenable.status, 400);
    assert.equal(reenable.json.error.fields[0].field, 'body.disabled');
    assert.equal((await h.req('PATCH', `/v1/users/${bob.id}`, {}, admin)).status, 400);
    const extra = await h.req('PATCH', `/v1/users/${bob.id}`, { password: 'x' }, admin);
    assert.equal(extra.status, 400);

    // Unknown ids, and ids of another tenant, are 404.
    assert.equal((await h.req('PATCH', '/v1/users/nope', { role: 'viewer' }, admin)).status, 404);
    assert.equal((await h.req('PATCH', `/v1/users/${other.id}`, { disabled: true }, admin)).status, 404);
    assert.equal((await h.store.users.get(h.tb, other.id))?.disabledAt, undefined);

    // An admin cannot demote or disable themselves; keeping one's own role is harmless.
    const selfDemote = await h.req('PATCH', `/v1/users/${alice.id}`, { role: 'viewer' }, admin);
    assert.equal(selfDemote.status, 409);
    assert.match(selfDemote.json.error.message, /own role/);
    const selfDisable = await h.req('PATCH', `/v1/users/${alice.id}`, { disabled: true }, admin);
    assert.equal(selfDisable.status, 409);
    assert.match(selfDisable.json.error.message, /own account/);
    assert.equal((await h.req('PATCH', `/v1/users/${alice.id}`, { role: 'admin' }, admin)).status, 200);
    assert.equal((await h.store.users.get(h.ta, alice.id))?.role, 'admin');

    // Disabling bob ends his sessions' use for new logins and shows in the answer.
    const disabled = await h.req('PATCH', `/v1/users/${bob.id}`, { disabled: true }, admin);
    assert.equal(disabled.status, 200, disabled.text);
    assert.equal(typeof disabled.json.disabledAt, 'string');
    assert.ok(!Number.isNaN(Date.parse(disabled.json.disabledAt)));
    const again = await h.req('POST', '/v1/auth/login', { username: 'bob', password: 'bob password', tenant: h.ta }, '');
    assert.equal(again.status, 401);
    // His session that was already signed in (and cached by the authenticator) is refused at once.
    assert.equal((await h.req('GET', '/v1/auth/me', undefined, bobToken)).status, 401);
    // A disabled user's role is frozen.
    assert.equal((await h.req('PATCH', `/v1/users/${bob.id}`, { role: 'admin' }, admin)).status, 409);

    // API keys act as admin but are no user, so they can change users too.
    const viaKey = await h.req('PATCH', `/v1/users/${alice.id}`, { role: 'analyst' }, h.keyA);
    assert.equal(viaKey.status, 200, viaKey.text);
    assert.equal(viaKey.json.role, 'analyst');
  } finally {
    await h.close();
  }
});
