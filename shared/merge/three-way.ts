/**
 * Three-way merge of Tagwerk's JSON project files (coder files, codebook,
 * entity registry), record by record, for `tagwerk merge-driver`. Pure: no
 * Node, no DOM.
 *
 * Every record (annotation, orphan, document code, label, entity, …) is
 * merged by its key: a change, addition or deletion made on one side only is
 * taken; identical changes are taken once; anything else is a conflict. A
 * conflict keeps OURS' version in the main content (nothing if ours deleted
 * the record) and lists `{kind, key, base, ours, theirs}` in the file's
 * `conflicts`, so no side's data is ever lost. Records are compared by value
 * (key order and absent optional fields do not matter). Two annotations with
 * different ids are always two records, even with identical span and label:
 * nothing is deduplicated. Special fields:
 *
 * - `textHash`: equal → kept. Changed on one side only (a re-anchoring to a new
 *   text) → that side's hash when the other side's annotations and orphans are
 *   those of base (all merged offsets then refer to the new text); otherwise the
 *   base hash stays, so the file's hash differs from the article's and Tagwerk
 *   re-anchors every annotation by its quote when the file is next opened
 *   (`reconcileCoding`). Changed on both sides differently → base's hash for the
 *   same reason (ours' when there is no base).
 * - codebook `version`: the highest of base, ours and theirs, plus 1 when the
 *   merged codebook equals neither side's (a new state gets a new number).
 * - codebook arrays keep their display order: ours' order, then the records
 *   only theirs added, in theirs' order. Theirs' order leads instead (ours'
 *   additions then follow) when ours' ids are exactly base's, or when ours kept
 *   the relative order of the records all three share and theirs changed it.
 *   The same order is used for `rejected`.
 * - `rejected`: a set of strings, merged 3-way per value (never a conflict).
 * - orphans: merged like annotations; their conflicts have kind "annotation"
 *   and key `orphan:<id>` (":" cannot occur in an id).
 * - `conflicts` already in the files: merged 3-way by kind+key (one side
 *   removing a conflict the other left alone resolves it; otherwise ours'
 *   record, or theirs' if ours has none); a new conflict for the same
 *   kind+key replaces the old one.
 */
import {
  type FileData,
  FileFormatError,
  fileSchemas,
  formatFileData,
  migrateFileData,
} from "../file-formats";
import {
  type AnnotationFile,
  type Codebook,
  describeSchemaError,
  type EntityRegistry,
  isSafeId,
  type MergeConflict,
  SCHEMA_VERSION,
} from "../project-files";

/** The kinds of file the merge driver merges. */
export type MergeKind = "coding" | "codebook" | "entities";

/** A merged file and how many new conflict records the merge wrote into it. */
export interface MergeOutcome<T> {
  merged: T;
  /** New conflict records (carried-over ones are not counted). */
  conflicts: number;
}

/** One of the three versions given to `mergeFileTexts` cannot be read. */
export class MergeInputError extends Error {
  /** `file` names the version ("base", "ours", "theirs"); `problem` says what is wrong. */
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "MergeInputError";
  }
}

type ConflictKind = MergeConflict["kind"];

/** JSON with sorted keys and absent values dropped: equal strings ⇔ equal records. */
function stable(value: unknown): string {
  if (value === undefined) return "~";
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? "null" : stable(v))).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const same = (a: unknown, b: unknown): boolean => stable(a) === stable(b);

/** The 3-way decision for one record; `undefined` = absent on that side. */
function pick3<T>(
  b: T | undefined,
  o: T | undefined,
  t: T | undefined,
): { value: T | undefined; conflict: boolean } {
  if (same(o, t)) return { value: o, conflict: false };
  if (same(b, o)) return { value: t, conflict: false };
  if (same(b, t)) return { value: o, conflict: false };
  return { value: o, conflict: true };
}

/** Collects the new conflict records of one merge. */
class ConflictLog {
  readonly records: MergeConflict[] = [];
  add(kind: ConflictKind, key: string, base: unknown, ours: unknown, theirs: unknown): void {
    this.records.push({
      kind,
      key,
      base: base ?? null,
      ours: ours ?? null,
      theirs: theirs ?? null,
    });
  }
}

