/**
 * Runs an export: reads the project in the asked scope, splits it, lets the
 * format's exporter produce files, writes them under the output folder (never
 * outside it) and writes the loss report beside them.
 */
import path from "node:path";
import type { DatasetPart, ExportFile } from "../../shared/dataset/dataset";
import type { ExportFormatId } from "../../shared/dataset/format-list";
import type {
  ChunkedFile,
  Exporter,
  ExportOptions,
  PieceExporter,
} from "../../shared/dataset/format-types";
import { isPieceExporter } from "../../shared/dataset/formats";
import { formatLossReport, LossReport } from "../../shared/dataset/loss-report";
import { pureTools } from "../../shared/dataset/pieces";
import { type SplitOptions, splitDocuments } from "../../shared/dataset/splits";
import type { DatasetExportSummary } from "../../shared/dataset/summaries";
import { WorkbenchError } from "../../shared/result";
import { convertArticles, runTasks } from "./export-pipeline";
import { checkCoderSeen, type DatasetScope, openDataset, readDataset } from "./read-dataset";
import { writeExportFiles } from "./write-export";

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
  const options = exportOptions(generator, request.options);
  const reading = (done: number, total: number) => onProgress?.("reading", done, total);
  const made = isPieceExporter(exporter)
    ? await convertByPieces(root, exporter, request, options, report, reading)
    : await convertWhole(root, exporter, request, options, report, reading);
  const data = report.toData();
  const files = [
    ...made.files,
    { path: REPORT_FILE, data: formatLossReport(data) },
    { path: "export-report.json", data: `${JSON.stringify(data, null, 2)}\n` },
  ];
  const bytes = await writeExportFiles(out, files, (done, total) =>
    onProgress?.("writing", done, total),
  );
  return {
    format: exporter.format,
    out,
    files: files.map((f) => f.path),
    bytes,
    textBytes: made.textBytes,
    report: data,
    parts: made.parts,
  };
}

/** What converting gave: the files, the parts' sizes and the bytes of article text. */
interface Made {
  files: Array<ExportFile | ChunkedFile>;
  parts: Array<{ name: string; documents: number }>;
  textBytes: number;
}

/** Notes the split (if any) in the report, as every export does before its format's notes. */
function noteSplit(report: LossReport, split: SplitOptions | undefined): void {
  if (!split) return;
  const [train, validation, test] = split.ratios;
  report.note(
    `split ${train}/${validation}/${test} by article with seed ${split.seed}${
      split.stratifyBy ? `, stratified by ${split.stratifyBy}` : ""
    }`,
  );
}

/** The whole dataset read into memory, then handed to the exporter. */
async function convertWhole(
  root: string,
  exporter: Exporter,
  request: ExportRequest,
  options: ExportOptions,
  report: LossReport,
  onProgress: (done: number, total: number) => void,
): Promise<Made> {
  const dataset = await readDataset(root, request.scope, report, onProgress);
  const parts: DatasetPart[] = request.split
    ? splitDocuments(dataset.documents, request.split)
    : [{ name: "", documents: dataset.documents }];
  report.documents = dataset.documents.length;
  report.spans = dataset.documents.reduce((sum, doc) => sum + doc.spans.length, 0);
  noteSplit(report, request.split);
  const files = await exporter.exportParts(dataset, parts, options, report);
  const seen = new Set<string>();
  let textBytes = 0;
  for (const doc of dataset.documents) {
    if (seen.has(doc.id)) continue;
    seen.add(doc.id);
    textBytes += Buffer.byteLength(doc.text);
  }
  return {
    files,
    parts: parts.map((p) => ({ name: p.name, documents: p.documents.length })),
    textBytes,
  };
}

/**
 * Article by article: read and converted in worker threads (see
 * export-pipeline.ts), reports merged in article order, split, assembled.
 */
async function convertByPieces(
  root: string,
  exporter: PieceExporter,
  request: ExportRequest,
  options: ExportOptions,
  report: LossReport,
  onProgress: (done: number, total: number) => void,
): Promise<Made> {
  const opened = await openDataset(root, request.scope, report);
  const job = {
    root: opened.root,
    scope: request.scope,
    format: exporter.format as ExportFormatId,
    context: opened.context,
    options,
    onePart: request.split === undefined,
  };
  const batches = await convertArticles(job, exporter, opened.articles, pureTools, onProgress);
  let coderSeen = false;
  for (const batch of batches) {
    report.merge(batch.read);
    coderSeen ||= batch.coderSeen;
  }
  checkCoderSeen(request.scope, coderSeen, opened.articles.length);
  const articles = batches.flatMap((batch) => batch.articles).filter((a) => a.documents.length > 0);
  const documents = articles.flatMap((article) =>
    article.documents.map((doc) => ({ id: article.id, codes: doc.codes, spans: doc.spans })),
  );
  const parts = request.split
    ? splitDocuments(documents, request.split)
    : [{ name: "", documents }];
  report.documents = documents.length;
  report.spans = documents.reduce((sum, doc) => sum + doc.spans, 0);
  noteSplit(report, request.split);
  exporter.begin?.(opened.context, options, report);
  // A part holds whole articles: their converted pieces, in order.
  const byId = new Map(articles.map((article) => [article.id, article]));
  const convertedParts = parts.map((part) => {
    const ids = [...new Set(part.documents.map((doc) => doc.id))];
    return {
      name: part.name,
      documents: part.documents.length,
      converted: ids.flatMap((id) => byId.get(id)?.converted ?? []),
    };
  });
  const files = await exporter.assemble(opened.context, convertedParts, options, report, {
    ...pureTools,
    parallel: runTasks,
  });
  return {
    files,
    parts: parts.map((p) => ({ name: p.name, documents: p.documents.length })),
    textBytes: articles.reduce((sum, article) => sum + article.textBytes, 0),
  };
}
