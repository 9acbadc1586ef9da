/**
 * The front door of article import: one function that takes a file's name and
 * bytes and returns the articles in it, whatever the format. Each format lives
 * in its own module and is loaded on first use, so importing a .txt never
 * pays for jsdom or pdf.js. Nothing here touches the disk: normalisation, ids,
 * duplicates and writing are the caller's (import-articles.ts).
 *
 * Errors name the file by its base name only, so a name like `../../x.csv`
 * never puts a path into a message.
 */
import { IMPORTABLE_EXTENSIONS } from "../../../shared/import-formats";
import { WorkbenchError } from "../../../shared/result";
import { decodeTextBytes } from "./decode-text";

/** One article found in an imported file, before normalisation and id assignment. */
export interface ExtractedArticle {
  /** Main text, paragraphs separated by "\n" (one paragraph per line); not yet NFC-normalised. */
  text: string;
  title?: string;
  /** Publication date: ISO `YYYY-MM-DD`, or partial `YYYY-MM` / `YYYY`. */
  date?: string;
  url?: string;
  source?: string;
  /** BCP 47 language tag, e.g. "de" or "de-AT". */
  language?: string;
  /** Where in the file, for messages: "row 12", "line 5"; absent for one-article files. */
  origin?: string;
}

/** What one file yielded: its articles, oddities worth telling the user, and rows that were left out. */
export interface ExtractResult {
  articles: ExtractedArticle[];
  /** Each starts with the file name. */
  warnings: string[];
  /** Rows or lines of a corpus that are not imported; `reason` is plain language without the origin. */
  skipped: { origin: string; reason: string }[];
}

/** Column names for corpus files whose columns are not named as usual. */
export interface ColumnMapping {
  text?: string;
  title?: string;
  date?: string;
  url?: string;
  source?: string;
  language?: string;
}

/** File endings that can be imported, with their dot, in lower case. */
export const SUPPORTED_EXTENSIONS: readonly string[] = IMPORTABLE_EXTENSIONS;

/** The last part of a path, whether written with / or \ — never a folder, never `..`. */
export function getBaseName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return base === "" || base === "." || base === ".." ? "file" : base;
}

function getExtension(baseName: string): string {
  const dot = baseName.lastIndexOf(".");
  return dot > 0 ? baseName.slice(dot).toLowerCase() : "";
}

function isBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c)
      return false;
  }
  return true;
}

function extractPlainText(bytes: Uint8Array, name: string): ExtractResult {
  const decoded = decodeTextBytes(bytes, name);
  if (decoded.text.trim().length === 0)
    throw new WorkbenchError("invalid-input", `${name}: the file is empty`, name);
  return {
    articles: [{ text: decoded.text }],
    warnings: decoded.warning ? [decoded.warning] : [],
    skipped: [],
  };
}

/**
 * Finds the articles in one file, choosing the reader by the file's ending.
 * Whole-file problems (unsupported, empty, binary, damaged) throw a
 * `WorkbenchError` ("invalid-input") whose message starts with the file name.
 */
export async function extractArticles(
  file: { name: string; bytes: Uint8Array },
  options: { columns?: ColumnMapping } = {},
): Promise<ExtractResult> {
  const name = getBaseName(file.name);
  const extension = getExtension(name);
  if (!SUPPORTED_EXTENSIONS.includes(extension)) {
    const what = extension === "" ? "files without an ending" : `${extension} files`;
    throw new WorkbenchError(
      "invalid-input",
      `${name}: ${what} cannot be imported (supported: ${SUPPORTED_EXTENSIONS.join(", ")})`,
      name,
    );
  }
  if (isBlank(file.bytes))
    throw new WorkbenchError("invalid-input", `${name}: the file is empty`, name);
  switch (extension) {
    case ".md":
    case ".markdown":
      return (await import("./markdown")).extractMarkdownArticle(file.bytes, name);
    case ".html":
    case ".htm":
      return (await import("./html")).extractHtmlArticle(file.bytes, name);
    case ".docx":
      return (await import("./docx")).extractWordArticle(file.bytes, name);
    case ".pdf":
      return (await import("./pdf")).extractPdfArticle(file.bytes, name);
    case ".csv":
    case ".tsv":
      return (await import("./corpus")).extractTableArticles(
        file.bytes,
        name,
        extension,
        options.columns,
      );
    case ".jsonl":
    case ".ndjson":
      return (await import("./corpus")).extractJsonLinesArticles(file.bytes, name, options.columns);
    default:
      return extractPlainText(file.bytes, name);
  }
}
