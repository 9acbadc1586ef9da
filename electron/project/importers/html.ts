/**
 * Web pages (.html, .htm): the main article found by Mozilla's Readability
 * (the engine of Firefox's reader view), its text one block per line, and the
 * metadata newsrooms put in the page (page-metadata.ts). The metadata is read
 * first, from the page as it came, because Readability rewrites the document.
 */
import { Readability } from "@mozilla/readability";
import { WorkbenchError } from "../../../shared/result";
import { readOneLine, readPublicationDate } from "./article-fields";
import { decodeTextBytes } from "./decode-text";
import type { ExtractResult } from "./extract-articles";
import { type PageSurvey, surveyPage } from "./page-metadata";
import { getPageLines, parsePage } from "./page-text";
import { WINDOWS_1252_LABELS } from "./windows-1252";

/** The encoding a page declares in `<meta charset>` or `http-equiv="Content-Type"`, if any. */
function findDeclaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 4096));
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1];
}

/**
 * Decodes a page: UTF-8 (or a BOM) when the bytes are valid, otherwise the
 * encoding the page declares, otherwise Windows-1252 with a warning.
 */
export function decodePage(bytes: Uint8Array, name: string): { text: string; warning?: string } {
  const decoded = decodeTextBytes(bytes, name);
  if (decoded.warning === undefined) return decoded;
  const declared = findDeclaredCharset(bytes);
  if (declared === undefined || /^utf-?8$/i.test(declared)) return decoded;
  if (WINDOWS_1252_LABELS.has(declared.toLowerCase())) return { text: decoded.text };
  try {
    return { text: new TextDecoder(declared).decode(bytes) };
  } catch {
    return {
      text: decoded.text,
      warning: `${name}: the page declares the unknown encoding "${declared}"; read as Windows-1252 (Latin-1). Check umlauts and quotes.`,
    };
  }
}

/** Above this many elements Readability would take seconds; the page's `<article>` or `<main>` is taken instead. */
export const MAX_READABILITY_ELEMENTS = 20_000;

/** The `<article>`, `<main>` or `role="main"` element with the most text, else the body. */
function findMainElement(document: Document, candidates: Element[]): Element {
  let best: Element = document.body;
  let bestLength = 0;
  for (const element of candidates) {
    const length = element.textContent?.length ?? 0;
    if (length > bestLength) {
      best = element;
      bestLength = length;
    }
  }
  return best;
}

/** The main text of a page: Readability's article, else (huge pages, or no article found) a plainer choice with a warning. */
function findArticleLines(
  document: Document,
  survey: PageSurvey,
  html: string,
  name: string,
  warnings: string[],
): { lines: string[]; article: ReturnType<Readability<Node>["parse"]> } {
  const elements = survey.elementCount;
  if (elements > MAX_READABILITY_ELEMENTS) {
    const main = findMainElement(document, survey.mainElements);
    warnings.push(
      `${name}: the page is too large (${elements.toLocaleString("en")} elements) to tell the article from the rest; took the text of its <${main.localName}> element. Check for menus and footers.`,
    );
    return { lines: getPageLines(main), article: null };
  }
  for (const element of survey.neverText) element.remove();
  let article: ReturnType<Readability<Node>["parse"]> = null;
  try {
    // Readability changes the document it reads; metadata has been read already and
    // the fallback parses the page again, so no copy is needed.
    article = new Readability<Node>(document, { serializer: (node) => node }).parse();
  } catch {
    article = null;
  }
  const lines = article?.content ? getPageLines(article.content) : [];
  if (lines.length > 0) return { lines, article };
  const page = parsePage(html);
  const all = getPageLines(page.body ?? page);
  if (all.length > 0)
    warnings.push(
      `${name}: could not tell the article apart from the rest of the page; imported all of the page's text (menus and footers included).`,
    );
  return { lines: all, article };
}

/** Extracts the main article of a web page with its title, date, URL, source and language. */
export function extractHtmlArticle(bytes: Uint8Array, name: string): ExtractResult {
  const decoded = decodePage(bytes, name);
  const warnings = decoded.warning ? [decoded.warning] : [];
  if (decoded.text.trim().length === 0)
    throw new WorkbenchError("invalid-input", `${name}: the file is empty`, name);
  const document = parsePage(decoded.text);
  const survey = surveyPage(document);
  const { lines, article } = findArticleLines(document, survey, decoded.text, name, warnings);
  if (lines.length === 0)
    throw new WorkbenchError("invalid-input", `${name}: the page holds no readable text`, name);
  const title = readOneLine(article?.title ?? "") ?? survey.title;
  const source = survey.source ?? readOneLine(article?.siteName ?? "");
  const date = survey.date ?? readPublicationDate(article?.publishedTime ?? "");
  const { url, language } = survey;
  return {
    articles: [
      {
        text: lines.join("\n"),
        ...(title === undefined ? {} : { title }),
        ...(date === undefined ? {} : { date }),
        ...(url === undefined ? {} : { url }),
        ...(source === undefined ? {} : { source }),
        ...(language === undefined ? {} : { language }),
      },
    ],
    warnings,
    skipped: [],
  };
}
