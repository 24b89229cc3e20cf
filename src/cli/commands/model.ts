// `xiezhi model train|evaluate|import`: scorecard and GBDT training from a CSV, evaluation of any model
// on a labelled CSV, and import of XGBoost / LightGBM / PMML files into Xiezhi's model format.
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from '../main.js';
import { loadCsv, parseCsv } from '../../models/data.js';
import { outOfTimeSplit } from '../../models/split.js';
import { trainModel, trainingMetrics, type TrainProgress } from '../../models/pipeline.js';
import { compileModel, importModelText, type ModelArtifact } from '../../models/model.js';
import { evaluateScores, riskScores, type EvaluationReport } from '../../models/evaluate.js';
import { scorecardTable } from '../../models/scorecard.js';
import { FileModelRepository } from '../../models/registry.js';
import { ModelError } from '../../models/errors.js';
import { loadOnnxModel } from '../../models/import/onnx.js';
import type { BinMethod } from '../../models/binning.js';

const HELP = `xiezhi model — train, evaluate and import risk models / 训练、评估、导入风控模型

  xiezhi model train --data file.csv --target col [options]
      --type scorecard|gbdt     model type (default scorecard) / 模型类型
      --out model.json          write the model / 输出模型文件
      --json                    print one JSON object of metrics / 以 JSON 输出指标
      --bad v1,v2 --good v3     target values meaning bad / good (default 1/0, bad/good, yes/no)
      --drop c1,c2              columns that are not features (ids, dates)
      --test-fraction 0.3 --seed 42
      --oot-column col --oot-cutoff 2024-01-01   out-of-time split by a date column / 跨时间验证
      --binning tree|quantile|chimerge --max-bins 6 --stepwise     (scorecard)
      --trees 300 --depth 4 --learning-rate 0.1 --growth depthwise|leafwise --leaves 31
      --subsample 1 --colsample 1 --min-child-weight 1 --lambda 1 --early-stopping N   (gbdt)
      --register dir --id name --author who      save a version in a file registry / 登记到模型注册表
  xiezhi model evaluate --model model.json --data file.csv [--target col] [--json]
      (ONNX: --model m.onnx --features a,b,c)
  xiezhi model import <file> [--out model.json]   XGBoost JSON, LightGBM text, PMML`;

function list(v: string | undefined): string[] | undefined {
  return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
}

function numOpt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ModelError('bad_option', `--${name} must be a number, got "${v}"`, `--${name} 必须是数字，收到 "${v}"`);
  return n;
}

