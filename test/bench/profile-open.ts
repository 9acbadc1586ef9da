/**
 * Where the time of opening an article goes: `npx tsx test/bench/profile-open.ts [W3] [runs]`
 * opens the workload's article in Tagwerk (fresh context per run) with the
 * DevTools CPU profiler running, then prints M1, navigation and resource
 * timings, and the functions with the most self time.
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../support/chromium";
import { startServe } from "../support/serve-process";
import { PAGE_HELPERS, VIEWPORT } from "./measure";
import { workloadProject } from "./workloads";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
type Timed = Window & { __m1?: number };

const MARKS_SEEN = `new MutationObserver((_, o) => { if (document.querySelector(".tw-ann")) { o.disconnect(); window.__benchFrame().then((t) => { window.__m1 = t; }); } }).observe(document, { childList: true, subtree: true });`;

/** Self time (ms) per function of a CPU profile, largest first. */
function selfTimes(profile: Profile): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const key = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").pop()}:${frame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
  const workload = process.argv[2] ?? "W3";
  const runs = Number(process.argv[3] ?? 2);
  const copy = await mkdtemp(path.join(os.tmpdir(), "tagwerk-profile-"));
  await cp(await workloadProject(workload), copy, { recursive: true });
  const serve = await startServe(copy, [], "alice");
  const browser = await launchChromium();
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      await page.addInitScript(PAGE_HELPERS + MARKS_SEEN);
      const session = await context.newCDPSession(page);
      await session.send("Profiler.enable");
      await session.send("Profiler.setSamplingInterval", { interval: 200 });
      await session.send("Profiler.start");
      await page.goto(`${serve.url}#article=${workload.toLowerCase()}-00000`);
      await page.waitForFunction(() => (window as Timed).__m1 !== undefined, null, {
        timeout: 120_000,
      });
      const { profile } = (await session.send("Profiler.stop")) as unknown as { profile: Profile };
      const m1 = await page.evaluate(() => (window as Timed).__m1 ?? 0);
      const timings = await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const resources = (
          performance.getEntriesByType("resource") as PerformanceResourceTiming[]
        ).map(
          (e) =>
            `${e.name.replace(/\?.*/, "").slice(-50)} start=${e.startTime.toFixed(0)} end=${e.responseEnd.toFixed(0)} bytes=${e.transferSize}`,
        );
        return { dcl: nav.domContentLoadedEventEnd, resources };
      });
      console.log(
        `run ${run}: M1 ${m1.toFixed(0)} ms, DOMContentLoaded ${timings.dcl.toFixed(0)} ms`,
      );
      console.log(timings.resources.join("\n"));
      for (const [name, ms] of selfTimes(profile).slice(0, 25))
        console.log(`${ms.toFixed(1).padStart(8)} ${name}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await serve.stop();
    await rm(copy, { recursive: true, force: true });
  }
}

await main();
