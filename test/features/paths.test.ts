import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePath } from '../../src/features/paths.js';
import type { RiskEvent } from '../../src/core/event.js';

const event: RiskEvent = { id: 'e1', type: 'payment', occurredAt: 0, subject: { userId: 'u1' }, data: { amount: 5, card: { bin: '622202' } } };

test('paths read own event fields at any depth', () => {
  assert.equal(compilePath('id')(event), 'e1');
  assert.equal(compilePath('subject.userId')(event), 'u1');
  assert.equal(compilePath('data.card.bin')(event), '622202');
  assert.equal(compilePath('data.missing.x')(event), undefined);
});

test('paths from tenant configuration never reach prototypes', () => {
  for (const p of ['constructor', 'data.constructor', 'subject.__proto__', 'data.card.constructor', 'data.toString']) {
    assert.equal(compilePath(p)(event), undefined, p);
  }
});
