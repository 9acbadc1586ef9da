/**
 * M8: export throughput per format on the W5 and W6 workloads, through the
 * same driver the CLI uses. `npx tsx test/bench/export-throughput.ts [W5 W6]`
 * prints MB/s of the annotated dataset (its size as Tagwerk JSONL: texts with
 * their annotations) and of the bare article text (each article once).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { exportDataset } from "../../electron/dataset/export-dataset";
import { exportFormatIds } from "../../shared/dataset/format-list";
import { exporters } from "../../shared/dataset/formats";
import { workloadProject } from "./workloads";

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["W5", "W6"];
for (const name of names) {
  const started = performance.now();
  const project = await workloadProject(name as "W5" | "W6");
  console.log(`${name}: project ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  let datasetMb = 0;
  for (const format of exportFormatIds) {
    const out = await mkdtemp(path.join(os.tmpdir(), `tagwerk-m8-${format}-`));
    const t0 = performance.now();
    const summary = await exportDataset(project, exporters[format], { out, scope: {} }, "bench");
    const seconds = (performance.now() - t0) / 1000;
    const mb = summary.textBytes / 1e6;
    // The JSONL export comes first: its size is the dataset's size for every format.
    if (format === "jsonl") datasetMb = summary.bytes / 1e6;
    console.log(
      `${name} ${format.padEnd(12)} ${seconds.toFixed(2).padStart(7)} s  ${(datasetMb / seconds).toFixed(1).padStart(6)} MB/s dataset  ${(mb / seconds).toFixed(1).padStart(6)} MB/s text  (${datasetMb.toFixed(1)} MB as JSONL, ${mb.toFixed(1)} MB text, ${summary.report.spans} spans, ${(summary.bytes / 1e6).toFixed(1)} MB written)`,
    );
    await rm(out, { recursive: true, force: true });
  }
}
