// bench/models: 5-fold stratified CV on the credit data sets — our scorecard and GBDT, and (when
// /usr/bin/python3 has scikit-learn and xgboost) logistic regression, HistGradientBoosting and XGBoost
// on the very same folds, written to a temp file for the python side.
//   npm run bench -- models [--json] [--quick]
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadCsv, subset, type Dataset } from '../../src/models/data.js';
import { stratifiedKFold, type Split } from '../../src/models/split.js';
import { trainScorecard } from '../../src/models/scorecard.js';
import { trainGbdt, type GbdtOptions } from '../../src/models/gbdt/train.js';
import { compileModel } from '../../src/models/model.js';
import { riskScores } from '../../src/models/evaluate.js';
import { auc, ks } from '../../src/models/metrics.js';

const root = new URL('../..', import.meta.url).pathname;
const dataDir = join(root, '../shared/data/credit');
const PY = '/usr/bin/python3';

interface Score {
  auc: number;
  ks: number;
  secondsPerFold: number;
  /** CPU seconds (all threads of the process) per fold: the machine is shared, so wall time is noisy. */
  cpuSecondsPerFold: number;
}

interface Peers {
  logistic: Score;
  histgb: Score;
  xgboost: Score;
}

function mean(a: number[]): number {
  return a.reduce((s, x) => s + x, 0) / a.length;
}

function cv(ds: Dataset, folds: Split[], train: (tr: Dataset) => ReturnType<typeof compileModel>): Score {
  const aucs: number[] = [];
  const kss: number[] = [];
  const secs: number[] = [];
  const cpuSecs: number[] = [];
  for (const f of folds) {
    const tr = subset(ds, f.train);
    const te = subset(ds, f.test);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const p = train(tr);
    secs.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpuSecs.push((c.user + c.system) / 1e6);
    const r = riskScores(p, te);
    aucs.push(auc(te.y, r));
    kss.push(ks(te.y, r));
  }
  return { auc: mean(aucs), ks: mean(kss), secondsPerFold: mean(secs), cpuSecondsPerFold: mean(cpuSecs) };
}

function pythonPeers(): boolean {
  if (!existsSync(PY)) return false;
  const r = spawnSync(PY, ['-c', 'import sklearn, xgboost'], { encoding: 'utf8' });
  return r.status === 0;
}

