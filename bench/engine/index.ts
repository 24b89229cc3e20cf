// bench/engine: decision-engine throughput and latency, in one run, against @gorules/zen-engine (native, async
// evaluate, measured sequentially awaited) and json-rules-engine (async run), on the same strategies:
//   - table5: a 5-rule first-hit decision table;
//   - pre-loan: 50-rule ruleSet, 10-characteristic scorecard, 20-row offer table, decision node
//     (ZEN gets it as plain tables and expressions, json-rules-engine as rules plus glue; see pre-loan.ts).
// Every engine's answers are cross-checked on sample inputs before timing.
//   npm run bench -- engine [--json] [--quick]
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { ZenEngine } from '@gorules/zen-engine';
import { Engine } from 'json-rules-engine';
import { compileDecision, type JdmGraph } from '../../src/decision/index.js';
import { jreRules, REJECT_AT, REVIEW_AT, RULES, sampleInputs, SCORE_ANCHOR, BASE_POINTS, zenStrategy } from './pre-loan.js';

interface Stats {
  /** Wall-clock throughput (depressed when other jobs share the CPU). */
  evalsPerSec: number;
  /** Evaluations per second of this process's CPU time (user + system, all threads): robust to other jobs. */
  evalsPerCpuSec: number;
  p50Micros: number;
  p99Micros: number;
  samples: number;
}

const TABLE5: JdmGraph = {
  nodes: [
    { id: 'in', type: 'inputNode', name: 'request' },
    {
      id: 't',
      type: 'decisionTableNode',
      name: 'fee',
      content: {
        hitPolicy: 'first',
        inputs: [
          { id: 'amount', name: 'Amount', field: 'amount' },
          { id: 'country', name: 'Country', field: 'country' },
        ],
        outputs: [{ id: 'fee', name: 'Fee', field: 'fee' }],
        rules: [
          { _id: 'r1', amount: '> 10000', country: '"US"', fee: '25' },
          { _id: 'r2', amount: '> 10000', country: '', fee: '30' },
          { _id: 'r3', amount: '[1000..10000]', country: '"US","CA"', fee: '10' },
          { _id: 'r4', amount: '[1000..10000]', country: '', fee: '15' },
          { _id: 'r5', amount: '', country: '', fee: '5' },
        ],
      },
    },
    { id: 'out', type: 'outputNode', name: 'response' },
  ],
  edges: [
    { id: 'e1', sourceId: 'in', targetId: 't' },
    { id: 'e2', sourceId: 't', targetId: 'out' },
  ],
};

const TABLE5_JRE = [
  { priority: 5, conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 10000 }, { fact: 'country', operator: 'equal', value: 'US' }] }, event: { type: 'fee', params: { fee: 25 } } },
  { priority: 4, conditions: { all: [{ fact: 'amount', operator: 'greaterThan', value: 10000 }] }, event: { type: 'fee', params: { fee: 30 } } },
  { priority: 3, conditions: { all: [{ fact: 'amount', operator: 'greaterThanInclusive', value: 1000 }, { fact: 'amount', operator: 'lessThanInclusive', value: 10000 }, { fact: 'country', operator: 'in', value: ['US', 'CA'] }] }, event: { type: 'fee', params: { fee: 10 } } },
  { priority: 2, conditions: { all: [{ fact: 'amount', operator: 'greaterThanInclusive', value: 1000 }, { fact: 'amount', operator: 'lessThanInclusive', value: 10000 }] }, event: { type: 'fee', params: { fee: 15 } } },
  { priority: 1, conditions: { all: [{ fact: 'amount', operator: 'greaterThanInclusive', value: 0 }] }, event: { type: 'fee', params: { fee: 5 } } },
];

