/**
 * `npm run bench [-- --quick] [-- --out DIR] [-- --only browser|node] [-- --no-build] [-- --report]`:
 * builds the app, generates the seeded workloads (cached in `.cache/workloads`),
 * measures Tagwerk, the static-HTML floor and the peers in Debian's Chromium
 * (M1–M5, W1–W4) and the Node-side metrics (M6–M10, W5–W6), checks the
 * PERFORMANCE.md targets and writes `results.json` plus `results.md`.
 *
 * A full run writes to `test/bench/results/` (committed); `--quick` uses
 * scaled-down workloads, one run and short time limits, and writes to
 * `.cache/bench/quick/` — it proves the harness works (CI), its numbers are
 * not the benchmark.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../support/chromium";
import { REPO } from "../support/serve-process";
import type { BrowserMeasurement } from "./measure";
import { buildPeerPages, measurePeer } from "./peers/run-peer";
import {
  type BenchResults,
  checkTargets,
  type Machine,
  markdown,
  type WorkloadFacts,
} from "./report";
import { measureTagwerk } from "./tagwerk-browser";
import { quickSpec, WORKLOADS, workloadDocument, workloadProject } from "./workloads";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const outArg = args.indexOf("--out");
const outDir =
  outArg >= 0
    ? path.resolve(args[outArg + 1] as string)
    : path.join(REPO, quick ? ".cache/bench/quick" : "test/bench/results");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;

/** Runs, spots and time limits: the full benchmark, or the quick proof that the harness works. */
const settings = quick
  ? {
      runs: 1,
      spots: 3,
      timeoutMs: {
        tagwerk: 60_000,
        floor: 30_000,
        "text-annotator": 30_000,
        "label-studio": 30_000,
      },
    }
  : {
      runs: 3,
      spots: 50,
      timeoutMs: {
        tagwerk: 120_000,
        floor: 60_000,
        "text-annotator": 120_000,
        "label-studio": 120_000,
      },
    };

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function machine(chromium: string): Machine {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: REPO,
      encoding: "utf8",
    }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1e9),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    chromium,
    commit,
    loadAtStart: os.loadavg()[0] ?? 0,
  };
}

