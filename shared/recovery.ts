/**
 * Recovering a coder's annotation file that reached the project broken: merged
 * without Tagwerk's merge driver (git conflict markers, also diff3 style), cut
 * off mid-way (truncated), or hand-edited into invalid JSON. Every side is read
 * as a whole where possible; otherwise each canonical annotation line (one
 * record per line, see canonical-json.ts) is read on its own. The proposal is
 * the union of all sides; ids whose versions differ become choices for the coder.
 *
 * Decisions: the common base of a diff3 merge is shown as a side but adds no
 * annotations (it would bring back deletions); it only picks the default of a
 * choice (the side that changed the annotation) and tells "deleted on one side"
 * (kept, offered as a choice) from "added on one side" (kept). Status is the
 * least done of the sides, and never "done" when part of a side was unreadable.
 */
import {
  getNodeValue,
  type Node,
  type ParseError,
  parse,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { migrateFileData } from "./file-formats";
import {
  type AnnotationFile,
  annotationFileSchema,
  type CodingStatus,
  codingStatuses,
  type DocumentCodeValue,
  describeSchemaError,
  type OrphanedAnnotation,
  orphanedAnnotationSchema,
  SCHEMA_VERSION,
  type StoredAnnotation,
  storedAnnotationSchema,
} from "./project-files";
import { WorkbenchError } from "./result";

/** One version of the file found in the broken text. */
export interface RecoveredSide {
  /** "ours (HEAD)", "theirs (origin/main)", "base", "recovered". */
  name: string;
  /** The whole side as a valid file, or null when it cannot be read as a whole. */
  file: AnnotationFile | null;
  /** annotations that could be read even when the whole side cannot be parsed */
  annotations: StoredAnnotation[];
  /** Why the side cannot be read as a whole. */
  problem?: string;
}

/** What could be recovered from a broken annotation file, and the proposed repair. */
export interface Recovery {
  kind: "conflict-markers" | "truncated" | "invalid";
  /** For conflict markers: ours, theirs, then base (diff3) — in that order. */
  sides: RecoveredSide[];
  /** the union proposal: every annotation from every side, deduplicated by id (sides disagreeing on an id → both listed in `choices`) */
  merged: AnnotationFile;
  /** Ids to decide; `merged` holds the default option. `from[i]` names the side(s) holding `options[i]`. */
  choices: { id: string; options: StoredAnnotation[]; from?: string[] }[];
  /** What was found, in plain words. */
  message: string;
}

type Codes = Record<string, DocumentCodeValue>;
/** A line of the broken file and its (1-based) number there. */
type Line = { text: string; number: number };
type Header = Partial<
  Pick<AnnotationFile, "status" | "codes" | "textHash" | "rejected" | "conflicts">
>;
interface SideRead {
  side: RecoveredSide;
  label: string;
  header: Header;
  orphans: OrphanedAnnotation[];
  broken: Line[];
}
/** The header fields read node by node when the whole file cannot be parsed. */
const HEADER_FIELDS = (({ status, codes, textHash, rejected, conflicts }) => ({
  status,
  codes,
  textHash,
  rejected,
  conflicts,
}))(annotationFileSchema.shape);

const MARKER = /^(<{7}|\|{7}|={7}|>{7})(?:[ \t](.*))?$/;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const same = (a: object, b: object) =>
  JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());

/** Line and column (1-based) of `offset`, and a jsonc parse error in words. */
function describeJsonError(text: string, error: ParseError): string {
  const before = text.slice(0, error.offset);
  const line = before.split("\n").length;
  const column = error.offset - before.lastIndexOf("\n");
  const reason = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return `line ${line}, column ${column}: ${reason}`;
}

