/**
 * Reading one JSON file of a project with errors a coder can act on: the file,
 * the line and column, and whether git left conflict markers in it.
 */
import { readFileSync } from "node:fs";
import {
  findNodeAtLocation,
  type ParseError,
  parse,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import type { z } from "zod";
import { fastAnnotationFile, fastArticleMeta } from "../../shared/fast-schemas";
import {
  type FileData,
  FileFormatError,
  type FileKind,
  fileSchemas,
  type MigrationContext,
  migrateFileData,
} from "../../shared/file-formats";
import { describeSchemaError } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { readText as readUtf8 } from "./read-files";

/** Line and column (1-based) of UTF-16 index `index` in `text`. */
export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, index));
  const line = before.split("\n").length;
  const column = index - before.lastIndexOf("\n");
  return { line, column };
}

/** Finds the first git conflict marker line, if any (1-based line number). */
export function findConflictMarker(text: string): number | undefined {
  const match = /^(<<<<<<<|=======|>>>>>>>)( |$)/m.exec(text);
  return match ? lineAndColumn(text, match.index).line : undefined;
}

/** Parses JSON text, throwing a `broken-file` error that names `file`, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  const marker = findConflictMarker(text);
  if (marker !== undefined) {
    throw new WorkbenchError(
      "broken-file",
      `${file}: line ${marker}: contains git conflict markers (the file was merged without Tagwerk's merge driver)`,
      file,
    );
  }
  if (text.trim().length === 0) {
    throw new WorkbenchError("broken-file", `${file}: the file is empty`, file);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new WorkbenchError("broken-file", `${file}: ${locateJsonError(text)}`, file);
  }
}

/**
 * Where and why `text` is not valid JSON, in words. V8's own messages lack a
 * position for some errors, so a second, error-tolerant parse (jsonc-parser,
 * with comments and trailing commas disallowed) finds the first problem.
 */
export function locateJsonError(text: string): string {
  const errors: ParseError[] = [];
  parse(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  const first = errors[0];
  if (!first) return "invalid JSON";
  const { line, column } = lineAndColumn(text, first.offset);
  const reason = printParseErrorCode(first.error)
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();
  const atEnd = first.offset >= text.trimEnd().length;
  const truncated =
    atEnd || reason.startsWith("unexpected end") ? " (the file looks truncated)" : "";
  return `line ${line}, column ${column}: invalid JSON: ${reason}${truncated}`;
}

/** Line and column where the value at `path` (e.g. ["annotations", 3, "end"]) sits in JSON `text`. */
export function locateJsonPath(
  text: string,
  path: (string | number)[],
): { line: number; column: number } | null {
  const tree = parseTree(text);
  if (!tree) return null;
  // The deepest node that exists on the path: a missing key points at its object.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (node) return lineAndColumn(text, node.offset);
  }
  return null;
}

/** "line 12: annotations.3.end: must be greater than start" for a schema problem. */
function describeSchemaProblem(text: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue ? locateJsonPath(text, issue.path as (string | number)[]) : null;
  return `${where ? `line ${where.line}: ` : ""}${describeSchemaError(error)}`;
}

/** The error for a file that cannot be read: not-found or io-error, naming `file`. */
function unreadable(error: unknown, file: string): WorkbenchError {
  const code = (error as NodeJS.ErrnoException).code;
  return new WorkbenchError(
    code === "ENOENT" ? "not-found" : "io-error",
    code === "ENOENT" ? `${file}: the file does not exist` : `${file}: cannot be read (${code})`,
    file,
  );
}

async function readText(path: string, file: string): Promise<string> {
  try {
    return await readUtf8(path);
  } catch (error) {
    throw unreadable(error, file);
  }
}

/** Reads `path`, parses it as JSON and checks it against `schema`; errors name `file`. */
export async function readJsonFile<T extends z.ZodType>(
  path: string,
  file: string,
  schema: T,
): Promise<z.infer<T>> {
  const text = await readText(path, file);
  const parsed = schema.safeParse(parseJsonText(text, file));
  if (!parsed.success) {
    throw new WorkbenchError(
      "broken-file",
      `${file}: ${describeSchemaProblem(text, parsed.error)}`,
      file,
    );
  }
  return parsed.data;
}

/** A project file as read: its data in the current schema, and the version it was written in. */
export interface ProjectFileRead<K extends FileKind> {
  data: FileData<K>;
  /** The schema version on disk (older than current means: migrated in memory). */
  version: number;
  /** The exact text on disk. */
  text: string;
}

/**
 * Reads a project file of `kind`: parse, migrate from older schema versions,
 * check against the current schema. Errors name the file, line and field.
 */
export async function readProjectFile<K extends FileKind>(
  path: string,
  file: string,
  kind: K,
  context: MigrationContext = {},
): Promise<ProjectFileRead<K>> {
  const text = await readText(path, file);
  return parseProjectFile(text, file, kind, context);
}

/**
 * Like `readProjectFile`, reading synchronously: for code that reads thousands
 * of small files in a row, where a read is cheaper than a trip to the thread pool.
 */
export function readProjectFileSync<K extends FileKind>(
  path: string,
  file: string,
  kind: K,
  context: MigrationContext = {},
): ProjectFileRead<K> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw unreadable(error, file);
  }
  return parseProjectFile(text, file, kind, context);
}

/** Like `readProjectFile`, for text already in memory. */
export function parseProjectFile<K extends FileKind>(
  text: string,
  file: string,
  kind: K,
  context: MigrationContext = {},
): ProjectFileRead<K> {
  const raw = parseJsonText(text, file);
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateFileData(kind, raw, context);
  } catch (error) {
    if (!(error instanceof FileFormatError)) throw error;
    const where = locateJsonPath(text, ["schemaVersion"]);
    throw new WorkbenchError(
      "broken-file",
      `${file}: ${where ? `line ${where.line}: ` : ""}${error.message}`,
      file,
    );
  }
  // The files a project has thousands of take a fast path; zod decides everything else.
  const fast =
    kind === "coding"
      ? fastAnnotationFile(migrated)
      : kind === "article"
        ? fastArticleMeta(migrated)
        : null;
  if (fast !== null)
    return {
      data: fast as FileData<K>,
      version: Number((raw as { schemaVersion: number }).schemaVersion),
      text,
    };
  const parsed = fileSchemas[kind].safeParse(migrated);
  if (!parsed.success) {
    throw new WorkbenchError(
      "broken-file",
      `${file}: ${describeSchemaProblem(text, parsed.error)}`,
      file,
    );
  }
  return {
    data: parsed.data as FileData<K>,
    version: Number((raw as { schemaVersion: number }).schemaVersion),
    text,
  };
}
