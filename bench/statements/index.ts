// Statement parsing + analysis throughput: generate an N-row statement on disk, then parse and analyse it in
// one streaming pass. Reports rows/s and peak RSS; memory should not grow with N (compare --quick with full).
// heapGrowthMiB (peak JS heap in use) sits next to RSS growth: most of the RSS growth is garbage not yet
// collected, and retainedMiB (heap still in use after a full GC, with the indicator state alive) is the state.
//   npm run bench -- statements [--json] [--quick] [--rows N] [--layout alipay-2023|wechat-csv|...]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeStatements } from '../../src/statements/analyze.js';
import { generateTransactions, statementFile, LAYOUTS, type Layout } from '../../src/statements/generate/index.js';

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, rows: { type: 'string' }, layout: { type: 'string' }, keep: { type: 'boolean' } },
  });
  const rows = values.rows ? Number(values.rows) : values.quick ? 50_000 : 1_000_000;
  const layouts: Layout[] = values.layout ? [values.layout as Layout] : ['alipay-2023', 'wechat-csv'];
  for (const l of layouts) if (!LAYOUTS.includes(l)) throw new Error(`unknown layout ${l}; one of ${LAYOUTS.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'xiezhi-bench-statements-'));
  const results: Record<string, unknown>[] = [];
  try {
    for (const layout of layouts) {
      const file = join(dir, `${layout}.${layout.includes('xlsx') ? 'xlsx' : 'csv'}`);
      const source = layout.startsWith('wechat') ? 'wechat' : 'alipay';
      const g0 = performance.now();
      await statementFile(layout, () => generateTransactions({ seed: 1, count: rows, source, risky: true, gapMinutes: 1 }), file);
      const genSec = (performance.now() - g0) / 1000;
      const bytes = statSync(file).size;
      global.gc?.();
      const m0 = process.memoryUsage();
      const base = m0.rss;
      let peak = base;
      let peakHeap = m0.heapUsed;
      const timer = setInterval(() => {
        const m = process.memoryUsage();
        if (m.rss > peak) peak = m.rss;
        if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
      }, 20);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const report = await analyzeStatements([{ name: file, path: file }], { keepTransactions: values.keep ?? false, maxBytes: Number.MAX_SAFE_INTEGER, clock: () => Date.UTC(2026, 10, 1) });
      const sec = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSec = (cpu.user + cpu.system) / 1e6;
      clearInterval(timer);
      const m1 = process.memoryUsage();
      if (m1.rss > peak) peak = m1.rss;
      if (m1.heapUsed > peakHeap) peakHeap = m1.heapUsed;
      // With --expose-gc: what is still in use once the garbage is gone (the report holds the indicators).
      global.gc?.();
      const retained = global.gc ? process.memoryUsage().heapUsed - m0.heapUsed : undefined;
      const n = report.indicators.counts.transactions;
      if (n !== rows) throw new Error(`parsed ${n} rows, generated ${rows}`);
      results.push({
        layout,
        rows: n,
        fileMiB: +(bytes / 1048576).toFixed(1),
        generateSec: +genSec.toFixed(2),
        seconds: +sec.toFixed(2),
        rowsPerSec: Math.round(n / sec),
        // On a shared machine wall time includes waiting for a core; CPU time shows the code's own cost.
        rowsPerCpuSec: Math.round(n / cpuSec),
        peakMiB: +(peak / 1048576).toFixed(1),
        growthMiB: +((peak - base) / 1048576).toFixed(1),
        heapGrowthMiB: +((peakHeap - m0.heapUsed) / 1048576).toFixed(1),
        ...(retained === undefined ? {} : { retainedMiB: +(retained / 1048576).toFixed(1) }),
        risk: report.risk.level,
      });
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const main0 = results[0];
  if (values.json) {
    console.log(
      JSON.stringify({ rows, rowsPerSec: main0.rowsPerSec, rowsPerCpuSec: main0.rowsPerCpuSec, peakMiB: main0.peakMiB, growthMiB: main0.growthMiB, heapGrowthMiB: main0.heapGrowthMiB, layouts: results }),
    );
  } else {
    console.log(`statements: parse + analyse, ${rows.toLocaleString('en')} rows per layout (target ≥ 200,000 rows/s, flat memory)`);
    for (const r of results) {
      console.log(
        `  ${String(r.layout).padEnd(14)} ${String(r.rowsPerSec).padStart(8)} rows/s (${r.rowsPerCpuSec} per CPU-second)  ${r.seconds}s  file ${r.fileMiB} MiB  peak RSS ${r.peakMiB} MiB (+${r.growthMiB} MiB, heap +${r.heapGrowthMiB} MiB)  [generated in ${r.generateSec}s]`,
      );
    }
  }
}