/** Adds the comma a line-based merge loses between two values on consecutive lines. */
function withCommas(lines: Line[]): string {
  const out = lines.map((l) => l.text);
  for (let i = 0; i < out.length; i++) {
    if (!/(["}\]\d]|true|false|null)\s*$/.test(out[i] ?? "")) continue;
    let next = i + 1;
    while (next < out.length && (out[next] ?? "").trim() === "") next++;
    if (/^\s*["{[]/.test(out[next] ?? "")) out[i] = `${(out[i] ?? "").trimEnd()},`;
  }
  return out.join("\n");
}

/** Reads `text` as a whole file the way the store does (plus trailing commas). */
function parseWhole(text: string): { file: AnnotationFile } | { problem: string } {
  const errors: ParseError[] = [];
  const raw = parse(text, errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first) return { problem: `invalid JSON at ${describeJsonError(text, first)}` };
  try {
    const parsed = annotationFileSchema.safeParse(migrateFileData("coding", raw));
    return parsed.success ? { file: parsed.data } : { problem: describeSchemaError(parsed.error) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** A value node that was written completely: no parse error inside, properly closed, not at the cut. */
function complete(node: Node, text: string, errors: ParseError[]): boolean {
  const end = node.offset + node.length;
  if (end >= text.trimEnd().length) return false;
  if (errors.some((e) => e.offset >= node.offset && e.offset < end)) return false;
  const close = { object: "}", array: "]", string: '"' }[node.type as string];
  return close === undefined || (node.length >= 2 && text[end - 1] === close);
}

/** Adds `record` to `list` unless the same record is there already. */
function add<T extends { id: string }>(list: T[], record: T): void {
  if (!list.some((r) => same(r, record))) list.push(record);
}

/** One annotation (an orphan in the orphans section, or with a reason outside any) from parsed JSON. */
function readRecord(value: unknown, section: string | null) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const orphan = section === "orphans" || (!section && "reason" in value);
  const parsed = (orphan ? orphanedAnnotationSchema : storedAnnotationSchema).safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Reads one side: as a whole, else line by line (annotations, orphans) and node by node (header). */
function readSide(name: string, label: string, lines: Line[]): SideRead {
  const text = withCommas(lines);
  const whole = parseWhole(text);
  if ("file" in whole) {
    const { file } = whole;
    const side = { name, file, annotations: file.annotations };
    return { side, label, header: file, orphans: file.orphans, broken: [] };
  }
  const side = { name, file: null, annotations: [], problem: whole.problem };
  const read: SideRead = { side, label, header: {}, orphans: [], broken: [] };
  const keep = (record: StoredAnnotation | OrphanedAnnotation | null) => {
    if (record && "reason" in record) add(read.orphans, record);
    else if (record) add(read.side.annotations, record);
    return record !== null;
  };
  let section: string | null = null;
  for (const line of lines) {
    const t = line.text.trim();
    const open = /^"([^"]*)"\s*:\s*\[$/.exec(t);
    if (open) section = open[1] ?? null;
    else if (t === "]" || t === "],") section = null;
    else if (t !== "" && (section === "annotations" || section === "orphans" || !section)) {
      const errors: ParseError[] = [];
      const value = parse(t.replace(/,$/, ""), errors);
      const looksLikeRecord = /^\{./.test(t) || (t.includes('"id":') && t.includes('"quote":'));
      if (!keep(errors.length > 0 ? null : readRecord(value, section)) && looksLikeRecord)
        read.broken.push(line);
    }
  }
  // Node by node: the header, and records the lines missed (a file not in the canonical layout).
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true });
  for (const prop of root?.type === "object" ? (root.children ?? []) : []) {
    const [key, node] = prop.children ?? [];
    if (!key || !node) continue;
    if (node.type === "array" && (key.value === "annotations" || key.value === "orphans"))
      for (const element of node.children ?? [])
        if (complete(element, text, errors)) keep(readRecord(getNodeValue(element), key.value));
    const field = HEADER_FIELDS[key.value as keyof typeof HEADER_FIELDS];
    if (!field || !complete(node, text, errors)) continue;
    const parsed = field.safeParse(getNodeValue(node));
    if (parsed.success) Object.assign(read.header, { [key.value]: parsed.data });
  }
  return read;
}

/** Splits text with git conflict markers into ours, theirs and (diff3) base. */
function splitConflict(lines: string[]) {
  const ours: Line[] = [];
  const theirs: Line[] = [];
  const base: Line[] = [];
  const labels = { ours: "", theirs: "", base: "" };
  let state: "out" | "ours" | "base" | "theirs" = "out";
  let sections = 0;
  let diff3 = false;
  lines.forEach((text, i) => {
    const marker = MARKER.exec(text.replace(/\r$/, ""));
    const label = marker?.[2]?.trim() ?? "";
    if (marker?.[1]?.[0] === "<") {
      state = "ours";
      sections++;
      labels.ours ||= label;
    } else if (marker?.[1]?.[0] === "|" && state === "ours") {
      state = "base";
      diff3 = true;
      labels.base ||= label;
    } else if (marker?.[1]?.[0] === "=" && (state === "ours" || state === "base")) state = "theirs";
    else if (marker?.[1]?.[0] === ">" && state === "theirs") {
      state = "out";
      labels.theirs ||= label;
    } else if (!marker) {
      const line = { text, number: i + 1 };
      if (state !== "theirs" && state !== "base") ours.push(line);
      if (state !== "ours" && state !== "base") theirs.push(line);
      if (state !== "ours" && state !== "theirs") base.push(line);
    }
  });
  return { ours, theirs, base: diff3 ? base : null, labels, sections };
}

/** The first item of each key, in order. */
function firstOf<T>(items: T[], key: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return [...byKey.values()];
}

/** The least done of the statuses (not-started < in-progress < done). */
function leastDone(statuses: CodingStatus[]): CodingStatus {
  const ranks = statuses.map((s) => codingStatuses.indexOf(s));
  return codingStatuses[Math.min(...ranks)] ?? "in-progress";
}

/**
 * Reads a broken annotation file's text. `expected` gives article/coder/textHash
 * to fill in when the header is lost (article and coder always come from
 * `expected`: the file's place in the project decides). Returns null when the
 * text parses fine (nothing to recover). Never throws.
 */
export function recoverAnnotationFile(
  text: string,
  expected: { article: string; coder: string; textHash: string },
): Recovery | null {
  const clean = text.replace(/\0+$/, "");
  const lines = clean.split("\n");
  const split = splitConflict(lines);
  const hasMarkers = split.sections > 0;
  if (!hasMarkers) {
    try {
      const parsed = annotationFileSchema.safeParse(migrateFileData("coding", JSON.parse(text)));
      if (parsed.success) return null;
    } catch {
      // Not JSON, or no schema version: recover below.
    }
  }
  const reads: SideRead[] = [];
  let base: SideRead | null = null;
  let kind: Recovery["kind"] = "invalid";
  let found: string;
  if (hasMarkers) {
    kind = "conflict-markers";
    const { labels } = split;
    const named = (side: string, label: string) =>
      label && label !== side ? `${side} (${label})` : side;
    reads.push(readSide(named("ours", labels.ours), labels.ours || "ours", split.ours));
    reads.push(readSide(named("theirs", labels.theirs), labels.theirs || "theirs", split.theirs));
    if (split.base) base = readSide(named("base", labels.base), "base", split.base);
    found =
      `the file contains git conflict markers (${plural(split.sections, "conflicting section")})` +
      `: ${reads.map((r, i) => `${i === 0 ? plural(r.side.annotations.length, "annotation") : r.side.annotations.length} from ${r.label}`).join(", ")}`;
  } else {
    const numbered = lines.map((l, i) => ({ text: l, number: i + 1 }));
    const read = readSide("recovered", "the file", numbered);
    reads.push(read);
    const errors: ParseError[] = [];
    parse(clean, errors, { disallowComments: true });
    const first = errors[0];
    const lastLine = clean.trimEnd().lastIndexOf("\n") + 1;
    const n = plural(read.side.annotations.length, "annotation");
    if (clean.trim() === "") {
      kind = "truncated";
      found = "the file is empty (truncated)";
    } else if (read.side.file) {
      const where = first ? ` (${describeJsonError(clean, first)})` : "";
      found = `the file is not valid JSON${where} but reads after adding or removing commas: ${n} recovered`;
    } else if (!first) {
      found = `the file does not match the annotation file format (${read.side.problem}): ${n} recovered`;
    } else if (first.offset >= lastLine) {
      kind = "truncated";
      const last = clean.trimEnd().split("\n").length;
      found = `the file is cut off at line ${last} (truncated): ${n} written before the cut recovered`;
      if (read.broken.at(-1)?.number === last) read.broken.pop();
    } else {
      found = `the file is not valid JSON (${describeJsonError(clean, first)}): ${n} recovered`;
    }
  }
  return propose(kind, reads, base, expected, found);
}

/** The union of the sides, its choices and the message. */
function propose(
  kind: Recovery["kind"],
  reads: SideRead[],
  base: SideRead | null,
  expected: { article: string; coder: string; textHash: string },
  found: string,
): Recovery {
  const notes: string[] = [];
  const original = new Map(base?.side.annotations.map((a) => [a.id, a]));
  const versions = new Map<string, { options: StoredAnnotation[]; from: string[][] }>();
  for (const read of reads) {
    for (const a of read.side.annotations) {
      const entry = versions.get(a.id) ?? { options: [], from: [] };
      versions.set(a.id, entry);
      const at = entry.options.findIndex((o) => same(o, a));
      if (at < 0) {
        entry.options.push(a);
        entry.from.push([read.side.name]);
      } else if (!entry.from[at]?.includes(read.side.name)) entry.from[at]?.push(read.side.name);
    }
  }
  const choices: Recovery["choices"] = [];
  const annotations: StoredAnnotation[] = [];
  let differ = 0;
  let deleted = 0;
  for (const [id, { options, from }] of versions) {
    const before = original.get(id);
    const changed = before ? options.filter((o) => !same(o, before)) : [];
    const chosen = options.length > 1 && changed.length === 1 ? changed[0] : options[0];
    const missing = before && from.flat().length < reads.length;
    if (chosen) annotations.push(chosen);
    if (options.length > 1) differ++;
    else if (missing) deleted++;
    if (options.length > 1 || missing)
      choices.push({ id, options, from: from.map((names) => names.join(" and ")) });
  }
  annotations.sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1));
  const differs =
    differ === 0
      ? "no annotation differs"
      : `${plural(differ, "annotation")} ${differ === 1 ? "differs" : "differ"}`;
  const head = reads.length > 1 ? `${found}, ${differs}` : found;
  if (reads.length === 1 && differ > 0)
    notes.push(`${plural(differ, "id")} appear twice with different content`);
  if (deleted > 0)
    notes.push(
      `${plural(deleted, "annotation")} deleted on one side only (kept; choose "drop" to delete)`,
    );

  const codes: Codes = {};
  const codeClashes = new Set<string>();
  for (const read of reads)
    for (const [key, value] of Object.entries(read.header.codes ?? {})) {
      if (!(key in codes)) codes[key] = value;
      else if (!same([codes[key]], [value])) codeClashes.add(key);
    }
  if (codeClashes.size > 0)
    notes.push(`codes ${[...codeClashes].join(", ")} differ: kept ${reads[0]?.label}'s values`);
  if (reads.some((r) => !r.header.codes))
    notes.push(`codes could not be read${reads.length > 1 ? " from every side" : ""}`);

  const statuses = reads.flatMap((r) => (r.header.status ? [r.header.status] : []));
  let status = statuses.length > 0 ? leastDone(statuses) : "in-progress";
  const each = reads.map((r) => `${r.label}: ${r.header.status ?? "unreadable"}`).join(", ");
  if (statuses.length < reads.length || new Set(statuses).size > 1)
    notes.push(
      reads.length > 1
        ? `status differs (${each}): set to ${status}`
        : `status could not be read: set to ${status}`,
    );
  if (status === "done" && reads.some((r) => !r.side.file)) {
    status = "in-progress";
    notes.push('status set back from "done" to "in-progress": check that nothing is missing');
  }
  if (status === "not-started" && annotations.length > 0) status = "in-progress";

  const hashes = [...new Set(reads.flatMap((r) => (r.header.textHash ? [r.header.textHash] : [])))];
  if (hashes.length > 1)
    notes.push(`the sides refer to different article texts: kept ${reads[0]?.label}'s text hash`);
  if (hashes.length === 0) notes.push("text hash could not be read: set to the article's");
  for (const read of reads)
    for (const line of read.broken)
      notes.push(
        `line ${line.number}${reads.length > 1 ? ` (${read.label})` : ""} could not be read: ${line.text.trim().replace(/^(.{60}).+$/, "$1…")}`,
      );

  const orphans = firstOf(
    reads.flatMap((r) => r.orphans),
    (o) => o.id,
  );
  const pending = reads.flatMap((r) => r.header.conflicts ?? []);
  const conflicts = firstOf(pending, (c) => `${c.kind}:${c.key}`);
  const rejected = reads.some((r) => r.header.rejected)
    ? [...new Set(reads.flatMap((r) => r.header.rejected ?? []))]
    : undefined;

  const merged: AnnotationFile = {
    schemaVersion: SCHEMA_VERSION,
    article: expected.article,
    coder: expected.coder,
    textHash: hashes[0] ?? expected.textHash,
    status,
    codes,
    annotations,
    orphans,
    ...(rejected ? { rejected } : {}),
    ...(conflicts.length > 0 ? { conflicts } : {}),
  };
  const sides = [...reads, ...(base ? [base] : [])].map((r) => r.side);
  return { kind, sides, merged, choices, message: [head, ...notes].join("; ") };
}

/**
 * Applies the coder's choices (annotation id → chosen option index, or "drop")
 * to a recovery, returning a valid AnnotationFile. "drop" works on any id of
 * the proposal; ids without a pick keep the proposal's version. Throws an
 * "invalid-input" WorkbenchError for an option index the choice does not have.
 */
export function resolveRecovery(
  recovery: Recovery,
  picks: Record<string, number | "drop">,
): AnnotationFile {
  const chosen = new Map<string, StoredAnnotation | null>();
  for (const [id, pick] of Object.entries(picks)) {
    if (pick === "drop") {
      chosen.set(id, null);
      continue;
    }
    const option = recovery.choices.find((c) => c.id === id)?.options[pick];
    if (!option)
      throw new WorkbenchError("invalid-input", `annotation ${id} has no option ${pick} to choose`);
    chosen.set(id, option);
  }
  const annotations = recovery.merged.annotations.flatMap((a) => {
    const pick = chosen.get(a.id);
    return pick === undefined ? [a] : pick === null ? [] : [pick];
  });
  return annotationFileSchema.parse({ ...recovery.merged, annotations });
}