function bar(p: TrainProgress): void {
  if (!process.stderr.isTTY && p.stage === 'boosting' && p.iteration! % 25 !== 0 && p.iteration !== p.total) return;
  let line: string;
  if (p.stage === 'boosting') {
    const w = 30;
    const k = Math.round((w * p.iteration!) / p.total!);
    line = `[${'#'.repeat(k)}${'.'.repeat(w - k)}] ${p.iteration}/${p.total} train loss ${p.trainLoss!.toFixed(4)}${p.validLoss !== undefined ? ` valid loss ${p.validLoss.toFixed(4)}` : ''}`;
  } else line = `${p.stage}…`;
  process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(100)}` : `${line}\n`);
  if (process.stderr.isTTY && p.stage === 'done') process.stderr.write('\n');
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

function printReport(label: string, r: EvaluationReport): void {
  console.log(`${label}: n=${r.n} bad rate ${(r.badRate * 100).toFixed(1)}%  AUC ${r.auc.toFixed(4)}  KS ${r.ks.toFixed(4)}  Gini ${r.gini.toFixed(4)}`);
}

function printLift(r: EvaluationReport): void {
  console.log('decile  count  bad  bad%   lift  cum.bad%');
  for (const d of r.lift) console.log(`${String(d.decile).padStart(6)} ${String(d.count).padStart(6)} ${String(d.bad).padStart(4)} ${(d.badRate * 100).toFixed(1).padStart(5)} ${d.lift.toFixed(2).padStart(6)} ${(d.cumBadShare * 100).toFixed(1).padStart(8)}`);
}

async function train(args: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args,
    options: {
      data: { type: 'string' }, target: { type: 'string' }, type: { type: 'string', default: 'scorecard' }, out: { type: 'string' }, json: { type: 'boolean' },
      bad: { type: 'string' }, good: { type: 'string' }, drop: { type: 'string' }, 'test-fraction': { type: 'string' }, seed: { type: 'string' },
      'oot-column': { type: 'string' }, 'oot-cutoff': { type: 'string' }, binning: { type: 'string' }, 'max-bins': { type: 'string' }, stepwise: { type: 'boolean' },
      trees: { type: 'string' }, depth: { type: 'string' }, 'learning-rate': { type: 'string' }, growth: { type: 'string' }, leaves: { type: 'string' },
      subsample: { type: 'string' }, colsample: { type: 'string' }, 'min-child-weight': { type: 'string' }, lambda: { type: 'string' }, 'early-stopping': { type: 'string' },
      register: { type: 'string' }, id: { type: 'string' }, author: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (v.help) return console.log(HELP), 0;
  if (!v.data || !v.target) throw new ModelError('bad_option', 'train needs --data file.csv and --target column', 'train 需要 --data 文件和 --target 目标列');
  if (v.type !== 'scorecard' && v.type !== 'gbdt') throw new ModelError('bad_option', `--type must be scorecard or gbdt, got "${v.type}"`, `--type 必须是 scorecard 或 gbdt，收到 "${v.type}"`);
  if (v.binning && !['tree', 'quantile', 'chimerge'].includes(v.binning)) throw new ModelError('bad_option', '--binning must be tree, quantile or chimerge', '--binning 必须是 tree、quantile 或 chimerge');
  if (v.growth && !['depthwise', 'leafwise'].includes(v.growth)) throw new ModelError('bad_option', '--growth must be depthwise or leafwise', '--growth 必须是 depthwise 或 leafwise');
  if (v.register && !v.id) throw new ModelError('bad_option', '--register needs --id', '--register 需要 --id');
  const drop = [...(list(v.drop) ?? []), ...(v['oot-column'] ? [v['oot-column']] : [])];
  const bad = list(v.bad);
  const good = list(v.good);
  const ds = loadCsv(v.data, { target: v.target, drop, ...(bad ? { bad } : {}), ...(good ? { good } : {}) });
  let split;
  if (v['oot-column']) {
    if (!v['oot-cutoff']) throw new ModelError('bad_option', '--oot-column needs --oot-cutoff', '--oot-column 需要 --oot-cutoff');
    const { header, rows } = parseCsv(readFileSync(v.data, 'utf8'));
    const j = header.indexOf(v['oot-column']);
    if (j < 0) throw new ModelError('bad_option', `no column "${v['oot-column']}"`, `没有列 "${v['oot-column']}"`);
    const dates = rows.map((r) => r[j]!);
    split = outOfTimeSplit(dates.map((d) => (/^\d+$/.test(d) ? Number(d) : d)), /^\d+$/.test(v['oot-cutoff']) ? Number(v['oot-cutoff']) : v['oot-cutoff']);
  }
  const gbdt = {
    ...(v.trees ? { nEstimators: numOpt(v.trees, 'trees')! } : {}),
    ...(v.depth ? { maxDepth: numOpt(v.depth, 'depth')! } : {}),
    ...(v['learning-rate'] ? { learningRate: numOpt(v['learning-rate'], 'learning-rate')! } : {}),
    ...(v.growth ? { growth: v.growth as 'depthwise' | 'leafwise' } : {}),
    ...(v.leaves ? { maxLeaves: numOpt(v.leaves, 'leaves')! } : {}),
    ...(v.subsample ? { subsample: numOpt(v.subsample, 'subsample')! } : {}),
    ...(v.colsample ? { colsampleByTree: numOpt(v.colsample, 'colsample')! } : {}),
    ...(v['min-child-weight'] ? { minChildWeight: numOpt(v['min-child-weight'], 'min-child-weight')! } : {}),
    ...(v.lambda ? { lambda: numOpt(v.lambda, 'lambda')! } : {}),
    ...(v['early-stopping'] ? { earlyStoppingRounds: numOpt(v['early-stopping'], 'early-stopping')! } : {}),
  };
  const result = await trainModel(ds, {
    type: v.type,
    ...(split ? { split } : {}),
    ...(v['test-fraction'] ? { testFraction: numOpt(v['test-fraction'], 'test-fraction')! } : {}),
    ...(v.seed ? { seed: numOpt(v.seed, 'seed')! } : {}),
    scorecard: {
      binning: { ...(v.binning ? { method: v.binning as BinMethod } : {}), ...(v['max-bins'] ? { maxBins: numOpt(v['max-bins'], 'max-bins')! } : {}) },
      ...(v.stepwise ? { selection: { stepwise: 'forward' as const } } : {}),
    },
    gbdt,
    onProgress: bar,
  });
  const metrics = trainingMetrics(result, v.type);
  if (v.out) writeFileSync(v.out, JSON.stringify(result.model));
  let registered: { id: string; version: number } | undefined;
  if (v.register) {
    const saved = await new FileModelRepository(v.register).save({ id: v.id!, model: result.model, fingerprint: ds.fingerprint, metrics, ...(v.author ? { author: v.author } : {}) });
    registered = { id: saved.id, version: saved.version };
  }
  if (v.json) {
    console.log(JSON.stringify({ ...metrics, ...(v.out ? { out: v.out } : {}), ...(registered ? { registered } : {}) }));
    return 0;
  }
  printReport('train / 训练集', result.train);
  printReport('test  / 测试集', result.test);
  console.log(`PSI (test vs train) ${result.psi.toFixed(4)}   train time ${result.trainSeconds.toFixed(2)} s`);
  printLift(result.test);
  const m = result.model;
  if (m.type === 'scorecard') {
    console.log(`\nfit: ${m.fit.converged ? 'converged / 已收敛' : 'NOT converged / 未收敛'} in ${m.fit.iterations} iterations (|grad| ${m.fit.gradientNorm.toExponential(2)})`);
    const t = scorecardTable(m);
    console.log(`base points / 基础分 ${t.basePoints}`);
    for (const r of t.rows) console.log(`  ${r.feature.slice(0, 40).padEnd(40)} ${r.bin.slice(0, 40).padEnd(40)} ${String(r.points).padStart(5)}`);
  } else if (m.type === 'ensemble' && m.importance) {
    console.log('\ngain importance / 增益重要性:');
    for (const [f, g] of Object.entries(m.importance).sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  ${f.padEnd(40)} ${g.toFixed(1)}`);
  }
  if (v.out) console.log(`\nmodel written to ${v.out}`);
  if (registered) console.log(`registered ${registered.id} version ${registered.version}`);
  return 0;
}