/** Records by key; a key used twice in one list gets a numbered twin so no record is dropped. */
function keyed<T>(records: readonly T[], idOf: (r: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const r of records) {
    const id = idOf(r);
    let key = id;
    for (let n = 2; map.has(key); n++) key = `${id}\u0000${n}`;
    map.set(key, r);
  }
  return map;
}

const idOfKey = (key: string): string => key.split("\u0000")[0] ?? key;
const unique = (keys: Iterable<string>): string[] => [...new Set(keys)];
const sameSeq = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((k, i) => k === b[i]);

/** The order of an ordered list's merged keys (see the module comment). */
function mergedOrder(b: string[], o: string[], t: string[]): string[] {
  const [inOurs, inTheirs] = [new Set(o), new Set(t)];
  const inAll = new Set(b.filter((k) => inOurs.has(k) && inTheirs.has(k)));
  const common = (keys: string[]) => keys.filter((k) => inAll.has(k));
  const theirsLead =
    sameSeq(o, b) || (sameSeq(common(o), common(b)) && !sameSeq(common(t), common(b)));
  return unique(theirsLead ? [...t, ...o, ...b] : [...o, ...t, ...b]);
}

interface RecordMerge<T> {
  kind: ConflictKind;
  idOf: (r: T) => string;
  /** Prefixed to conflict keys (orphans). */
  keyPrefix?: string;
  /** Whether the list's order is meaningful (codebook arrays). */
  ordered?: boolean;
}

/** Merges two lists of records by key, logging conflicts. */
function mergeRecords<T>(
  how: RecordMerge<T>,
  base: readonly T[] | undefined,
  ours: readonly T[],
  theirs: readonly T[],
  log: ConflictLog,
): T[] {
  const b = keyed(base ?? [], how.idOf);
  const o = keyed(ours, how.idOf);
  const t = keyed(theirs, how.idOf);
  const order = how.ordered
    ? mergedOrder([...b.keys()], [...o.keys()], [...t.keys()])
    : unique([...o.keys(), ...t.keys(), ...b.keys()]);
  const out: T[] = [];
  for (const key of order) {
    const r = pick3(b.get(key), o.get(key), t.get(key));
    if (r.conflict)
      log.add(
        how.kind,
        `${how.keyPrefix ?? ""}${idOfKey(key)}`,
        b.get(key),
        o.get(key),
        t.get(key),
      );
    if (r.value !== undefined) out.push(r.value);
  }
  return out;
}

/** True when two lists hold the same records by key and value (order aside). */
function sameRecords<T>(a: readonly T[], b: readonly T[], idOf: (r: T) => string): boolean {
  if (a.length !== b.length) return false;
  const mb = keyed(b, idOf);
  return [...keyed(a, idOf)].every(([k, r]) => mb.has(k) && same(r, mb.get(k)));
}

const byId = (r: { id: string }): string => r.id;
const own = <V>(o: Record<string, V> | undefined, k: string): V | undefined =>
  o !== undefined && Object.hasOwn(o, k) ? o[k] : undefined;

/** Merges a map of values (document codes) key by key. */
function mergeMap<V>(
  kind: ConflictKind,
  base: Record<string, V> | undefined,
  ours: Record<string, V>,
  theirs: Record<string, V>,
  log: ConflictLog,
): Record<string, V> {
  const entries: [string, V][] = [];
  for (const key of unique([
    ...Object.keys(ours),
    ...Object.keys(theirs),
    ...Object.keys(base ?? {}),
  ])) {
    const [b, o, t] = [own(base, key), own(ours, key), own(theirs, key)];
    const r = pick3(b, o, t);
    if (r.conflict) log.add(kind, key, b, o, t);
    if (r.value !== undefined) entries.push([key, r.value]);
  }
  return Object.fromEntries(entries);
}

/** Merges one field that both sides always have; a conflict keeps ours'. */
function mergeField<V>(
  kind: ConflictKind,
  key: string,
  b: V | undefined,
  o: V,
  t: V,
  log: ConflictLog,
): V {
  const r = pick3(b, o, t);
  if (r.conflict) log.add(kind, key, b, o, t);
  return r.value ?? o;
}

/** A set of strings merged per value: kept when both have it, or when one side added it. */
function mergeSet(
  base: readonly string[],
  ours: readonly string[],
  theirs: readonly string[],
): string[] {
  const [b, o, t] = [new Set(base), new Set(ours), new Set(theirs)];
  return mergedOrder([...base], [...ours], [...theirs]).filter((v) =>
    o.has(v) === t.has(v) ? o.has(v) : !b.has(v),
  );
}

