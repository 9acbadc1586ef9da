/**
 * How to start a worker thread whose script is `<name>.ts` next to this
 * module (from source, under tsx or vitest: a small bootstrap registers tsx in
 * the worker first) or the bundled `<name>.js` in out/main (this module may
 * sit in out/main/chunks/). Undefined when neither can be found.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { WorkerOptions } from "node:worker_threads";

/** What to hand to `new Worker`: a script URL, or bootstrap code with `eval`. */
export interface WorkerScript {
  source: URL | string;
  options: Pick<WorkerOptions, "eval">;
}

const exists = (url: URL) => url.protocol === "file:" && existsSync(fileURLToPath(url));

/** The script of worker `name` (e.g. `export-worker`), or undefined when there is none. */
export function workerScript(name: string): WorkerScript | undefined {
  for (const candidate of [`./${name}.js`, `../${name}.js`]) {
    const url = new URL(candidate, import.meta.url);
    if (exists(url)) return { source: url, options: {} };
  }
  const source = new URL(`./${name}.ts`, import.meta.url);
  if (!exists(source)) return undefined;
  let tsx: string;
  try {
    tsx = import.meta.resolve("tsx/esm/api");
  } catch {
    return undefined;
  }
  const code =
    `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); ` +
    `return import(${JSON.stringify(source.href)}); });`;
  return { source: code, options: { eval: true } };
}
