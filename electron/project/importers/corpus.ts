/**
 * Corpus files, one article per row: CSV/TSV (header row required) and JSON
 * Lines (one object per line, including Tagwerk's own export with its `meta`
 * object). Rows are numbered as a spreadsheet shows them (the header is row
 * 1), lines as an editor does. A broken row or line is skipped with its
 * reason; rows inside an unresolved git merge conflict are skipped and named,
 * so resolving the conflict and importing again brings them in.
 */
import Papa from "papaparse";
import { WorkbenchError } from "../../../shared/result";
import { simplifyFieldName } from "./article-fields";
import { CorpusCollector, findConflictMarker, planColumns } from "./corpus-rows";
import { decodeTextBytes } from "./decode-text";
import type { ColumnMapping, ExtractResult } from "./extract-articles";

const DELIMITER_NAMES: Record<string, string> = {
  ",": "comma",
  ";": "semicolon",
  "\t": "tab",
  "|": "vertical bar",
};

/** The delimiter the header row uses most: comma, semicolon, tab or vertical bar. */
function guessDelimiter(headerLine: string): string {
  let best = ",";
  let bestCount = 0;
  for (const candidate of Object.keys(DELIMITER_NAMES)) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Tracks unresolved merge conflicts: which rows they cover, for skipping and one warning each. */
class ConflictTracker {
  private start: number | undefined;
  readonly warnings: string[] = [];

  constructor(
    private readonly name: string,
    private readonly unit: "row" | "line",
  ) {}

  /** Whether the row at `position` (its first cell or whole line is `first`) is a marker, or inside a conflict. */
  check(first: string, position: number): { marker: boolean; inside: boolean } {
    const marker = findConflictMarker(first);
    if (marker === "start") this.start ??= position;
    if (marker === "end" && this.start !== undefined) {
      this.report(this.start, position);
      this.start = undefined;
    }
    return { marker: marker !== undefined, inside: this.start !== undefined };
  }

  finish(last: number): void {
    if (this.start !== undefined) this.report(this.start, last, " and is never closed");
  }

  private report(from: number, to: number, note = ""): void {
    this.warnings.push(
      `${this.name}: an unresolved git merge conflict (<<<<<<< … >>>>>>>) covers ${this.unit}s ${from}–${to}${note}; the ${this.unit}s inside it were skipped. Resolve the conflict and import the file again.`,
    );
  }
}

const INSIDE_CONFLICT = "inside an unresolved git merge conflict";

/** Extracts one article per row of a CSV or TSV file with a header row. */
export function extractTableArticles(
  bytes: Uint8Array,
  name: string,
  extension: string,
  columns?: ColumnMapping,
): ExtractResult {
  const decoded = decodeTextBytes(bytes, name);
  let text = decoded.text;
  let delimiter = extension === ".tsv" ? "\t" : undefined;
  // Excel writes "sep=;" above the header when it exports for another locale.
  const excelHint = /^sep=(.)\r?\n/i.exec(text);
  if (excelHint) {
    delimiter = excelHint[1];
    text = text.slice(excelHint[0].length);
  }
  if (text.trim().length === 0)
    throw new WorkbenchError("invalid-input", `${name}: the file is empty`, name);
  delimiter ??= guessDelimiter(/^[^\r\n]*/.exec(text)?.[0] ?? "");
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  const rows = parsed.data;
  const header = (rows[0] ?? []).map((cell, i) => cell.trim() || `column ${i + 1}`);
  if (findConflictMarker(header[0] ?? ""))
    throw new WorkbenchError(
      "invalid-input",
      `${name}: the header row is a git conflict marker; resolve the merge conflict in the file first`,
      name,
    );
  const plan = planColumns(header, columns, name, "column");
  const index = new Map(header.map((column, i) => [column, i] as const).reverse());
  const collector = new CorpusCollector(name, plan, "column");
  if (decoded.warning) collector.warnings.push(decoded.warning);
  const rowProblems = new Map<number, string>();
  for (const error of parsed.errors) {
    if (error.type === "Quotes" && error.row !== undefined)
      rowProblems.set(
        error.row,
        error.code === "MissingQuotes"
          ? 'a quoted field is never closed (a " is missing), so the rest of the file ran into this row'
          : 'a quoted field is malformed (a stray " after the closing quote)',
      );
  }
  const conflicts = new ConflictTracker(name, "row");
  const delimiterName = DELIMITER_NAMES[delimiter] ?? `"${delimiter}"`;
  let articleRows = 0;
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i] ?? [];
    const origin = `row ${i + 1}`;
    const { marker, inside } = conflicts.check(row[0] ?? "", i + 1);
    if (marker) continue;
    if (row.every((cell) => cell.trim() === "")) continue;
    articleRows += 1;
    const problem = rowProblems.get(i);
    if (inside) collector.skip(origin, INSIDE_CONFLICT);
    else if (problem) collector.skip(origin, problem);
    else if (row.length > header.length)
      collector.skip(
        origin,
        `has ${row.length} fields but the header has ${header.length}; a ${delimiterName} inside the text may be missing its quotes`,
      );
    else collector.addRow(origin, (column) => row[index.get(column) ?? -1]);
  }
  conflicts.finish(rows.length);
  if (articleRows === 0)
    throw new WorkbenchError(
      "invalid-input",
      `${name}: the file has a header row but no articles`,
      name,
    );
  collector.warnings.push(...conflicts.warnings);
  return collector.finish(header);
}

