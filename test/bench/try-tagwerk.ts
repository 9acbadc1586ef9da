import { launchChromium } from "../support/chromium";
import { measureTagwerk } from "./tagwerk-browser";
import { workloadProject } from "./workloads";

const w = process.argv[2] ?? "W3";
const project = await workloadProject(w as "W3");
const browser = await launchChromium();
const r = await measureTagwerk(browser, w, project, `${w.toLowerCase()}-00000`, {
  runs: Number(process.argv[3] ?? 1),
  spots: Number(process.argv[4] ?? 5),
  timeoutMs: 120000,
});
console.log(JSON.stringify(r, null, 1));
await browser.close();