/** Carries the conflicts already in the files over and adds the new ones (see the module comment). */
function carryConflicts(
  base: readonly MergeConflict[] | undefined,
  ours: readonly MergeConflict[] | undefined,
  theirs: readonly MergeConflict[] | undefined,
  fresh: readonly MergeConflict[],
): MergeConflict[] | undefined {
  const keyOf = (c: MergeConflict) => `${c.kind}\u0001${c.key}`;
  const [b, o, t] = [
    keyed(base ?? [], keyOf),
    keyed(ours ?? [], keyOf),
    keyed(theirs ?? [], keyOf),
  ];
  const merged = new Map<string, MergeConflict>();
  for (const key of unique([...o.keys(), ...t.keys()])) {
    const r = pick3(b.get(key), o.get(key), t.get(key));
    const value = r.conflict ? (o.get(key) ?? t.get(key)) : r.value;
    if (value !== undefined) merged.set(key, value);
  }
  for (const c of fresh) merged.set(keyOf(c), c);
  return merged.size > 0 ? [...merged.values()] : undefined;
}

/** The `textHash` rule of the module comment. */
function mergeTextHash(
  base: AnnotationFile | null,
  ours: AnnotationFile,
  theirs: AnnotationFile,
): string {
  if (ours.textHash === theirs.textHash) return ours.textHash;
  const untouched = (side: AnnotationFile) =>
    sameRecords(side.annotations, base?.annotations ?? [], byId) &&
    sameRecords(side.orphans, base?.orphans ?? [], byId);
  if (base?.textHash === ours.textHash && untouched(ours)) return theirs.textHash;
  if (base?.textHash === theirs.textHash && untouched(theirs)) return ours.textHash;
  return base?.textHash ?? ours.textHash;
}

/** Merges three versions of one coder's annotation file (`coding/<article>/<coder>.json`). */
export function mergeCoding(
  base: AnnotationFile | null,
  ours: AnnotationFile,
  theirs: AnnotationFile,
): MergeOutcome<AnnotationFile> {
  const log = new ConflictLog();
  const annotations = mergeRecords(
    { kind: "annotation", idOf: byId },
    base?.annotations,
    ours.annotations,
    theirs.annotations,
    log,
  );
  const orphans = mergeRecords(
    { kind: "annotation", idOf: byId, keyPrefix: "orphan:" },
    base?.orphans,
    ours.orphans,
    theirs.orphans,
    log,
  );
  const codes = mergeMap("code", base?.codes, ours.codes, theirs.codes, log);
  const status = mergeField("status", "status", base?.status, ours.status, theirs.status, log);
  const rejected =
    ours.rejected === undefined && theirs.rejected === undefined
      ? undefined
      : mergeSet(base?.rejected ?? [], ours.rejected ?? [], theirs.rejected ?? []);
  const merged: AnnotationFile = {
    schemaVersion: SCHEMA_VERSION,
    article: ours.article,
    coder: ours.coder,
    textHash: mergeTextHash(base, ours, theirs),
    status,
    codes,
    annotations,
    orphans,
    rejected,
    conflicts: carryConflicts(base?.conflicts, ours.conflicts, theirs.conflicts, log.records),
  };
  return { merged, conflicts: log.records.length };
}

const codebookContent = (c: Codebook) => [
  c.labels,
  c.stanceTargets,
  c.stanceScale,
  c.documentVariables,
];

/** Merges three versions of `codebook.json`. */
export function mergeCodebook(
  base: Codebook | null,
  ours: Codebook,
  theirs: Codebook,
): MergeOutcome<Codebook> {
  const log = new ConflictLog();
  const list = <T extends { id: string }>(
    kind: ConflictKind,
    pickList: (c: Codebook) => T[],
  ): T[] =>
    mergeRecords(
      { kind, idOf: byId, ordered: true },
      base ? pickList(base) : undefined,
      pickList(ours),
      pickList(theirs),
      log,
    );
  const labels = list("label", (c) => c.labels);
  const stanceTargets = list("stanceTarget", (c) => c.stanceTargets);
  const stanceScale = list("stancePolarity", (c) => c.stanceScale);
  const documentVariables = list("documentVariable", (c) => c.documentVariables);
  const content = [labels, stanceTargets, stanceScale, documentVariables];
  const newState = !same(content, codebookContent(ours)) && !same(content, codebookContent(theirs));
  const merged: Codebook = {
    schemaVersion: SCHEMA_VERSION,
    version: Math.max(base?.version ?? 1, ours.version, theirs.version) + (newState ? 1 : 0),
    labels,
    stanceTargets,
    stanceScale,
    documentVariables,
    conflicts: carryConflicts(base?.conflicts, ours.conflicts, theirs.conflicts, log.records),
  };
  return { merged, conflicts: log.records.length };
}

