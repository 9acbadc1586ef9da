/**
 * doccano's sequence-labelling JSONL: one document per line,
 * `{"text": …, "label": [[start, end, "LABEL"], …]}`. doccano keeps any other
 * key of an imported line as the example's metadata, so the article id, the
 * annotator and the article metadata travel as extra keys.
 *
 * Offsets are written as code points (Python's `text[start:end]`), which is
 * what doccano's server stores and what its documentation and Python users
 * assume. Beware: doccano's editor (v-annotator) has been reported to count
 * UTF-16 units when "Count grapheme clusters as one character" is off
 * (doccano/doccano#2290, open), so spans that doccano users draw after an emoji
 * may be shifted; the importer warns about such files (it cannot tell, as
 * doccano writes no span text to check against).
 *
 * doccano spans have no attributes and documents no codes: both are reported
 * as losses. Span kinds are not written either, but they are not lost: the
 * label names them in the codebook.
 */
import { countCodePoints, sliceCodePoints } from "../../text-blocks";
import { compareSpans, type DatasetMeta, partPath } from "../dataset";
import {
  type Chunk,
  DatasetFileError,
  type ImportedDocument,
  type ImportedSpan,
  type Importer,
  type PieceExporter,
} from "../format-types";
import { eachDocument, exportByPieces, mergeReports } from "../pieces";
import { jsonLine, readLines } from "./file-text";
import { reportUncarriedAttributes } from "./uncarried";

const META_KEYS = ["title", "source", "url", "date", "language"] as const;

/** Exports `doccano.jsonl` per part; span attributes and document codes are reported as lost. */
export const doccanoExporter: PieceExporter<Chunk[]> = {
  format: "doccano",
  description: "doccano sequence-labelling JSONL with [start, end, label] spans.",
  lossless: false,
  begin(_context, _options, report) {
    report.note(
      "doccano offsets are written as code points (Python str offsets); span ids are not written.",
    );
  },
  convert(documents, _context, _options, tools) {
    // Every annotator's line has the article's text: escape it once.
    const texts = new Map<string, Chunk>();
    return eachDocument(documents, (doc, report) => {
      reportUncarriedAttributes(doc, report, "doccano");
      const spans = [...doc.spans].sort(compareSpans);
      const line: Record<string, unknown> = {
        label: spans.map((s) => [s.start, s.end, s.label]),
        article: doc.id,
        annotator: doc.annotator,
      };
      for (const key of META_KEYS) line[key] = doc.meta[key];
      if (typeof doc.text !== "string")
        return [tools.chunk(`${jsonLine({ text: doc.text, ...line })}\n`)];
      let text = texts.get(doc.text);
      if (text === undefined) {
        text = tools.chunk(`{"text":${jsonLine(doc.text)}`);
        texts.set(doc.text, text);
      }
      return [text, tools.chunk(`,${jsonLine(line).slice(1)}\n`)];
    });
  },
  assemble(_context, parts, _options, report) {
    return parts.map((part) => ({
      path: partPath(part, "doccano.jsonl"),
      chunks: mergeReports(report, part.converted).flat(),
    }));
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(doccanoExporter, dataset, parts, options, report);
  },
};

type Fail = (problem: string) => never;

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

const SPAN_KEYS = ["label", "labels", "entities"] as const;

/** Which key holds the spans, or undefined when the line has none of doccano's. */
function spanKey(record: Record<string, unknown>): (typeof SPAN_KEYS)[number] | undefined {
  return SPAN_KEYS.find((key) => Array.isArray(record[key]));
}

/** One span from `[start, end, "LABEL"]` or `{"start_offset", "end_offset", "label"}`. */
function readSpan(
  raw: unknown,
  index: number,
  text: string,
  length: number,
  fail: Fail,
): ImportedSpan {
  const name = `span ${index + 1}`;
  let start: unknown;
  let end: unknown;
  let label: unknown;
  if (Array.isArray(raw)) [start, end, label] = raw;
  else if (isObject(raw)) ({ start_offset: start, end_offset: end, label } = raw);
  else fail(`${name} must be [start, end, "label"] or an object with start_offset and end_offset`);
  if (!Number.isInteger(start) || !Number.isInteger(end))
    fail(`${name}: start and end must be whole numbers, not ${JSON.stringify(raw)}`);
  const from = start as number;
  const to = end as number;
  if (from < 0 || to <= from) fail(`${name}: offsets ${from}–${to} are not a range`);
  if (to > length)
    fail(`${name}: offsets ${from}–${to} are beyond the text (${length} code points)`);
  if (typeof label !== "string" || label === "")
    fail(`${name}: the label must be a non-empty string`);
  return { start: from, end: to, label: label as string, text: sliceCodePoints(text, from, to) };
}

