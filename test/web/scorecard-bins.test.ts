// The scorecard form's bin model without a browser: shapes, switching, typed category tags, inline checks —
// and that what the form builds is what the engine accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binLabel, binType, checkBins, parseTag, tagOf, withBound, withType } from '../../web/src/editor/scorecard-bins.js';

test('bins are classified by the engine shape they carry', () => {
  assert.equal(binType({ min: 1, points: 0 }), 'range');
  assert.equal(binType({ max: 1 }), 'range');
  assert.equal(binType({ min: null }), 'range');
  assert.equal(binType({ values: [] }), 'values');
  assert.equal(binType({ missing: true }), 'missing');
  assert.equal(binType({ when: '> 3' }), 'when');
  assert.equal(binType({ points: 3 }), 'when');
});

test('switching a bin keeps points, reason and label and drops the old shape', () => {
  const b = { min: 1, max: 5, points: 7, reasonCode: 'R', label: 'young' };
  assert.deepEqual(withType(b, 'values'), { values: [], points: 7, reasonCode: 'R', label: 'young' });
  assert.deepEqual(withType(b, 'missing'), { missing: true, points: 7, reasonCode: 'R', label: 'young' });
  assert.deepEqual(withType({ values: ['a'], points: 1 }, 'range'), { min: 0, points: 1 });
  assert.deepEqual(withType({ missing: true, points: 1 }, 'when'), { when: '', points: 1 });
});

test('range bounds open and close; the last bound cleared stays visible as null', () => {
  assert.deepEqual(withBound({ min: 1, max: 5 }, 'max', null), { min: 1 });
  assert.deepEqual(withBound({ min: 1 }, 'min', null), { min: null });
  assert.deepEqual(withBound({ min: null }, 'max', 9), { max: 9 });
  assert.deepEqual(withBound({ min: 1 }, 'max', 4), { min: 1, max: 4 });
  assert.equal(binLabel({ max: 4 }), '[-∞, 4)');
  assert.equal(binLabel({ values: ['own', 3] }), '"own",3');
});

test('category tags keep their JSON type and round-trip', () => {
  assert.equal(parseTag('own'), 'own');
  assert.equal(parseTag(' 3 '), 3);
  assert.equal(parseTag('"3"'), '3');
  assert.equal(parseTag('true'), true);
  assert.equal(parseTag('{"a":1}'), '{"a":1}');
  for (const v of ['own', 3, '3', true, 'true', '', 'a,b']) assert.deepEqual(parseTag(tagOf(v)), v, String(v));
});

test('checks flag inverted, open and overlapping ranges, empty or repeated categories, a second missing bin', () => {
  assert.deepEqual(checkBins([{ when: '< 25' }, { min: 25, max: 50 }, { min: 50 }, { missing: true }, { values: ['a'] }]), []);
  const codes = (bins: object[]) => checkBins(bins).map((x) => [x.bin, x.code]);
  assert.deepEqual(codes([{ min: 5, max: 5 }]), [[0, 'inverted']]);
  assert.deepEqual(codes([{ min: 9, max: 1 }]), [[0, 'inverted']]);
  assert.deepEqual(codes([{ min: null }]), [[0, 'bothOpen']]);
  assert.deepEqual(codes([{ min: 'x' }]), [[0, 'badNumber']]);
  assert.deepEqual(codes([{ max: 30 }, { min: 20, max: 40 }]), [[1, 'overlap']]);
  assert.equal(checkBins([{ max: 30 }, { min: 20, max: 40 }])[0]!.detail, '[20, 30)');
  assert.deepEqual(codes([{ min: 0, max: 10 }, { min: 10, max: 20 }]), [], 'touching ends do not overlap');
  assert.deepEqual(codes([{ values: [] }]), [[0, 'emptyValues']]);
  assert.deepEqual(codes([{ values: ['a', 'b'] }, { values: ['c', 'b'] }]), [[1, 'duplicateValue']]);
  assert.deepEqual(codes([{ values: [3] }, { values: ['3'] }]), [], '3 and "3" are different categories');
  assert.deepEqual(codes([{ missing: true }, { min: 1 }, { missing: true }]), [[2, 'duplicateMissing']]);
  assert.equal(checkBins([{ missing: true }, { missing: true }])[0]!.other, 0);
});

test('bins the form builds compile and score in the engine; what the checks call an error the engine refuses', async () => {
  const { compileDecision, validateDecision } = await import('../../src/decision/index.js');
  const { chain, customNode } = await import('../decision/helpers.js');
  let range = withType({ when: '< 25', points: 50 }, 'range');
  range = withBound(withBound(range, 'min', 25), 'max', 60);
  const own = { ...withType({ points: 30 }, 'values'), values: ['own', 'mortgage'].map(parseTag) };
  const card = (ageBins: object[]) =>
    chain(
      customNode('sc', 'scorecard', {
        basePoints: 500,
        characteristics: [
          { id: 'age', expression: 'data.age', bins: [{ when: '< 25', points: 10 }, ...ageBins, withType({ points: 0 }, 'missing')] },
          { id: 'housing', expression: 'data.housing', bins: [own] },
        ],
      }),
    );
  const out = compileDecision(card([range])).evaluate({ data: { age: 30, housing: 'mortgage' } }) as { result: { score: number } };
  assert.equal(out.result.score, 580);
  const missing = compileDecision(card([range])).evaluate({ data: { housing: 'own' } }) as { result: { score: number } };
  assert.equal(missing.result.score, 530);
  for (const bad of [{ min: 9, max: 1, points: 0 }, withBound({ min: 1, points: 0 }, 'min', null)]) {
    assert.equal(checkBins([bad]).length, 1);
    assert.ok(validateDecision(card([bad])).some((i) => /bins\[1\]/.test(i.field ?? '')), JSON.stringify(bad));
  }
});