/** Share of spans that overlap or nest another one. */
function overlapping(spans: { start: number; end: number }[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const hit = new Set<number>();
  let reach = -1;
  let reachIndex = -1;
  sorted.forEach((s, i) => {
    if (s.start < reach) {
      hit.add(i);
      hit.add(reachIndex);
    }
    if (s.end > reach) {
      reach = s.end;
      reachIndex = i;
    }
  });
  return spans.length === 0 ? 0 : hit.size / spans.length;
}

function facts(name: string): WorkloadFacts {
  const base = WORKLOADS[name];
  if (!base) throw new Error(`unknown workload ${name}`);
  const spec = quick ? quickSpec(base) : base;
  if (spec.articles === 1) {
    const doc = workloadDocument(name, quick);
    return {
      articles: 1,
      chars: [...doc.text].length,
      spans: doc.spans.length,
      coders: spec.coders.length,
      overlapping: Math.round(overlapping(doc.spans) * 1000) / 1000,
    };
  }
  return {
    articles: spec.articles,
    chars: spec.chars,
    spans: spec.articles * spec.spansPerArticle * spec.coders.length,
    coders: spec.coders.length,
  };
}

async function browserMetrics(browser: Browser): Promise<BrowserMeasurement[]> {
  const measurements: BrowserMeasurement[] = [];
  const keep = (m: BrowserMeasurement) => {
    measurements.push(m);
    const m1 = m.timeout
      ? `timeout after ${m.timeout.afterMs} ms`
      : m.error
        ? `error: ${m.error}`
        : `M1 ${m.m1?.median} ms`;
    log(`${m.tool} ${m.workload}: ${m1}`);
  };
  await buildPeerPages();
  for (const w of ["W1", "W2", "W3", "W4"]) {
    const project = await workloadProject(w, quick);
    const tagwerk = await measureTagwerk(browser, w, project, `${w.toLowerCase()}-00000`, {
      runs: settings.runs,
      spots: settings.spots,
      timeoutMs: settings.timeoutMs.tagwerk,
    });
    keep(tagwerk);
    const doc = workloadDocument(w, quick);
    // The peers get the same W1–W3 documents; the floor also W4 (one paragraph).
    const tools =
      w === "W4" ? (["floor"] as const) : (["floor", "text-annotator", "label-studio"] as const);
    for (const tool of tools)
      keep(
        await measurePeer(browser, tool, doc, {
          runs: settings.runs,
          spots: settings.spots,
          timeoutMs: settings.timeoutMs[tool],
        }),
      );
  }
  return measurements;
}

/** Runs one Node-side metric, recording an error instead of stopping the run. */
async function attempt<T>(label: string, run: () => Promise<T>): Promise<T | { error: string }> {
  const started = performance.now();
  try {
    const value = await run();
    log(`${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return value;
  } catch (error) {
    log(`${label} failed: ${(error as Error).message}`);
    return { error: (error as Error).message.split("\n")[0] as string };
  }
}

async function nodeMetrics(): Promise<BenchResults["node"]> {
  const { measureStore, measureOpen, measureAgreement, measureSearch } = await import(
    "./node-metrics"
  );
  const { measureExport } = await import("./export-throughput");
  const node: BenchResults["node"] = { M6: {}, M7: {}, M8: {}, M9: {}, M10: {} };
  for (const w of ["W5", "W6"] as const) {
    const project = await workloadProject(w, quick);
    (node.M6 as Record<string, unknown>)[w] = await attempt(`M6 ${w}`, () =>
      measureStore(project, { edits: quick ? 20 : 200 }),
    );
    (node.M7 as Record<string, unknown>)[w] = await attempt(`M7 ${w}`, () =>
      measureOpen(project, { runs: settings.runs }),
    );
    (node.M8 as Record<string, unknown>)[w] = await attempt(`M8 ${w}`, () =>
      measureExport(project, { runs: quick ? 1 : 3 }),
    );
    (node.M9 as Record<string, unknown>)[w] = await attempt(`M9 ${w}`, () =>
      measureAgreement(project, { bootstrap: quick ? 100 : 1000 }),
    );
    (node.M10 as Record<string, unknown>)[w] = await attempt(`M10 ${w}`, () =>
      measureSearch(project, { repeats: quick ? 1 : 5 }),
    );
  }
  return node;
}

/** `--report`: writes results.md again from results.json (after changing the report's layout). */
async function rewriteReport(): Promise<void> {
  const results = JSON.parse(
    await readFile(path.join(outDir, "results.json"), "utf8"),
  ) as BenchResults;
  await writeFile(path.join(outDir, "results.md"), markdown(results));
  log(`rewrote ${path.relative(REPO, path.join(outDir, "results.md"))}`);
}

async function main(): Promise<void> {
  if (args.includes("--report")) return rewriteReport();
  const started = performance.now();
  const startedAt = new Date().toISOString();
  if (!args.includes("--no-build")) {
    log("building the app");
    execFileSync(path.join(REPO, "node_modules/.bin/electron-vite"), ["build"], {
      cwd: REPO,
      stdio: "ignore",
    });
  }
  log(`generating workloads${quick ? " (quick)" : ""}`);
  const workloads: Record<string, WorkloadFacts> = {};
  for (const w of Object.keys(WORKLOADS)) {
    await workloadProject(w, quick);
    workloads[w] = facts(w);
  }
  const browser = await launchChromium();
  const chromium = browser.version();
  let measurements: BrowserMeasurement[] = [];
  try {
    if (only !== "node") measurements = await browserMetrics(browser);
  } finally {
    await browser.close();
  }
  const node = only === "browser" ? {} : await nodeMetrics();
  const partial = {
    startedAt,
    seconds: Math.round((performance.now() - started) / 1000),
    quick,
    machine: machine(chromium),
    settings,
    workloads,
    browser: measurements,
    node,
  };
  const results: BenchResults = { ...partial, targets: checkTargets(partial) };
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(path.join(outDir, "results.md"), markdown(results));
  log(`wrote ${path.relative(REPO, path.join(outDir, "results.md")) || outDir}`);
  const missed = results.targets.filter((t) => t.met === false);
  log(
    `${results.targets.length - missed.length} of ${results.targets.length} targets met${missed.length ? `; missed: ${missed.map((t) => `${t.metric} ${t.workload}`).join(", ")}` : ""}`,
  );
}

await main();
