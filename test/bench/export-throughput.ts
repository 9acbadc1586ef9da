/**
 * M8: export throughput per format, through the same driver the CLI uses.
 * `measureExport(project)` is what the benchmark suite calls; run as a script,
 * `npx tsx test/bench/export-throughput.ts [W5 W6] [--quick] [--runs N]
 * [--formats jsonl,conll]` prints a table for the seeded workloads.
 * Throughput is MB/s of the annotated dataset (its size as Tagwerk JSONL:
 * texts with their annotations) and of the bare article text (each article once).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { exportDataset } from "../../electron/dataset/export-dataset";
import {
  type ExportFormatId,
  exportFormatIds,
  isExportFormat,
} from "../../shared/dataset/format-list";
import { exporters } from "../../shared/dataset/formats";
import type { DatasetExportSummary } from "../../shared/dataset/summaries";
import { median } from "./measure";
import { workloadProject } from "./workloads";

/** M8 for one format on one project. */
export interface ExportResult {
  format: string;
  /** Median wall time of one whole export (read, convert, write), seconds. */
  seconds: number;
  /** Every run's time, seconds. */
  runs: number[];
  /** Median CPU time of one export (this process, worker threads included), seconds. */
  cpuSeconds: number;
  /** Median time spent writing files (after reading and converting), seconds. */
  writeSeconds: number;
  /** The dataset as Tagwerk JSONL (MB) per second: the M8 figure. */
  datasetMbPerSecond: number;
  /** Bare article text (each article once, MB) per second. */
  textMbPerSecond: number;
  /** Size of the dataset as Tagwerk JSONL, MB. */
  datasetMb: number;
  /** Article text, MB. */
  textMb: number;
  /** What this format's export wrote, MB. */
  writtenMb: number;
  documents: number;
  spans: number;
}

/** Options of `measureExport`. */
export interface MeasureExportOptions {
  /** Formats to time (all export formats when absent). */
  formats?: string[];
  /** Runs per format; the median is reported (default 3). */
  runs?: number;
  /** Called with each format's result as soon as it is measured. */
  onResult?: (result: ExportResult) => void;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One export of `format` into a fresh temporary folder (removed afterwards); its summary and seconds. */
async function exportOnce(
  project: string,
  format: ExportFormatId,
): Promise<{
  summary: DatasetExportSummary;
  seconds: number;
  cpuSeconds: number;
  writeSeconds: number;
}> {
  const out = await mkdtemp(path.join(os.tmpdir(), `tagwerk-m8-${format}-`));
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let writing: number | undefined;
    const summary = await exportDataset(
      project,
      exporters[format],
      { out, scope: {} },
      "bench",
      (phase) => {
        if (phase === "writing") writing ??= performance.now();
      },
    );
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    return {
      summary,
      seconds: (t1 - t0) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      writeSeconds: (t1 - (writing ?? t1)) / 1000,
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/**
 * Times the export of the project at `project` in each format (`runs` times,
 * median); throughput is relative to the dataset's size as Tagwerk JSONL, which
 * is measured by a JSONL export (an untimed one when JSONL is not asked for).
 */
export async function measureExport(
  project: string,
  opts: MeasureExportOptions = {},
): Promise<ExportResult[]> {
  const formats = opts.formats ?? [...exportFormatIds];
  for (const format of formats)
    if (!isExportFormat(format)) throw new Error(`not an export format: ${format}`);
  const runs = Math.max(1, opts.runs ?? 3);
  let datasetBytes: number | undefined;
  if (!formats.includes("jsonl")) datasetBytes = (await exportOnce(project, "jsonl")).summary.bytes;
  const results: ExportResult[] = [];
  for (const format of formats as ExportFormatId[]) {
    const times: number[] = [];
    const cpu: number[] = [];
    const writes: number[] = [];
    let summary: DatasetExportSummary | undefined;
    for (let run = 0; run < runs; run++) {
      const once = await exportOnce(project, format);
      times.push(once.seconds);
      cpu.push(once.cpuSeconds);
      writes.push(once.writeSeconds);
      summary = once.summary;
    }
    if (!summary) continue;
    if (format === "jsonl") datasetBytes = summary.bytes;
    const seconds = median(times);
    const datasetMb = (datasetBytes ?? 0) / 1e6;
    const textMb = summary.textBytes / 1e6;
    const result: ExportResult = {
      format,
      seconds: round(seconds, 3),
      runs: times.map((t) => round(t, 3)),
      cpuSeconds: round(median(cpu), 2),
      writeSeconds: round(median(writes), 2),
      datasetMbPerSecond: round(datasetMb / seconds, 1),
      textMbPerSecond: round(textMb / seconds, 1),
      datasetMb: round(datasetMb, 1),
      textMb: round(textMb, 1),
      writtenMb: round(summary.bytes / 1e6, 1),
      documents: summary.report.documents,
      spans: summary.report.spans,
    };
    results.push(result);
    opts.onResult?.(result);
  }
  return results;
}

/** The script: `export-throughput.ts [W5 W6] [--quick] [--runs N] [--formats a,b]`. */
async function main(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const flagValue = (flag: string) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const runs = Number(flagValue("--runs") ?? 3);
  const formats = flagValue("--formats")?.split(",");
  const skip = new Set([flagValue("--runs"), flagValue("--formats")]);
  const names = args.filter((a) => !a.startsWith("--") && !skip.has(a));
  for (const name of names.length > 0 ? names : ["W5", "W6"]) {
    const started = performance.now();
    const project = await workloadProject(name as "W5" | "W6", quick);
    const ready = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${name}${quick ? " (quick)" : ""}: project ready in ${ready} s`);
    const onResult = (r: ExportResult) =>
      console.log(
        `${name} ${r.format.padEnd(12)} ${r.seconds.toFixed(2).padStart(7)} s  ${r.datasetMbPerSecond.toFixed(1).padStart(6)} MB/s dataset  ${r.textMbPerSecond.toFixed(1).padStart(6)} MB/s text  cpu ${r.cpuSeconds.toFixed(2)} s  write ${r.writeSeconds.toFixed(2)} s  (${r.datasetMb} MB as JSONL, ${r.textMb} MB text, ${r.spans} spans, ${r.writtenMb} MB written; runs ${r.runs.join(" ")})`,
      );
    await measureExport(project, { runs, onResult, ...(formats ? { formats } : {}) });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  await main(process.argv.slice(2));
