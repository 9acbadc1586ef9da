/**
 * Label Studio's JSON export (a list of tasks): one task per article, one
 * annotation per annotator. Spans are `labels` results on the `text` object;
 * span attributes are further results that share the span's region id, as
 * Label Studio writes per-region controls (`perRegion="true"`): `choices` for
 * entity, target and polarity, `textarea` for value, holder and note.
 * Document codes are results without a region, `from_name` = the variable id:
 * `choices` (single and multi), `textarea` (text) or `number`.
 *
 * Offsets. Label Studio's `<Text>` regions store `start`/`end` in code points,
 * not in the browser's UTF-16 units: its editor test "NER - Emoji - Text"
 * (web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts) selects "test" in
 * "🐱 Warning: This is a test text" and expects start 21, end 25 (UTF-16 would
 * be 22–26); the fix came with label-studio#1559 ("Store code points instead of
 * js length", merged via label-studio-frontend#308, closing #1008), and
 * label-studio#4988 (1.9.1) confirms the exported offsets are right even where
 * the highlight is drawn wrongly. Exports from before that fix (#1347, #539)
 * counted UTF-16 units: the importer accepts those too when a region's `text`
 * only matches that way, and says so in a warning.
 *
 * completed_by. Label Studio's JSON export writes it as an object
 * `{id, email, first_name, last_name}` (data_export/serializers.py,
 * CompletedBySerializer); the task-format page shows a bare user id, which
 * means nothing outside one Label Studio instance. We write
 * `{"email": "<annotator>@tagwerk.local"}`; the importer maps that back to the
 * annotator, keeps other e-mail addresses whole, and names numeric ids `user-<n>`.
 *
 * Choices results do not say whether a variable takes one choice or several:
 * the importer reads a single choice as a single value unless the same
 * variable has several choices (or none) somewhere else in the file. Exporting
 * again writes the same results either way.
 */

import type { Codebook } from "../../project-files";
import { countCodePoints, sliceCodePoints, utf16ToCodePoint } from "../../text-blocks";
import type { CodeValue, DatasetDocument, DatasetMeta } from "../dataset";
import { compareSpans, partPath } from "../dataset";
import {
  type Chunk,
  DatasetFileError,
  type ImportedDocument,
  type ImportedSpan,
  type Importer,
  type ImportFile,
  type PieceExporter,
} from "../format-types";
import { describeSpanForReport, type LossReport } from "../loss-report";
import { eachDocument, exportByPieces, mergeReports } from "../pieces";
import { decodeUtf8 } from "./file-text";

const EMAIL_DOMAIN = "@tagwerk.local";
const CHOICE_ATTRIBUTES = ["entity", "target", "polarity"] as const;
const ATTRIBUTES = ["entity", "value", "target", "polarity", "holder", "note"] as const;
const META_KEYS = ["title", "source", "url", "date", "language"] as const;

type Result = Record<string, unknown>;

/** Document codes in codebook order, then codes the codebook lacks, sorted. */
function orderedCodes(codebook: Codebook, codes: Record<string, CodeValue>): string[] {
  const known = codebook.documentVariables.map((v) => v.id).filter((id) => id in codes);
  const extra = Object.keys(codes)
    .filter((key) => !known.includes(key))
    .sort();
  return [...known, ...extra];
}

/** One code as a region-less result: choices, textarea or number. */
function codeResult(codebook: Codebook, key: string, value: CodeValue): Result {
  const base = { from_name: key, to_name: "text" };
  if (Array.isArray(value)) return { ...base, type: "choices", value: { choices: value } };
  if (typeof value === "number") return { ...base, type: "number", value: { number: value } };
  const type = codebook.documentVariables.find((v) => v.id === key)?.type;
  if (type === "single" || type === "multi")
    return { ...base, type: "choices", value: { choices: [value] } };
  return { ...base, type: "textarea", value: { text: [value] } };
}

function annotationResults(codebook: Codebook, doc: DatasetDocument, report: LossReport): Result[] {
  const results: Result[] = [];
  const seen = new Set<string>();
  for (const span of [...doc.spans].sort(compareSpans)) {
    let id = span.id;
    for (let n = 2; seen.has(id); n++) id = `${span.id}-${n}`;
    if (id !== span.id)
      report.add(
        "span-id-renamed",
        "Span ids repeated within a document (renamed, since Label Studio ties attributes to the region id)",
        () => describeSpanForReport(doc, span),
      );
    seen.add(id);
    const region = { start: span.start, end: span.end };
    const base = { id, to_name: "text" };
    results.push({
      ...base,
      from_name: "label",
      type: "labels",
      value: { ...region, text: span.text, labels: [span.label] },
    });
    for (const key of ATTRIBUTES) {
      const value = span[key];
      if (value === undefined) continue;
      results.push(
        (CHOICE_ATTRIBUTES as readonly string[]).includes(key)
          ? {
              ...base,
              from_name: key,
              type: "choices",
              value: { ...region, text: span.text, choices: [value] },
            }
          : { ...base, from_name: key, type: "textarea", value: { ...region, text: [value] } },
      );
    }
  }
  for (const key of orderedCodes(codebook, doc.codes)) {
    const value = doc.codes[key];
    if (value !== undefined) results.push(codeResult(codebook, key, value));
  }
  return results;
}

