/**
 * Reading article metadata the way sources write it: publication dates in the
 * forms newsrooms and spreadsheets use (ISO, 18.12.2025, "3. Jänner 2026",
 * "December 18, 2025"), URLs, language tags, and the names corpus columns and
 * front matter keys go by. A value that cannot be read without guessing is
 * left out, so the caller can say so instead of storing a wrong date.
 */

/** The metadata an imported article can carry besides its text. */
export type ArticleField = "text" | "title" | "date" | "url" | "source" | "language";

/** The usual names of each field, in order of preference (compared case-insensitively), German ones last. */
export const FIELD_NAMES: Record<ArticleField, readonly string[]> = {
  text: ["text", "body", "content", "article", "fulltext", "full_text", "story", "inhalt"],
  title: ["title", "headline", "heading", "titel", "überschrift"],
  date: ["date", "published", "publication_date", "pubdate", "published_at", "datetime", "datum"],
  url: ["url", "link", "href"],
  source: ["source", "outlet", "publisher", "medium", "site", "quelle"],
  language: ["language", "lang", "locale", "sprache"],
};

/** A column or key name reduced for comparison: "Full Text" and "full-text" both become "full_text". */
export function simplifyFieldName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

const MONTHS: Record<string, number> = {};
const MONTH_NAMES: string[][] = [
  ["january", "jan", "januar", "jänner", "jän", "janvier"],
  ["february", "feb", "februar", "feber"],
  ["march", "mar", "märz", "mär", "maerz"],
  ["april", "apr"],
  ["may", "mai"],
  ["june", "jun", "juni"],
  ["july", "jul", "juli"],
  ["august", "aug"],
  ["september", "sep", "sept"],
  ["october", "oct", "oktober", "okt"],
  ["november", "nov"],
  ["december", "dec", "dezember", "dez"],
];
MONTH_NAMES.forEach((names, index) => {
  for (const name of names) MONTHS[name] = index + 1;
});

const WEEKDAY_PREFIX = /^(?:mon|tue|wed|thu|fri|sat|sun|mo|di|mi|do|fr|sa|so)[a-zä]*\.?,?\s+/i;

function isoDate(year: number, month: number, day?: number): string | undefined {
  if (year < 1000 || year > 9999 || month < 1 || month > 12) return undefined;
  const yyyy = String(year);
  const mm = String(month).padStart(2, "0");
  if (day === undefined) return `${yyyy}-${mm}`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  return `${yyyy}-${mm}-${String(day).padStart(2, "0")}`;
}

/** Day and month in either order, as in 05/06/2025: readable only when one of them exceeds 12. */
function dayMonthEitherWay(a: number, b: number, year: number): string | undefined {
  if (a > 12 && b <= 12) return isoDate(year, b, a);
  if (b > 12 && a <= 12) return isoDate(year, a, b);
  if (a === b) return isoDate(year, a, b);
  return undefined;
}

/**
 * The publication date as ISO 8601 (`YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when
 * only those are given), or undefined when the value is not a date or could
 * be read two ways (05/06/2025). Times and zones are cut off: the date is the
 * one the source printed, not converted to UTC.
 */
export function readPublicationDate(raw: string): string | undefined {
  const value = raw.trim().replace(WEEKDAY_PREFIX, "");
  const num = (s: string | undefined) => Number(s);
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s].*)?$/.exec(value);
  if (m) return isoDate(num(m[1]), num(m[2]), num(m[3]));
  m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[T\s].*)?$/.exec(value);
  if (m) return isoDate(num(m[1]), num(m[2]), num(m[3]));
  m = /^(\d{4})-(\d{2})$/.exec(value);
  if (m) return isoDate(num(m[1]), num(m[2]));
  m = /^(\d{4})$/.exec(value);
  if (m) return num(m[1]) >= 1000 ? m[1] : undefined;
  m = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?:[,\s].*)?$/.exec(value);
  if (m) return isoDate(num(m[3]), num(m[2]), num(m[1]));
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[,\sT].*)?$/.exec(value);
  if (m) return dayMonthEitherWay(num(m[1]), num(m[2]), num(m[3]));
  const lower = value.toLowerCase();
  m = /^(\d{1,2})\.?\s+([a-zäé]+)\.?,?\s+(\d{4})(?:[,\s].*)?$/.exec(lower);
  if (m && MONTHS[m[2] ?? ""]) return isoDate(num(m[3]), MONTHS[m[2] ?? ""] ?? 0, num(m[1]));
  m = /^([a-zäé]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[,\s].*)?$/.exec(lower);
  if (m && MONTHS[m[1] ?? ""]) return isoDate(num(m[3]), MONTHS[m[1] ?? ""] ?? 0, num(m[2]));
  m = /^([a-zäé]+)\.?\s+(\d{4})$/.exec(lower);
  if (m && MONTHS[m[1] ?? ""]) return isoDate(num(m[2]), MONTHS[m[1] ?? ""] ?? 0);
  return undefined;
}

/** The URL when it is a web address (http or https); anything else (javascript:, file:, relative) is left out. */
export function readWebAddress(raw: string): string | undefined {
  const value = raw.trim();
  if (!/^https?:\/\//i.test(value)) return undefined;
  try {
    return new URL(value).href;
  } catch {
    return undefined;
  }
}

/** A language tag in canonical BCP 47 form ("de-at" and "de_AT" become "de-AT"), or undefined. */
export function readLanguageTag(raw: string): string | undefined {
  const value = raw.trim().replace(/_/g, "-");
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(value)) return undefined;
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}

/** One line of metadata (a title, a source name): whitespace collapsed, undefined when empty. */
export function readOneLine(raw: string): string | undefined {
  const value = raw.replace(/\s+/g, " ").trim();
  return value.length > 0 ? value : undefined;
}

/** Text with one paragraph per line: LF line ends, no blank lines, no trailing blanks. */
export function toParagraphLines(raw: string): string {
  return raw
    .split(/\r\n?|\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim().length > 0)
    .join("\n");
}
