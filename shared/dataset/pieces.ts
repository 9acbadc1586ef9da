/**
 * Running a piece exporter (see `PieceExporter` in format-types.ts) in one
 * go: every article converted in order, then assembled. This is the
 * exporters' `exportParts`; the app's export runs the same `convert` and
 * `assemble` with articles read and converted in worker threads
 * (electron/dataset/export-pipeline.ts), so both give the same files.
 */
import { zlibSync } from "fflate";
import type { Dataset, DatasetDocument, DatasetPart, ExportFile } from "./dataset";
import type {
  Chunk,
  ChunkedFile,
  Converted,
  ExportContext,
  ExportOptions,
  PieceExporter,
  PieceTools,
} from "./format-types";
import { type LossEntries, LossReport } from "./loss-report";

/** The report of a piece that reported nothing (shared; never changed). */
export const NO_LOSSES: LossEntries = Object.freeze({ items: [], notes: [] }) as LossEntries;

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Tools of the pure export: output stays text. */
export const pureTools: PieceTools = { chunk: (text) => text, utf8: false };

/** Runs `make` with a report of its own; what it made and what it reported. */
export function converted<P>(make: (report: LossReport) => P): Converted<P> {
  const report = new LossReport("");
  const piece = make(report);
  return { piece, report: report.entries() };
}

/** Each document of an article converted on its own (what most formats do). */
export function eachDocument<P>(
  documents: DatasetDocument[],
  convert: (doc: DatasetDocument, report: LossReport) => P,
): Converted<P>[] {
  return documents.map((doc) => converted((report) => convert(doc, report)));
}

/** The articles among `documents`: runs of neighbouring documents with the same id. */
export function articlesOf(documents: readonly DatasetDocument[]): DatasetDocument[][] {
  const articles: DatasetDocument[][] = [];
  let current: DatasetDocument[] | undefined;
  for (const doc of documents) {
    if (current && current[0]?.id === doc.id) current.push(doc);
    else {
      current = [doc];
      articles.push(current);
    }
  }
  return articles;
}

/** The dataset without its documents: what converting and assembling need to know. */
export function exportContext(dataset: Dataset): ExportContext {
  return {
    projectName: dataset.projectName,
    codebook: dataset.codebook,
    entities: dataset.entities,
  };
}

const encoder = new (
  globalThis as unknown as { TextEncoder: new () => { encode(text: string): Uint8Array } }
).TextEncoder();

/**
 * A chunked file as one `ExportFile`: text when every chunk is text, else
 * bytes; zlib files compressed with fflate (level 1).
 */
export function joinChunks(file: ChunkedFile | ExportFile): ExportFile {
  if (!("chunks" in file)) return file;
  const { chunks } = file;
  if (!file.zlib && chunks.every((chunk): chunk is string => typeof chunk === "string"))
    return { path: file.path, data: chunks.join("") };
  const bytes = concatBytes(
    chunks.map((chunk: Chunk) => (typeof chunk === "string" ? encoder.encode(chunk) : chunk)),
  );
  return { path: file.path, data: file.zlib ? zlibSync(bytes, { level: 1 }) : bytes };
}

/**
 * `exportParts` of a piece exporter: every article converted in turn, then
 * assembled (a promise when the exporter assembles asynchronously).
 */
export function exportByPieces<P>(
  exporter: PieceExporter<P>,
  dataset: Dataset,
  parts: DatasetPart[],
  options: ExportOptions,
  report: LossReport,
  tools: PieceTools = pureTools,
): ExportFile[] | Promise<ExportFile[]> {
  const context = exportContext(dataset);
  exporter.begin?.(context, options, report);
  const convertedParts = parts.map((part) => {
    const documents = exporter.order ? exporter.order(part.documents) : part.documents;
    const partTools = { ...tools, partState: new Map<string, unknown>() };
    return {
      name: part.name,
      documents: part.documents.length,
      converted: articlesOf(documents).flatMap((article) =>
        exporter.convert(article, context, options, partTools),
      ),
    };
  });
  const files = exporter.assemble(context, convertedParts, options, report, tools);
  return files instanceof Promise
    ? files.then((list) => list.map((file) => joinChunks(file)))
    : files.map((file) => joinChunks(file));
}

/** Merges the reports of `converted` into `report`, in order; their pieces. */
export function mergeReports<P>(report: LossReport, converted: readonly Converted<P>[]): P[] {
  return converted.map((item) => {
    report.merge(item.report);
    return item.piece;
  });
}