function readMeta(record: Record<string, unknown>): Partial<DatasetMeta> {
  const meta: Partial<DatasetMeta> = {};
  const nested = [record.meta, record.metadata].find(isObject) ?? {};
  for (const key of META_KEYS) {
    const value = record[key] ?? nested[key];
    if (typeof value === "string") meta[key] = value;
  }
  return meta;
}

/** True when a span starts or ends after a character outside the BMP (emoji and the like). */
function hasSpanAfterAstral(text: string, spans: ImportedSpan[]): boolean {
  const first = [...text].findIndex((c) => c.length > 1);
  return first >= 0 && spans.some((s) => s.end > first);
}

function readDocument(
  file: string,
  line: number,
  record: Record<string, unknown>,
): ImportedDocument {
  const fail: Fail = (problem) => {
    throw new DatasetFileError(file, problem, line);
  };
  const { text } = record;
  if (typeof text !== "string") fail(`"text" must be a string`);
  const body = text as string;
  const length = countCodePoints(body);
  const key = spanKey(record);
  if (key === undefined && SPAN_KEYS.some((k) => record[k] !== undefined && record[k] !== null))
    fail(`"label" must be a list of [start, end, "label"] spans`);
  const spans = key === undefined ? [] : (record[key] as unknown[]);
  const doc: ImportedDocument = {
    origin: `${file}:${line}`,
    text: body,
    spans: spans.map((span, i) => readSpan(span, i, body, length, fail)),
  };
  const id = record.article ?? record.id;
  if (typeof id === "string" || typeof id === "number") doc.id = String(id);
  if (typeof record.annotator === "string") doc.annotator = record.annotator;
  const meta = readMeta(record);
  if (Object.keys(meta).length > 0) doc.meta = meta;
  return doc;
}

const JSONL_NAME = /\.(jsonl|ndjson)$/i;

/** True when a record holds doccano spans (not Tagwerk's `spans`, not classification labels). */
function looksLikeDoccano(record: Record<string, unknown>): boolean {
  if (typeof record.text !== "string" || "spans" in record) return false;
  const key = spanKey(record);
  if (key === undefined) return false;
  const spans = record[key] as unknown[];
  return spans.every(
    (s) =>
      (Array.isArray(s) && s.length >= 3 && typeof s[0] === "number") ||
      (isObject(s) && "start_offset" in s && "end_offset" in s),
  );
}

/** Reads doccano JSONL (`label`, `labels` or `entities` spans); relations are skipped with a warning. */
export const doccanoImporter: Importer = {
  format: "doccano",
  detect(file) {
    if (!JSONL_NAME.test(file.name)) return false;
    try {
      const first = readLines(file)[0];
      return first !== undefined && looksLikeDoccano(parseLine(file.name, first.line, first.text));
    } catch {
      return false;
    }
  },
  read(files) {
    const documents: ImportedDocument[] = [];
    const warnings: string[] = [];
    for (const file of files) {
      const lines = readLines(file);
      if (lines.length === 0) throw new DatasetFileError(file.name, "the file is empty");
      let relations = 0;
      let shifted = 0;
      for (const { line, text } of lines) {
        const record = parseLine(file.name, line, text);
        const doc = readDocument(file.name, line, record);
        if (Array.isArray(record.relations)) relations += record.relations.length;
        if (record.article === undefined && hasSpanAfterAstral(doc.text, doc.spans)) shifted++;
        documents.push(doc);
      }
      if (relations > 0)
        warnings.push(`${file.name}: ${relations} relation(s) left out (Tagwerk has no relations)`);
      if (shifted > 0)
        warnings.push(
          `${file.name}: ${shifted} document(s) have spans after emoji or other characters outside the BMP; ` +
            "offsets were read as code points, but doccano's editor may have counted UTF-16 units " +
            "(doccano#2290) — check those spans",
        );
    }
    return { documents, warnings };
  },
};