/** Merges three versions of `entities.json`. */
export function mergeRegistry(
  base: EntityRegistry | null,
  ours: EntityRegistry,
  theirs: EntityRegistry,
): MergeOutcome<EntityRegistry> {
  const log = new ConflictLog();
  const entities = mergeRecords(
    { kind: "entity", idOf: byId },
    base?.entities,
    ours.entities,
    theirs.entities,
    log,
  );
  const merged: EntityRegistry = {
    schemaVersion: SCHEMA_VERSION,
    entities,
    conflicts: carryConflicts(base?.conflicts, ours.conflicts, theirs.conflicts, log.records),
  };
  return { merged, conflicts: log.records.length };
}

/** Parses, migrates and checks one version of a file; throws `MergeInputError`. */
function parseVersion<K extends MergeKind>(kind: K, file: string, text: string): FileData<K> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const conflictMarker = /^(<{7}|={7}|>{7})/m.test(text)
      ? " (it holds git conflict markers)"
      : "";
    throw new MergeInputError(file, `not valid JSON${conflictMarker}: ${(error as Error).message}`);
  }
  let migrated: unknown;
  try {
    migrated = migrateFileData(kind, raw);
  } catch (error) {
    if (error instanceof FileFormatError) throw new MergeInputError(file, error.message);
    throw error;
  }
  const parsed = fileSchemas[kind].safeParse(migrated);
  if (!parsed.success) throw new MergeInputError(file, describeSchemaError(parsed.error));
  return parsed.data as FileData<K>;
}

/**
 * Text in, text out, for the git merge driver: parses the three versions (a
 * missing or blank base counts as none: both sides added the file), merges
 * them and writes the result canonically. Throws `MergeInputError` naming the
 * version that cannot be read.
 */
export function mergeFileTexts(
  kind: MergeKind,
  base: string | null,
  ours: string,
  theirs: string,
): { text: string; conflicts: number } {
  const baseText = base?.trim() ? base : null;
  const read = <K extends MergeKind>(k: K) => ({
    base: baseText === null ? null : parseVersion(k, "base", baseText),
    ours: parseVersion(k, "ours", ours),
    theirs: parseVersion(k, "theirs", theirs),
  });
  if (kind === "coding") {
    const v = read("coding");
    const { merged, conflicts } = mergeCoding(v.base, v.ours, v.theirs);
    return { text: formatFileData("coding", merged), conflicts };
  }
  if (kind === "codebook") {
    const v = read("codebook");
    const { merged, conflicts } = mergeCodebook(v.base, v.ours, v.theirs);
    return { text: formatFileData("codebook", merged), conflicts };
  }
  const v = read("entities");
  const { merged, conflicts } = mergeRegistry(v.base, v.ours, v.theirs);
  return { text: formatFileData("entities", merged), conflicts };
}

/**
 * Which kind of mergeable file a repository path names, or null: `…/coding/<article>/<coder>.json`,
 * `…/codebook.json`, `…/entities.json` (the project may sit in a subfolder of the repository;
 * `articles/codebook.json` is an article's metadata, not a codebook).
 */
export function mergeKindOfPath(path: string): MergeKind | null {
  const parts = path
    .replaceAll("\\", "/")
    .split("/")
    .filter((p) => p !== "" && p !== ".");
  const [name, parent, grandparent] = [parts.at(-1), parts.at(-2), parts.at(-3)];
  if (name === undefined) return null;
  if (grandparent === "coding" && parent !== undefined && name.endsWith(".json")) {
    return isSafeId(parent) && isSafeId(name.slice(0, -".json".length)) ? "coding" : null;
  }
  if (parent === "articles" || parent === "coding") return null;
  if (name === "codebook.json") return "codebook";
  if (name === "entities.json") return "entities";
  return null;
}
