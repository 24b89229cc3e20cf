// Prometheus metrics of one app instance (own registry, so several apps can live in one process in tests).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  private readonly events: Counter<'type' | 'decision'>;
  private readonly degradedTotal: Counter;
  private readonly latency: Histogram;
  readonly http: Counter<'route' | 'method' | 'status'>;

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'xiezhi_' });
    this.events = new Counter({ name: 'xiezhi_events_total', help: 'Events decided, by type and decision', labelNames: ['type', 'decision'], registers: [this.registry] });
    this.degradedTotal = new Counter({ name: 'xiezhi_degraded_decisions_total', help: 'Decisions made without some input (fail-open)', registers: [this.registry] });
    this.latency = new Histogram({
      name: 'xiezhi_decision_latency_seconds',
      help: 'Time to decide one event (features + strategy + state), excluding the log commit',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
      registers: [this.registry],
    });
    this.http = new Counter({ name: 'xiezhi_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'method', 'status'], registers: [this.registry] });
  }

  decided(type: string, decision: string, seconds: number, degraded: boolean): void {
    this.events.inc({ type, decision });
    this.latency.observe(seconds);
    if (degraded) this.degradedTotal.inc();
  }
}
