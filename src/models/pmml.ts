// PMML 4.4 support: import Scorecard and RegressionModel (linear / logistic) documents, and export our
// scorecards as a PMML Scorecard. Only the elements these models need are read; anything else that
// would change the result (transformations, other models, unknown predicates) is refused clearly.
import { XMLParser } from 'fast-xml-parser';
import { ModelError } from './errors.js';
import type { ScorecardModel } from './scorecard.js';

export type Predicate =
  | { op: 'true' }
  | { op: 'false' }
  | { op: 'simple'; field: string; operator: string; value?: string }
  | { op: 'set'; field: string; in: boolean; values: string[] }
  | { op: 'and' | 'or' | 'xor'; args: Predicate[] };

export interface PmmlScorecardModel {
  format: 'xiezhi.model';
  type: 'pmml-scorecard';
  features: string[];
  initialScore: number;
  useReasonCodes: boolean;
  reasonCodeAlgorithm: 'pointsBelow' | 'pointsAbove';
  characteristics: { name: string; baselineScore?: number; reasonCode?: string; attributes: { partialScore: number; reasonCode?: string; predicate: Predicate }[] }[];
}

export interface RegressionModel {
  format: 'xiezhi.model';
  type: 'regression';
  features: string[];
  intercept: number;
  numeric: { field: string; coefficient: number; exponent: number }[];
  categorical: { field: string; value: string; coefficient: number }[];
  /** 'logistic': score = sigmoid(linear); 'identity': the linear value. */
  link: 'logistic' | 'identity';
  targetCategory?: string;
}

const fail = (what: string): never => {
  throw new ModelError('unsupported_model', `unsupported PMML: ${what}`, `不支持的 PMML：${what}`);
};

const ARRAYS = new Set(['Characteristic', 'Attribute', 'RegressionTable', 'NumericPredictor', 'CategoricalPredictor', 'MiningField', 'DataField', 'SimplePredicate', 'SimpleSetPredicate', 'CompoundPredicate']);

type Node = Record<string, unknown>;

function parseXml(text: string): Node {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseAttributeValue: false, parseTagValue: false, isArray: (name) => ARRAYS.has(name), trimValues: true });
  let doc: Node;
  try {
    doc = parser.parse(text) as Node;
  } catch (err) {
    return fail(`not well-formed XML (${(err as Error).message})`);
  }
  const pmml = doc.PMML as Node | undefined;
  if (!pmml) fail('no <PMML> root element');
  return pmml!;
}

/** Tokens of a PMML <Array>: "quoted strings" (with \" escapes) or bare words. */
export function parseArray(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : m[2]!);
  return out;
}

function predicateOf(node: Node): Predicate {
  if ('True' in node) return { op: 'true' };
  if ('False' in node) return { op: 'false' };
  const parts: Predicate[] = [];
  for (const p of (node.SimplePredicate as Node[] | undefined) ?? []) {
    const value = p['@value'] as string | undefined;
    parts.push({ op: 'simple', field: String(p['@field']), operator: String(p['@operator']), ...(value !== undefined ? { value: String(value) } : {}) });
  }
  for (const p of (node.SimpleSetPredicate as Node[] | undefined) ?? []) {
    const arr = p.Array as Node | string | undefined;
    const text = typeof arr === 'string' ? arr : String((arr as Node | undefined)?.['#text'] ?? '');
    parts.push({ op: 'set', field: String(p['@field']), in: p['@booleanOperator'] !== 'isNotIn', values: parseArray(text) });
  }
  for (const p of (node.CompoundPredicate as Node[] | undefined) ?? []) {
    const bop = String(p['@booleanOperator']);
    if (bop !== 'and' && bop !== 'or' && bop !== 'xor') fail(`CompoundPredicate booleanOperator="${bop}"`);
    const args: Predicate[] = [];
    const inner = predicateList(p);
    args.push(...inner);
    parts.push({ op: bop as 'and' | 'or' | 'xor', args });
  }
  if (parts.length !== 1) fail(parts.length ? 'more than one predicate in an Attribute' : 'an Attribute without a supported predicate');
  return parts[0]!;
}

