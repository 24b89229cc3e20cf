#!/usr/bin/env node
// The `xiezhi` command: a thin dispatcher. Each subcommand lives in src/cli/commands/<name>.ts and is loaded
// only when used, so `xiezhi test` never pays for the HTTP server or database drivers.
import { pathToFileURL } from 'node:url';

export interface Command {
  /** One line for `xiezhi --help`. */
  summary: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}

const commands: Record<string, string> = {
  test: './commands/test.js',
  eval: './commands/eval.js',
  start: './commands/start.js',
  serve: './commands/serve.js',
  migrate: './commands/migrate.js',
  demo: './commands/demo.js',
  replay: './commands/replay.js',
  statement: './commands/statement.js',
  model: './commands/model.js',
  graph: './commands/graph.js',
};

async function load(name: string): Promise<Command | undefined> {
  const rel = commands[name];
  if (!rel) return undefined;
  const url = new URL(rel, import.meta.url);
  // Running from source (tsx), modules carry .ts; compiled, .js.
  const candidates = import.meta.url.endsWith('.ts') ? [url.href.replace(/\.js$/, '.ts')] : [url.href];
  for (const href of candidates) {
    try {
      const mod = (await import(href)) as { command?: Command };
      if (mod.command) return mod.command;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(href.split('/').pop()!)) {
        return undefined;
      }
      throw err;
    }
  }
  return undefined;
}

async function help(): Promise<void> {
  const lines = ['xiezhi — 獬豸 risk-control platform', '', 'Usage: xiezhi <command> [options]   (xiezhi <command> --help for details)', '', 'Commands:'];
  for (const name of Object.keys(commands)) {
    const cmd = await load(name);
    if (cmd) lines.push(`  ${name.padEnd(10)} ${cmd.summary}`);
  }
  console.log(lines.join('\n'));
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help();
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', pathToFileURL(process.argv[1] ?? '.')), 'utf8')) as { version: string };
    console.log(pkg.version);
    return 0;
  }
  const cmd = await load(name);
  if (!cmd) {
    console.error(`xiezhi: unknown command '${name}' (try xiezhi --help)`);
    return 2;
  }
  return cmd.run(rest);
}

const isEntry = process.argv[1] && /[\\/]cli[\\/]main\.(ts|js)$/.test(process.argv[1]) || process.argv[1]?.endsWith('xiezhi.js');
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`xiezhi: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
