// Load-robust figures for a bench server, asked for by the driver over IPC ('reset' before a phase, 'report'
// after): process CPU (all threads, so a writer worker counts too), main-thread event-loop utilisation and the
// event-loop delay histogram. On a shared, loaded machine these move far less than requests/s do.
import { monitorEventLoopDelay, performance, PerformanceObserver, constants } from 'node:perf_hooks';
import { Session } from 'node:inspector';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// XZ_BENCH_PROFILE=<dir>: a CPU profile of the main thread per phase (start-up excluded), for chrome://inspect.
// XZ_BENCH_HEAP=<dir>: a sampling allocation profile instead (garbage included: what the scavenges pay for).
const heapDir = process.env.XZ_BENCH_HEAP;
const profileDir = process.env.XZ_BENCH_PROFILE ?? heapDir;
let session: Session | undefined;
let phase = 0;
const post = (method: string, params?: object) =>
  new Promise<any>((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));

export interface ProbeReport {
  cpuUs: number;
  /** CPU of the main thread alone (Linux: /proc/thread-self/stat, 10 ms ticks; -1 elsewhere). */
  mainCpuUs: number;
  mainActiveUs: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Main-thread GC pause time (ms): scavenges of the young generation, and mark-compact (incl. incremental steps). */
  gcMinorMs: number;
  gcMajorMs: number;
  /** Decision log batches committed in the phase (the main thread posts one message per batch); -1: no log. */
  logBatches: number;
  logRows: number;
}

/** The decision log's running totals, when the server has one (set by server.ts). */
let logCounters: (() => { batches: number; committed: number }) | undefined;
export function probeLog(counters: () => { batches: number; committed: number }): void {
  logCounters = counters;
}

/** User + system CPU of the calling thread in µs, from /proc (clock ticks of 10 ms); -1 when not on Linux. */
function threadCpuUs(): number {
  try {
    const st = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    return -1;
  }
}

export function installProbe(): void {
  if (!process.send) return;
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  let cpu0 = process.cpuUsage();
  let main0 = threadCpuUs();
  let elu0 = performance.eventLoopUtilization();
  let log0 = logCounters?.();
  let gcMinor = 0;
  let gcMajor = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gcMinor += e.duration;
      else gcMajor += e.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  process.on('message', (m: unknown) => {
    if (m === 'reset') {
      if (profileDir) {
        session ??= new Session();
        session.connect();
        if (heapDir) void post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
        else void post('Profiler.enable').then(() => post('Profiler.start'));
      }
      cpu0 = process.cpuUsage();
      main0 = threadCpuUs();
      elu0 = performance.eventLoopUtilization();
      lag.reset();
      gcMinor = 0;
      gcMajor = 0;
      log0 = logCounters?.();
      process.send!({ reset: true });
    } else if (m === 'report') {
      const cpu = process.cpuUsage(cpu0);
      const elu = performance.eventLoopUtilization(elu0);
      const r: ProbeReport = {
        cpuUs: cpu.user + cpu.system,
        mainCpuUs: main0 < 0 ? -1 : threadCpuUs() - main0,
        mainActiveUs: elu.active * 1000,
        lagP50Ms: lag.percentile(50) / 1e6,
        lagP99Ms: lag.percentile(99) / 1e6,
        lagMaxMs: lag.max / 1e6,
        gcMinorMs: gcMinor,
        gcMajorMs: gcMajor,
        logBatches: -1,
        logRows: -1,
      };
      const log1 = logCounters?.();
      if (log0 && log1) {
        r.logBatches = log1.batches - log0.batches;
        r.logRows = log1.committed - log0.committed;
      }
      if (session) {
        const s = session;
        void post(heapDir ? 'HeapProfiler.stopSampling' : 'Profiler.stop').then((res: { profile: unknown }) => {
          writeFileSync(join(profileDir!, `${process.argv[2] ?? 'server'}-${++phase}.${heapDir ? 'heapprofile' : 'cpuprofile'}`), JSON.stringify(res.profile));
          s.disconnect();
          process.send!({ report: r });
        });
        return;
      }
      process.send!({ report: r });
    }
  });
}
