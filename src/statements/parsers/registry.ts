// Every known layout. Detection asks each parser for a confidence and takes the best one above 0.5.
import type { StatementParser } from '../types.js';
import { alipay2021, alipay2023, alipayWeb } from './alipay.js';
import { wechatCsv, wechatXlsx } from './wechat.js';
import { cmbDebit, icbcDebit } from './banks.js';

const registry: StatementParser[] = [alipay2023, alipay2021, alipayWeb, wechatCsv, wechatXlsx, cmbDebit, icbcDebit];

/** Adds a parser (e.g. another bank) at run time. */
export function registerParser(p: StatementParser): void {
  const i = registry.findIndex((x) => x.format === p.format);
  if (i >= 0) registry[i] = p;
  else registry.push(p);
}

export function parsers(): readonly StatementParser[] {
  return registry;
}

export function parserFor(format: string): StatementParser | undefined {
  return registry.find((p) => p.format === format);
}

/** The best-matching parser for this container and sample, or undefined when none is at least 0.5 confident. */
export function detectParser(container: 'csv' | 'xlsx', sample: string): StatementParser | undefined {
  let best: StatementParser | undefined;
  let score = 0.5 - 1e-9;
  for (const p of registry) {
    if (p.container !== container) continue;
    const c = p.detect(sample);
    if (c > score) {
      score = c;
      best = p;
    }
  }
  return best;
}
