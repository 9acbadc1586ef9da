/**
 * Reading one JSON file of a project with errors a coder can act on: the file,
 * the line and column, and whether git left conflict markers in it.
 */
import { readFile } from "node:fs/promises";
import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import type { z } from "zod";
import { describeSchemaError } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";

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

/** Reads `path`, parses it as JSON and checks it against `schema`; errors name `file`. */
export async function readJsonFile<T extends z.ZodType>(
  path: string,
  file: string,
  schema: T,
): Promise<z.infer<T>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WorkbenchError(
      code === "ENOENT" ? "not-found" : "io-error",
      code === "ENOENT" ? `${file}: the file does not exist` : `${file}: cannot be read (${code})`,
      file,
    );
  }
  const data = parseJsonText(text, file);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new WorkbenchError("broken-file", `${file}: ${describeSchemaError(parsed.error)}`, file);
  }
  return parsed.data;
}
