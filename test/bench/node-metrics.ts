/**
 * Node-side metrics of PERFORMANCE.md, measured through the same code paths
 * the app uses: M6 edit → durable on disk (the `saveCoding` handler and the
 * store behind it), M7 cold project open (a fresh Node process per run), M9
 * the agreement report as `tagwerk agreement` computes it, M10 search across
 * all texts (`searchArticles`). Cold measurements run in node-child.ts,
 * bundled like the app's CLI; the cached workloads are never modified.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { callApi, createWorkbenchHandlers } from "../../electron/api/workbench-handlers";
import { openAppSettings } from "../../electron/settings/app-settings";
import type { AnnotationInput, ArticleView, ProjectOverview } from "../../shared/api";
import type { StoredAnnotation } from "../../shared/project-files";
import type { Result } from "../../shared/result";
import { median, percentile, percentiles, round, sample } from "./measure";
import type {
  AgreementResult,
  EditKind,
  OpenResult,
  SearchResult,
  Spread,
  StoreResult,
} from "./node-results";

/** The repository root. */
const REPO = path.resolve(import.meta.dirname, "..", "..");

export type {
  AgreementResult,
  OpenResult,
  SearchResult,
  Spread,
  StoreResult,
} from "./node-results";

/** Mulberry32, seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function spread(values: number[]): Spread {
  return { ...percentiles(values), max: round(Math.max(...values)) };
}

/** A sample of values that may be unknown (null when any is). */
function sampleOrNull(values: (number | null)[]) {
  return values.every((v) => v !== null) ? sample(values as number[]) : null;
}

