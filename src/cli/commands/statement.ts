// `xiezhi statement analyze <files...> --out report.html|report.pdf|report.json [--lang zh-CN|en]`
// Exit codes: 0 ok, 1 usage or internal error, 2 a file could not be read (the message names it and why).
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../main.js';

const HELP = `xiezhi statement analyze <files...> --out <report.html|report.pdf|report.json> [--lang zh-CN|en]

Analyses Alipay / WeChat Pay / CMB / ICBC statement exports of one applicant (several files are merged and
de-duplicated) and writes a report. The format follows the --out extension.

Options:
  -o, --out <file>     output file (.html, .pdf or .json); default: JSON on stdout
      --lang <lang>    report language: zh-CN (default) or en
      --now <iso>      reference time for the report (default: now)
  -h, --help           show this help

Exit codes: 0 ok · 1 usage error · 2 a file could not be read (unknown format, truncated, damaged encoding, ...)`;

export const command: Command = {
  summary: 'Analyse Alipay/WeChat/bank statements into a risk report (流水分析)',
  async run(args: string[]): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: { out: { type: 'string', short: 'o' }, lang: { type: 'string' }, now: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      });
    } catch (e) {
      console.error((e as Error).message);
      console.error(HELP);
      return 1;
    }
    const { values, positionals } = parsed;
    const [sub, ...files] = positionals;
    if (values.help || !sub) {
      console.log(HELP);
      return values.help ? 0 : 1;
    }
    if (sub !== 'analyze') {
      console.error(`unknown subcommand: ${sub}\n\n${HELP}`);
      return 1;
    }
    if (files.length === 0) {
      console.error('no statement files given\n\n' + HELP);
      return 1;
    }
    const lang = values.lang === 'en' ? 'en' : 'zh-CN';
    if (values.lang && values.lang !== 'en' && values.lang !== 'zh-CN') {
      console.error(`--lang must be zh-CN or en, got ${values.lang}`);
      return 1;
    }
    const out = values.out;
    const kind = out ? extname(out).toLowerCase() : '.json';
    if (!['.html', '.htm', '.pdf', '.json'].includes(kind)) {
      console.error(`--out must end in .html, .pdf or .json, got ${out}`);
      return 1;
    }
    let now = Date.now();
    if (values.now) {
      now = Date.parse(values.now);
      if (Number.isNaN(now)) {
        console.error(`--now is not an ISO-8601 time: ${values.now}`);
        return 1;
      }
    }
    const { analyzeStatements, renderReportHtml, renderPdf, StatementError } = await import('../../statements/index.js');
    const { access } = await import('node:fs/promises');
    for (const f of files) {
      try {
        await access(f);
      } catch (e) {
        console.error(`${f}: ${lang === 'en' ? 'cannot open the file' : '无法打开文件'} (${(e as NodeJS.ErrnoException).code})`);
        return 2;
      }
    }
    let report;
    try {
      report = await analyzeStatements(
        files.map((path) => ({ name: path, path })),
        { clock: () => now },
      );
    } catch (e) {
      if (e instanceof StatementError) {
        console.error(`${e.file ?? ''}: [${e.code}] ${lang === 'en' ? e.en : e.zh}`);
        return 2;
      }
      throw e;
    }
    for (const f of report.files) for (const w of f.warnings) console.error(`${f.name}: [${w.code}] ${lang === 'en' ? w.en : w.zh}`);
    try {
      if (kind === '.json') {
        const text = JSON.stringify(report, null, 2);
        if (out) await writeFile(out, text);
        else console.log(text);
      } else if (kind === '.pdf') {
        await writeFile(out!, await renderPdf(renderReportHtml(report, { lang })));
      } else {
        await writeFile(out!, renderReportHtml(report, { lang }));
      }
    } catch (e) {
      if (e instanceof StatementError) {
        console.error(`[${e.code}] ${lang === 'en' ? e.en : e.zh}`);
        return 1;
      }
      throw e;
    }
    if (out) console.error(`${out}: ${report.indicators.counts.transactions} transactions, risk ${report.risk.level}`);
    return 0;
  },
};
