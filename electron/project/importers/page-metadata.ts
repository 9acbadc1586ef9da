/**
 * What a news page says about itself: title, publication date, canonical URL,
 * site name and language, from Open Graph and `article:*` meta tags, JSON-LD
 * (read as data, never run), `<time datetime>`, `<link rel="canonical">` and
 * `<html lang>`. The page is walked once: on a large page every
 * `querySelectorAll` is a full scan in jsdom, and a dozen of them cost seconds.
 */
import {
  readLanguageTag,
  readOneLine,
  readPublicationDate,
  readWebAddress,
} from "./article-fields";

/** What one walk over a page collects. */
export interface PageSurvey {
  /** Number of elements that may hold article text, to decide whether Readability can afford the page. */
  elementCount: number;
  /** Scripts, styles, SVG and the like: never text, so they can be removed before Readability runs. */
  neverText: Element[];
  title?: string;
  date?: string;
  url?: string;
  source?: string;
  language?: string;
  /** `<article>`, `<main>` and `role="main"` elements, candidates for the article on huge pages. */
  mainElements: Element[];
}

const DATE_KEYS = [
  "article:published_time",
  "og:published_time",
  "datepublished",
  "date",
  "pubdate",
  "dc.date",
  "dc.date.issued",
  "dcterms.created",
];

/** `datePublished` from a parsed JSON-LD value, including `@graph` lists. */
function findLinkedDataDate(value: unknown, depth = 0): string | undefined {
  if (depth > 8 || value === null || typeof value !== "object") return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findLinkedDataDate(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.datePublished === "string") return record.datePublished;
  return findLinkedDataDate(record["@graph"], depth + 1);
}

const NEVER_TEXT = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "math",
  "iframe",
  "object",
  "embed",
  "canvas",
]);

function firstOf<T>(candidates: (string | null | undefined)[], read: (raw: string) => T) {
  for (const candidate of candidates) {
    const value = candidate ? read(candidate) : undefined;
    if (value) return value;
  }
  return undefined;
}

/** Walks the page once and reads its metadata. */
export function surveyPage(document: Document): PageSurvey {
  const metas = new Map<string, string>();
  const linkedData: string[] = [];
  const mainElements: Element[] = [];
  const neverText: Element[] = [];
  let elementCount = 0;
  let canonical: string | undefined;
  let time: string | undefined;
  let element: Element | null = document.documentElement;
  while (element) {
    const name = element.localName;
    if (name === "script" && element.getAttribute("type") === "application/ld+json")
      linkedData.push(element.textContent ?? "");
    if (NEVER_TEXT.has(name)) {
      neverText.push(element);
      element = nextElement(element, false);
      continue;
    }
    elementCount += 1;
    if (name === "meta") {
      const content = element.getAttribute("content")?.trim();
      for (const attribute of ["property", "name", "itemprop", "http-equiv"]) {
        const key = element.getAttribute(attribute)?.trim().toLowerCase();
        if (key && content && !metas.has(key)) metas.set(key, content);
      }
    } else if (
      name === "link" &&
      /(^|\s)canonical(\s|$)/i.test(element.getAttribute("rel") ?? "")
    ) {
      canonical ??= element.getAttribute("href") ?? undefined;
    } else if (name === "time" && element.hasAttribute("datetime")) {
      time ??= element.getAttribute("datetime") ?? undefined;
    } else if (name === "article" || name === "main" || element.getAttribute("role") === "main") {
      mainElements.push(element);
    }
    element = nextElement(element, true);
  }
  const meta = (...keys: string[]) => keys.map((key) => metas.get(key));
  const linkedDates = linkedData.map((json) => {
    try {
      return findLinkedDataDate(JSON.parse(json));
    } catch {
      return undefined; // Broken JSON-LD is common on the web and says nothing about the article.
    }
  });
  const root = document.documentElement;
  const title = firstOf([document.title, ...meta("og:title")], readOneLine);
  const date = firstOf([...meta(...DATE_KEYS), ...linkedDates, time], readPublicationDate);
  const url = firstOf([canonical, ...meta("og:url")], readWebAddress);
  const source = firstOf(meta("og:site_name"), readOneLine);
  const language = firstOf(
    [
      root?.getAttribute("lang"),
      root?.getAttribute("xml:lang"),
      ...meta("og:locale", "language", "content-language"),
    ],
    readLanguageTag,
  );
  return { elementCount, neverText, title, date, url, source, language, mainElements };
}

/** The next element in document order, into `element`'s children or past them; no recursion. */
function nextElement(element: Element, descend: boolean): Element | null {
  if (descend && element.firstElementChild) return element.firstElementChild;
  let current: Element | null = element;
  while (current) {
    if (current.nextElementSibling) return current.nextElementSibling;
    current = current.parentElement;
  }
  return null;
}
