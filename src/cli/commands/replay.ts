// `xiezhi replay`: pushes a historical event log through the feature engine in time order and writes the
// feature vector each event saw (and the strategy's decision), one JSON line per event.
import { createWriteStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command } from '../main.js';

const HELP = `xiezhi replay — point-in-time feature vectors for training and backtests
回放历史事件，按时间顺序输出每个事件当时看到的特征（以及策略决策）

Usage: xiezhi replay --events <file.ndjson> --features <defs.json> [--strategy <draft.json>] [--out <features.ndjson>]

Options:
  --events    NDJSON file of RiskEvents (occurredAt as ISO-8601 or epoch ms)    事件文件
  --features  feature definitions: a JSON array or {"features": [...]}          特征定义
  --strategy  a JDM decision graph; its result is written as "decision"         策略（可选）
  --names     comma-separated feature names to output (default: all)            输出的特征名
  --out       output file (default: standard output)                            输出文件
  -h, --help  this help`;

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${what} file ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

export const command: Command = {
  summary: 'replay historical events through the features (and a strategy) in time order',
  async run(args) {
    let opts;
    try {
      opts = parseArgs({
        args,
        options: {
          events: { type: 'string' },
          features: { type: 'string' },
          strategy: { type: 'string' },
          names: { type: 'string' },
          out: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        strict: true,
      }).values;
    } catch (err) {
      console.error(`xiezhi replay: ${(err as Error).message}\n\n${HELP}`);
      return 2;
    }
    if (opts.help) {
      console.log(HELP);
      return 0;
    }
    if (!opts.events || !opts.features) {
      console.error(`xiezhi replay: --events and --features are required (需要 --events 和 --features)\n\n${HELP}`);
      return 2;
    }
    try {
      const { readEventsFile, replayEvents, validateDefinitions } = await import('../../features/index.js');
      const definitions = validateDefinitions(readJson(opts.features, 'features'));
      let strategy;
      if (opts.strategy) {
        const { compileDecision } = await import('../../decision/index.js');
        // A bare JDM graph, or a strategy document carrying its graph under `draft` (examples/strategies).
        const doc = readJson(opts.strategy, 'strategy') as Record<string, unknown>;
        const graph = doc && typeof doc === 'object' && !Array.isArray(doc.nodes) && doc.draft ? doc.draft : doc;
        strategy = compileDecision(graph as Parameters<typeof compileDecision>[0]);
      }
      const names = opts.names ? opts.names.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      const unknown = names?.filter((n) => !definitions.some((d) => d.name === n)) ?? [];
      if (unknown.length > 0) throw new Error(`unknown feature name(s): ${unknown.join(', ')}`);
      const events = await readEventsFile(opts.events);
      const out: NodeJS.WritableStream = opts.out ? createWriteStream(opts.out) : process.stdout;
      let n = 0;
      for await (const row of replayEvents(events, { definitions, names, strategy })) {
        if (!out.write(JSON.stringify(row) + '\n')) await new Promise((r) => out.once('drain', r));
        n++;
      }
      if (opts.out) {
        const file = out as ReturnType<typeof createWriteStream>;
        await new Promise<void>((resolve, reject) => {
          file.once('error', reject);
          file.end(() => resolve());
        });
      }
      console.error(`xiezhi replay: ${n} events replayed${opts.out ? ` → ${opts.out}` : ''}`);
      return 0;
    } catch (err) {
      console.error(`xiezhi replay: ${(err as Error).message}`);
      return 1;
    }
  },
};
