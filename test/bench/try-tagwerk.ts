/**
 * Tagwerk alone in the browser: `npx tsx test/bench/try-tagwerk.ts [W3] [runs] [spots]`
 * prints the M1–M5 measurement of one workload as JSON (the build in `out/` is used).
 */
import { launchChromium } from "../support/chromium";
import { measureTagwerk } from "./tagwerk-browser";
import { workloadProject } from "./workloads";

const workload = process.argv[2] ?? "W3";
const project = await workloadProject(workload);
const browser = await launchChromium();
try {
  const result = await measureTagwerk(
    browser,
    workload,
    project,
    `${workload.toLowerCase()}-00000`,
    {
      runs: Number(process.argv[3] ?? 1),
      spots: Number(process.argv[4] ?? 5),
      timeoutMs: 120_000,
    },
  );
  console.log(JSON.stringify(result, null, 1));
} finally {
  await browser.close();
}
