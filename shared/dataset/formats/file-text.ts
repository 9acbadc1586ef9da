/**
 * Text in and out of dataset files, shared by the importers and exporters:
 * strict UTF-8 decoding with an error naming the file, the non-empty lines of
 * a file with their numbers, and JSON lines that Python's `splitlines()` reads
 * back as one line each.
 */
import { DatasetFileError, type ImportFile } from "../format-types";

// shared/ compiles without the DOM library; TextDecoder is in every runtime it targets.
declare const TextDecoder: new (
  label: string,
  options: { fatal: boolean; ignoreBOM?: boolean },
) => { decode(data: Uint8Array): string };

/** The file's text; a byte sequence that is not UTF-8 is an error naming the file (or U+FFFD when not `fatal`). */
export function decodeUtf8(
  file: ImportFile,
  options: { fatal?: boolean; keepBom?: boolean } = {},
): string {
  try {
    return new TextDecoder("utf-8", {
      fatal: options.fatal ?? true,
      ...(options.keepBom ? { ignoreBOM: true } : {}),
    }).decode(file.data);
  } catch {
    throw new DatasetFileError(file.name, "is not valid UTF-8");
  }
}

/** The non-empty lines of a UTF-8 file with their 1-based line numbers (BOM and CR dropped). */
export function readLines(file: ImportFile): Array<{ line: number; text: string }> {
  const lines: Array<{ line: number; text: string }> = [];
  for (const [index, raw] of decodeUtf8(file).split("\n").entries()) {
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text.trim() !== "") lines.push({ line: index + 1, text });
  }
  return lines;
}

/**
 * JSON.stringify, with the line separators U+2028, U+2029 and U+0085 escaped:
 * they are valid inside JSON strings, but Python's `str.splitlines()` would cut
 * a line there.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u2028\u2029\u0085]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
