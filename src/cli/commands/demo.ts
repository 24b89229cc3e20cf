// `xiezhi demo`: sends realistic synthetic traffic (applicants, devices, IPs, phones, payments, planted
// fraud rings sharing devices and phones, defaults as labels) to a running Xiezhi server over HTTP.
import { parseArgs } from 'node:util';
import type { Command } from '../main.js';
import { generateDemo } from '../../service/demo-data.js';

const HELP = `xiezhi demo — send synthetic traffic to a running server

Options:
  --url <url>            XIEZHI_URL       http://127.0.0.1:8080
  --api-key <key>        XIEZHI_API_KEY   (required: the key printed by xiezhi start)
  --applicants <n>       300              normal applicants
  --rings <n>            3                planted fraud rings (shared devices and phones)
  --ring-size <n>        8
  --days <n>             7                spread events over the last n days
  --seed <n>             random           same seed, same data (event ids differ per run unless --id-prefix)
  --id-prefix <p>        demo-<time>
  --no-labels                             do not post default/fraud/good labels
  -h, --help`;

export const command: Command = {
  summary: 'send synthetic demo traffic (applicants, fraud rings, labels) to a running server',
  async run(args) {
    let v;
    try {
      v = parseArgs({
        args,
        strict: true,
        options: {
          url: { type: 'string' },
          'api-key': { type: 'string' },
          applicants: { type: 'string' },
          rings: { type: 'string' },
          'ring-size': { type: 'string' },
          days: { type: 'string' },
          seed: { type: 'string' },
          'id-prefix': { type: 'string' },
          'no-labels': { type: 'boolean' },
          help: { type: 'boolean', short: 'h' },
        },
      }).values;
    } catch (err) {
      console.error(`xiezhi demo: ${(err as Error).message}`);
      return 2;
    }
    if (v.help) {
      console.log(HELP);
      return 0;
    }
    const url = (v.url ?? process.env.XIEZHI_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
    const key = v['api-key'] ?? process.env.XIEZHI_API_KEY ?? process.env.XIEZHI_BOOTSTRAP_API_KEY;
    if (!key) {
      console.error('xiezhi demo: --api-key (or XIEZHI_API_KEY) is required: use the key printed by `xiezhi start`');
      return 2;
    }
    const num = (name: string, s: string | undefined, dflt: number) => {
      if (s === undefined) return dflt;
      if (!/^\d+$/.test(s)) throw new Error(`--${name} must be a whole number, got '${s}'`);
      return Number(s);
    };
    let data;
    try {
      data = generateDemo({
        applicants: num('applicants', v.applicants, 300),
        rings: num('rings', v.rings, 3),
        ringSize: num('ring-size', v['ring-size'], 8),
        days: num('days', v.days, 7),
        seed: num('seed', v.seed, Math.floor(Math.random() * 2 ** 31)),
        idPrefix: v['id-prefix'] ?? `demo-${Date.now().toString(36)}`,
      });
    } catch (err) {
      console.error(`xiezhi demo: ${(err as Error).message}`);
      return 2;
    }
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const counts: Record<string, number> = {};
    const ringUsers = new Set(data.rings.flat());
    const ringOutcome: Record<string, number> = {};
    let errors = 0;
    const t0 = performance.now();
    for (let i = 0; i < data.events.length; i += 200) {
      const chunk = data.events.slice(i, i + 200);
      const res = await fetch(`${url}/v1/events:batch`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ events: chunk.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt).toISOString() })) }),
      }).catch((err: unknown) => {
        throw new Error(`cannot reach ${url}: ${(err as Error).message} (is \`xiezhi start\` running?)`);
      });
      if (res.status === 401) {
        console.error('xiezhi demo: the server refused the API key (401)');
        return 1;
      }
      if (!res.ok) {
        console.error(`xiezhi demo: ${res.status} ${await res.text()}`);
        return 1;
      }
      const body = (await res.json()) as { results: { decision?: string; error?: unknown }[] };
      body.results.forEach((r, j) => {
        if (r.error) errors++;
        else if (r.decision) {
          counts[r.decision] = (counts[r.decision] ?? 0) + 1;
          const e = chunk[j]!;
          if (e.type === 'loan_application' && ringUsers.has(e.subject.userId ?? '')) ringOutcome[r.decision] = (ringOutcome[r.decision] ?? 0) + 1;
        }
      });
      process.stdout.write(`\r  sent ${Math.min(i + 200, data.events.length)}/${data.events.length} events`);
    }
    let labels = 0;
    if (!v['no-labels']) {
      for (const l of data.labels) {
        const res = await fetch(`${url}/v1/labels`, { method: 'POST', headers, body: JSON.stringify({ ...l, observedAt: new Date(l.observedAt).toISOString(), source: 'demo' }) });
        if (res.ok) labels++;
      }
    }
    const secs = (performance.now() - t0) / 1000;
    console.log(`\n  decisions: ${JSON.stringify(counts)}; errors: ${errors}; labels: ${labels}; ${Math.round(data.events.length / secs)} events/s`);
    console.log(`  planted rings: ${data.rings.length} × ${data.rings[0]?.length ?? 0} applicants; their loan applications were ${JSON.stringify(ringOutcome)}`);
    return errors > 0 ? 1 : 0;
  },
};