function predicateList(node: Node): Predicate[] {
  const out: Predicate[] = [];
  if ('True' in node) out.push({ op: 'true' });
  if ('False' in node) out.push({ op: 'false' });
  for (const key of ['SimplePredicate', 'SimpleSetPredicate', 'CompoundPredicate']) {
    for (const p of (node[key] as Node[] | undefined) ?? []) out.push(predicateOf({ [key]: [p] }));
  }
  return out;
}

function isMissingValue(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/** Evaluates a predicate; PMML's three-valued logic is simplified to false for unknown comparisons. */
export function evalPredicate(p: Predicate, x: Record<string, unknown>): boolean {
  switch (p.op) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return p.args.every((a) => evalPredicate(a, x));
    case 'or':
      return p.args.some((a) => evalPredicate(a, x));
    case 'xor':
      return p.args.filter((a) => evalPredicate(a, x)).length % 2 === 1;
    case 'set': {
      const v = x[p.field];
      if (isMissingValue(v)) return false;
      return p.values.includes(String(v)) === p.in;
    }
    case 'simple': {
      const v = x[p.field];
      if (p.operator === 'isMissing') return isMissingValue(v);
      if (p.operator === 'isNotMissing') return !isMissingValue(v);
      if (isMissingValue(v)) return false;
      const num = Number(v);
      const ref = Number(p.value);
      const numeric = typeof v === 'number' || (String(v).trim() !== '' && Number.isFinite(num) && Number.isFinite(ref));
      const cmp = numeric ? num - ref : String(v) < String(p.value) ? -1 : String(v) > String(p.value) ? 1 : 0;
      switch (p.operator) {
        case 'equal':
          return cmp === 0;
        case 'notEqual':
          return cmp !== 0;
        case 'lessThan':
          return cmp < 0;
        case 'lessOrEqual':
          return cmp <= 0;
        case 'greaterThan':
          return cmp > 0;
        case 'greaterOrEqual':
          return cmp >= 0;
        default:
          return fail(`SimplePredicate operator "${p.operator}"`);
      }
    }
  }
}

function features(model: Node): string[] {
  const fields = ((model.MiningSchema as Node | undefined)?.MiningField as Node[] | undefined) ?? [];
  return fields.filter((f) => !['target', 'predicted', 'supplementary'].includes(String(f['@usageType'] ?? 'active'))).map((f) => String(f['@name']));
}

export function importPmml(text: string): PmmlScorecardModel | RegressionModel {
  const pmml = parseXml(text);
  if ('TransformationDictionary' in pmml) fail('TransformationDictionary (derived fields)');
  if (pmml.Scorecard) return importScorecard(pmml.Scorecard as Node);
  if (pmml.RegressionModel) return importRegression(pmml.RegressionModel as Node);
  const kinds = Object.keys(pmml).filter((k) => !k.startsWith('@') && !['Header', 'DataDictionary', 'MiningBuildTask'].includes(k));
  return fail(`model element ${kinds.join(', ') || '(none)'}; supported: Scorecard, RegressionModel`);
}

function importScorecard(sc: Node): PmmlScorecardModel {
  if ('LocalTransformations' in sc) fail('LocalTransformations');
  const chars = ((sc.Characteristics as Node | undefined)?.Characteristic as Node[] | undefined) ?? fail('Scorecard without Characteristics');
  const alg = String(sc['@reasonCodeAlgorithm'] ?? 'pointsBelow');
  return {
    format: 'xiezhi.model',
    type: 'pmml-scorecard',
    features: features(sc),
    initialScore: Number(sc['@initialScore'] ?? 0),
    useReasonCodes: String(sc['@useReasonCodes'] ?? 'true') !== 'false',
    reasonCodeAlgorithm: alg === 'pointsAbove' ? 'pointsAbove' : 'pointsBelow',
    characteristics: (chars as Node[]).map((c) => ({
      name: String(c['@name'] ?? ''),
      ...(c['@baselineScore'] !== undefined ? { baselineScore: Number(c['@baselineScore']) } : {}),
      ...(c['@reasonCode'] !== undefined ? { reasonCode: String(c['@reasonCode']) } : {}),
      attributes: ((c.Attribute as Node[] | undefined) ?? []).map((a) => {
        if ('ComplexPartialScore' in a) fail('ComplexPartialScore');
        return { partialScore: Number(a['@partialScore']), ...(a['@reasonCode'] !== undefined ? { reasonCode: String(a['@reasonCode']) } : {}), predicate: predicateOf(a) };
      }),
    })),
  };
}

