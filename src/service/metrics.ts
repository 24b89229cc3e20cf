// Prometheus metrics of one app instance (own registry, so several apps can live in one process in tests).
// The per-request counters are plain numbers, copied into prom-client only when /metrics is scraped:
// prom-client's inc() hashes and validates its label object on every call, which the hot path pays for
// twice per decision (the HTTP counter and the events counter).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Counts per label set, keyed by the label values joined with NUL. */
class LabelCounts<L extends string> {
  private readonly counts = new Map<string, { labels: Record<L, string>; n: number }>();

  constructor(private readonly names: readonly L[]) {}

  inc(key: string, values: readonly string[]): void {
    const c = this.counts.get(key);
    if (c) {
      c.n++;
      return;
    }
    const labels = {} as Record<L, string>;
    for (let i = 0; i < this.names.length; i++) labels[this.names[i]!] = values[i]!;
    this.counts.set(key, { labels, n: 1 });
  }

  /** Writes the counts into a prom-client counter (at scrape time). */
  copyTo(counter: Counter<L>): void {
    counter.reset();
    for (const { labels, n } of this.counts.values()) counter.inc(labels, n);
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly eventCounts = new LabelCounts(['type', 'decision'] as const);
  private readonly httpCounts = new LabelCounts(['route', 'method', 'status'] as const);
  private degradedCount = 0;
  private readonly latency: Histogram;

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'xiezhi_' });
    const eventCounts = this.eventCounts;
    const httpCounts = this.httpCounts;
    const degradedCount = () => this.degradedCount;
    new Counter({
      name: 'xiezhi_events_total',
      help: 'Events decided, by type and decision',
      labelNames: ['type', 'decision'],
      registers: [this.registry],
      collect() {
        eventCounts.copyTo(this);
      },
    });
    new Counter({
      name: 'xiezhi_degraded_decisions_total',
      help: 'Decisions made without some input (fail-open)',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(degradedCount());
      },
    });
    this.latency = new Histogram({
      name: 'xiezhi_decision_latency_seconds',
      help: 'Time to decide one event (features + strategy + state), excluding the log commit',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [this.registry],
    });
    new Counter({
      name: 'xiezhi_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['route', 'method', 'status'],
      registers: [this.registry],
      collect() {
        httpCounts.copyTo(this);
      },
    });
  }

  /** One HTTP request answered (route pattern, not the raw URL, so the label set stays small). */
  request(route: string, method: string, status: number): void {
    const s = String(status);
    this.httpCounts.inc(route + '\0' + method + '\0' + s, [route, method, s]);
  }

  decided(type: string, decision: string, seconds: number, degraded: boolean): void {
    this.eventCounts.inc(type + '\0' + decision, [type, decision]);
    this.latency.observe(seconds);
    if (degraded) this.degradedCount++;
  }
}
