// `xiezhi eval <file> [--trace] [--now ISO]`: evaluates a decision file on one JSON input read from stdin.
import { parseArgs } from 'node:util';
import { compileDecision, resolveNow } from '../../decision/compile.js';
import { DecisionEvaluationError, DecisionValidationError } from '../../decision/errors.js';
import { fileLoader, readDecisionFile } from '../../decision/fixtures.js';
import type { JdmGraph } from '../../decision/types.js';
import type { Command } from '../main.js';
import { offlineHosts } from '../offline-hosts.js';

const HELP = `Usage: xiezhi eval <decision.json> [--trace] [--now ISO] < input.json

Reads one JSON input from stdin, evaluates the decision graph and prints the result as JSON.
从标准输入读取一个 JSON 输入，执行决策图并输出结果 JSON。

Options:
  --trace     print {result, trace, performance}: per-node input, output, matched rules and time
  --now ISO   fix the clock (e.g. 2025-08-19T16:55:02.078Z) for date functions
  -h, --help  show this help

Exit codes: 0 ok, 1 the graph is invalid or evaluation failed, 2 bad usage or bad input JSON.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const command: Command = {
  summary: 'evaluate a decision file on a JSON input from stdin (执行决策)',
  async run(args) {
    let values: { now?: string; trace?: boolean; help?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { now: { type: 'string' }, trace: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      }));
    } catch (err) {
      console.error(`xiezhi eval: ${(err as Error).message}\n\n${HELP}`);
      return 2;
    }
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) {
      console.error(`xiezhi eval: give exactly one decision file\n\n${HELP}`);
      return 2;
    }
    let now: number | undefined;
    try {
      now = values.now === undefined ? undefined : resolveNow(values.now);
    } catch (err) {
      console.error(`xiezhi eval: ${(err as Error).message}`);
      return 2;
    }
    let source: JdmGraph;
    try {
      source = readDecisionFile(positionals[0]!);
    } catch (err) {
      console.error(`xiezhi eval: cannot read ${positionals[0]}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return 2;
    }
    const text = await readStdin();
    if (text.trim() === '') {
      console.error('xiezhi eval: no input on stdin: pipe one JSON document, e.g. echo \'{"amount": 100}\' | xiezhi eval decision.json (标准输入为空)');
      return 2;
    }
    let input: unknown;
    try {
      input = JSON.parse(text);
    } catch (err) {
      console.error(`xiezhi eval: stdin is not valid JSON: ${(err as Error).message} (输入不是合法的 JSON)`);
      return 2;
    }
    try {
      const decision = compileDecision(source, { loader: fileLoader(positionals[0]!), ...offlineHosts });
      const r = decision.evaluate(input, { now, trace: values.trace === true });
      console.log(JSON.stringify(values.trace ? r : r.result, null, 2));
      return 0;
    } catch (err) {
      if (err instanceof DecisionValidationError) {
        console.error(`xiezhi eval: ${positionals[0]} is not a valid decision graph (决策图无效):`);
        for (const i of err.issues) console.error(`  ${i.nodeId}${i.field ? ` ${i.field}` : ''}: ${i.message}`);
        return 1;
      }
      if (err instanceof DecisionEvaluationError) {
        console.error(`xiezhi eval: evaluation failed (执行失败): ${err.message}`);
        return 1;
      }
      throw err;
    }
  },
};
