// NATS JetStream transport: producers publish events to the XIEZHI_EVENTS stream; any number of service
// instances pull them through one shared durable consumer (each event goes to one instance), decide them and
// publish the decision to XIEZHI_DECISIONS. An event is acked only after its decision is committed to the log,
// so an instance dying mid-event leaves it to be redelivered (and idempotency makes the retry harmless).
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, connect, headers, type ConsumerMessages, type JetStreamClient, type JsMsg, type NatsConnection } from 'nats';

export const EVENTS_STREAM = 'XIEZHI_EVENTS';
export const DECISIONS_STREAM = 'XIEZHI_DECISIONS';
export const DEFAULT_DURABLE = 'xiezhi-deciders';

export interface NatsBusOptions {
  /** nats://host:port (default env XIEZHI_NATS_URL, then nats://127.0.0.1:4222). */
  url?: string;
  /** Subject prefix, so test runs and environments do not share streams (default 'xiezhi'). */
  prefix?: string;
  /** Stream names (defaults XIEZHI_EVENTS / XIEZHI_DECISIONS, suffixed for non-default prefixes). */
  streamSuffix?: string;
  connectTimeoutMs?: number;
}

/** What a consumer does with one event: the decision (or error body) to publish back. */
export type BusHandler = (tenantId: string, event: unknown) => Promise<{ ok: true; decision: unknown } | { ok: false; retry: boolean; error: unknown }>;

const enc = new TextEncoder();
const dec = new TextDecoder();
const SUBJECT_TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

export class NatsBus {
  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly prefix: string,
    readonly eventsStream: string,
    readonly decisionsStream: string,
  ) {}

  static async connect(o: NatsBusOptions = {}): Promise<NatsBus> {
    const nc = await connect({ servers: o.url ?? process.env.XIEZHI_NATS_URL ?? 'nats://127.0.0.1:4222', timeout: o.connectTimeoutMs ?? 3000 });
    const prefix = o.prefix ?? 'xiezhi';
    const suffix = o.streamSuffix ? `_${o.streamSuffix}` : '';
    const bus = new NatsBus(nc, nc.jetstream(), prefix, EVENTS_STREAM + suffix, DECISIONS_STREAM + suffix);
    await bus.ensureStreams();
    return bus;
  }

  private async ensureStreams(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    const want = [
      // Work queue: a message is removed once acked, so the durable consumer shares events across instances.
      { name: this.eventsStream, subjects: [`${this.prefix}.events.>`], retention: RetentionPolicy.Workqueue, duplicate_window: 120e9 },
      { name: this.decisionsStream, subjects: [`${this.prefix}.decisions.>`], retention: RetentionPolicy.Limits, max_age: 7 * 24 * 3600e9 },
    ];
    for (const s of want) {
      try {
        await jsm.streams.info(s.name);
      } catch {
        await jsm.streams.add({ ...s, storage: StorageType.File });
      }
    }
    try {
      await jsm.consumers.info(this.eventsStream, DEFAULT_DURABLE);
    } catch {
      await jsm.consumers.add(this.eventsStream, { durable_name: DEFAULT_DURABLE, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ack_wait: 30e9, max_deliver: 10 });
    }
  }

  /** Publishes one event for a tenant; JetStream drops a duplicate id within its two-minute window. */
  async publishEvent(tenantId: string, event: { id: string; type: string } & Record<string, unknown>): Promise<void> {
    if (!SUBJECT_TOKEN.test(tenantId)) throw new Error(`tenant id '${tenantId}' cannot be used in a NATS subject`);
    const type = SUBJECT_TOKEN.test(String(event.type)) ? event.type : 'unknown';
    const h = headers();
    h.set('Nats-Msg-Id', `${tenantId}:${event.id}`);
    await this.js.publish(`${this.prefix}.events.${tenantId}.${type}`, enc.encode(JSON.stringify(event)), { headers: h, msgID: `${tenantId}:${event.id}` });
  }

  /** Subject a decision for (tenant, eventId) is published on. */
  decisionSubject(tenantId: string, eventId: string): string {
    return `${this.prefix}.decisions.${tenantId}.${eventId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  }

  /**
   * Consumes events with the shared durable consumer until `stop()`. Each event is handled, its decision
   * published, then acked; a handler asking for a retry gets the message redelivered after a delay.
   */
  async consume(handler: BusHandler, opts: { maxInFlight?: number } = {}): Promise<{ stop(): Promise<void>; processed(): number }> {
    const consumer = await this.js.consumers.get(this.eventsStream, DEFAULT_DURABLE);
    const messages: ConsumerMessages = await consumer.consume({ max_messages: opts.maxInFlight ?? 256 });
    let processed = 0;
    const handle = async (m: JsMsg) => {
      const parts = m.subject.split('.');
      const tenantId = parts[parts.length - 2] ?? '';
      let body: unknown;
      try {
        body = JSON.parse(dec.decode(m.data));
      } catch {
        await this.publishDecision(tenantId, 'unparseable', { error: { code: 'malformed_json', message: 'event is not valid JSON', fields: [{ field: 'body', message: 'is not valid JSON' }] } });
        m.term();
        return;
      }
      const r = await handler(tenantId, body).catch((err: unknown) => ({ ok: false as const, retry: true, error: String(err) }));
      const eventId = typeof (body as { id?: unknown })?.id === 'string' ? (body as { id: string }).id : 'invalid';
      if (r.ok) {
        await this.publishDecision(tenantId, eventId, r.decision);
        m.ack();
      } else if (r.retry) {
        m.nak(1000);
        return;
      } else {
        await this.publishDecision(tenantId, eventId, r.error);
        m.term();
      }
      processed++;
    };
    const loop = (async () => {
      const inflight = new Set<Promise<void>>();
      for await (const m of messages) {
        const p = handle(m).finally(() => inflight.delete(p));
        inflight.add(p);
        if (inflight.size >= (opts.maxInFlight ?? 256)) await Promise.race(inflight);
      }
      await Promise.all(inflight);
    })();
    return {
      async stop() {
        await messages.close();
        await loop;
      },
      processed: () => processed,
    };
  }

  private async publishDecision(tenantId: string, eventId: string, payload: unknown): Promise<void> {
    await this.js.publish(this.decisionSubject(tenantId, eventId), enc.encode(JSON.stringify(payload)));
  }

  /** Subscribes (core NATS) to decisions of a tenant, e.g. for a producer waiting on answers. */
  subscribeDecisions(tenantId: string, onDecision: (d: unknown) => void): { unsubscribe(): void } {
    const sub = this.nc.subscribe(`${this.prefix}.decisions.${tenantId}.>`);
    void (async () => {
      for await (const m of sub) onDecision(JSON.parse(dec.decode(m.data)));
    })();
    return { unsubscribe: () => sub.unsubscribe() };
  }

  /** Removes this bus's streams (tests). */
  async destroyStreams(): Promise<void> {
    const jsm = await this.nc.jetstreamManager();
    for (const s of [this.eventsStream, this.decisionsStream]) await jsm.streams.delete(s).catch(() => false);
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}
