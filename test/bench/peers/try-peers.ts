/**
 * Tries the peer harness: every peer tool on W3 (and W2, W1, W4 with `--w2`,
 * `--w1`, `--w4`), one run each, printed as JSON; `--shots` instead saves
 * screenshots of each page with W3 loaded to /tmp/peers-<tool>.png.
 * `--runs N`, `--timeout MS`, `--spots N`, `--only tool[,tool]` adjust it;
 * `--quick` uses the scaled-down workloads.
 *
 *   npx tsx test/bench/peers/try-peers.ts [--w1] [--w2] [--w4] [--quick] [--shots]
 */

import { launchChromium } from "../../support/chromium";
import type { BrowserMeasurement } from "../measure";
import { workloadDocument } from "../workloads";
import { measurePeer, PEER_TOOLS, type PeerTool, screenshotPeer } from "./run-peer";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const quick = process.argv.includes("--quick");
const workloads = ["W3"];
if (process.argv.includes("--w2")) workloads.push("W2");
if (process.argv.includes("--w1")) workloads.push("W1");
if (process.argv.includes("--w4")) workloads.push("W4");
const onlyAt = process.argv.indexOf("--only");
const tools: PeerTool[] =
  onlyAt >= 0 ? ((process.argv[onlyAt + 1] ?? "").split(",") as PeerTool[]) : PEER_TOOLS;

const browser = await launchChromium();
if (process.argv.includes("--shots")) {
  // Screenshots of every page with W3 loaded, to look at.
  try {
    const doc = workloadDocument("W3", quick);
    for (const tool of tools) {
      const file = `/tmp/peers-${tool}.png`;
      console.log(await screenshotPeer(browser, tool, doc, file, 120_000));
    }
  } finally {
    await browser.close();
  }
  process.exit(0);
}
const results: BrowserMeasurement[] = [];
try {
  for (const name of workloads) {
    const doc = workloadDocument(name, quick);
    for (const tool of tools) {
      const t0 = Date.now();
      const measured = await measurePeer(browser, tool, doc, {
        runs: option("--runs", 1),
        timeoutMs: option("--timeout", name === "W3" ? 120_000 : 60_000),
        spots: option("--spots", 10),
      });
      results.push(measured);
      process.stderr.write(`${tool} on ${name}: ${Math.round((Date.now() - t0) / 1000)} s\n`);
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(results, null, 2));
