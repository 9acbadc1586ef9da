/**
 * PDF files through pdf.js's text layer. A PDF knows glyph positions, not
 * paragraphs, so paragraphs are rebuilt: a line that ends a sentence and is
 * followed by extra vertical space or an indented line ends its paragraph; a
 * change of font size (a headline) or a gap of two lines does too.
 * Other lines are joined with a space, and a word hyphenated at the line end
 * is rejoined when it continues in lower case ("Sicherheits-" + "garantien").
 *
 * pdf.js runs in this process: in Node it uses its "fake worker" on the main
 * thread. We load the worker module ourselves and hand it over through
 * `globalThis.pdfjsWorker` (pdf.js's documented hook), so nothing depends on
 * pdf.js finding its worker file next to itself after bundling.
 */
import type { TextItem } from "pdfjs-dist/types/src/display/api";
import { WorkbenchError } from "../../../shared/result";
import { readLanguageTag, readOneLine } from "./article-fields";
import type { ExtractResult } from "./extract-articles";

/** Pages read at most; a longer PDF is cut with a warning rather than keeping the import busy. */
export const MAX_PDF_PAGES = 2000;

interface PdfLine {
  text: string;
  x: number;
  y: number;
  size: number;
}

async function loadPdfJs() {
  const worker = await import("pdfjs-dist/legacy/build/pdf.worker.mjs");
  const host = globalThis as { pdfjsWorker?: unknown };
  host.pdfjsWorker ??= worker;
  return import("pdfjs-dist/legacy/build/pdf.mjs");
}

