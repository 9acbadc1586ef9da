/**
 * Tagwerk and git: `tagwerk git-setup` routes a project's annotation files,
 * codebook and entity registry through Tagwerk's merge driver and readable
 * diff, `tagwerk merge-driver` is the driver git calls (record-by-record merge,
 * undecidable changes kept as `conflicts` records instead of text markers), and
 * `tagwerk diff` tells annotation changes in words (also git's textconv).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { mergeFileTexts, mergeKindOfPath } from "../../shared/merge/three-way";
import type {
  AnnotationFile,
  Codebook,
  EntityRegistry,
  MergeConflict,
  OrphanedAnnotation,
  StoredAnnotation,
} from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { writeFileDurably } from "../project/atomic-write";
import { parseJsonText, parseProjectFile } from "../project/json-file";
import { UsageError } from "./dataset-commands";

/** Help text of the git commands, part of `tagwerk --help`. */
export const GIT_USAGE = `  tagwerk git-setup PROJECT
      Prepare the project's git repository (git init if there is none): write
      .gitattributes and register Tagwerk's merge driver and readable diff for
      annotation files, codebook.json and entities.json. Safe to run again.
  tagwerk merge-driver BASE OURS THEIRS PATH
      The merge driver git runs (%O %A %B %P): merges record by record and keeps
      what it cannot decide as conflicts in the file. Exit 0 clean, 1 conflicts, 2 failed.
  tagwerk diff OLD NEW
  tagwerk diff [--textconv] FILE
      Annotation changes in words (+ added, - removed, ~ changed); with one file,
      one line per annotation (git's textconv).`;

/** The marked block `git-setup` keeps in the project's `.gitattributes`. */
const ATTRIBUTES_BLOCK = [
  "# Tagwerk: merge annotation files by record, show them as readable diffs",
  "coding/**/*.json merge=tagwerk diff=tagwerk",
  "codebook.json merge=tagwerk diff=tagwerk",
  "entities.json merge=tagwerk diff=tagwerk",
];

/** Runs the system's git in `cwd`; a missing git is a `WorkbenchError` saying so. */
function git(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new WorkbenchError(
            "unsupported",
            "git is not installed or not on the PATH; install git (https://git-scm.com) and run this again",
          ),
        );
        return;
      }
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `value` as one word for sh: unchanged when safe, else in single quotes. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The git config entries `git-setup` registers; git starts node and bin.js by absolute path. */
function driverConfig(): [string, string][] {
  // Bundled into out/main/cli.js or run from electron/cli/: the app root is two folders up.
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
  const slashes = (p: string) => (process.platform === "win32" ? p.replaceAll("\\", "/") : p);
  const bin = slashes(path.join(root, "electron", "cli", "bin.js"));
  const cli = `${shellQuote(slashes(process.execPath))} ${shellQuote(bin)}`;
  return [
    ["merge.tagwerk.name", "Tagwerk: merge annotation files record by record"],
    ["merge.tagwerk.driver", `${cli} merge-driver %O %A %B %P`],
    ["diff.tagwerk.textconv", `${cli} diff --textconv`],
  ];
}

/** `text` of a .gitattributes file with the Tagwerk block in place (replaced, or appended). */
function withAttributesBlock(text: string): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.length === 0 ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/);
  const at = lines.findIndex((line) => line.startsWith("# Tagwerk:"));
  if (at >= 0) {
    let end = at + 1;
    while (end < lines.length && /\b(merge|diff)=tagwerk\b/.test(lines[end] ?? "")) end++;
    lines.splice(at, end - at, ...ATTRIBUTES_BLOCK);
  } else {
    if (lines.length > 0 && lines.at(-1)?.trim() !== "") lines.push("");
    lines.push(...ATTRIBUTES_BLOCK);
  }
  return `${lines.join(eol)}${eol}`;
}