/**
 * The fields of one JSON Lines object by their simplified name ("Content" and
 * "content" are one field), with those of a nested `meta` object (Tagwerk's own
 * export) where the top level has none. `spellings` keeps the first spelling seen.
 */
function readFields(
  record: Record<string, unknown>,
  spellings: Map<string, string>,
): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const add = (entries: [string, unknown][]) => {
    for (const [key, value] of entries) {
      const simple = simplifyFieldName(key);
      if (!spellings.has(simple)) spellings.set(simple, key);
      if (!fields.has(simple) || fields.get(simple) === undefined) fields.set(simple, value);
    }
  };
  const { meta, ...rest } = record;
  add(Object.entries(rest));
  if (meta !== null && typeof meta === "object" && !Array.isArray(meta))
    add(Object.entries(meta as Record<string, unknown>));
  else if (meta !== undefined) add([["meta", meta]]);
  return fields;
}

function isJsonList(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}

/** Extracts one article per line of a JSON Lines file; broken lines are skipped with the parser's complaint. */
export function extractJsonLinesArticles(
  bytes: Uint8Array,
  name: string,
  columns?: ColumnMapping,
): ExtractResult {
  const decoded = decodeTextBytes(bytes, name);
  const text = decoded.text;
  if (text.trim().length === 0)
    throw new WorkbenchError("invalid-input", `${name}: the file is empty`, name);
  if (/^\s*\[/.test(text) && isJsonList(text))
    throw new WorkbenchError(
      "invalid-input",
      `${name}: holds one JSON list, not JSON Lines (one article object per line); save it with one object per line`,
      name,
    );
  const records: { origin: string; fields: Map<string, unknown> }[] = [];
  const skipped: { origin: string; reason: string }[] = [];
  const conflicts = new ConflictTracker(name, "line");
  const spellings = new Map<string, string>();
  let lineNumber = 0;
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end === -1 ? text.length : end).trim();
    start = end === -1 ? text.length : end + 1;
    lineNumber += 1;
    const origin = `line ${lineNumber}`;
    const { marker, inside } = conflicts.check(line, lineNumber);
    if (marker || line === "") continue;
    if (inside) {
      skipped.push({ origin, reason: INSIDE_CONFLICT });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const detail = error instanceof Error ? error.message.slice(0, 160) : "";
      skipped.push({ origin, reason: `not valid JSON: ${detail}` });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      skipped.push({ origin, reason: "not a JSON object ({ … }) with the article's fields" });
      continue;
    }
    records.push({ origin, fields: readFields(value as Record<string, unknown>, spellings) });
  }
  conflicts.finish(lineNumber);
  const warnings = [...(decoded.warning ? [decoded.warning] : []), ...conflicts.warnings];
  if (records.length === 0) {
    if (skipped.length === 0)
      throw new WorkbenchError("invalid-input", `${name}: the file is empty`, name);
    return { articles: [], warnings: [...warnings, `${name}: no line holds an article`], skipped };
  }
  const available = [...spellings.values()];
  const collector = new CorpusCollector(
    name,
    planColumns(available, columns, name, "field"),
    "field",
  );
  collector.warnings.push(...warnings);
  collector.skipped.push(...skipped);
  for (const { origin, fields } of records)
    collector.addRow(origin, (key) => fields.get(simplifyFieldName(key)));
  const result = collector.finish(available);
  result.skipped.sort((a, b) => Number(a.origin.slice(5)) - Number(b.origin.slice(5)));
  return result;
}