function value<T>(result: Result<unknown>, what: string): T {
  if (!result.ok) throw new Error(`${what}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** The workload's name, from its cached folder (`…/full/W5` → `W5`, quick ones `W5-quick`). */
function workloadName(project: string): string {
  const name = path.basename(project);
  return path.basename(path.dirname(project)) === "quick" ? `${name}-quick` : name;
}

interface FileState {
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
}

/** Every file under `root` with what identifies its content on disk (synchronous: many small stats). */
function snapshot(root: string): Map<string, FileState> {
  const files = new Map<string, FileState>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const s = statSync(full, { bigint: true });
        files.set(full, { ino: s.ino, size: s.size, mtimeNs: s.mtimeNs });
      }
    }
  };
  walk(root);
  return files;
}

/** Files created or replaced between two snapshots, with their sizes now. */
function changed(before: Map<string, FileState>, after: Map<string, FileState>) {
  const files: { file: string; bytes: number }[] = [];
  for (const [file, now] of after) {
    const was = before.get(file);
    if (!was || was.ino !== now.ino || was.size !== now.size || was.mtimeNs !== now.mtimeNs)
      files.push({ file, bytes: Number(now.size) });
  }
  return files;
}

/** Bytes this process has written with write() so far (Linux), or null where that is not known. */
function writtenBytes(): number | null {
  try {
    const match = /^wchar: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** A full garbage collection, if V8 lets the process ask for one. */
function collectGarbage(): void {
  try {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
  } catch {
    // Without it the first edits may meet a collection; the numbers say so.
  }
}

/** The handlers of the app (browser mode) with settings in `settingsDir`, coding as alice. */
async function appHandlers(settingsDir: string) {
  const settings = await openAppSettings(settingsDir);
  return createWorkbenchHandlers({ mode: "browser", version: "bench", settings, coder: "alice" });
}

const ENTITY_LABELS = ["PER", "ORG", "LOC"];

/** The input the renderer would send to save `a` again (the server recomputes quote and context). */
function asInput(a: StoredAnnotation): AnnotationInput {
  const input: AnnotationInput = {
    id: a.id,
    kind: a.kind,
    label: a.label,
    start: a.start,
    end: a.end,
  };
  for (const key of ["value", "target", "polarity", "holder", "entity", "note"] as const) {
    const v = a[key];
    if (v !== undefined) input[key] = v;
  }
  return input;
}

/**
 * M6. Copies the whole project to a temporary folder, opens it as the app
 * does, and makes `edits` single edits (add, relabel, delete in turn, at
 * seeded random spots) to coder alice's file of one seeded article. Timed:
 * `callApi(handlers, "saveCoding", …)` until it resolves, i.e. until the
 * edit is durable (temp file, fsync, rename, folder fsync). Bytes per edit:
 * what the process wrote during the edit (`wchar` of /proc/self/io; where
 * that is missing, the sizes of the files each edit replaced). Which files
 * changed at all: every file's inode, size and mtime compared before the
 * first and after the last edit. One full garbage collection runs after the
 * open, before the edits (an app would collect in the pause after opening).
 */
export async function measureStore(
  project: string,
  { edits = 50, seed = 1 }: { edits?: number; seed?: number } = {},
): Promise<StoreResult> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "tagwerk-m6-"));
  try {
    const root = path.join(tmp, "project");
    await cp(project, root, { recursive: true });
    const handlers = await appHandlers(path.join(tmp, "settings"));
    const overview = value<ProjectOverview>(
      await callApi(handlers, "openProject", { path: root }),
      "openProject",
    );
    const rnd = random(seed);
    const ids = overview.articles.map((a) => a.id).sort();
    const articleId = ids[Math.floor(rnd() * ids.length)] as string;
    const view = value<ArticleView>(
      await callApi(handlers, "getArticle", { articleId }),
      "getArticle",
    );
    let annotations = view.coders.find((c) => c.coder === "alice")?.annotations ?? [];
    const initial = annotations.length;
    const length = [...view.text].length;
    const codingFile = path.join(root, "coding", articleId, "alice.json");
    const codingFileBytes = (await stat(codingFile)).size;
    const articleTextBytes = (await stat(path.join(root, "articles", `${articleId}.txt`))).size;
    const kinds: EditKind[] = ["add", "relabel", "delete"];
    const times: number[] = [];
    const cpuTimes: number[] = [];
    const perKind: Record<EditKind, number[]> = { add: [], relabel: [], delete: [] };
    const bytes: number[] = [];
    let filesPerEdit = 0;
    // Bytes written: this process's write() bytes (Linux /proc/self/io, nothing else
    // writes during an edit); elsewhere, the sizes of the files each edit replaced.
    const perEditSnapshots = writtenBytes() === null;
    const start = snapshot(root);
    let before = start;
    // What opening the project left behind is collected now, as an idle app would.
    collectGarbage();
    for (let i = 0; i < edits; i++) {
      const kind = kinds[i % kinds.length] as EditKind;
      let changes: { articleId: string; upsert?: AnnotationInput[]; remove?: string[] };
      if (kind === "add") {
        const start = Math.floor(rnd() * (length - 30));
        const label = ENTITY_LABELS[Math.floor(rnd() * ENTITY_LABELS.length)] as string;
        const id = `alice-bench-${String(i).padStart(4, "0")}`;
        const end = start + 3 + Math.floor(rnd() * 20);
        changes = { articleId, upsert: [{ id, kind: "entity", label, start, end }] };
      } else {
        const entities = annotations.filter((a) => a.kind === "entity");
        const target = entities[Math.floor(rnd() * entities.length)] as StoredAnnotation;
        if (kind === "relabel") {
          const others = ENTITY_LABELS.filter((l) => l !== target.label);
          const label = others[Math.floor(rnd() * others.length)] as string;
          changes = { articleId, upsert: [{ ...asInput(target), label }] };
        } else changes = { articleId, remove: [target.id] };
      }
      const w0 = writtenBytes();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const saved = value<{ annotations: StoredAnnotation[] }>(
        await callApi(handlers, "saveCoding", changes),
        `saveCoding (${kind})`,
      );
      const ms = performance.now() - t0;
      const { user, system } = process.cpuUsage(c0);
      cpuTimes.push((user + system) / 1000);
      const w1 = writtenBytes();
      annotations = saved.annotations;
      times.push(ms);
      perKind[kind].push(ms);
      if (perEditSnapshots) {
        const after = snapshot(root);
        const rewritten = changed(before, after);
        bytes.push(rewritten.reduce((n, f) => n + f.bytes, 0));
        filesPerEdit = Math.max(filesPerEdit, rewritten.length);
        before = after;
      } else bytes.push((w1 ?? 0) - (w0 ?? 0));
    }
    const end = snapshot(root);
    const filesChanged = changed(start, end).map((f) => path.relative(root, f.file));
    if (!perEditSnapshots) filesPerEdit = filesChanged.length;
    const projectBytes = [...end.values()].reduce((n, f) => n + Number(f.size), 0);
    return {
      metric: "M6",
      workload: workloadName(project),
      article: articleId,
      annotations: initial,
      edits,
      latency: spread(times),
      firstMs: round(times[0] ?? Number.NaN),
      cpu: spread(cpuTimes),
      perKind: {
        add: spread(perKind.add),
        relabel: spread(perKind.relabel),
        delete: spread(perKind.delete),
      },
      bytesPerEdit: { median: median(bytes), max: Math.max(...bytes) },
      filesPerEdit,
      filesChanged,
      codingFileBytes,
      articleTextBytes,
      projectBytes,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

let bundled: Promise<string> | null = null;

/**
 * Bundles node-child.ts like the app's CLI: dependencies stay in node_modules
 * and dynamic imports become chunks loaded on first use; once per process.
 */
function childScript(): Promise<string> {
  bundled ??= (async () => {
    // One folder per benchmark process, so that two runs never rebuild each other's child.
    const outdir = path.join(REPO, ".cache", "bench", `node-child-${process.pid}`);
    await mkdir(outdir, { recursive: true });
    process.once("exit", () => rmSync(outdir, { recursive: true, force: true }));
    await build({
      entryPoints: { "node-child": path.join(REPO, "test", "bench", "node-child.ts") },
      outdir,
      outExtension: { ".js": ".mjs" },
      bundle: true,
      splitting: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      logLevel: "error",
    });
    return path.join(outdir, "node-child.mjs");
  })();
  return bundled;
}

/** Runs the child in a fresh Node process; its JSON answer and the wall time from spawn to exit. */
async function runChild<T>(
  mode: string,
  options: object,
  nodeArgs: string[] = [],
): Promise<{ result: T; processMs: number }> {
  const script = await childScript();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, script, mode, JSON.stringify(options)], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d;
  });
  child.stderr.on("data", (d: Buffer) => {
    err += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const processMs = performance.now() - t0;
  if (code !== 0) throw new Error(`bench child ${mode} failed (${code}): ${err}`);
  const line = out.trim().split("\n").at(-1) ?? "";
  return { result: JSON.parse(line) as T, processMs };
}

/** Options of the cold measurements: runs, and Node flags such as `--cpu-prof` for profiling. */
export interface ColdOptions {
  runs?: number;
  nodeArgs?: string[];
}

/**
 * M7. Per run a fresh Node process loads the bundled back end, creates the
 * API handlers (browser mode, settings in a temporary folder) and calls
 * `openProject` through `callApi`, as the app does when a project is opened.
 * Timed (`openMs`): from creating the handlers until `openProject` resolved
 * with the overview, i.e. the article list with per-coder status and counts.
 * Also reported: `readyMs` from the process's start to the same point (node
 * startup and module loading included), the CPU time of the open, the
 * renderer's following `getProject`, and the wall time from spawn to exit.
 * The OS file cache is warm (it is not dropped); the process is cold.
 */
export async function measureOpen(
  project: string,
  { runs = 5, nodeArgs = [] }: ColdOptions = {},
): Promise<OpenResult> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "tagwerk-m7-"));
  try {
    type Child = {
      loadedMs: number;
      openMs: number;
      openCpuMs: number;
      openMainThreadMs: number | null;
      readyMs: number;
      getProjectMs: number;
      articles: number;
      coderEntries: number;
      annotations: number;
      problems: number;
      digest: string;
    };
    const results: { result: Child; processMs: number }[] = [];
    for (let i = 0; i < runs; i++)
      results.push(
        await runChild<Child>(
          "open",
          { project, settingsDir: path.join(tmp, `settings-${i}`) },
          nodeArgs,
        ),
      );
    const last = (results.at(-1) as { result: Child }).result;
    return {
      metric: "M7",
      workload: workloadName(project),
      runs,
      openMs: sample(results.map((r) => r.result.openMs)),
      openCpuMs: sample(results.map((r) => r.result.openCpuMs)),
      openMainThreadMs: sampleOrNull(results.map((r) => r.result.openMainThreadMs)),
      readyMs: sample(results.map((r) => r.result.readyMs)),
      getProjectMs: sample(results.map((r) => r.result.getProjectMs)),
      startupMs: sample(results.map((r) => r.result.loadedMs)),
      processMs: sample(results.map((r) => r.processMs)),
      articles: last.articles,
      coderEntries: last.coderEntries,
      annotations: last.annotations,
      problems: last.problems,
      digest: last.digest,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * M9. Per run a fresh Node process runs `tagwerk agreement PROJECT --json
 * --bootstrap N` (the CLI's `agreementCommand`, its output captured).
 * Timed (`totalMs`): the whole command — reading the project, every
 * coefficient with its bootstrap interval, and writing the JSON.
 */
export async function measureAgreement(
  project: string,
  { bootstrap = 1000, runs = 3, nodeArgs = [] }: ColdOptions & { bootstrap?: number } = {},
): Promise<AgreementResult> {
  type Child = {
    loadedMs: number;
    totalMs: number;
    cpuMs: number;
    mainThreadMs: number | null;
    articles: number;
    digest: string;
  };
  const results: { result: Child; processMs: number }[] = [];
  for (let i = 0; i < runs; i++)
    results.push(await runChild<Child>("agreement", { project, bootstrap }, nodeArgs));
  const last = (results.at(-1) as { result: Child }).result;
  return {
    metric: "M9",
    workload: workloadName(project),
    runs,
    bootstrap,
    totalMs: sample(results.map((r) => r.result.totalMs)),
    cpuMs: sample(results.map((r) => r.result.cpuMs)),
    mainThreadMs: sampleOrNull(results.map((r) => r.result.mainThreadMs)),
    startupMs: sample(results.map((r) => r.result.loadedMs)),
    processMs: sample(results.map((r) => r.processMs)),
    articles: last.articles,
    digest: last.digest,
  };
}

/**
 * The seeded queries of M10: a frequent word, names (one of them rarer),
 * phrases, accent- and case-blind spellings, and a query with no hit.
 */
export const SEARCH_QUERIES = [
  "Verhandlungen",
  "Kaja Kallas",
  "Soldaten in Charkiw",
  "ohne verbindliche Garantien",
  "zoe ozturk",
  "ZURICH",
  "Quarkstrudel",
];

/**
 * M10. A fresh Node process opens the project through the API, then calls
 * `searchArticles` (the app's default limit of hits) for each query. Timed:
 * each `callApi(handlers, "searchArticles", …)` until it resolves; the first
 * query is reported on its own (it includes building the search index), then
 * every query `repeats` times for p50/p95/max.
 */
export async function measureSearch(
  project: string,
  {
    queries = SEARCH_QUERIES,
    repeats = 5,
    nodeArgs = [],
  }: { queries?: string[]; repeats?: number; nodeArgs?: string[] } = {},
): Promise<SearchResult> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "tagwerk-m10-"));
  try {
    type Child = {
      firstQuery: string;
      firstMs: number;
      times: Record<string, number[]>;
      hits: Record<string, { totalHits: number; articles: number; shown: number; digest: string }>;
    };
    const { result } = await runChild<Child>(
      "search",
      { project, settingsDir: path.join(tmp, "settings"), queries, repeats },
      nodeArgs,
    );
    const all = Object.values(result.times).flat();
    const perQuery: SearchResult["perQuery"] = {};
    for (const [query, times] of Object.entries(result.times))
      perQuery[query] = {
        ...(result.hits[query] as Omit<SearchResult["perQuery"][string], "medianMs">),
        medianMs: round(percentile(times, 50)),
      };
    return {
      metric: "M10",
      workload: workloadName(project),
      first: { query: result.firstQuery, ms: round(result.firstMs) },
      latency: spread(all),
      perQuery,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
