/**
 * The child process of the Node-side benchmark (node-metrics.ts): bundled like
 * the app's CLI and started fresh for each run, so that every measurement
 * starts cold (no JIT, no caches in the process). Prints one JSON line.
 *
 * `node node-child.mjs <mode> <json options>`, modes:
 * - `open` {project, settingsDir}: what the app does when it opens a project
 *   (`openProject` through `callApi`, then the renderer's `getProject` as in
 *   `tagwerk serve PROJECT`);
 * - `agreement` {project, bootstrap}: `tagwerk agreement PROJECT --json`;
 * - `search` {project, settingsDir, queries, repeats}: `searchArticles` as the
 *   app calls it, the first query cold.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { callApi, createWorkbenchHandlers } from "../../electron/api/workbench-handlers";
import { agreementCommand } from "../../electron/cli/agreement-command";
import { openAppSettings } from "../../electron/settings/app-settings";
import type { ProjectOverview, SearchResults } from "../../shared/api";
import type { Result } from "../../shared/result";

/** Milliseconds from process start until this module runs (node startup and module loading). */
const loadedMs = performance.now();

/** A short hash of what a run produced, to check that optimisations change no result. */
function digest(data: unknown): string {
  const text = typeof data === "string" ? data : JSON.stringify(data);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** CPU time of this process so far (milliseconds, user + system, all threads). */
function cpu(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * CPU time of the main thread alone (milliseconds, Linux; 10 ms resolution),
 * without V8's helper threads and the thread pool: close to the wall time the
 * work would take on an idle machine. Null where /proc is missing.
 */
function mainThreadCpu(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

function value<T>(result: Result<unknown>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function handlersFor(settingsDir: string) {
  const settings = await openAppSettings(settingsDir);
  return createWorkbenchHandlers({ mode: "browser", version: "bench", settings, coder: "alice" });
}

async function open(options: { project: string; settingsDir: string }) {
  const c0 = cpu();
  const m0 = mainThreadCpu();
  const t0 = performance.now();
  const handlers = await handlersFor(options.settingsDir);
  const overview = value<ProjectOverview>(
    await callApi(handlers, "openProject", { path: options.project }),
    "openProject",
  );
  const t1 = performance.now();
  const openCpuMs = cpu() - c0;
  const m1 = mainThreadCpu();
  value(await callApi(handlers, "getProject", undefined), "getProject");
  const t2 = performance.now();
  return {
    loadedMs,
    openMs: t1 - t0,
    openCpuMs,
    openMainThreadMs: m0 === null || m1 === null ? null : m1 - m0,
    readyMs: t1,
    getProjectMs: t2 - t1,
    articles: overview.articles.length,
    coderEntries: overview.articles.reduce((n, a) => n + a.coders.length, 0),
    annotations: overview.articles.reduce(
      (n, a) => n + a.coders.reduce((m, c) => m + c.annotations, 0),
      0,
    ),
    problems: overview.problems.length,
    digest: digest(overview),
  };
}

async function agreement(options: { project: string; bootstrap: number }) {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const c0 = cpu();
  const m0 = mainThreadCpu();
  const t0 = performance.now();
  let code: number;
  try {
    code = await agreementCommand([
      options.project,
      "--json",
      "--bootstrap",
      String(options.bootstrap),
    ]);
  } finally {
    process.stdout.write = write;
  }
  const totalMs = performance.now() - t0;
  const cpuMs = cpu() - c0;
  const m1 = mainThreadCpu();
  const report = JSON.parse(chunks.join("")) as { articles: number };
  return {
    loadedMs,
    totalMs,
    cpuMs,
    mainThreadMs: m0 === null || m1 === null ? null : m1 - m0,
    exitCode: code,
    articles: report.articles,
    digest: digest(chunks.join("")),
  };
}

async function search(options: {
  project: string;
  settingsDir: string;
  queries: string[];
  repeats: number;
}) {
  const handlers = await handlersFor(options.settingsDir);
  value(await callApi(handlers, "openProject", { path: options.project }), "openProject");
  const ask = async (query: string) => {
    const t0 = performance.now();
    const results = value<SearchResults>(
      await callApi(handlers, "searchArticles", { query }),
      `searchArticles ${query}`,
    );
    return { ms: performance.now() - t0, results };
  };
  const [firstQuery] = options.queries;
  const first = await ask(firstQuery as string);
  const times: Record<string, number[]> = {};
  const hits: Record<
    string,
    { totalHits: number; articles: number; shown: number; digest: string }
  > = {};
  for (let r = 0; r < options.repeats; r++)
    for (const query of options.queries) {
      const { ms, results } = await ask(query);
      const list = times[query] ?? [];
      list.push(ms);
      times[query] = list;
      hits[query] = {
        totalHits: results.totalHits,
        articles: results.articlesWithHits,
        shown: results.hits.length,
        digest: digest(results),
      };
    }
  return { loadedMs, firstQuery, firstMs: first.ms, times, hits };
}

const [mode, json] = process.argv.slice(2);
const options = JSON.parse(json ?? "{}");
const run =
  mode === "open"
    ? open(options)
    : mode === "agreement"
      ? agreement(options)
      : mode === "search"
        ? search(options)
        : Promise.reject(new Error(`unknown mode ${mode}`));
const result = await run;
process.stdout.write(`${JSON.stringify(result)}\n`);
