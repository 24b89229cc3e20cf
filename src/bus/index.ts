// Event transports: HTTP is built in (src/service); NATS JetStream for scale-out.
export { NatsBus, EVENTS_STREAM, DECISIONS_STREAM, DEFAULT_DURABLE } from './nats.js';
export type { NatsBusOptions, BusHandler } from './nats.js';
export { deciderHandler } from './decide-handler.js';
