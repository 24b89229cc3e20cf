// Ring detection at a realistic shape (the benchmark's generator at small scale): planted rings are found
// and background applicants who merely share a value are not flagged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinkGraph } from '../../src/graph/link-graph.js';
import { detectRings } from '../../src/graph/rings.js';
import { ringRecovery, syntheticApplicants } from '../../bench/graph/index.js';

test('planted rings are recovered with high precision and recall', () => {
  const data = syntheticApplicants(6000, 11);
  const g = new LinkGraph({ config: { degreeCap: 30 } }); // the 30 public IPs carry ~40 applicants each here
  g.applyAll(data.events);
  for (const l of data.labels) g.addLabel(l.subject, l.label);
  const rep = detectRings(g, { seed: 42 });
  const rec = ringRecovery(rep.rings, data.rings);
  assert.ok(rec.recall >= 0.85, `recall ${rec.recall}`);
  assert.ok(rec.precision >= 0.85, `precision ${rec.precision}`);
  assert.ok(rep.capped.length >= 20, 'public IP hubs are capped');
  assert.ok(rep.components.largestSubjects < 200, `no giant component (${rep.components.largestSubjects})`);
});
