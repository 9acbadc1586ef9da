/**
 * Turning a plain-text file into an article: normalisation (LF, NFC), the
 * leading metadata line scrapers write (` date 2025-12-18`), the title, a
 * language guess, and a content-derived id so that the same article imported
 * in two clones gets the same id. The text itself is kept whole: cleaning up
 * scraped boilerplate is an explicit, separate step.
 */

/** Line ends to LF, Unicode NFC, no byte-order mark, no trailing blank space at the very end. */
export function normaliseArticleText(raw: string): string {
  return raw
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .normalize("NFC")
    .replace(/\s+$/u, "");
}

/** What a plain-text article says about itself. */
export interface TextArticleFacts {
  title: string;
  /** Publication date from a leading ` date YYYY-MM-DD` line. */
  date?: string;
  language: string;
}

// Scrapers put ` date 2025-12-18` first, sometimes followed by breadcrumbs on the same line.
const DATE_LINE = /^\s*date:?\s+(\d{4}-\d{2}-\d{2})\b/i;
const DATE_IN_NAME = /(?:^|[^0-9])(\d{4}-\d{2}-\d{2})(?:[^0-9]|$)/;

/** True for lines that look like a headline rather than a breadcrumb, section name or caption. */
function looksLikeTitle(line: string): boolean {
  const words = line.trim().split(/\s+/).filter(Boolean);
  return words.length >= 3 && line.length <= 300 && !line.includes(" > ");
}

const STOPWORDS: Record<string, string[]> = {
  de: [
    "der",
    "die",
    "das",
    "und",
    "nicht",
    "ist",
    "mit",
    "von",
    "ein",
    "eine",
    "auf",
    "für",
    "dass",
    "sich",
    "wird",
  ],
  en: [
    "the",
    "and",
    "of",
    "to",
    "is",
    "that",
    "with",
    "for",
    "on",
    "was",
    "are",
    "be",
    "this",
    "have",
    "will",
  ],
};

/** Guesses German or English from common words; `fallback` when neither is clear. */
export function guessLanguage(text: string, fallback = "und"): string {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const sample = words.slice(0, 2000);
  let best = fallback;
  let bestScore = 0;
  for (const [language, stopwords] of Object.entries(STOPWORDS)) {
    const set = new Set(stopwords);
    const score = sample.filter((w) => set.has(w)).length;
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  return bestScore >= 3 ? best : fallback;
}

/**
 * Reads date, title and language from normalised article text. The date comes
 * from a leading ` date YYYY-MM-DD` line, else from a date in the file name; the
 * title is the first headline-like line near the top, else the first line.
 */
export function readTextArticleFacts(
  text: string,
  fileName: string,
  fallbackLanguage = "und",
): TextArticleFacts {
  const top = text.split("\n").slice(0, 20);
  const dateLine = top.findIndex((line) => line.trim().length > 0);
  const date =
    (dateLine >= 0 ? DATE_LINE.exec(top[dateLine] ?? "")?.[1] : undefined) ??
    DATE_IN_NAME.exec(fileName)?.[1];
  const candidates = top.filter(
    (line, i) => !(i === dateLine && DATE_LINE.test(line)) && line.trim().length > 0,
  );
  const title = (candidates.find(looksLikeTitle) ?? candidates[0] ?? "").trim().slice(0, 300);
  return {
    title: title || fileName.replace(/\.[^.]+$/, ""),
    ...(date === undefined ? {} : { date }),
    language: guessLanguage(text, fallbackLanguage),
  };
}

/** A file-name-safe slug: ASCII letters and digits, words joined by `-`. */
export function slugify(text: string, maxLength = 48): string {
  const slug = text
    .normalize("NFKD")
    .replace(/ß/g, "ss")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= maxLength) return slug;
  // Cut at a word boundary when one is near, so ids do not end in half a word.
  const cut = slug.slice(0, maxLength + 1).lastIndexOf("-");
  return (cut > maxLength / 2 ? slug.slice(0, cut) : slug.slice(0, maxLength)).replace(/-+$/, "");
}

/**
 * The article id: date, title slug and the first 8 hex digits of the text's
 * SHA-256. Same text and title → same id in every clone; different texts with
 * the same title differ by the hash.
 */
export function createArticleId(
  facts: { title: string; date?: string },
  textHashHex: string,
): string {
  const parts = [facts.date ?? "undated", slugify(facts.title), textHashHex.slice(0, 8)].filter(
    Boolean,
  );
  return parts.join("-");
}