function runPeers(file: string, target: string, drop: string[], folds: Split[], gbdt: Required<Pick<GbdtOptions, 'nEstimators' | 'learningRate' | 'maxDepth' | 'lambda' | 'minChildWeight'>>, limit: number): Peers | null {
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-bench-models-'));
  try {
    const spec = join(dir, 'folds.json');
    writeFileSync(spec, JSON.stringify({ path: file, target, bad: ['1', 'bad'], drop, folds: folds.map((f) => f.test), limit, gbdt, threads: cpus().length }));
    const r = spawnSync(PY, [join(root, 'bench/models/peers.py'), spec], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      console.error(`python peers failed: ${r.stderr.slice(-500)}`);
      return null;
    }
    return JSON.parse(r.stdout) as Peers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function main(args: string[]): Promise<void> {
  const json = args.includes('--json');
  const quick = args.includes('--quick');
  const german = join(dataDir, 'german.csv');
  const taiwan = join(dataDir, 'taiwan-default.csv');
  if (!existsSync(german) || !existsSync(taiwan)) {
    console.error(`bench models: data not found in ${dataDir} (see ../shared/data/README.md); skipping`);
    return;
  }
  const peersOn = pythonPeers();
  const gbdt = { nEstimators: quick ? 50 : 300, learningRate: 0.1, maxDepth: 4, lambda: 1, minChildWeight: 1 };
  const k = 5;
  const out: Record<string, unknown> = {};
  const lines: string[] = [];
  for (const [name, file, target, drop] of [['german', german, 'creditability', []], ['taiwan', taiwan, 'default.payment.next.month', ['ID']]] as const) {
    let ds = loadCsv(file, { target, drop: [...drop] });
    if (quick && ds.n > 6000) ds = subset(ds, Array.from({ length: 6000 }, (_, i) => i));
    const folds = stratifiedKFold(ds.y, k, 42);
    const sc = cv(ds, folds, (tr) => compileModel(trainScorecard(tr)));
    const gb = cv(ds, folds, (tr) => compileModel(trainGbdt({ columns: tr.columns, y: tr.y }, gbdt)));
    let peers: Peers | null = null;
    // In quick mode the Taiwan subset is the file's first rows, so the python side truncates to ds.n rows.
    if (peersOn) peers = runPeers(file, target, [...drop], folds, gbdt, ds.n);
    out[`${name}ScorecardAuc`] = sc.auc;
    out[`${name}ScorecardKs`] = sc.ks;
    out[`${name}ScorecardSecondsPerFold`] = sc.secondsPerFold;
    out[`${name}GbdtAuc`] = gb.auc;
    out[`${name}GbdtKs`] = gb.ks;
    out[`${name}GbdtSecondsPerFold`] = gb.secondsPerFold;
    out[`${name}GbdtCpuSecondsPerFold`] = gb.cpuSecondsPerFold;
    out[`${name}LogisticAuc`] = peers?.logistic.auc ?? null;
    out[`${name}HistGbAuc`] = peers?.histgb.auc ?? null;
    out[`${name}HistGbSecondsPerFold`] = peers?.histgb.secondsPerFold ?? null;
    out[`${name}XgboostAuc`] = peers?.xgboost.auc ?? null;
    out[`${name}XgboostKs`] = peers?.xgboost.ks ?? null;
    out[`${name}XgboostSecondsPerFold`] = peers?.xgboost.secondsPerFold ?? null;
    out[`${name}XgboostCpuSecondsPerFold`] = peers?.xgboost.cpuSecondsPerFold ?? null;
    const row = (label: string, s: Score | undefined): string => (s ? `  ${label.padEnd(28)} AUC ${s.auc.toFixed(4)}  KS ${s.ks.toFixed(4)}  ${s.secondsPerFold.toFixed(3).padStart(7)} s/fold (CPU ${s.cpuSecondsPerFold.toFixed(3)} s)` : `  ${label.padEnd(28)} (python peers absent)`);
    lines.push(`${name} (${ds.n} rows, ${k}-fold stratified CV, seed 42${quick ? ', QUICK' : ''})`);
    lines.push(row('xiezhi scorecard (WOE + LR)', sc));
    lines.push(row(`xiezhi GBDT (${gbdt.nEstimators} trees, depth 4)`, gb));
    lines.push(row('sklearn LogisticRegression', peers?.logistic));
    lines.push(row('sklearn HistGradientBoosting', peers?.histgb));
    lines.push(row('XGBoost (hist)', peers?.xgboost));
    if (peers) {
      lines.push(`  ratios: GBDT AUC − XGBoost ${(gb.auc - peers.xgboost.auc).toFixed(4)}, GBDT time / XGBoost ${(gb.secondsPerFold / peers.xgboost.secondsPerFold).toFixed(2)}× (CPU ${(gb.cpuSecondsPerFold / peers.xgboost.cpuSecondsPerFold).toFixed(2)}×), scorecard AUC − LR ${(sc.auc - peers.logistic.auc).toFixed(4)}`);
    }
  }
  out.peers = peersOn;
  out.quick = quick;
  out.xgboostThreads = cpus().length;
  if (json) {
    console.log(JSON.stringify(out));
    return;
  }
  console.log(lines.join('\n'));
  console.log(`\nTargets: German scorecard AUC ≥ 0.77; Taiwan scorecard AUC ≥ 0.765; Taiwan GBDT within 0.003 of XGBoost and no slower.`);
  console.log(`Timings: wall seconds and process CPU seconds per fold; our GBDT uses up to 2 threads, XGBoost/HistGB ${cpus().length}. The machine is shared, so wall seconds are noisy.`);
}
