/**
 * Small helpers shared by the importer tests: bytes from strings, running the
 * extractor, and catching the WorkbenchError it throws for a broken file.
 */
import path from "node:path";
import { expect } from "vitest";
import {
  type ColumnMapping,
  type ExtractResult,
  extractArticles,
} from "../../../electron/project/importers/extract-articles";
import { decodeWindows1252 } from "../../../electron/project/importers/windows-1252";
import { WorkbenchError } from "../../../shared/result";

/** The committed sample files of the importer tests. */
export const FIXTURES = path.resolve(import.meta.dirname, "..", "..", "fixtures", "importers");

/** UTF-8 bytes of a string. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const WINDOWS_1252 = new Map(
  Array.from({ length: 256 }, (_, byte) => [decodeWindows1252(Uint8Array.of(byte)), byte]),
);

/** Windows-1252 bytes of a string (what Excel and old Windows tools write): umlauts, „“, –, €. */
export function windows1252(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => {
    const byte = WINDOWS_1252.get(char);
    if (byte === undefined) throw new Error(`not a Windows-1252 character: ${char}`);
    return byte;
  });
}

/** Runs the extractor on a file made of `content`. */
export function extract(
  name: string,
  content: string | Uint8Array,
  columns?: ColumnMapping,
): Promise<ExtractResult> {
  const bytes = typeof content === "string" ? utf8(content) : content;
  return extractArticles({ name, bytes }, columns ? { columns } : {});
}

/** The error the extractor throws for a file it cannot read; fails the test when it reads the file. */
export async function extractError(
  name: string,
  content: string | Uint8Array,
  columns?: ColumnMapping,
): Promise<WorkbenchError> {
  try {
    const result = await extract(name, content, columns);
    throw new Error(`expected ${name} to be refused, got ${JSON.stringify(result).slice(0, 300)}`);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkbenchError);
    const failure = error as WorkbenchError;
    expect(failure.code).toBe("invalid-input");
    return failure;
  }
}

/** The text of the only article in a one-article file. */
export function onlyText(result: ExtractResult): string {
  expect(result.articles).toHaveLength(1);
  return result.articles[0]?.text ?? "";
}

/** Bytes that no text format accepts: a PNG signature, NUL bytes and high bytes. */
export const BINARY = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0xff, 0xfe, 0x80, 0x00, 0x01, 0x02, 0x03, 0x9f, 0xa0, 0x00, 0x00,
]);