function table5Inputs(n: number): Record<string, unknown>[] {
  const countries = ['US', 'CA', 'CN', 'DE'];
  return Array.from({ length: n }, (_, i) => ({ amount: (i * 7919) % 20000, country: countries[i % 4] }));
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function latencyStats(times: Float64Array, totalMs: number, cpuMicros: number): Stats {
  const sorted = times.slice().sort();
  return {
    evalsPerSec: Math.round((times.length / totalMs) * 1000),
    evalsPerCpuSec: Math.round((times.length / cpuMicros) * 1e6),
    p50Micros: round(percentile(sorted, 0.5)),
    p99Micros: round(percentile(sorted, 0.99)),
    samples: times.length,
  };
}

function cpuMicrosSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return u.user + u.system;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Synchronous engine: throughput from a tight loop, latency from individually timed evaluations. */
function measureSync(fn: (input: unknown) => unknown, inputs: unknown[], loops: number, timed: number): Stats {
  const n = inputs.length;
  for (let i = 0; i < Math.min(loops, 20000); i++) fn(inputs[i % n]);
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < loops; i++) if (fn(inputs[i % n]) !== undefined) sink++;
  const totalMs = performance.now() - t0;
  const cpu = cpuMicrosSince(c0);
  const times = new Float64Array(timed);
  for (let i = 0; i < timed; i++) {
    const a = process.hrtime.bigint();
    fn(inputs[i % n]);
    times[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  const lat = latencyStats(times, 1, 1);
  if (sink < 0) console.log(sink);
  return { evalsPerSec: Math.round((loops / totalMs) * 1000), evalsPerCpuSec: Math.round((loops / cpu) * 1e6), p50Micros: lat.p50Micros, p99Micros: lat.p99Micros, samples: loops };
}

/** Async engine, awaited one at a time (what a request handler does). */
async function measureAsync(fn: (input: unknown) => Promise<unknown>, inputs: unknown[], count: number): Promise<Stats> {
  const n = inputs.length;
  for (let i = 0; i < Math.min(200, count); i++) await fn(inputs[i % n]);
  const times = new Float64Array(count);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const a = process.hrtime.bigint();
    await fn(inputs[i % n]);
    times[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  return latencyStats(times, performance.now() - t0, cpuMicrosSince(c0));
}

interface Verdict {
  decision: string;
  score: number;
  offer: unknown;
}

/** The glue a json-rules-engine user writes around the two rule sets. */
function jreRunner(): (facts: Record<string, unknown>) => Promise<Verdict> {
  const { scoring, offer } = jreRules();
  const scoringEngine = new Engine(scoring as never[], { allowUndefinedFacts: true });
  const offerEngine = new Engine(offer as never[], { allowUndefinedFacts: true });
  const hard = new Set(RULES.filter((r) => r.score >= 100).map((r) => r.id));
  return async (facts) => {
    const { events } = await scoringEngine.run(facts);
    let total = 0;
    let points = BASE_POINTS;
    let hardHit = false;
    for (const e of events) {
      const p = e.params as { id: string; score?: number; points?: number };
      if (e.type === 'rule') {
        total += p.score!;
        if (hard.has(p.id)) hardHit = true;
      } else points += p.points!;
    }
    const applicant = facts.applicant as { monthlyIncome: number };
    const offered = await offerEngine.run({ score: points, income: applicant.monthlyIncome });
    const score = total + (points < SCORE_ANCHOR ? SCORE_ANCHOR - points : 0);
    const decision = hardHit || score >= REJECT_AT ? 'reject' : score >= REVIEW_AT ? 'review' : 'approve';
    const best = offered.events[0]?.params as { limit: number; apr: number } | undefined;
    return { decision, score, offer: decision === 'reject' ? null : best ? { limit: best.limit, apr: best.apr } : undefined };
  };
}

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, quick: { type: 'boolean' } } });
  const q = values.quick ? 20 : 1;
  const log = (s: string) => {
    if (!values.json) console.log(s);
  };

  const strategy = JSON.parse(readFileSync(new URL('./pre-loan-strategy.json', import.meta.url), 'utf8')) as JdmGraph;
  const ours5 = compileDecision(TABLE5);
  const oursPre = compileDecision(strategy);
  const zen = new ZenEngine();
  const zen5 = zen.createDecision(TABLE5 as never);
  const zenPre = zen.createDecision(zenStrategy() as never);
  const jre5 = new Engine(TABLE5_JRE as never[]);
  const jrePre = jreRunner();

  // Cross-check: every engine gives the same answers before any timing.
  const in5 = table5Inputs(1024);
  const inPre = sampleInputs(1024);
  let mismatches = 0;
  for (const input of in5.slice(0, 200)) {
    const a = (ours5.evaluate(input).result as { fee: number }).fee;
    const b = ((await zen5.evaluate(input)).result as { fee: number }).fee;
    const c = ((await jre5.run(input)).events[0]?.params as { fee: number }).fee;
    if (a !== b || a !== c) mismatches++;
  }
  const verdicts: Record<string, number> = {};
  for (const input of inPre.slice(0, 200)) {
    const a = oursPre.evaluate(input).result as Verdict;
    const b = (await zenPre.evaluate(input)).result as Verdict;
    const c = await jrePre(input);
    verdicts[a.decision] = (verdicts[a.decision] ?? 0) + 1;
    const same = (x: Verdict, y: Verdict) => x.decision === y.decision && x.score === y.score && isDeepStrictEqual(x.offer ?? null, y.offer ?? null);
    if (!same(a, b) || !same(a, c)) mismatches++;
  }
  log(`cross-check on 400 inputs: ${mismatches} mismatches; pre-loan verdicts ${JSON.stringify(verdicts)}`);

  log('table5 ...');
  const t5 = {
    ours: measureSync((i) => ours5.evaluate(i).result, in5, 2_000_000 / q, 200_000 / q),
    zen: await measureAsync((i) => zen5.evaluate(i), in5, 40_000 / q),
    jsonRulesEngine: await measureAsync((i) => jre5.run(i as Record<string, unknown>), in5, 40_000 / q),
  };
  log('pre-loan ...');
  const pre = {
    ours: measureSync((i) => oursPre.evaluate(i).result, inPre, 300_000 / q, 100_000 / q),
    zen: await measureAsync((i) => zenPre.evaluate(i), inPre, 10_000 / q),
    jsonRulesEngine: await measureAsync((i) => jrePre(i as Record<string, unknown>), inPre, 4_000 / q),
  };
  // Ratios use CPU-time throughput: on a shared machine wall-clock figures measured a minute apart see different
  // contention. Wall-clock ratios are reported alongside.
  const ratio = (a: Stats, b: Stats) => round(a.evalsPerCpuSec / b.evalsPerCpuSec, 1);
  const wall = (a: Stats, b: Stats) => round(a.evalsPerSec / b.evalsPerSec, 1);
  const ratios = {
    table5: { zen: ratio(t5.ours, t5.zen), jsonRulesEngine: ratio(t5.ours, t5.jsonRulesEngine) },
    preLoan: { zen: ratio(pre.ours, pre.zen), jsonRulesEngine: ratio(pre.ours, pre.jsonRulesEngine) },
  };
  const wallRatios = {
    table5: { zen: wall(t5.ours, t5.zen), jsonRulesEngine: wall(t5.ours, t5.jsonRulesEngine) },
    preLoan: { zen: wall(pre.ours, pre.zen), jsonRulesEngine: wall(pre.ours, pre.jsonRulesEngine) },
  };
  const report = {
    evalsPerSecTable5: t5.ours.evalsPerSec,
    preLoanP99Micros: pre.ours.p99Micros,
    /** The lower of the two strategies' throughput ratios (conservative). */
    ratioVsZen: Math.min(ratios.table5.zen, ratios.preLoan.zen),
    ratioVsJsonRulesEngine: Math.min(ratios.table5.jsonRulesEngine, ratios.preLoan.jsonRulesEngine),
    targets: {
      table5AtLeast1M: t5.ours.evalsPerSec >= 1_000_000,
      preLoanP99Under20us: pre.ours.p99Micros < 20,
      atLeast100xZen: Math.min(ratios.table5.zen, ratios.preLoan.zen) >= 100,
    },
    evalsPerCpuSecTable5: t5.ours.evalsPerCpuSec,
    table5: t5,
    preLoan: pre,
    ratios,
    wallRatios,
    crossCheckMismatches: mismatches,
    quick: values.quick === true,
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg: loadavg().map((x) => round(x, 2)), note: 'shared 2-core machine: other jobs run concurrently' },
  };
  if (values.json) {
    console.log(JSON.stringify(report));
    return;
  }
  const row = (name: string, s: Stats) =>
    `  ${name.padEnd(18)} ${String(s.evalsPerSec).padStart(9)} evals/s wall ${String(s.evalsPerCpuSec).padStart(9)} per CPU-s   p50 ${s.p50Micros.toFixed(2).padStart(8)} µs   p99 ${s.p99Micros.toFixed(2).padStart(8)} µs`;
  console.log(`\ntable5 (5-rule first-hit table)`);
  console.log(row('xiezhi', t5.ours));
  console.log(row('zen-engine', t5.zen));
  console.log(row('json-rules-engine', t5.jsonRulesEngine));
  console.log(`  ratio (CPU time): ${ratios.table5.zen}× ZEN, ${ratios.table5.jsonRulesEngine}× json-rules-engine   (wall: ${wallRatios.table5.zen}×, ${wallRatios.table5.jsonRulesEngine}×)`);
  console.log(`\npre-loan (50 rules, 10-characteristic scorecard, 20-row table, decision)`);
  console.log(row('xiezhi', pre.ours));
  console.log(row('zen-engine', pre.zen));
  console.log(row('json-rules-engine', pre.jsonRulesEngine));
  console.log(`  ratio (CPU time): ${ratios.preLoan.zen}× ZEN, ${ratios.preLoan.jsonRulesEngine}× json-rules-engine   (wall: ${wallRatios.preLoan.zen}×, ${wallRatios.preLoan.jsonRulesEngine}×)`);
  console.log(`\ntargets: ${JSON.stringify(report.targets)}   load ${report.machine.loadavg.join(' ')} (${report.machine.note})`);
}