function importRegression(rm: Node): RegressionModel {
  const tables = (rm.RegressionTable as Node[] | undefined) ?? fail('RegressionModel without RegressionTable');
  const fn = String(rm['@functionName'] ?? 'regression');
  const norm = String(rm['@normalizationMethod'] ?? 'none');
  let link: 'logistic' | 'identity';
  if (fn === 'classification') {
    if ((tables as Node[]).length > 2) fail('multi-class RegressionModel');
    if (norm === 'logit' || norm === 'softmax') link = 'logistic';
    else link = fail(`classification normalizationMethod "${norm}" (logit, softmax)`);
    if ((tables as Node[]).length === 2) {
      const ref = (tables as Node[])[1]!;
      if (Number(ref['@intercept'] ?? 0) !== 0 || ref.NumericPredictor || ref.CategoricalPredictor) fail('a second RegressionTable that is not the zero reference');
    }
  } else if (norm === 'none') link = 'identity';
  else if (norm === 'logit') link = 'logistic';
  else link = fail(`normalizationMethod "${norm}"`);
  const t = (tables as Node[])[0]!;
  if (t.PredictorTerm) fail('PredictorTerm (interaction terms)');
  return {
    format: 'xiezhi.model',
    type: 'regression',
    features: features(rm),
    intercept: Number(t['@intercept'] ?? 0),
    numeric: ((t.NumericPredictor as Node[] | undefined) ?? []).map((p) => ({ field: String(p['@name']), coefficient: Number(p['@coefficient']), exponent: Number(p['@exponent'] ?? 1) })),
    categorical: ((t.CategoricalPredictor as Node[] | undefined) ?? []).map((p) => ({ field: String(p['@name']), value: String(p['@value']), coefficient: Number(p['@coefficient']) })),
    link,
    ...(t['@targetCategory'] !== undefined ? { targetCategory: String(t['@targetCategory']) } : {}),
  };
}

export function scorePmmlScorecard(m: PmmlScorecardModel, x: Record<string, unknown>): { score: number; reasons: { feature: string; contribution: number }[] } {
  let score = m.initialScore;
  const reasons: { feature: string; contribution: number }[] = [];
  for (const c of m.characteristics) {
    const hit = c.attributes.find((a) => evalPredicate(a.predicate, x));
    if (!hit) throw new ModelError('no_attribute', `scorecard characteristic "${c.name}" has no attribute for this input`, `评分卡特征 "${c.name}" 没有与输入匹配的分箱`);
    score += hit.partialScore;
    if (m.useReasonCodes && c.baselineScore !== undefined) {
      const diff = m.reasonCodeAlgorithm === 'pointsBelow' ? c.baselineScore - hit.partialScore : hit.partialScore - c.baselineScore;
      if (diff > 0) reasons.push({ feature: hit.reasonCode ?? c.reasonCode ?? c.name, contribution: diff });
    }
  }
  return { score, reasons: reasons.sort((a, b) => b.contribution - a.contribution) };
}

