// Quick micro-benchmark of compiled expressions (not a test): `npx tsx test/expression/microbench.ts [--quick]`.
// Prints ns per evaluation for typical decision-table cells and expressions.
import { compileExpression, compileUnaryExpression } from '../../src/expression/index.js';

const quick = process.argv.includes('--quick');
const N = quick ? 200_000 : 5_000_000;

function measure(label: string, run: (k: number) => unknown): void {
  let sink = 0;
  for (let k = 0; k < 50_000; k++) if (run(k)) sink++; // warm-up
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < N; k++) if (run(k)) sink++;
  const ns = Number(process.hrtime.bigint() - t0) / N;
  console.log(`${label.padEnd(48)} ${ns.toFixed(1).padStart(7)} ns/eval  (${(1e3 / ns).toFixed(1)} M/s)  [${sink}]`);
}

const input = { customer: { age: 35, country: 'US', income: 5200.5 }, features: { card_1h: 3, amount: 120 }, items: [{ price: 10 }, { price: 25 }] };
const values = [3, 7, 12, -1, 5.5];
const countries = ['US', 'CA', 'FR', 'GB'];

const gt = compileUnaryExpression('> 5');
const range = compileUnaryExpression('[0..10]');
const list = compileUnaryExpression("'US','CA'");
const and = compileUnaryExpression('>= 18 and < 65');
measure("unary '> 5'", (k) => gt.evaluate(input, values[k % 5]));
measure("unary '[0..10]'", (k) => range.evaluate(input, values[k % 5]));
measure("unary \"'US','CA'\"", (k) => list.evaluate(input, countries[k & 3]));
measure("unary '>= 18 and < 65'", (k) => and.evaluate(input, values[k % 5]! * 6));

const member = compileExpression('customer.age');
const cmp = compileExpression('customer.age > 18 and features.card_1h < 5');
const arith = compileExpression('customer.income * 0.3 + features.amount');
const inList = compileExpression("customer.country in ['US', 'CA']");
const closure = compileExpression('sum(map(items, #.price)) > 20');
measure('member customer.age', () => member.evaluate(input) === 35);
measure('customer.age > 18 and features.card_1h < 5', () => cmp.evaluate(input));
measure('customer.income * 0.3 + features.amount', () => (arith.evaluate(input) as number) > 0);
measure("customer.country in ['US', 'CA']", () => inList.evaluate(input));
measure('sum(map(items, #.price)) > 20', () => closure.evaluate(input));
measure('compile (cached) + eval "> 5"', (k) => compileUnaryExpression('> 5').evaluate(input, values[k % 5]));
