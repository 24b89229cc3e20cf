import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadOnnxModel } from '../../src/models/import/onnx.js';

let available: string | false = false;
try {
  await import('onnxruntime-node');
} catch (err) {
  available = `onnxruntime-node (optional) is not usable here: ${(err as Error).message}`;
}

const fx = new URL('./fixtures/', import.meta.url);

test('ONNX via onnxruntime-node: probabilities match onnxruntime (python) within 1e-6', { skip: available }, async () => {
  const e = JSON.parse(readFileSync(new URL('logistic-taiwan.expected.json', fx), 'utf8')) as { features: string[]; rows: number[][]; probability: number[] };
  const m = await loadOnnxModel(fileURLToPath(new URL('logistic-taiwan.onnx', fx)), { features: e.features });
  assert.equal(m.inputName, 'input');
  const p = await m.predictBatch(e.rows.map((r) => Object.fromEntries(e.features.map((f, j) => [f, r[j]]))));
  let max = 0;
  p.forEach((v, i) => (max = Math.max(max, Math.abs(v - e.probability[i]!))));
  assert.ok(max < 1e-6, `max diff ${max}`);
});

test('ONNX: clear errors for a bad file and a wrong output name', { skip: available }, async () => {
  await assert.rejects(loadOnnxModel(Buffer.from('not onnx'), { features: ['a'] }), /cannot load ONNX model/);
  await assert.rejects(loadOnnxModel(fileURLToPath(new URL('logistic-taiwan.onnx', fx)), { features: ['a'], output: 'nope' }), /has no output "nope"/);
});
