/**
 * A fast path for checking the two kinds of file a project has thousands of:
 * annotation files and article metadata. Opening a corpus of 10,000 articles
 * checks 20,000 annotation files with ~500,000 annotations; zod spends more
 * time on that than reading and parsing the files. These functions accept
 * only data that the zod schemas of project-files.ts certainly accept, and
 * then return exactly what zod would (same keys in the same order, defaults
 * filled in, unknown keys dropped). Anything else — an error, an unusual
 * value, merge conflicts — returns `null`, and the caller asks zod, which
 * also words the error. test/shared/fast-schemas.test.ts holds them to that.
 */
import {
  type AnnotationFile,
  type ArticleMeta,
  codingStatuses,
  labelKinds,
  SAFE_ID_PATTERN,
} from "./project-files";

type Data = Record<string, unknown>;

const KINDS: ReadonlySet<unknown> = new Set(labelKinds);
const STATUSES: ReadonlySet<unknown> = new Set(codingStatuses);
const ISO_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;
const TEXT_HASH = /^sha256:[0-9a-f]{64}$/;
const OPTIONAL_STRINGS = ["value", "target", "polarity", "holder", "entity", "note"] as const;

function isObject(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isSafeId = (value: unknown): value is string =>
  typeof value === "string" && SAFE_ID_PATTERN.test(value);

const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0;

/**
 * Copies an optional string field: true when absent or a string (copied),
 * false when present with anything else (including an explicit undefined).
 */
function optionalString(from: Data, to: Data, key: string): boolean {
  const value = from[key];
  if (value === undefined) return !(key in from);
  if (typeof value !== "string") return false;
  to[key] = value;
  return true;
}

/** A string field with a default: true when absent (default used) or a string. */
function defaultedString(from: Data, to: Data, key: string, fallback: string): boolean {
  const value = from[key];
  if (value === undefined) {
    if (key in from) return false;
    to[key] = fallback;
    return true;
  }
  if (typeof value !== "string") return false;
  to[key] = value;
  return true;
}

/** One annotation (or, with `orphan`, an orphaned one with its reason) as zod returns it, or null. */
function annotation(raw: unknown, orphan: boolean): Data | null {
  if (!isObject(raw)) return null;
  const { id, kind, label, start, end, quote } = raw;
  if (!isSafeId(id) || !KINDS.has(kind) || !isSafeId(label)) return null;
  if (!isCount(start) || !isCount(end) || typeof quote !== "string") return null;
  const out: Data = { id, kind, label, start, end, quote };
  if (!defaultedString(raw, out, "prefix", "")) return null;
  if (!defaultedString(raw, out, "suffix", "")) return null;
  for (const key of OPTIONAL_STRINGS) if (!optionalString(raw, out, key)) return null;
  const version = raw.codebookVersion;
  if (version !== undefined) {
    if (!(typeof version === "number" && Number.isSafeInteger(version) && version > 0)) return null;
    out.codebookVersion = version;
  } else if ("codebookVersion" in raw) return null;
  if (orphan) {
    if (typeof raw.reason !== "string") return null;
    out.reason = raw.reason;
  } else if (!(end > start)) return null;
  return out;
}

function annotations(raw: unknown, orphan: boolean): Data[] | null {
  if (!Array.isArray(raw)) return null;
  const out: Data[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const a = annotation(raw[i], orphan);
    if (a === null) return null;
    out[i] = a;
  }
  return out;
}

/** Document codes: strings, numbers or lists of strings (a fresh copy). */
function codes(raw: unknown): Data | null {
  if (raw === undefined) return {};
  if (!isObject(raw)) return null;
  const out: Data = {};
  for (const key of Object.keys(raw)) {
    if (key === "__proto__") return null;
    const value = raw[key];
    if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value)))
      out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string"))
      out[key] = [...value];
    else return null;
  }
  return out;
}

/**
 * An annotation file (schema version 2, after migration) as
 * `annotationFileSchema.parse` returns it, or null when zod must decide.
 */
export function fastAnnotationFile(raw: unknown): AnnotationFile | null {
  if (!isObject(raw) || raw.schemaVersion !== 2) return null;
  const { article, coder, textHash, status } = raw;
  if (!isSafeId(article) || !isSafeId(coder) || typeof textHash !== "string") return null;
  if (raw.conflicts !== undefined || "conflicts" in raw) return null;
  const out: Data = { schemaVersion: 2, article, coder, textHash };
  if (status === undefined) {
    if ("status" in raw) return null;
    out.status = "in-progress";
  } else if (STATUSES.has(status)) out.status = status;
  else return null;
  const fileCodes = codes(raw.codes);
  if (fileCodes === null || (raw.codes === undefined && "codes" in raw)) return null;
  out.codes = fileCodes;
  const list = annotations(raw.annotations, false);
  if (list === null) return null;
  out.annotations = list;
  if (raw.orphans === undefined) {
    if ("orphans" in raw) return null;
    out.orphans = [];
  } else {
    const orphans = annotations(raw.orphans, true);
    if (orphans === null) return null;
    out.orphans = orphans;
  }
  const rejected = raw.rejected;
  if (rejected !== undefined) {
    if (!Array.isArray(rejected) || !rejected.every((r) => typeof r === "string")) return null;
    out.rejected = [...rejected];
  } else if ("rejected" in raw) return null;
  return out as AnnotationFile;
}

/** Article metadata as `articleMetaSchema.parse` returns it, or null when zod must decide. */
export function fastArticleMeta(raw: unknown): ArticleMeta | null {
  if (!isObject(raw) || raw.schemaVersion !== 2) return null;
  const { id, title } = raw;
  if (!isSafeId(id) || typeof title !== "string") return null;
  const out: Data = { schemaVersion: 2, id, title };
  if (!defaultedString(raw, out, "source", "")) return null;
  if (!defaultedString(raw, out, "url", "")) return null;
  const date = raw.date;
  if (date !== undefined) {
    if (typeof date !== "string" || !ISO_DATE.test(date)) return null;
    out.date = date;
  } else if ("date" in raw) return null;
  if (!defaultedString(raw, out, "language", "und")) return null;
  if (typeof raw.importedAt !== "string") return null;
  out.importedAt = raw.importedAt;
  if (typeof raw.textHash !== "string" || !TEXT_HASH.test(raw.textHash)) return null;
  out.textHash = raw.textHash;
  if (!optionalString(raw, out, "origin")) return null;
  return out as ArticleMeta;
}