/** Groups a page's text items into lines, using pdf.js's end-of-line marks and jumps in height. */
function collectLines(items: TextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let current: PdfLine | undefined;
  const finish = () => {
    if (current) {
      current.text = current.text.replace(/\s+/g, " ").trim();
      if (current.text.length > 0) lines.push(current);
    }
    current = undefined;
  };
  for (const item of items) {
    const [, , , scaleY = 0, x = 0, y = 0] = item.transform as number[];
    const size = item.height || Math.abs(scaleY);
    if (current && item.str.trim() !== "" && Math.abs(current.y - y) > size / 2) finish();
    if (!current && item.str.trim() !== "") current = { text: "", x, y, size };
    if (current) {
      current.text += item.str;
      current.size = Math.max(current.size, size);
    }
    if (item.hasEOL) finish();
  }
  finish();
  return lines;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const SENTENCE_END = /[.!?:…"”“»«'’)\]]$/;

/** True when `next` starts a new paragraph after `previous` on the same page. */
function startsParagraph(previous: PdfLine, next: PdfLine, spacing: number): boolean {
  const sizeChanged =
    Math.abs(next.size - previous.size) > 0.15 * Math.max(next.size, previous.size);
  if (sizeChanged) return true;
  const gap = previous.y - next.y;
  if (gap > spacing * 1.9) return true;
  if (!SENTENCE_END.test(previous.text)) return false;
  const extraSpace = gap > spacing * 1.25 || gap < -next.size;
  const indented = next.x > previous.x + 0.8 * next.size;
  return extraSpace || indented;
}

/** Adds a line to a paragraph, rejoining words hyphenated at the line end. */
function joinLine(paragraph: string, line: string): string {
  if (paragraph === "") return line;
  if (paragraph.endsWith("\u00ad")) return paragraph.slice(0, -1) + line;
  if (/\p{L}-$/u.test(paragraph)) {
    return /^\p{Ll}/u.test(line) ? paragraph.slice(0, -1) + line : paragraph + line;
  }
  return `${paragraph} ${line}`;
}

/** The usual distance between lines, over the whole document: one short page says little. */
function findLineSpacing(pages: PdfLine[][]): number {
  const gaps: number[] = [];
  const sizes: number[] = [];
  for (const lines of pages) {
    lines.forEach((line, i) => {
      sizes.push(line.size);
      const previous = lines[i - 1];
      if (previous && previous.y > line.y) gaps.push(previous.y - line.y);
    });
  }
  return median(gaps) ?? (median(sizes) ?? 10) * 1.2;
}

/** Rebuilds paragraphs from the lines of all pages; a paragraph may run on across a page break. */
function buildParagraphs(pages: PdfLine[][]): string[] {
  const spacing = findLineSpacing(pages);
  const paragraphs: string[] = [];
  let paragraph = "";
  let previous: PdfLine | undefined;
  for (const lines of pages) {
    lines.forEach((line, index) => {
      const newParagraph =
        previous === undefined ||
        (index === 0 ? SENTENCE_END.test(previous.text) : startsParagraph(previous, line, spacing));
      if (newParagraph && paragraph !== "") {
        paragraphs.push(paragraph);
        paragraph = "";
      }
      paragraph = joinLine(paragraph, line.text);
      previous = line;
    });
  }
  if (paragraph !== "") paragraphs.push(paragraph);
  return paragraphs;
}

/** `D:20251218…` (the PDF date format) as `2025-12-18`. */
function readPdfDate(value: unknown): string | undefined {
  const m = typeof value === "string" ? /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(value) : null;
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 1990;
  return valid ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** Titles that name the file or the tool rather than the article are not worth keeping. */
function readPdfTitle(value: unknown): string | undefined {
  const title = typeof value === "string" ? readOneLine(value) : undefined;
  if (!title || /^(untitled|unbenannt|microsoft (word|powerpoint) - )/i.test(title))
    return undefined;
  return /\.(pdf|docx?|odt|rtf|txt|indd)$/i.test(title) ? undefined : title;
}

function openFailure(error: unknown, name: string): WorkbenchError {
  const kind = error instanceof Error ? error.name : "";
  const message =
    kind === "PasswordException"
      ? `${name}: the PDF is protected by a password; save an unprotected copy and import that`
      : `${name}: is not a PDF or it is damaged`;
  return new WorkbenchError("invalid-input", message, name);
}

/** Extracts the text layer of a PDF, paragraphs rebuilt; title and creation date from its metadata. */
export async function extractPdfArticle(
  bytes: Uint8Array,
  name: string,
  maxPages = MAX_PDF_PAGES,
): Promise<ExtractResult> {
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  const warnings: string[] = [];
  try {
    const pdf = await task.promise.catch((error: unknown) => {
      throw openFailure(error, name);
    });
    const pageCount = Math.min(pdf.numPages, maxPages);
    if (pdf.numPages > maxPages)
      warnings.push(
        `${name}: only the first ${maxPages.toLocaleString("en")} of ${pdf.numPages.toLocaleString("en")} pages were read.`,
      );
    const pages: PdfLine[][] = [];
    for (let number = 1; number <= pageCount; number++) {
      try {
        const page = await pdf.getPage(number);
        const content = await page.getTextContent();
        pages.push(collectLines(content.items.filter((item): item is TextItem => "str" in item)));
        page.cleanup();
      } catch {
        warnings.push(`${name}: page ${number} is damaged and was left out.`);
      }
    }
    const paragraphs = buildParagraphs(pages);
    if (paragraphs.length === 0)
      throw new WorkbenchError(
        "invalid-input",
        `${name}: has no text layer (scanned PDF?); OCR it first, e.g. with OCRmyPDF, and import the result`,
        name,
      );
    const info = ((await pdf.getMetadata().catch(() => undefined))?.info ?? {}) as Record<
      string,
      unknown
    >;
    const title = readPdfTitle(info.Title);
    const date = readPdfDate(info.CreationDate);
    const language = typeof info.Language === "string" ? readLanguageTag(info.Language) : undefined;
    return {
      articles: [
        {
          text: paragraphs.join("\n"),
          ...(title === undefined ? {} : { title }),
          ...(date === undefined ? {} : { date }),
          ...(language === undefined ? {} : { language }),
        },
      ],
      warnings,
      skipped: [],
    };
  } finally {
    await task.destroy();
  }
}