/** `JSON.stringify(value, null, 2)` as it reads nested `depth` levels deep in a larger value. */
function pretty(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${"  ".repeat(depth)}`);
}

/** One annotator's document: its task's key and data, and its annotation's result, as JSON. */
interface LabelStudioPiece {
  /** Documents with the same article id and text share a task. */
  id: string;
  text: string;
  /** The task's `data`, four levels deep. */
  data: Chunk;
  email: string;
  /** The annotation's `result`, eight levels deep. */
  result: Chunk;
}

/** `JSON.stringify(tasks, null, 2)` of the part's tasks, from its documents' pieces, as chunks. */
function tasksJson(pieces: LabelStudioPiece[]): Chunk[] {
  const tasks = new Map<
    string,
    { data: Chunk; annotations: Array<{ id: number; piece: LabelStudioPiece }> }
  >();
  let annotationId = 0;
  for (const piece of pieces) {
    const key = `${piece.id}\u0000${piece.text}`;
    let task = tasks.get(key);
    if (!task) {
      task = { data: piece.data, annotations: [] };
      tasks.set(key, task);
    }
    task.annotations.push({ id: ++annotationId, piece });
  }
  if (tasks.size === 0) return ["[]\n"];
  const out: Chunk[] = ["[\n"];
  let taskId = 0;
  for (const task of tasks.values()) {
    out.push(`${taskId === 0 ? "" : ",\n"}  {\n    "id": ${++taskId},\n    "data": `, task.data);
    out.push(`,\n    "annotations": [\n`);
    task.annotations.forEach(({ id, piece }, i) => {
      out.push(
        `${i === 0 ? "" : ",\n"}      {\n        "id": ${id},\n        "completed_by": {\n` +
          `          "email": ${JSON.stringify(piece.email)}\n        },\n        "result": `,
        piece.result,
        "\n      }",
      );
    });
    out.push("\n    ]\n  }");
  }
  out.push("\n]\n");
  return out;
}

/** Exports one `labelstudio.json` per part: a task per article with an annotation per annotator. */
export const labelStudioExporter: PieceExporter<LabelStudioPiece> = {
  format: "labelstudio",
  description: "Label Studio JSON tasks with one annotation per annotator (completed_by).",
  lossless: true,
  begin(_context, _options, report) {
    report.note(
      "Label Studio offsets are code points, as Label Studio's Text regions count them; " +
        "annotators are written as completed_by {email: <annotator>@tagwerk.local}.",
    );
  },
  convert(documents, context, _options, tools) {
    // Every annotator's document of an article has its text: its task data is made once.
    const data = new Map<string, Chunk>();
    return eachDocument(documents, (doc, report) => {
      const key = `${doc.id}\u0000${doc.text}`;
      let taskData = data.get(key);
      if (taskData === undefined) {
        taskData = tools.chunk(
          pretty({ text: doc.text, article: doc.id, ...pickMeta(doc.meta) }, 2),
        );
        data.set(key, taskData);
      }
      return {
        id: doc.id,
        text: doc.text,
        data: taskData,
        email: `${doc.annotator}${EMAIL_DOMAIN}`,
        result: tools.chunk(pretty(annotationResults(context.codebook, doc, report), 4)),
      };
    });
  },
  assemble(_context, parts, _options, report) {
    return parts.map((part) => ({
      path: partPath(part, "labelstudio.json"),
      chunks: tasksJson(mergeReports(report, part.converted)),
    }));
  },
  exportParts(dataset, parts, options, report) {
    return exportByPieces(labelStudioExporter, dataset, parts, options, report);
  },
};

function pickMeta(meta: DatasetMeta): DatasetMeta {
  return {
    title: meta.title,
    source: meta.source,
    url: meta.url,
    date: meta.date,
    language: meta.language,
  };
}

type Fail = (problem: string) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The annotator named by `completed_by`: our e-mail's local part, another e-mail, or `user-<id>`. */
function annotatorOf(annotation: Record<string, unknown>): string | undefined {
  const by = annotation.completed_by;
  const email = isObject(by) ? by.email : undefined;
  if (typeof email === "string" && email !== "")
    return email.endsWith(EMAIL_DOMAIN) ? email.slice(0, -EMAIL_DOMAIN.length) : email;
  const id = isObject(by) ? by.id : by;
  return typeof id === "number" || typeof id === "string" ? `user-${id}` : undefined;
}

/** Reads a region's offsets: code points, or UTF-16 units when only those match its text. */
function regionOffsets(
  text: string,
  length: number,
  value: Record<string, unknown>,
  name: string,
  fail: Fail,
): { start: number; end: number; utf16: boolean } {
  const { start, end } = value;
  if (!Number.isInteger(start) || !Number.isInteger(end))
    fail(`${name}: value.start and value.end must be whole numbers`);
  const from = start as number;
  const to = end as number;
  if (from < 0 || to <= from) fail(`${name}: offsets ${from}–${to} are not a range`);
  const quote = value.text;
  if (quote !== undefined && typeof quote !== "string")
    fail(`${name}: value.text must be a string`);
  if (to <= length && (quote === undefined || sliceCodePoints(text, from, to) === quote))
    return { start: from, end: to, utf16: false };
  if (quote !== undefined && to <= text.length && text.slice(from, to) === quote)
    return { start: utf16ToCodePoint(text, from), end: utf16ToCodePoint(text, to), utf16: true };
  if (to > length)
    fail(`${name}: offsets ${from}–${to} are beyond the text (${length} code points)`);
  return fail(
    `${name}: its text ${JSON.stringify(quote)} differs from the text at ${from}–${to} (${JSON.stringify(sliceCodePoints(text, from, to))})`,
  );
}

/** The task's text: `data.text`, or the only string in `data`. */
function taskText(data: Record<string, unknown>, fail: Fail): string {
  if (typeof data.text === "string") return data.text;
  const strings = Object.values(data).filter((v): v is string => typeof v === "string");
  if (strings.length === 1 && strings[0] !== undefined) return strings[0];
  return fail(`data.text must be the article text`);
}

interface FileState {
  warnings: Set<string>;
  /** Region-less choices read so far, to decide single or multi per variable at the end. */
  choices: Array<{ doc: ImportedDocument; key: string }>;
  multi: Set<string>;
}

function readAnnotation(
  task: { text: string; length: number; doc: ImportedDocument; name: string },
  annotation: Record<string, unknown>,
  state: FileState,
  fail: Fail,
): void {
  const { text, length, doc, name } = task;
  if (!Array.isArray(annotation.result)) fail(`${name}: "result" must be a list`);
  const results = annotation.result as unknown[];
  const regions = new Map<string, ImportedSpan[]>();
  for (const [r, raw] of results.entries()) {
    if (!isObject(raw) || !isObject(raw.value))
      fail(`${name}, result ${r + 1}: must be an object with a value`);
    const result = raw as Record<string, unknown> & { value: Record<string, unknown> };
    const labels = result.value.labels;
    if (result.type !== "labels" && !Array.isArray(labels)) continue;
    const where = `${name}, result ${r + 1}`;
    const { start } = result.value;
    if (typeof start === "string" && start.startsWith("/")) {
      state.warnings.add("HyperText regions (XPath offsets) are not read");
      continue;
    }
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === "string" && l !== ""))
      fail(`${where}: value.labels must be a list of label names`);
    const offsets = regionOffsets(text, length, result.value, where, fail);
    if (offsets.utf16)
      state.warnings.add(
        "some offsets were UTF-16 units (as older Label Studio versions wrote them) and were converted",
      );
    const id = typeof result.id === "string" ? result.id : undefined;
    const spans = (labels as string[]).map((label, n) => {
      const span: ImportedSpan = {
        start: offsets.start,
        end: offsets.end,
        label,
        text: sliceCodePoints(text, offsets.start, offsets.end),
      };
      if (id !== undefined) span.id = n === 0 ? id : `${id}-${n + 1}`;
      return span;
    });
    doc.spans.push(...spans);
    if (id !== undefined) regions.set(id, [...(regions.get(id) ?? []), ...spans]);
  }
  const codes: Record<string, CodeValue> = {};
  for (const raw of results) {
    const result = raw as Record<string, unknown> & { value: Record<string, unknown> };
    const { value, type } = result;
    const from = String(result.from_name ?? "");
    if (type === "labels" || Array.isArray(value.labels)) continue;
    const joined = (list: unknown): unknown => (Array.isArray(list) ? list.join("\n") : list);
    if ("start" in value) {
      const spans = typeof result.id === "string" ? regions.get(result.id) : undefined;
      const attribute = ATTRIBUTES.find((a) => a === from);
      const read = type === "choices" ? joined(value.choices) : joined(value.text);
      if (!spans || attribute === undefined || typeof read !== "string") {
        state.warnings.add(`per-region results other than ${ATTRIBUTES.join(", ")} are not read`);
        continue;
      }
      for (const span of spans) span[attribute] = read;
    } else if (type === "choices" && Array.isArray(value.choices)) {
      codes[from] = value.choices.map(String);
      if (value.choices.length !== 1) state.multi.add(from);
      state.choices.push({ doc, key: from });
    } else if (type === "textarea" && typeof joined(value.text) === "string") {
      codes[from] = joined(value.text) as string;
    } else if (type === "number" && typeof value.number === "number") {
      codes[from] = value.number;
    } else state.warnings.add(`"${String(type)}" results are not read`);
  }
  doc.codes = codes;
}

/** JSON.parse with the error's line number, when the message gives a position. */
function parseJson(file: ImportFile): unknown {
  const content = decodeUtf8(file);
  if (content.trim() === "") throw new DatasetFileError(file.name, "the file is empty");
  try {
    return JSON.parse(content);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message)?.[1];
    const line =
      position === undefined ? undefined : content.slice(0, Number(position)).split("\n").length;
    throw new DatasetFileError(file.name, `not valid JSON (${message})`, line);
  }
}

function readFile(file: ImportFile, documents: ImportedDocument[], warnings: string[]): void {
  const parsed = parseJson(file);
  const tasks = Array.isArray(parsed) ? parsed : [parsed];
  const state: FileState = { warnings: new Set(), choices: [], multi: new Set() };
  let predictions = 0;
  for (const [index, raw] of tasks.entries()) {
    const name = `task ${index + 1}`;
    const fail: Fail = (problem) => {
      throw new DatasetFileError(
        file.name,
        problem.startsWith(name) ? problem : `${name}: ${problem}`,
      );
    };
    if (!isObject(raw) || !isObject(raw.data)) fail(`must be an object with "data"`);
    const task = raw as Record<string, unknown> & { data: Record<string, unknown> };
    const text = taskText(task.data, fail);
    const meta: Partial<DatasetMeta> = {};
    for (const key of META_KEYS)
      if (typeof task.data[key] === "string") meta[key] = task.data[key] as string;
    if (Array.isArray(task.predictions)) predictions += task.predictions.length;
    const annotations = task.annotations ?? task.completions ?? [];
    if (!Array.isArray(annotations)) fail(`"annotations" must be a list`);
    const base = (): ImportedDocument => {
      const doc: ImportedDocument = { origin: `${file.name} ${name}`, text, spans: [] };
      if (typeof task.data.article === "string") doc.id = task.data.article;
      if (Object.keys(meta).length > 0) doc.meta = { ...meta };
      return doc;
    };
    if ((annotations as unknown[]).length === 0) documents.push(base());
    for (const [a, annotation] of (annotations as unknown[]).entries()) {
      if (!isObject(annotation)) fail(`annotation ${a + 1} must be an object`);
      const entry = annotation as Record<string, unknown>;
      if (entry.was_cancelled === true) {
        state.warnings.add("skipped (cancelled) annotations are left out");
        continue;
      }
      const doc = base();
      const annotator = annotatorOf(entry);
      if (annotator !== undefined) doc.annotator = annotator;
      readAnnotation(
        { text, length: countCodePoints(text), doc, name: `${name}, annotation ${a + 1}` },
        entry,
        state,
        fail,
      );
      documents.push(doc);
    }
  }
  for (const { doc, key } of state.choices) {
    const value = doc.codes?.[key];
    if (doc.codes && Array.isArray(value) && value.length === 1 && !state.multi.has(key))
      doc.codes[key] = value[0] as string;
  }
  if (predictions > 0)
    warnings.push(
      `${file.name}: ${predictions} prediction(s) left out (only annotations are read)`,
    );
  for (const warning of state.warnings) warnings.push(`${file.name}: ${warning}`);
}

/** True when `file` is a Label Studio JSON export: tasks with data and annotations or predictions. */
function looksLikeLabelStudio(file: ImportFile): boolean {
  if (!/\.json$/i.test(file.name)) return false;
  try {
    const parsed = parseJson(file);
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    return (
      isObject(first) &&
      isObject(first.data) &&
      ["annotations", "predictions", "completions"].some((key) => Array.isArray(first[key]))
    );
  } catch {
    return false;
  }
}

/** Reads Label Studio JSON exports; predictions and cancelled annotations are skipped with a warning. */
export const labelStudioImporter: Importer = {
  format: "labelstudio",
  detect: looksLikeLabelStudio,
  read(files) {
    const documents: ImportedDocument[] = [];
    const warnings: string[] = [];
    for (const file of files) readFile(file, documents, warnings);
    return { documents, warnings };
  },
};
