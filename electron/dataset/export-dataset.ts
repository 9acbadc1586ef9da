/**
 * Runs an export: reads the project in the asked scope, splits it, lets the
 * format's exporter produce files, writes them under the output folder (never
 * outside it) and writes the loss report beside them.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DatasetPart } from "../../shared/dataset/dataset";
import type { Exporter, ExportOptions } from "../../shared/dataset/format-types";
import { formatLossReport, LossReport } from "../../shared/dataset/loss-report";
import { type SplitOptions, splitDocuments } from "../../shared/dataset/splits";
import type { DatasetExportSummary } from "../../shared/dataset/summaries";
import { WorkbenchError } from "../../shared/result";
import { type DatasetScope, readDataset } from "./read-dataset";

/** Name of the loss report written into every export folder (plus `.json`). */
export const REPORT_FILE = "export-report.txt";

/** What to export and where. */
export interface ExportRequest {
  /** Folder the files go to (created when missing). */
  out: string;
  scope: DatasetScope;
  split?: SplitOptions;
  options?: Partial<ExportOptions>;
}

/** Progress of a long export: a phase and how far it got. */
export type ExportProgress = (phase: "reading" | "writing", done: number, total: number) => void;

/** The defaults of every export option. */
export function exportOptions(
  generator: string,
  given: Partial<ExportOptions> = {},
): ExportOptions {
  return {
    scheme: given.scheme ?? "iob2",
    tagKinds: given.tagKinds ?? ["entity", "date"],
    excelBom: given.excelBom ?? false,
    generator: given.generator ?? generator,
    exportedAt: given.exportedAt ?? new Date().toISOString(),
  };
}

/** Resolves an exporter's relative path inside `out`, refusing anything that would leave it. */
function resolveInOut(out: string, relative: string): string {
  const target = path.resolve(out, ...relative.split("/"));
  if (!target.startsWith(out + path.sep)) {
    throw new WorkbenchError(
      "invalid-input",
      `refusing to write outside the export folder: ${relative}`,
    );
  }
  return target;
}

/** Exports the project at `root` with `exporter`; returns the files and the loss report. */
export async function exportDataset(
  root: string,
  exporter: Exporter,
  request: ExportRequest,
  generator: string,
  onProgress?: ExportProgress,
): Promise<DatasetExportSummary> {
  const out = path.resolve(request.out);
  const projectRoot = path.resolve(root);
  if (out === projectRoot || out.startsWith(projectRoot + path.sep)) {
    throw new WorkbenchError(
      "invalid-input",
      `the export folder ${out} is inside the project folder; choose a folder outside it`,
    );
  }
  const report = new LossReport(exporter.format);
  const dataset = await readDataset(root, request.scope, report, (done, total) =>
    onProgress?.("reading", done, total),
  );
  const parts: DatasetPart[] = request.split
    ? splitDocuments(dataset.documents, request.split)
    : [{ name: "", documents: dataset.documents }];
  report.documents = dataset.documents.length;
  report.spans = dataset.documents.reduce((sum, doc) => sum + doc.spans.length, 0);
  if (request.split) {
    const [train, validation, test] = request.split.ratios;
    report.note(
      `split ${train}/${validation}/${test} by article with seed ${request.split.seed}${
        request.split.stratifyBy ? `, stratified by ${request.split.stratifyBy}` : ""
      }`,
    );
  }
  const files = await exporter.exportParts(
    dataset,
    parts,
    exportOptions(generator, request.options),
    report,
  );
  const data = report.toData();
  files.push({ path: REPORT_FILE, data: formatLossReport(data) });
  files.push({ path: "export-report.json", data: `${JSON.stringify(data, null, 2)}\n` });

  await mkdir(out, { recursive: true });
  let bytes = 0;
  for (const [index, file] of files.entries()) {
    const target = resolveInOut(out, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.data);
    bytes += typeof file.data === "string" ? Buffer.byteLength(file.data) : file.data.byteLength;
    onProgress?.("writing", index + 1, files.length);
  }
  const seen = new Set<string>();
  let textBytes = 0;
  for (const doc of dataset.documents) {
    if (seen.has(doc.id)) continue;
    seen.add(doc.id);
    textBytes += Buffer.byteLength(doc.text);
  }
  return {
    format: exporter.format,
    out,
    files: files.map((f) => f.path),
    bytes,
    textBytes,
    report: data,
    parts: parts.map((p) => ({ name: p.name, documents: p.documents.length })),
  };
}