export function scoreRegression(m: RegressionModel, x: Record<string, unknown>): number {
  let z = m.intercept;
  for (const p of m.numeric) {
    const v = x[p.field];
    if (isMissingValue(v)) throw new ModelError('missing_value', `feature "${p.field}" is missing`, `特征 "${p.field}" 缺失`);
    z += p.coefficient * Math.pow(Number(v), p.exponent);
  }
  for (const p of m.categorical) if (String(x[p.field]) === p.value) z += p.coefficient;
  return m.link === 'logistic' ? 1 / (1 + Math.exp(-z)) : z;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (v: number): string => String(v);

/** Exports a scorecard as a PMML 4.4 Scorecard (reason codes pointsBelow against each variable's best bin). */
export function exportScorecardPmml(m: ScorecardModel, modelName = 'scorecard'): string {
  const L: string[] = [];
  L.push('<?xml version="1.0" encoding="UTF-8"?>');
  L.push('<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4">');
  L.push('  <Header copyright="" description="Xiezhi scorecard"><Application name="xiezhi"/></Header>');
  L.push(`  <DataDictionary numberOfFields="${m.variables.length + 1}">`);
  for (const v of m.variables) {
    L.push(v.binning.type === 'numeric' ? `    <DataField name="${esc(v.feature)}" optype="continuous" dataType="double"/>` : `    <DataField name="${esc(v.feature)}" optype="categorical" dataType="string"/>`);
  }
  L.push('    <DataField name="score" optype="continuous" dataType="double"/>');
  L.push('  </DataDictionary>');
  L.push(`  <Scorecard modelName="${esc(modelName)}" functionName="regression" useReasonCodes="true" reasonCodeAlgorithm="pointsBelow" initialScore="${num(m.basePoints)}" baselineMethod="max">`);
  L.push('    <MiningSchema>');
  for (const v of m.variables) L.push(`      <MiningField name="${esc(v.feature)}" usageType="active" invalidValueTreatment="asMissing"/>`);
  L.push('      <MiningField name="score" usageType="predicted"/>');
  L.push('    </MiningSchema>');
  L.push('    <Characteristics>');
  for (const v of m.variables) {
    const f = esc(v.feature);
    const best = Math.max(...v.points.filter((_, i) => v.binning.bins[i]!.count > 0));
    L.push(`      <Characteristic name="${f}" reasonCode="${f}" baselineScore="${num(best)}">`);
    // Special and missing first: PMML takes the first matching attribute, as our binIndex does.
    const order = v.binning.bins.map((b, i) => [b, i] as const).sort((a, b) => rank(a[0].kind) - rank(b[0].kind));
    for (const [b, i] of order) {
      const pts = num(v.points[i]!);
      let pred: string;
      if (b.kind === 'missing') pred = `<SimplePredicate field="${f}" operator="isMissing"/>`;
      else if (b.kind === 'special') pred = `<SimplePredicate field="${f}" operator="equal" value="${num(b.value!)}"/>`;
      else if (b.kind === 'categories') pred = `<SimpleSetPredicate field="${f}" booleanOperator="isIn"><Array n="${b.categories!.length}" type="string">${b.categories!.map((c) => `"${esc(c.replace(/"/g, '\\"'))}"`).join(' ')}</Array></SimpleSetPredicate>`;
      else if (b.lower == null && b.upper == null) pred = '<True/>';
      else if (b.lower == null) pred = `<SimplePredicate field="${f}" operator="lessThan" value="${num(b.upper!)}"/>`;
      else if (b.upper == null) pred = `<SimplePredicate field="${f}" operator="greaterOrEqual" value="${num(b.lower)}"/>`;
      else pred = `<CompoundPredicate booleanOperator="and"><SimplePredicate field="${f}" operator="greaterOrEqual" value="${num(b.lower)}"/><SimplePredicate field="${f}" operator="lessThan" value="${num(b.upper)}"/></CompoundPredicate>`;
      L.push(`        <Attribute partialScore="${pts}">${pred}</Attribute>`);
    }
    // Anything else (unseen category, missing without a missing bin) scores 0, as in scoreRecord.
    L.push('        <Attribute partialScore="0"><True/></Attribute>');
    L.push('      </Characteristic>');
  }
  L.push('    </Characteristics>');
  L.push('  </Scorecard>');
  L.push('</PMML>');
  return L.join('\n') + '\n';
}

function rank(kind: string): number {
  return kind === 'special' ? 0 : kind === 'missing' ? 1 : 2;
}