async function evaluateCmd(args: string[]): Promise<number> {
  const { values: v } = parseArgs({ args, options: { model: { type: 'string' }, data: { type: 'string' }, target: { type: 'string' }, json: { type: 'boolean' }, bad: { type: 'string' }, good: { type: 'string' }, features: { type: 'string' }, help: { type: 'boolean' } } });
  if (v.help) return console.log(HELP), 0;
  if (!v.model || !v.data) throw new ModelError('bad_option', 'evaluate needs --model and --data', 'evaluate 需要 --model 和 --data');
  const bad = list(v.bad);
  const good = list(v.good);
  let risk: Float64Array;
  let y: Uint8Array;
  let probs = false;
  if (v.model.endsWith('.onnx')) {
    if (!v.target) throw new ModelError('bad_option', 'ONNX evaluation needs --target', 'ONNX 模型评估需要 --target');
    const ds = loadCsv(v.data, { target: v.target, ...(bad ? { bad } : {}), ...(good ? { good } : {}) });
    const features = list(v.features) ?? ds.columns.map((c) => c.name);
    const m = await loadOnnxModel(v.model, { features });
    const rows = Array.from({ length: ds.n }, (_, i) => Object.fromEntries(ds.columns.map((c) => [c.name, c.values[i]])));
    risk = await m.predictBatch(rows);
    y = ds.y;
    probs = true;
  } else {
    let text: string;
    try {
      text = readFileSync(v.model, 'utf8');
    } catch (err) {
      throw new ModelError('file_not_found', `cannot read ${v.model}: ${(err as Error).message}`, `无法读取 ${v.model}：${(err as Error).message}`);
    }
    const artifact = importModelText(text);
    const target = v.target ?? (artifact as { target?: string }).target;
    if (!target) throw new ModelError('bad_option', 'the model does not name its target: pass --target', '模型没有记录目标列：请传入 --target');
    const ds = loadCsv(v.data, { target, ...(bad ? { bad } : {}), ...(good ? { good } : {}) });
    const p = compileModel(artifact);
    risk = riskScores(p, ds);
    y = ds.y;
    probs = artifact.type !== 'pmml-scorecard' && !(artifact.type === 'regression' && artifact.link === 'identity');
  }
  const r = evaluateScores(y, risk, probs);
  if (v.json) {
    console.log(JSON.stringify({ auc: r4(r.auc), ks: r4(r.ks), gini: r4(r.gini), ...(r.logLoss !== undefined ? { logLoss: r4(r.logLoss) } : {}), n: r.n, badRate: r4(r.badRate), lift: r.lift }));
    return 0;
  }
  printReport('evaluation / 评估', r);
  printLift(r);
  return 0;
}

