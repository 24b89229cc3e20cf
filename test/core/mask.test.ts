import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPhone, maskIdNumber, maskBankCard, maskEmail, maskGeneric, maskPersonalData } from '../../src/core/mask.js';

test('phone, ID number, bank card and email keep only the ends', () => {
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskIdNumber('110101199003071234'), '110***********1234');
  assert.equal(maskBankCard('6222 0212 3456 7890 123'), '622202*********0123');
  assert.equal(maskEmail('zhang.san@example.com'), 'z********@example.com');
  assert.equal(maskGeneric('张三丰'), '张**');
});

test('short values are fully masked rather than leaked', () => {
  assert.equal(maskIdNumber('1234'), '****');
  assert.equal(maskBankCard('1234'), '****');
  assert.equal(maskGeneric('x'), '*');
});

test('maskPersonalData masks nested personal fields and leaves the rest', () => {
  const out = maskPersonalData({ subject: { userId: 'u1', phone: '13812345678' }, items: [{ idNumber: '110101199003071234' }], amount: 5 });
  assert.deepEqual(out, { subject: { userId: 'u1', phone: '138****5678' }, items: [{ idNumber: '110***********1234' }], amount: 5 });
});
