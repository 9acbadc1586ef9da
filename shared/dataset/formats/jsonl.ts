/**
 * Tagwerk's own JSONL: one document (article × annotator) per line, exactly
 * the contract of `dataset.ts`, plus `codebook.json` and `entities.json` once
 * at the root of the export. Lossless: reading it back gives the same
 * documents, and exporting those again gives the same bytes.
 */
import { labelKinds } from "../../project-files";
import { countCodePoints, sliceCodePoints } from "../../text-blocks";
import {
  type CodeValue,
  compareSpans,
  type DatasetDocument,
  type DatasetMeta,
  type DatasetSpan,
  type ExportFile,
  partPath,
} from "../dataset";
import {
  type Chunk,
  type ChunkedFile,
  DatasetFileError,
  type ImportedDocument,
  type ImportedSpan,
  type Importer,
  type PieceExporter,
} from "../format-types";
import { exportByPieces, NO_LOSSES } from "../pieces";
import { jsonLine, readLines } from "./file-text";

const ATTRIBUTES = ["entity", "value", "target", "polarity", "holder", "note"] as const;
const META_KEYS = ["title", "source", "url", "date", "language"] as const;

/** A span with its keys in contract order; optional attributes only when present. */
function orderedSpan(span: DatasetSpan): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: span.id,
    start: span.start,
    end: span.end,
    label: span.label,
    kind: span.kind,
    text: span.text,
  };
  for (const key of ATTRIBUTES) if (span[key] !== undefined) out[key] = span[key];
  return out;
}

/** A document with its keys in contract order and its spans sorted. */
function orderedDocument(doc: DatasetDocument): Record<string, unknown> {
  return {
    id: doc.id,
    text: doc.text,
    meta: {
      title: doc.meta.title,
      source: doc.meta.source,
      url: doc.meta.url,
      date: doc.meta.date,
      language: doc.meta.language,
    },
    annotator: doc.annotator,
    spans: [...doc.spans].sort(compareSpans).map(orderedSpan),
    codes: doc.codes,
  };
}

/** Exports `documents.jsonl` per part and the codebook and entity registry once at the root. */
export const jsonlExporter: PieceExporter<Chunk[]> = {
  format: "jsonl",
  description: "Tagwerk JSONL: one document per line with every span, attribute and code.",
  lossless: true,
  convert(documents, _context, _options, tools) {
    // Every annotator's document has the article's text: escape and encode it once.
    const texts = new Map<string, Chunk>();
    return documents.map((doc) => {
      if (typeof doc.id !== "string" || typeof doc.text !== "string")
        return { piece: [tools.chunk(`${jsonLine(orderedDocument(doc))}\n`)], report: NO_LOSSES };
      let text = texts.get(doc.text);
      if (text === undefined) {
        text = tools.chunk(jsonLine(doc.text));
        texts.set(doc.text, text);
      }
      const { id: _id, text: _text, ...rest } = orderedDocument(doc);
      const head = tools.chunk(`{"id":${jsonLine(doc.id)},"text":`);
      return {
        piece: [head, text, tools.chunk(`,${jsonLine(rest).slice(1)}\n`)],
        report: NO_LOSSES,
      };
    });
  },
  assemble(context, parts) {
    const files: Array<ChunkedFile | ExportFile> = parts.map((part) => ({
      path: partPath(part, "documents.jsonl"),
      chunks: part.converted.flatMap((item) => item.piece),
    }));
    files.push({ path: "codebook.json", data: `${JSON.stringify(context.codebook, null, 2)}\n` });
    files.push({
      path: "entities.json",
      data: `${JSON.stringify({ entities: context.entities }, null, 2)}\n`,
    });
    return files;
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(jsonlExporter, dataset, parts, options, report);
  },
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseLine(file: string, line: number, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DatasetFileError(file, `not valid JSON (${(error as Error).message})`, line);
  }
  if (!isObject(value)) throw new DatasetFileError(file, "each line must be a JSON object", line);
  return value;
}

/** An optional string field: absent or null gives undefined, anything but a string fails. */
function optionalString(
  record: Record<string, unknown>,
  key: string,
  where: string,
  fail: (problem: string) => never,
): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") fail(`${where}"${key}" must be a string`);
  return value;
}