/** `tagwerk git-setup PROJECT`: git init if needed, .gitattributes, driver config. */
export async function gitSetupCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const [dir] = positionals;
  if (dir === undefined || positionals.length > 1) {
    throw new UsageError("git-setup takes one project folder: tagwerk git-setup PROJECT");
  }
  const root = path.resolve(dir);
  if (!existsSync(path.join(root, "tagwerk.json"))) {
    throw new WorkbenchError("not-a-project", `${root} is not a Tagwerk project (no tagwerk.json)`);
  }
  const inside = await git(["rev-parse", "--is-inside-work-tree"], root);
  if (inside.code !== 0 || inside.stdout.trim() !== "true") {
    const init = await git(["init"], root);
    if (init.code !== 0) throw new WorkbenchError("io-error", `git init: ${init.stderr.trim()}`);
    console.log(`created a git repository in ${root}`);
  }
  const attributesFile = path.join(root, ".gitattributes");
  const before = existsSync(attributesFile) ? await readFile(attributesFile, "utf8") : "";
  const after = withAttributesBlock(before);
  if (after !== before) {
    await writeFile(attributesFile, after);
    console.log(`${before ? "updated" : "wrote"} ${attributesFile} (commit it, so clones use it)`);
  } else {
    console.log(`${attributesFile} is up to date`);
  }
  const entries = driverConfig();
  for (const [key, value] of entries) {
    const current = await git(["config", "--local", "--get", key], root);
    if (current.code === 0 && current.stdout.replace(/\r?\n$/, "") === value) {
      console.log(`git config ${key} is up to date`);
      continue;
    }
    const set = await git(["config", "--local", key, value], root);
    if (set.code !== 0) throw new WorkbenchError("io-error", `git config: ${set.stderr.trim()}`);
    console.log(`git config ${key} ${shellQuote(value)}`);
  }
  console.log(
    [
      "",
      "Git config is not shared by cloning. In clones where `tagwerk git-setup` was not run,",
      "register the driver once per machine (for all repositories):",
      ...entries.map(([key, value]) => `  git config --global ${key} ${shellQuote(value)}`),
    ].join("\n"),
  );
  return 0;
}

/** Plain line merge for files that are no Tagwerk records: exit 0 clean, 1 markers, 2 failed. */
async function lineMerge(base: string, ours: string, theirs: string): Promise<number> {
  const merged = await git(
    ["merge-file", "-L", "ours", "-L", "base", "-L", "theirs", ours, base, theirs],
    process.cwd(),
  );
  if (merged.code > 0 && merged.code < 128) return 1;
  if (merged.code !== 0) console.error(`tagwerk merge-driver: ${merged.stderr.trim()}`);
  return merged.code === 0 ? 0 : 2;
}

/** `tagwerk merge-driver BASE OURS THEIRS PATH`, as git runs it for `merge=tagwerk` files. */
export async function mergeDriverCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  if (positionals.length !== 4) {
    throw new UsageError("merge-driver takes BASE OURS THEIRS PATH (git passes %O %A %B %P)");
  }
  const [basePath, oursPath, theirsPath, file] = positionals as [string, string, string, string];
  const kind = mergeKindOfPath(file);
  if (kind === null) return lineMerge(basePath, oursPath, theirsPath);
  try {
    const [base, ours, theirs] = await Promise.all(
      [basePath, oursPath, theirsPath].map((p) => readFile(p, "utf8")),
    );
    const merged = mergeFileTexts(kind, base?.length ? base : null, ours ?? "", theirs ?? "");
    if (merged.text !== ours) await writeFileDurably(oursPath, merged.text);
    if (merged.conflicts === 0) return 0;
    console.error(
      `tagwerk: ${file}: ${merged.conflicts} merge conflict${merged.conflicts === 1 ? "" : "s"} recorded in the file; decide them in Tagwerk`,
    );
    return 1;
  } catch (error) {
    // MergeInputError names the version at fault: "ours: not valid JSON …".
    const problem = error instanceof Error ? error.message : String(error);
    console.error(`tagwerk: ${file}: cannot merge (${problem}); left for you to resolve`);
    return 2;
  }
}

/** A project file read for `tagwerk diff`, tagged with its kind. */
export type Parsed =
  | { kind: "coding"; data: AnnotationFile }
  | { kind: "codebook"; data: Codebook }
  | { kind: "entities"; data: EntityRegistry };

/** Reads an annotation file, codebook or entity registry; a `WorkbenchError` names what is wrong. */
function parseForDiff(text: string, file: string): Parsed {
  const raw = parseJsonText(text, file);
  const kind = (["annotations", "labels", "entities"] as const).find(
    (key) => typeof raw === "object" && raw !== null && key in raw,
  );
  if (kind === undefined) {
    throw new WorkbenchError(
      "unsupported",
      `${file}: not an annotation file, codebook or entity registry`,
    );
  }
  const fileKind = ({ annotations: "coding", labels: "codebook", entities: "entities" } as const)[
    kind
  ];
  return { kind: fileKind, data: parseProjectFile(text, file, fileKind).data } as Parsed;
}

