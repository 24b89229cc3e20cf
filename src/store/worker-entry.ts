// How to start one of the store's worker threads, from source or from the build. From source the worker is
// the .ts file next to this one; from the build, the .js. Node 20 does not carry the `--import tsx` hooks
// into worker threads, so from source a small bootstrap (run with `eval: true`) registers tsx first.
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  entry: string;
  eval: boolean;
}

/** The entry for `<name>.ts|js` in this directory. */
export function workerEntry(name: string): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  const file = here.replace(/worker-entry\.(ts|js)$/, `${name}.$1`);
  if (!file.endsWith('.ts')) return { entry: file, eval: false };
  return {
    entry:
      `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})` +
      `.then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })`,
    eval: true,
  };
}
