/**
 * CI proof that the benchmark harness works end to end: `npm run bench --
 * --quick` on the scaled-down workloads measures every tool on every browser
 * workload and every Node-side metric, and writes its JSON and markdown.
 * No timing is asserted here (speed lives in the benchmark's own results).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchResults } from "../bench/report";
import { ensureBuilt } from "../support/built-app";
import { REPO } from "../support/serve-process";

const run = promisify(execFile);
let out = "";
let results: BenchResults;
let report = "";

describe("npm run bench -- --quick", () => {
  beforeAll(async () => {
    ensureBuilt();
    out = await mkdtemp(path.join(os.tmpdir(), "tagwerk-bench-quick-"));
    // `npm test` has just built the app; --no-build keeps the build the other e2e tests use.
    await run("npm", ["run", "bench", "--", "--quick", "--no-build", "--out", out], {
      cwd: REPO,
      maxBuffer: 64 * 1024 * 1024,
    });
    results = JSON.parse(await readFile(path.join(out, "results.json"), "utf8")) as BenchResults;
    report = await readFile(path.join(out, "results.md"), "utf8");
  }, 900_000);
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it("measures Tagwerk and the floor on W1–W4 with every browser metric", () => {
    for (const tool of ["tagwerk", "floor"] as const) {
      for (const w of ["W1", "W2", "W3", "W4"]) {
        const m = results.browser.find((b) => b.tool === tool && b.workload === w);
        expect(m, `${tool} ${w}`).toBeDefined();
        expect(m?.error, `${tool} ${w}`).toBeUndefined();
        expect(m?.timeout, `${tool} ${w}`).toBeUndefined();
        expect(m?.m1?.median, `${tool} ${w}`).toBeGreaterThan(0);
        expect(m?.m1b?.median).toBeGreaterThan(0);
        expect(m?.m5?.domElements).toBeGreaterThan(0);
        expect(m?.m5?.heapMb).toBeGreaterThan(0);
      }
    }
    const w1 = results.browser.find((b) => b.tool === "tagwerk" && b.workload === "W1");
    for (const edit of ["add", "relabel", "delete"] as const)
      expect(w1?.m2?.[edit]?.frame.n, edit).toBeGreaterThan(0);
    expect(w1?.m3?.frame.n).toBeGreaterThan(0);
    expect(w1?.m4?.frame.n).toBeGreaterThan(0);
  });

  it("runs both peers on W1–W3: a number or a recorded timeout, never a crash", () => {
    for (const tool of ["text-annotator", "label-studio"] as const) {
      for (const w of ["W1", "W2", "W3"]) {
        const m = results.browser.find((b) => b.tool === tool && b.workload === w);
        expect(m, `${tool} ${w}`).toBeDefined();
        expect(m?.error, `${tool} ${w}`).toBeUndefined();
        expect(m?.timeout !== undefined || (m?.m1?.median ?? 0) > 0, `${tool} ${w}`).toBe(true);
      }
    }
  });

  it("measures M6–M10 on W5 and W6 without errors", () => {
    for (const metric of ["M6", "M7", "M8", "M9", "M10"]) {
      for (const w of ["W5", "W6"]) {
        const value = results.node[metric]?.[w] as { error?: string } | undefined;
        expect(value, `${metric} ${w}`).toBeDefined();
        expect(value?.error, `${metric} ${w}`).toBeUndefined();
      }
    }
  });

  it("checks the targets and writes a markdown table with ratios and the machine", () => {
    expect(results.quick).toBe(true);
    expect(results.targets.length).toBeGreaterThanOrEqual(12);
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(report).toContain("## Targets");
    expect(report).toContain("Tagwerk ÷ floor");
    expect(report).toContain("text-annotator ÷ Tagwerk");
    expect(report).toMatch(/Machine: .+ cores/);
  });
});
