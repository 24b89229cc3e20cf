// Writes the synthetic demo traffic as NDJSON (one event per line) for POST /v1/events:import or your own tools:
//   npx tsx examples/demo/generate.ts --applicants 500 --rings 4 > demo.ndjson
//   curl -s -X POST http://127.0.0.1:8080/v1/events:import -H "Authorization: Bearer $KEY" \
//        -H 'Content-Type: application/x-ndjson' --data-binary @demo.ndjson
// With --labels <file>, the default/fraud/good labels are written there too (NDJSON of {eventId,label,observedAt}).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateDemo } from '../../src/service/demo-data.js';

const { values } = parseArgs({
  options: { applicants: { type: 'string' }, rings: { type: 'string' }, 'ring-size': { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, labels: { type: 'string' } },
});
const n = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
const data = generateDemo({ applicants: n(values.applicants, 300), rings: n(values.rings, 3), ringSize: n(values['ring-size'], 8), days: n(values.days, 7), seed: n(values.seed, 20261124) });
for (const e of data.events) process.stdout.write(JSON.stringify({ ...e, occurredAt: new Date(e.occurredAt).toISOString() }) + '\n');
if (values.labels) writeFileSync(values.labels, data.labels.map((l) => JSON.stringify({ ...l, observedAt: new Date(l.observedAt).toISOString() })).join('\n') + '\n');