/** A value as one token: bare when it has no spaces or quotes, else as a JSON string. */
function word(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  if (typeof value === "string") return /^[^\s"=|]+$/u.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(word).join(", ")}]`;
  return JSON.stringify(value);
}

const SPAN_FIELDS = ["value", "target", "polarity", "holder", "entity", "note"] as const;
type Span = StoredAnnotation | OrphanedAnnotation;

/** `PER "Steve Witkoff" 1074–1087`. */
function spanHead(a: Pick<Span, "label" | "quote" | "start" | "end">): string {
  return `${a.label} ${JSON.stringify(a.quote)} ${a.start}–${a.end}`;
}

/** One annotation on one line, with its id and every attribute. */
function spanLine(a: Span): string {
  const extras = SPAN_FIELDS.filter((k) => a[k] !== undefined).map((k) => ` ${k}=${word(a[k])}`);
  return `${spanHead(a)} [${a.id}]${extras.join("")}`;
}

function isSpanLike(v: unknown): v is Span {
  return typeof v === "object" && v !== null && "label" in v && "start" in v && "quote" in v;
}

function conflictLine(c: MergeConflict): string {
  const side = (v: unknown) => (isSpanLike(v) ? spanHead(v) : word(v));
  return `CONFLICT ${c.kind} ${c.key}: ours ${side(c.ours)} | theirs ${side(c.theirs)}`;
}

/** `label PER kind=entity name=Person color=#3b82f6 …`: a codebook or registry record on one line. */
const recordLine =
  (noun: string) =>
  (r: { id: string }): string =>
    [
      `${noun} ${r.id}`,
      ...Object.entries(r).flatMap(([k, v]) =>
        k === "id" || v === undefined ? [] : [`${k}=${word(v)}`],
      ),
    ].join(" ");

const compareText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const byOffsets = (a: Span, b: Span) =>
  a.start - b.start || a.end - b.end || compareText(a.id, b.id);

/** One kind of record in a file: how to key it, write it as a line, and tell a change. */
interface Section {
  records: unknown[];
  key(r: unknown): string;
  /** The full line (textconv). */
  line(r: unknown): string;
  /** The line after `+ ` / `- ` in two-file mode. */
  brief(r: unknown): string;
  change(a: unknown, b: unknown): string | null;
}

function section<T>(
  records: T[],
  key: (r: T) => string,
  line: (r: T) => string,
  change: (a: T, b: T) => string | null,
  brief = line,
): Section {
  return { records, key, line, brief, change } as unknown as Section;
}

/** `old→new`, or just the value when it did not change. */
function arrow(before: string, after: string): string {
  return before === after ? after : `${before}→${after}`;
}

/** `name "A"→"B", color #…→#…` for the fields of two records that differ. */
function fieldChanges(a: object, b: object, only?: readonly string[]): string[] {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter(
    (k) => (!only || only.includes(k)) && JSON.stringify(ra[k]) !== JSON.stringify(rb[k]),
  );
  return keys.map((k) => `${k} ${word(ra[k])}→${word(rb[k])}`);
}

/** `ORG→LOC "Kreml" 1538–1543 polarity favour→against`; null when nothing visible changed. */
function spanChange(a: Span, b: Span): string | null {
  const extras = fieldChanges(a, b, [...SPAN_FIELDS, "reason"]);
  const quote = arrow(JSON.stringify(a.quote), JSON.stringify(b.quote));
  const head = `${arrow(a.label, b.label)} ${quote} ${arrow(`${a.start}–${a.end}`, `${b.start}–${b.end}`)}`;
  if (head === spanHead(b) && extras.length === 0) return null; // only context or version
  return [head, ...extras].join(" ");
}

const recordChange =
  (noun: string) =>
  (a: { id: string }, b: { id: string }): string =>
    `${noun} ${b.id}: ${fieldChanges(a, b).join(", ")}`;
const byId = (r: { id: string }) => r.id;

/** A file as header lines and record sections, in display order. */
function layout(parsed: Parsed): { header: string[]; sections: Section[] } {
  const conflicts = section(
    parsed.data.conflicts ?? [],
    (c) => `${c.kind} ${c.key}`,
    conflictLine,
    (_, c) => conflictLine(c),
  );
  if (parsed.kind === "coding") {
    const d = parsed.data;
    const orphanLine = (o: OrphanedAnnotation) => `orphan ${spanLine(o)} reason=${word(o.reason)}`;
    const orphanBrief = (o: OrphanedAnnotation) => `orphan ${spanHead(o)} reason=${word(o.reason)}`;
    const rejectedLine = (key: string) => `rejected ${key}`;
    const codeLine = ([k, v]: [string, unknown]) => `code ${k} = ${word(v)}`;
    return {
      header: [`${d.coder} · ${d.article} · ${d.status}`, `text ${d.textHash}`],
      sections: [
        section([...d.annotations].sort(byOffsets), byId, spanLine, spanChange, spanHead),
        section(
          Object.entries(d.codes).sort(([x], [y]) => compareText(x, y)),
          ([k]) => k,
          codeLine,
          ([k, x], [, y]) => `code ${k}: ${word(x)}→${word(y)}`,
        ),
        section(
          [...d.orphans].sort(byOffsets),
          byId,
          orphanLine,
          (x, y) => spanChange(x, y) && `orphan ${spanChange(x, y)}`,
          orphanBrief,
        ),
        section(d.rejected ?? [], String, rejectedLine, () => null),
        conflicts,
      ],
    };
  }
  if (parsed.kind === "codebook") {
    const d = parsed.data;
    return {
      header: [`codebook version ${d.version}`],
      sections: [
        section(d.labels, byId, recordLine("label"), recordChange("label")),
        section(d.stanceTargets, byId, recordLine("target"), recordChange("target")),
        section(d.stanceScale, byId, recordLine("polarity"), recordChange("polarity")),
        section(d.documentVariables, byId, recordLine("variable"), recordChange("variable")),
        conflicts,
      ],
    };
  }
  const entities = [...parsed.data.entities].sort((a, b) => compareText(a.id, b.id));
  return {
    header: [],
    sections: [section(entities, byId, recordLine("entity"), recordChange("entity")), conflicts],
  };
}

/** The stable, line-based rendering of a parsed file that git's line diff compares. */
export function renderForDiff(parsed: Parsed): string[] {
  const { header, sections } = layout(parsed);
  return [...header, ...sections.flatMap((s) => s.records.map((r) => s.line(r)))];
}

/** Added, removed and changed records matched by key: `+ line`, `- line`, `~ change`. */
function diffSection(before: Section, after: Section): string[] {
  const now = new Map(after.records.map((r) => [after.key(r), r]));
  const old = new Map(before.records.map((r) => [before.key(r), r]));
  const out = before.records
    .filter((r) => !now.has(before.key(r)))
    .map((r) => `- ${before.brief(r)}`);
  for (const r of after.records) {
    const previous = old.get(after.key(r));
    if (previous === undefined) out.push(`+ ${after.brief(r)}`);
    else if (JSON.stringify(previous) !== JSON.stringify(r)) {
      const changed = after.change(previous, r);
      if (changed !== null) out.push(`~ ${changed}`);
    }
  }
  return out;
}

/** The file-level facts two-file mode compares besides the records. */
function facts(p: Parsed): Record<string, string> {
  if (p.kind === "codebook") return { "codebook version": String(p.data.version) };
  if (p.kind === "entities") return {};
  return {
    file: `${p.data.coder} · ${p.data.article}`,
    status: p.data.status,
    text: p.data.textHash,
  };
}

/** The changes from one parsed file to another, in words. */
export function describeChanges(before: Parsed, after: Parsed): string[] {
  if (before.kind !== after.kind) {
    throw new WorkbenchError(
      "invalid-input",
      `cannot compare a ${before.kind} file with a ${after.kind} file`,
    );
  }
  const [old, now] = [facts(before), facts(after)];
  const out = Object.keys(now)
    .filter((k) => old[k] !== now[k])
    .map((k) => `~ ${k} ${old[k]}→${now[k]}`);
  const [a, b] = [layout(before).sections, layout(after).sections];
  b.forEach((s, i) => {
    const previous = a[i];
    if (previous) out.push(...diffSection(previous, s));
  });
  if (before.kind !== "coding" || after.kind !== "coding") return out;
  // Removed records name the coder of the old file, everything else the new one's.
  return out.map((l) => `${l} (${l.startsWith("- ") ? before.data.coder : after.data.coder})`);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new WorkbenchError("not-found", `${file}: cannot be read (${code})`, file);
  }
}

/**
 * `tagwerk diff OLD NEW` (changes in words; exit 1 when a file cannot be read as
 * a project file) and `tagwerk diff [--textconv] FILE` (the line rendering; a
 * file that cannot be read as one, e.g. with conflict markers, is printed as is
 * and still exits 0, because git shows whatever a textconv prints).
 */
export async function diffCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { textconv: { type: "boolean" } },
    allowPositionals: true,
  });
  const [first, second] = positionals;
  if (first !== undefined && positionals.length === 1) {
    const text = await readText(first);
    let lines: string[];
    try {
      lines = renderForDiff(parseForDiff(text, first));
    } catch {
      process.stdout.write(text);
      return 0;
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  }
  if (first === undefined || second === undefined || positionals.length > 2 || values.textconv) {
    throw new UsageError("diff takes two files (tagwerk diff OLD NEW) or one with --textconv");
  }
  const before = parseForDiff(await readText(first), first);
  const after = parseForDiff(await readText(second), second);
  const changes = describeChanges(before, after);
  console.log(changes.length > 0 ? changes.join("\n") : "no changes");
  return 0;
}