function readSpan(
  raw: unknown,
  index: number,
  text: string,
  length: number,
  fail: (problem: string) => never,
): ImportedSpan {
  if (!isObject(raw)) fail(`span ${index + 1} must be an object`);
  const id = optionalString(raw, "id", `span ${index + 1}: `, fail);
  const name = `span ${id ?? index + 1}`;
  const { start, end, label } = raw;
  if (!Number.isInteger(start) || !Number.isInteger(end))
    fail(`${name}: "start" and "end" must be whole numbers`);
  const from = start as number;
  const to = end as number;
  if (from < 0 || to <= from) fail(`${name}: offsets ${from}–${to} are not a range`);
  if (to > length)
    fail(`${name}: offsets ${from}–${to} are beyond the text (${length} code points)`);
  if (typeof label !== "string" || label === "")
    fail(`${name}: "label" must be a non-empty string`);
  const span: ImportedSpan = { start: from, end: to, label };
  if (id !== undefined) span.id = id;
  const kind = optionalString(raw, "kind", `${name}: `, fail);
  if (kind !== undefined) {
    if (!(labelKinds as readonly string[]).includes(kind))
      fail(`${name}: kind "${kind}" is not one of ${labelKinds.join(", ")}`);
    span.kind = kind as DatasetSpan["kind"];
  }
  const quote = optionalString(raw, "text", `${name}: `, fail);
  const actual = sliceCodePoints(text, from, to);
  if (quote !== undefined && quote !== actual)
    fail(
      `${name}: its text ${JSON.stringify(quote)} differs from the text at ${from}–${to} (${JSON.stringify(actual)})`,
    );
  span.text = actual;
  for (const key of ATTRIBUTES) {
    const value = optionalString(raw, key, `${name}: `, fail);
    if (value !== undefined) span[key] = value;
  }
  return span;
}

function readCodes(raw: unknown, fail: (problem: string) => never): Record<string, CodeValue> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) fail(`"codes" must be an object`);
  const codes: Record<string, CodeValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    const ok =
      typeof value === "string" ||
      (typeof value === "number" && Number.isFinite(value)) ||
      (Array.isArray(value) && value.every((v) => typeof v === "string"));
    if (!ok) fail(`code "${key}" must be a string, a number or a list of strings`);
    codes[key] = value as CodeValue;
  }
  return codes;
}

function readDocument(
  file: string,
  line: number,
  record: Record<string, unknown>,
): ImportedDocument {
  const fail: (problem: string) => never = (problem) => {
    throw new DatasetFileError(file, problem, line);
  };
  const { text, spans } = record;
  if (typeof text !== "string") fail(`"text" must be a string`);
  if (!Array.isArray(spans)) fail(`"spans" must be a list`);
  const body = text as string;
  const length = countCodePoints(body);
  const doc: ImportedDocument = {
    origin: `${file}:${line}`,
    text: body,
    spans: (spans as unknown[]).map((span, i) => readSpan(span, i, body, length, fail)),
  };
  const id = optionalString(record, "id", "", fail);
  if (id !== undefined) doc.id = id;
  const annotator = optionalString(record, "annotator", "", fail);
  if (annotator !== undefined) doc.annotator = annotator;
  if (record.meta !== undefined && record.meta !== null) {
    if (!isObject(record.meta)) fail(`"meta" must be an object`);
    const meta: Partial<DatasetMeta> = {};
    for (const key of META_KEYS) {
      const value = optionalString(record.meta as Record<string, unknown>, key, "meta: ", fail);
      if (value !== undefined) meta[key] = value;
    }
    doc.meta = meta;
  }
  doc.codes = readCodes(record.codes, fail);
  return doc;
}

const JSONL_NAME = /\.(jsonl|ndjson)$/i;

/** True when a span list looks like ours: objects with start, end and label. */
function hasTagwerkSpans(record: Record<string, unknown>): boolean {
  const { spans } = record;
  return (
    typeof record.text === "string" &&
    Array.isArray(spans) &&
    spans.every((s) => isObject(s) && "start" in s && "end" in s && "label" in s)
  );
}

/** Reads Tagwerk JSONL (`documents.jsonl`), keeping ids, kinds, attributes, meta and codes. */
export const jsonlImporter: Importer = {
  format: "jsonl",
  detect(file) {
    if (!JSONL_NAME.test(file.name)) return false;
    try {
      const first = readLines(file)[0];
      if (!first) return false;
      return hasTagwerkSpans(parseLine(file.name, first.line, first.text));
    } catch {
      return false;
    }
  },
  read(files) {
    const documents: ImportedDocument[] = [];
    for (const file of files) {
      const lines = readLines(file);
      if (lines.length === 0) throw new DatasetFileError(file.name, "the file is empty");
      for (const { line, text } of lines)
        documents.push(readDocument(file.name, line, parseLine(file.name, line, text)));
    }
    return { documents, warnings: [] };
  },
};
