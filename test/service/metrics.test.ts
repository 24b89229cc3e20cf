import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Metrics } from '../../src/service/metrics.js';

test('metrics: request and decision counts appear in /metrics text, and a second scrape does not count them twice', async () => {
  const m = new Metrics(false);
  for (let i = 0; i < 3; i++) m.request('/v1/events', 'POST', 200);
  m.request('/v1/events', 'POST', 400);
  m.decided('payment', 'approve', 0.0003, false);
  m.decided('payment', 'approve', 0.002, true);
  m.decided('login', 'reject', 0.0001, false);
  for (let scrape = 0; scrape < 2; scrape++) {
    const text = await m.registry.metrics();
    assert.match(text, /xiezhi_http_requests_total\{route="\/v1\/events",method="POST",status="200"\} 3\n/);
    assert.match(text, /xiezhi_http_requests_total\{route="\/v1\/events",method="POST",status="400"\} 1\n/);
    assert.match(text, /xiezhi_events_total\{type="payment",decision="approve"\} 2\n/);
    assert.match(text, /xiezhi_events_total\{type="login",decision="reject"\} 1\n/);
    assert.match(text, /xiezhi_degraded_decisions_total 1\n/);
    assert.match(text, /xiezhi_decision_latency_seconds_count 3\n/);
    assert.match(text, /xiezhi_decision_latency_seconds_bucket\{le="0.00025"\} 1\n/);
  }
  m.request('/v1/events', 'POST', 200);
  assert.match(await m.registry.metrics(), /status="200"\} 4\n/);
});
