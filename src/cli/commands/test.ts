// `xiezhi test <file|dir>... [--now ISO]`: runs the tests embedded in decision files.
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveNow } from '../../decision/compile.js';
import { decisionFiles, runDecisionFile } from '../../decision/fixtures.js';
import { offlineHosts } from '../offline-hosts.js';
import type { Command } from '../main.js';

const HELP = `Usage: xiezhi test <file|dir>... [--now ISO]

Runs the \`tests: [{input, output}]\` embedded in JDM decision files (directories are searched for *.json).
Prints one line per failing case with a diff and ends with "N passed, N failed"; exits 1 on any failure.
运行决策文件中内嵌的测试用例；任何失败时退出码为 1。

Options:
  --now ISO   fix the clock (e.g. 2025-08-19T16:55:02.078Z) for date functions
  -h, --help  show this help`;

export const command: Command = {
  summary: 'run the test cases embedded in decision files (运行决策测试)',
  async run(args) {
    let values: { now?: string; help?: boolean };
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, allowPositionals: true, options: { now: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
    } catch (err) {
      console.error(`xiezhi test: ${(err as Error).message}\n\n${HELP}`);
      return 2;
    }
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length === 0) {
      console.error(`xiezhi test: give at least one decision file or directory\n\n${HELP}`);
      return 2;
    }
    let now: number | undefined;
    try {
      now = values.now === undefined ? undefined : resolveNow(values.now);
    } catch (err) {
      console.error(`xiezhi test: ${(err as Error).message}`);
      return 2;
    }
    let files: string[];
    try {
      files = decisionFiles(positionals);
    } catch (err) {
      console.error(`xiezhi test: ${(err as Error).message}`);
      return 2;
    }
    let passed = 0;
    let failed = 0;
    const rejected: string[] = [];
    let rejectedCases = 0;
    for (const file of files) {
      const r = runDecisionFile(file, now, offlineHosts);
      const name = relative(process.cwd(), file) || file;
      passed += r.passed;
      if (r.skipped) console.log(`SKIP ${name}: ${r.skipped}`);
      if (r.rejected) {
        rejected.push(name);
        rejectedCases += r.rejected.cases;
        console.log(`REJECTED ${name}: ${r.rejected.reason} (${r.rejected.cases} case${r.rejected.cases === 1 ? '' : 's'} not run)`);
      }
      for (const f of r.failed) {
        failed++;
        console.log(`FAIL ${name}${f.index >= 0 ? ` #${f.index}` : ''}: ${f.message}`);
      }
    }
    if (rejectedCases > 0) console.log(`${rejectedCases} case${rejectedCases === 1 ? '' : 's'} in ${rejected.length} file${rejected.length === 1 ? '' : 's'} rejected by design (functionNode)`);
    console.log(`${passed} passed, ${failed} failed`);
    // Nothing run at all is a mistake worth an exit code (a wrong path, files without tests), not a success.
    if (passed + failed + rejectedCases === 0) {
      console.error('xiezhi test: no test cases found: decision files carry them as "tests": [{input, output}] (未找到测试用例)');
      return 1;
    }
    return failed > 0 ? 1 : 0;
  },
};