async function importCmd(args: string[]): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  if (v.help) return console.log(HELP), 0;
  const file = positionals[0];
  if (!file) throw new ModelError('bad_option', 'import needs a model file', 'import 需要一个模型文件');
  if (file.endsWith('.onnx')) {
    throw new ModelError('unsupported_model', 'ONNX models are used in place (xiezhi model evaluate --model m.onnx); they are not converted', 'ONNX 模型直接使用（xiezhi model evaluate --model m.onnx），不做转换');
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ModelError('file_not_found', `cannot read ${file}: ${(err as Error).message}`, `无法读取 ${file}：${(err as Error).message}`);
  }
  const m: ModelArtifact = importModelText(text);
  compileModel(m); // validates the structure before writing
  if (v.out) writeFileSync(v.out, JSON.stringify(m));
  const info = { type: m.type, ...(m.type === 'ensemble' ? { source: m.source, trees: m.trees.length } : {}), features: m.features.length, ...(v.out ? { out: v.out } : {}) };
  if (v.json) console.log(JSON.stringify(info));
  else console.log(`imported ${m.type}${m.type === 'ensemble' ? ` (${m.source}, ${m.trees.length} trees)` : ''} with ${m.features.length} features${v.out ? ` → ${v.out}` : ''}`);
  return 0;
}

export const command: Command = {
  summary: 'train, evaluate and import scorecards / GBDT models (模型训练、评估、导入)',
  async run(args) {
    const [sub, ...rest] = args;
    try {
      if (sub === 'train') return await train(rest);
      if (sub === 'evaluate') return await evaluateCmd(rest);
      if (sub === 'import') return await importCmd(rest);
      console.log(HELP);
      return sub === undefined || sub === '--help' || sub === '-h' ? 0 : 2;
    } catch (err) {
      if (err instanceof ModelError) {
        console.error(`error: ${err.message}\n错误：${err.zh}`);
        return 2;
      }
      if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        console.error(`error: ${(err as Error).message}\n错误：参数有误，见 xiezhi model --help`);
        return 2;
      }
      throw err;
    }
  },
};
