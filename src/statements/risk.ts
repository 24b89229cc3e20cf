// Risk level and reasons come from a JDM strategy (risk-strategy.json by default, editable by the institution),
// evaluated by our decision engine (compiled once per graph).
import { readFileSync } from 'node:fs';
import { compileDecision, type CompiledDecision, type JdmGraph } from '../decision/index.js';
import type { StatementFeatures } from './features.js';

export interface RiskReason {
  code: string;
  zh: string;
  en: string;
}
export interface RiskResult {
  level: 'low' | 'medium' | 'high';
  reasons: RiskReason[];
}

let defaultGraph: JdmGraph | undefined;
let reasonTexts: Record<string, { zh: string; en: string }> | undefined;

export function defaultRiskStrategy(): JdmGraph {
  defaultGraph ??= JSON.parse(readFileSync(new URL('./risk-strategy.json', import.meta.url), 'utf8')) as JdmGraph;
  return defaultGraph;
}

function texts(): Record<string, { zh: string; en: string }> {
  reasonTexts ??= JSON.parse(readFileSync(new URL('./keywords/reasons.json', import.meta.url), 'utf8')) as Record<string, { zh: string; en: string }>;
  return reasonTexts;
}

const compiled = new WeakMap<JdmGraph, CompiledDecision>();

function compile(graph: JdmGraph): CompiledDecision {
  let c = compiled.get(graph);
  if (!c) compiled.set(graph, (c = compileDecision(graph)));
  return c;
}

/** Evaluates the strategy on `{ statement: features }`; the graph must output `riskLevel` and `reasons` (codes). */
export function evaluateRisk(features: StatementFeatures, opts: { now: number; strategy?: JdmGraph }): RiskResult {
  const c = compile(opts.strategy ?? defaultRiskStrategy());
  const out = c.evaluate({ statement: features }, { now: opts.now }).result as { riskLevel?: unknown; reasons?: unknown };
  const level = out?.riskLevel === 'high' || out?.riskLevel === 'medium' || out?.riskLevel === 'low' ? out.riskLevel : undefined;
  if (!level) throw new Error(`the statement risk strategy must output riskLevel low|medium|high, got ${JSON.stringify(out?.riskLevel)}`);
  const codes = Array.isArray(out.reasons) ? out.reasons.map(String) : [];
  const t = texts();
  const seen = new Set<string>();
  const reasons = codes.filter((c) => !seen.has(c) && seen.add(c)).map((code) => ({ code, zh: t[code]?.zh ?? code, en: t[code]?.en ?? code }));
  return { level, reasons };
}
