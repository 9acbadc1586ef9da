import { cp, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../support/chromium";
import { startServe } from "../support/serve-process";
import { PAGE_HELPERS } from "./measure";
import { workloadProject } from "./workloads";

const w = process.argv[2] ?? "W3";
const project = await workloadProject(w as "W3");
const copy = await mkdtemp(path.join(os.tmpdir(), "prof-"));
await cp(project, copy, { recursive: true });
const serve = await startServe(copy, [], "alice");
const browser = await launchChromium();
for (let run = 0; run < 2; run++) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await ctx.newPage();
  await page.addInitScript(
    PAGE_HELPERS +
      `new MutationObserver((l, o) => { if (document.querySelector(".tw-ann")) { o.disconnect(); window.__benchFrame().then(t => window.__m1 = t); } }).observe(document, {childList:true, subtree:true});`,
  );
  const s = await ctx.newCDPSession(page);
  await s.send("Profiler.enable");
  await s.send("Profiler.setSamplingInterval", { interval: 200 });
  await s.send("Profiler.start");
  await page.goto(`${serve.url}#article=${w.toLowerCase()}-00000`);
  await page.waitForFunction(() => (window as any).__m1 !== undefined, null, { timeout: 120000 });
  const { profile } = (await s.send("Profiler.stop")) as any;
  const m1 = await page.evaluate(() => (window as any).__m1);
  const res = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map(
        (e: any) =>
          `${e.name.replace(/\?.*/, "").slice(-50)} start=${e.startTime.toFixed(0)} end=${e.responseEnd.toFixed(0)} size=${e.transferSize}`,
      ),
  );
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0] as any;
    return `dcl=${n.domContentLoadedEventEnd.toFixed(0)} load=${n.loadEventEnd.toFixed(0)}`;
  });
  console.log(`run ${run}: m1=${m1.toFixed(0)} ${nav}`);
  console.log(res.join("\n"));
  // self time by function
  const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const self = new Map<string, number>();
  const dt = profile.timeDeltas;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const n: any = byId.get(profile.samples[i]);
    const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0) / 1000);
    total += (dt[i] ?? 0) / 1000;
  }
  console.log("total", total.toFixed(0));
  console.log(
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => `${v.toFixed(1).padStart(8)} ${k}`)
      .join("\n"),
  );
  await ctx.close();
}
await browser.close();
await serve.stop();
