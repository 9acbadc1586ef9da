/**
 * Date normalisation for *date* annotations: turns the tagged mention ("am Mittwoch",
 * "3. Jänner", "January 3-6", "kommende Woche") into an ISO 8601 value, resolved against the
 * article's publication date, with a short explanation the coder confirms or corrects.
 *
 * Written dates and written ranges ("18. Dezember 2025", "Dec. 18", "3. bis 6. Januar",
 * "January 3-6, 2026") and relative offsets ("vor drei Tagen", "in two weeks") are parsed
 * by chrono-node (`de` / `en` casual parsers, `forwardDate: false`). Tagwerk's own layer
 * handles what chrono lacks or where news coding needs a fixed policy:
 * Austrian "Jänner"/"Feber" (mapped to Januar/Februar first), numeric dates ("18.12.",
 * "3.1.26", "12/18/2025"), weekdays, weeks, weekends, months and years alone, "Anfang/Ende",
 * "zwischen … und …", and strict calendar validation ("31. Februar 2026" is not a date).
 *
 * Rules for the ambiguous cases (all relative to the publication date P):
 * - Plain weekday ("am Mittwoch", "on Tuesday"): the most recent such day on or before P
 *   (0–6 days back) — news reports past events. "kommenden/nächsten Mittwoch", "next
 *   Tuesday": the first such day after P (1–7 days ahead). "letzten/vergangenen Mittwoch",
 *   "last Tuesday": the most recent such day before P (1–7 days back). "diesen Mittwoch",
 *   "this Tuesday": that day in P's ISO week (Monday–Sunday), past or future.
 *   "Mittwoch nächster Woche", "next week Tuesday": that day in the following ISO week.
 * - Weeks are ranges Monday–Sunday: "diese Woche"/"this week" = P's ISO week,
 *   "kommende/nächste Woche"/"next week" = the next one, "vergangene/letzte Woche"/"last
 *   week" = the previous one; "earlier this week" = Monday of P's week to P, "later this
 *   week" = P to Sunday. Weekends are Saturday–Sunday: plain "am Wochenende" = the nearest
 *   weekend (P on Monday/Tuesday: the one just past; Wednesday–Friday: the coming one;
 *   Saturday/Sunday: the current one); "this weekend" = the one of P's ISO week.
 * - A month or a day without a year ("im Jänner", "am 3. Januar", "18.12.") gets the year
 *   that places its month from 5 months before to 6 months after P's month (P's own month
 *   counts as the same year). Cross-month ranges without a year start in that year and end
 *   at the first matching date on or after the start.
 * - "Anfang/Mitte/Ende Februar", "early/mid/late January" are the partial month
 *   ("2026-02"); "Anfang 2026", "late 2025" the partial year. A bare four-digit number
 *   1000–2999 is a year.
 * - Two-digit years: 00–69 → 20xx, 70–99 → 19xx. Slash dates are month-first in English
 *   ("12/18/2025") and day-first otherwise; the order flips when the first (or second)
 *   number cannot be a month. Dots are always day-first.
 * - Anything that needs P (weekdays, gestern/yesterday, weeks, a date without a year)
 *   returns null when the publication date is missing. A weekday stated next to a full date
 *   ("Mittwoch, 18. Dezember 2025") never overrides the date; a mismatch is noted in the
 *   explanation. Lists ("am 3. und 6. Januar") are not ranges and return null.
 *
 * Language: the parser of the article's language (`de*` or `en*`) is tried first, then the
 * other one; explanations are German for `de*` and English otherwise. Quotes longer than
 * 200 characters are not date mentions.
 *
 * All calendar arithmetic is on integer day numbers (proleptic Gregorian), never on local
 * time; chrono gets P at 12:00 UTC with timezone 0, and only its calendar components are
 * read, so the result does not depend on the machine's time zone.
 */
import type { ParsedResult } from "chrono-node/de";
import { casual as chronoDe } from "chrono-node/de";
import { casual as chronoEn } from "chrono-node/en";

/** A normalised date value: ISO date "2025-12-17", partial "2026-01" / "2026", or a range "2026-01-03/2026-01-06" (ISO 8601 interval). */
export type DateValue = string;

/** One reading of a date mention, for the coder to confirm or correct. */
export interface DateInterpretation {
  value: DateValue;
  /** How sure: "exact" (fully specified in the text), "relative" (resolved against the publication date), "partial" (month/year only), "range". */
  kind: "exact" | "relative" | "partial" | "range";
  /** Short explanation for the coder, e.g. "Wednesday before 18 Dec 2025" / "Mittwoch vor dem 18.12.2025". */
  explanation: string;
}

/** Options of {@link normaliseDate}: the article's language ("de", "de-AT", "en", …) and publication date (ISO YYYY-MM-DD). */
export interface NormaliseDateOptions {
  language?: string;
  publicationDate?: string;
}

// ---------------------------------------------------------------------------------------
// Calendar on integer day numbers (0 = 1970-01-01), no Date and no time zone involved.

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function isValidYmd(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) &&
    Number.isInteger(m) &&
    Number.isInteger(d) &&
    y >= 0 &&
    y <= 9999 &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, m)
  );
}

/** Days since 1970-01-01 (H. Hinnant's days_from_civil). */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function civil(dn: number): Ymd {
  const z = dn + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** 0 = Sunday … 6 = Saturday. */
function weekdayOf(dn: number): number {
  return (((dn + 4) % 7) + 7) % 7;
}

/** Monday of the ISO week containing `dn`. */
function mondayOf(dn: number): number {
  return dn - ((weekdayOf(dn) + 6) % 7);
}

const pad2 = (n: number): string => String(n).padStart(2, "0");
const pad4 = (n: number): string => String(n).padStart(4, "0");

function isoDay(dn: number): string {
  const { y, m, d } = civil(dn);
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

function isoMonth(y: number, m: number): string {
  return `${pad4(y)}-${pad2(m)}`;
}

/** First and last day number of a single (non-range) DateValue, or null if malformed. */
function bounds(value: string): [number, number] | null {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!match) return null;
  const y = Number(match[1]);
  if (match[2] === undefined) return [dayNumber(y, 1, 1), dayNumber(y, 12, 31)];
  const m = Number(match[2]);
  if (m < 1 || m > 12) return null;
  if (match[3] === undefined) return [dayNumber(y, m, 1), dayNumber(y, m, daysInMonth(y, m))];
  const d = Number(match[3]);
  if (!isValidYmd(y, m, d)) return null;
  const dn = dayNumber(y, m, d);
  return [dn, dn];
}

/** True for a well-formed DateValue: "YYYY-MM-DD", "YYYY-MM" or "YYYY" naming a real calendar date, or two of them joined by "/" with start ≤ end. */
export function isDateValue(value: string): boolean {
  if (typeof value !== "string") return false;
  const parts = value.split("/");
  if (parts.length === 1) return bounds(value) !== null;
  if (parts.length !== 2) return false;
  const start = bounds(parts[0] ?? "");
  const end = bounds(parts[1] ?? "");
  return start !== null && end !== null && start[0] <= end[0] && start[1] <= end[1];
}

/** The year that puts month `m` from 5 months before to 6 months after the reference month. */
function yearNear(m: number, ref: number): number {
  const p = civil(ref);
  const diff = m - p.m;
  if (diff > 6) return p.y - 1;
  if (diff < -5) return p.y + 1;
  return p.y;
}

// ---------------------------------------------------------------------------------------
// Vocabulary.

type Lang = "de" | "en";

/** `groups[i]` lists the words for value `first + i`. */
function indexWords(groups: string[], first: number): Record<string, number> {
  const index: Record<string, number> = {};
  groups.forEach((words, i) => {
    for (const word of words.split(" ")) index[word] = first + i;
  });
  return index;
}

/** Month names and abbreviations, German (with Austrian Jänner/Feber) and English. */
const MONTHS = indexWords(
  [
    "januar jänner jaenner jän january jan",
    "februar feber february feb",
    "märz maerz mär mrz march mar",
    "april apr",
    "mai may",
    "juni june jun",
    "juli july jul",
    "august aug",
    "september sept sep",
    "oktober october okt oct",
    "november nov",
    "dezember december dez dec",
  ],
  1,
);

/** Weekday names, 0 = Sunday. */
const WEEKDAYS = indexWords(
  [
    "sonntag sunday",
    "montag monday",
    "dienstag tuesday",
    "mittwoch wednesday",
    "donnerstag thursday",
    "freitag friday",
    "samstag sonnabend saturday",
  ],
  0,
);

/** Abbreviations, accepted only in front of a full date ("Mo., 5. Jan. 2026", "Thu, Dec 18"). */
const WEEKDAY_ABBREVIATIONS = indexWords(
  ["so sun", "mo mon", "di tue tues", "mi wed", "do thu thur thurs", "fr fri", "sa sat"],
  0,
);

/** Fixed-date holidays: [month, day]. */
const HOLIDAYS: Record<string, [number, number]> = {
  heiligabend: [12, 24],
  "heiliger abend": [12, 24],
  "christmas eve": [12, 24],
  weihnachten: [12, 25],
  christtag: [12, 25],
  christmas: [12, 25],
  "christmas day": [12, 25],
  stefanitag: [12, 26],
  stephanstag: [12, 26],
  "boxing day": [12, 26],
  silvester: [12, 31],
  "new year's eve": [12, 31],
  neujahr: [1, 1],
  neujahrstag: [1, 1],
  "new year's day": [1, 1],
  dreikönigstag: [1, 6],
  "heilige drei könige": [1, 6],
  epiphany: [1, 6],
};

const alternation = (words: Iterable<string>): string =>
  [...words].sort((a, b) => b.length - a.length).join("|");

const MONTH_RE = `(${alternation(Object.keys(MONTHS))})\\.?`;
const WEEKDAY_RE = `(${alternation(Object.keys(WEEKDAYS))})`;
const TIME_OF_DAY_RE =
  "(?:früh|frueh|morgen|vormittag|mittag|nachmittag|abend|nacht|morning|afternoon|evening|night)";
/** A weekday, optionally with a time of day: "Mittwoch", "Mittwochabend", "Tuesday night". */
const WEEKDAY_TOKEN_RE = `${WEEKDAY_RE}(?:\\s?${TIME_OF_DAY_RE})?`;
const END = "(?![\\p{L}\\d])";

const NEXT_RE =
  "this coming|kommend(?:e|en|er|em|es)?|nächst(?:e|en|er|em|es)|naechst(?:e|en|er|em|es)|next|coming";
const LAST_RE =
  "this past|vergangen(?:e|en|er|em|es)|letzt(?:e|en|er|em|es)|vorig(?:e|en|er|em|es)|last|previous";
const THIS_RE = "dies(?:e|en|er|em|es)|this|current|laufend(?:e|en|er|em|es)";
const AFTER_NEXT_RE = "übernächst(?:e|en|er|em|es)|uebernächst(?:e|en|er|em|es)";
const BEFORE_LAST_RE = "vorletzt(?:e|en|er|em|es)";

/** Week offset of a modifier word (this = 0, next = 1, last = -1, …), or null. */
function modifierOffset(word: string): number | null {
  const w = word.toLowerCase();
  const is = (re: string) => new RegExp(`^(?:${re})$`, "iu").test(w);
  if (is(AFTER_NEXT_RE)) return 2;
  if (is(BEFORE_LAST_RE)) return -2;
  if (is(NEXT_RE)) return 1;
  if (is(LAST_RE)) return -1;
  if (is(THIS_RE)) return 0;
  return null;
}

const MODIFIER_RE = `(${AFTER_NEXT_RE}|${BEFORE_LAST_RE}|${NEXT_RE}|${LAST_RE}|${THIS_RE})`;

/** Words that may surround a date mention without changing it. */
const FILLERS = new Set(
  [
    "am an vom von ab seit bis zum zur im in den dem der des die das für fuer gegen um per",
    "spätestens frühestens erst noch bereits schon etwa circa ca während",
    "on the from since until till by of at for over during starting around about as",
  ]
    .join(" ")
    .split(" "),
);

// ---------------------------------------------------------------------------------------
// Explanations.

const words = (list: string): string[] => list.split(" ");

const MONTH_NAMES: Record<Lang, string[]> = {
  de: words("Januar Februar März April Mai Juni Juli August September Oktober November Dezember"),
  en: words(
    "January February March April May June July August September October November December",
  ),
};

const WEEKDAY_NAMES: Record<Lang, string[]> = {
  de: words("Sonntag Montag Dienstag Mittwoch Donnerstag Freitag Samstag"),
  en: words("Sunday Monday Tuesday Wednesday Thursday Friday Saturday"),
};

function fmtDay(lang: Lang, dn: number): string {
  const { y, m, d } = civil(dn);
  return lang === "de"
    ? `${d}.${m}.${y}`
    : `${d} ${(MONTH_NAMES.en[m - 1] ?? "").slice(0, 3)} ${y}`;
}

function fmtDayLong(lang: Lang, dn: number): string {
  return `${WEEKDAY_NAMES[lang][weekdayOf(dn)]}, ${fmtDay(lang, dn)}`;
}

function fmtMonth(lang: Lang, y: number, m: number): string {
  return `${MONTH_NAMES[lang][m - 1]} ${y}`;
}

function fmtValue(lang: Lang, value: string): string {
  const b = bounds(value);
  if (!b) return value;
  if (value.length === 10) return fmtDay(lang, b[0]);
  const { y, m } = civil(b[0]);
  return value.length === 7 ? fmtMonth(lang, y, m) : String(y);
}

function t(lang: Lang, de: string, en: string): string {
  return lang === "de" ? de : en;
}

/** "(year from the publication date …)" note for values whose year was not written. */
function yearNote(lang: Lang, ref: number): string {
  return t(
    lang,
    `Jahr ergänzt nach dem Erscheinungsdatum ${fmtDay(lang, ref)}`,
    `year taken from the publication date ${fmtDay(lang, ref)}`,
  );
}

function weekdayNote(lang: Lang, dn: number, stated: number | null): string {
  if (stated === null || stated === weekdayOf(dn)) return "";
  return t(
    lang,
    ` – Achtung: der ${fmtDay(lang, dn)} ist ein ${WEEKDAY_NAMES.de[weekdayOf(dn)]}, kein ${WEEKDAY_NAMES.de[stated]}`,
    ` – note: ${fmtDay(lang, dn)} is a ${WEEKDAY_NAMES.en[weekdayOf(dn)]}, not a ${WEEKDAY_NAMES.en[stated]}`,
  );
}

// ---------------------------------------------------------------------------------------
// Result builders.

type Kind = DateInterpretation["kind"];

function result(value: string, kind: Kind, explanation: string): DateInterpretation {
  return { value, kind, explanation };
}

function rangeResult(
  ctx: Ctx,
  start: string,
  end: string,
  note: string,
): DateInterpretation | null {
  if (start === end) return null;
  const value = `${start}/${end}`;
  if (!isDateValue(value)) return null;
  const span = t(
    ctx.lang,
    `${fmtValue(ctx.lang, start)} bis ${fmtValue(ctx.lang, end)}`,
    `${fmtValue(ctx.lang, start)} to ${fmtValue(ctx.lang, end)}`,
  );
  return result(value, "range", note ? `${span}; ${note}` : span);
}

/** A single day whose year was written (exact) or supplied from the publication date (relative). */
function dayResult(
  ctx: Ctx,
  y: number,
  m: number,
  d: number,
  yearGiven: boolean,
  statedWeekday: number | null,
): DateInterpretation | null {
  if (!isValidYmd(y, m, d)) return null;
  const dn = dayNumber(y, m, d);
  const head = fmtDayLong(ctx.lang, dn);
  const note = weekdayNote(ctx.lang, dn, statedWeekday);
  if (yearGiven) {
    return result(
      isoDay(dn),
      "exact",
      `${head} ${t(ctx.lang, "(vollständig angegeben)", "(fully specified)")}${note}`,
    );
  }
  if (ctx.ref === null) return null;
  return result(isoDay(dn), "relative", `${head}; ${yearNote(ctx.lang, ctx.ref)}${note}`);
}

/** A month, with the year written or chosen by the nearest-month rule. */
function monthResult(
  ctx: Ctx,
  m: number,
  year: number | null,
  qualifier: string,
): DateInterpretation | null {
  let y = year;
  if (y === null) {
    if (ctx.ref === null) return null;
    y = yearNear(m, ctx.ref);
  }
  if (!isValidYmd(y, m, 1)) return null;
  const name = fmtMonth(ctx.lang, y, m);
  const parts = [qualifier ? `${qualifier} ${name}` : name];
  if (qualifier) parts.push(t(ctx.lang, "als ganzer Monat", "given as the whole month"));
  if (year === null && ctx.ref !== null) {
    parts.push(
      t(
        ctx.lang,
        `nächstgelegener ${MONTH_NAMES.de[m - 1]} zum Erscheinungsdatum ${fmtDay("de", ctx.ref)}`,
        `the ${MONTH_NAMES.en[m - 1]} nearest to the publication date ${fmtDay("en", ctx.ref)}`,
      ),
    );
  }
  return result(isoMonth(y, m), "partial", parts.join("; "));
}

function yearResult(ctx: Ctx, y: number, explanation: string): DateInterpretation | null {
  if (y < 1000 || y > 2999) return null;
  return result(pad4(y), "partial", explanation || t(ctx.lang, `Jahr ${y}`, `year ${y}`));
}

// ---------------------------------------------------------------------------------------
// Rules. Each returns undefined when it does not apply, null when the mention is its kind
// of expression but no valid date (invalid day, missing publication date), or a result.

interface Ctx {
  /** Language of the explanation and first choice of parser. */
  lang: Lang;
  /** Publication date as a day number. */
  ref: number | null;
  /** Slash dates: day first (true) or month first (English). */
  dayFirst: boolean;
  /** Weekday written in front of a full date ("Mittwoch, 17. Dezember"), checked against it. */
  statedWeekday: number | null;
}

type Rule = (core: string, ctx: Ctx) => DateInterpretation | null | undefined;

const re = (source: string): RegExp => new RegExp(`^(?:${source})$`, "iu");

function monthNumber(word: string | undefined): number | null {
  return MONTHS[(word ?? "").toLowerCase().replace(/\.$/, "")] ?? null;
}

function weekdayNumber(word: string | undefined): number | null {
  return WEEKDAYS[(word ?? "").toLowerCase()] ?? null;
}

function twoDigitYear(text: string): number {
  const n = Number(text);
  if (text.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

const isoRule: Rule = (core) => {
  if (!/^\d{4}(?:-\d{2}){0,2}(?:\/\d{4}(?:-\d{2}){0,2})?$/.test(core)) return undefined;
  if (core.length === 4) return undefined; // a year alone: monthYearRule explains it
  if (!isDateValue(core)) return null;
  const kind: Kind = core.includes("/") ? "range" : core.length === 10 ? "exact" : "partial";
  return result(core, kind, "ISO 8601");
};

const CASUAL: Array<[RegExp, number]> = [
  [re(`(?:heute|today)(?:\\s${TIME_OF_DAY_RE})?|tonight|this ${TIME_OF_DAY_RE}`), 0],
  [re(`(?:gestern|yesterday)(?:\\s${TIME_OF_DAY_RE})?|last night|vortag`), -1],
  [re(`(?:vorgestern|day before yesterday)(?:\\s${TIME_OF_DAY_RE})?`), -2],
  [re(`(?:übermorgen|uebermorgen|day after tomorrow)(?:\\s${TIME_OF_DAY_RE})?`), 2],
  [re(`(?:morgen|tomorrow)(?:\\s${TIME_OF_DAY_RE})?`), 1],
];

function casualExplanation(lang: Lang, offset: number, ref: number): string {
  const r = fmtDay(lang, ref);
  switch (offset) {
    case 0:
      return t(lang, `Erscheinungstag ${r}`, `publication day ${r}`);
    case -1:
      return t(lang, `Tag vor dem ${r}`, `day before ${r}`);
    case -2:
      return t(lang, `zwei Tage vor dem ${r}`, `two days before ${r}`);
    case 1:
      return t(lang, `Tag nach dem ${r}`, `day after ${r}`);
    default:
      return t(lang, `zwei Tage nach dem ${r}`, `two days after ${r}`);
  }
}

const casualRule: Rule = (core, ctx) => {
  for (const [pattern, offset] of CASUAL) {
    if (!pattern.test(core)) continue;
    if (ctx.ref === null) return null;
    return result(
      isoDay(ctx.ref + offset),
      "relative",
      casualExplanation(ctx.lang, offset, ctx.ref),
    );
  }
  return undefined;
};

function weekdayMode(
  ctx: Ctx,
  ref: number,
  wd: number,
  mode: "plain" | "next" | "last" | "this",
): DateInterpretation {
  const refWd = weekdayOf(ref);
  let dn: number;
  if (mode === "plain") dn = ref - ((refWd - wd + 7) % 7);
  else if (mode === "last") dn = ref - (((refWd - wd + 6) % 7) + 1);
  else if (mode === "next") dn = ref + (((wd - refWd + 6) % 7) + 1);
  else dn = mondayOf(ref) + ((wd + 6) % 7);
  const name = WEEKDAY_NAMES[ctx.lang][wd];
  const r = fmtDay(ctx.lang, ref);
  let explanation: string;
  if (dn === ref)
    explanation = t(ctx.lang, `${name} = Erscheinungstag ${r}`, `${name} = publication day ${r}`);
  else if (mode === "this")
    explanation = t(ctx.lang, `${name} in der Woche des ${r}`, `${name} in the week of ${r}`);
  else if (dn < ref) explanation = t(ctx.lang, `${name} vor dem ${r}`, `${name} before ${r}`);
  else explanation = t(ctx.lang, `${name} nach dem ${r}`, `${name} after ${r}`);
  return result(isoDay(dn), "relative", explanation);
}

function weekPhrase(lang: Lang, offset: number, ref: number): string {
  const r = fmtDay(lang, ref);
  switch (offset) {
    case 0:
      return t(lang, `der Woche des ${r}`, `of the week of ${r}`);
    case 1:
      return t(lang, `der Woche nach dem ${r}`, `of the week after ${r}`);
    case -1:
      return t(lang, `der Woche vor dem ${r}`, `of the week before ${r}`);
    default: {
      const n = Math.abs(offset);
      return offset > 0
        ? t(lang, `der ${n}. Woche nach dem ${r}`, `of week ${n} after ${r}`)
        : t(lang, `der ${n}. Woche vor dem ${r}`, `of week ${n} before ${r}`);
    }
  }
}

const WEEKDAY_PLAIN = re(WEEKDAY_TOKEN_RE);
const WEEKDAY_MODIFIED = re(`${MODIFIER_RE}\\s+${WEEKDAY_TOKEN_RE}`);
const WEEKDAY_OF_WEEK = re(
  `${WEEKDAY_TOKEN_RE},?\\s+(?:(?:der|in der|of|in)\\s+)?(?:the\\s+)?${MODIFIER_RE}\\s+(?:woche|week)`,
);
const WEEK_THEN_WEEKDAY = re(
  `${MODIFIER_RE}\\s+(?:woche|week),?\\s+(?:(?:am|on)\\s+)?${WEEKDAY_TOKEN_RE}`,
);

const weekdayRule: Rule = (core, ctx) => {
  let match = WEEKDAY_PLAIN.exec(core);
  if (match) {
    const wd = weekdayNumber(match[1]);
    if (wd === null) return undefined;
    return ctx.ref === null ? null : weekdayMode(ctx, ctx.ref, wd, "plain");
  }
  match = WEEKDAY_MODIFIED.exec(core);
  if (match) {
    const offset = modifierOffset(match[1] ?? "");
    const wd = weekdayNumber(match[2]);
    if (wd === null || offset === null || Math.abs(offset) > 1) return undefined;
    if (ctx.ref === null) return null;
    return weekdayMode(ctx, ctx.ref, wd, offset === 0 ? "this" : offset > 0 ? "next" : "last");
  }
  let wdWord: string | undefined;
  let modWord: string | undefined;
  match = WEEKDAY_OF_WEEK.exec(core);
  if (match) [wdWord, modWord] = [match[1], match[2]];
  else {
    match = WEEK_THEN_WEEKDAY.exec(core);
    if (match) [modWord, wdWord] = [match[1], match[2]];
  }
  if (!match) return undefined;
  const wd = weekdayNumber(wdWord);
  const offset = modifierOffset(modWord ?? "");
  if (wd === null || offset === null) return undefined;
  if (ctx.ref === null) return null;
  const dn = mondayOf(ctx.ref) + 7 * offset + ((wd + 6) % 7);
  return result(
    isoDay(dn),
    "relative",
    `${WEEKDAY_NAMES[ctx.lang][wd]} ${weekPhrase(ctx.lang, offset, ctx.ref)}`,
  );
};

const WEEK_MODIFIED = re(`${MODIFIER_RE}\\s+(?:woche|week)`);
const WEEK_WORDS: Array<[RegExp, number]> = [
  [re("vorwoche"), -1],
  [re("week after next"), 2],
  [re("week before last"), -2],
];

const PAST_SEVEN_DAYS = re(
  "past week|(?:past|last) (?:seven|7) days|(?:letzten|vergangenen) (?:sieben|7) tage(?:n)?",
);

const weekRule: Rule = (core, ctx) => {
  let offset: number | null = null;
  const match = WEEK_MODIFIED.exec(core);
  if (match) offset = modifierOffset(match[1] ?? "");
  for (const [pattern, value] of WEEK_WORDS) if (pattern.test(core)) offset = value;
  if (PAST_SEVEN_DAYS.test(core)) {
    if (ctx.ref === null) return null;
    return rangeResult(
      ctx,
      isoDay(ctx.ref - 7),
      isoDay(ctx.ref - 1),
      t(
        ctx.lang,
        `sieben Tage vor dem ${fmtDay("de", ctx.ref)}`,
        `seven days before ${fmtDay("en", ctx.ref)}`,
      ),
    );
  }
  if (offset === null) {
    const earlier = /^(earlier|later) (?:this|the) week$/iu.exec(core);
    if (!earlier) return undefined;
    if (ctx.ref === null) return null;
    const monday = mondayOf(ctx.ref);
    const [a, b] =
      earlier[1]?.toLowerCase() === "earlier" ? [monday, ctx.ref] : [ctx.ref, monday + 6];
    if (a === b) return result(isoDay(a), "relative", casualExplanation(ctx.lang, 0, ctx.ref));
    return rangeResult(
      ctx,
      isoDay(a),
      isoDay(b),
      t(ctx.lang, `Woche des ${fmtDay("de", ctx.ref)}`, `week of ${fmtDay("en", ctx.ref)}`),
    );
  }
  if (ctx.ref === null) return null;
  const monday = mondayOf(ctx.ref) + 7 * offset;
  const value = `${isoDay(monday)}/${isoDay(monday + 6)}`;
  return result(
    value,
    "range",
    t(ctx.lang, "Montag bis Sonntag ", "Monday to Sunday ") + weekPhrase(ctx.lang, offset, ctx.ref),
  );
};

const WEEKEND = re(`(?:${MODIFIER_RE}\\s+)?(?:wochenende|weekend)`);

const weekendRule: Rule = (core, ctx) => {
  const match = WEEKEND.exec(core);
  if (!match) return undefined;
  if (ctx.ref === null) return null;
  const ref = ctx.ref;
  const wd = weekdayOf(ref);
  const offset = match[1] === undefined ? null : modifierOffset(match[1]);
  let saturday: number;
  let how: [string, string];
  if (offset === null) {
    // nearest weekend; on Wednesday the coming one
    saturday = wd === 1 || wd === 2 ? mondayOf(ref) - 2 : mondayOf(ref) + 5;
    how = ["nächstgelegenes Wochenende zum", "weekend nearest to"];
  } else if (offset === 0) {
    saturday = mondayOf(ref) + 5;
    how = ["Wochenende der Woche des", "weekend of the week of"];
  } else if (offset > 0) {
    saturday = ref + (((6 - wd + 6) % 7) + 1) + 7 * (offset - 1);
    how = ["Wochenende nach dem", "weekend after"];
  } else {
    const sunday = ref - (wd === 0 ? 7 : wd);
    saturday = sunday - 1 + 7 * (offset + 1);
    how = ["Wochenende vor dem", "weekend before"];
  }
  return result(
    `${isoDay(saturday)}/${isoDay(saturday + 1)}`,
    "range",
    `${t(ctx.lang, how[0], how[1])} ${fmtDay(ctx.lang, ref)}`,
  );
};

const MONTH_RELATIVE = re(`${MODIFIER_RE}\\s+(?:monat|monats|month)|(vormonat)`);
const YEAR_RELATIVE = re(`${MODIFIER_RE}\\s+(?:jahr|jahres|year)|(vorjahr)|(heuer)`);
const YEAR_OF_REFERENCE = re(
  "jahresende|jahresanfang|jahresbeginn|jahresmitte|(?:anfang|beginn|mitte|ende) (?:des|dieses) jahres|(?:the )?(?:end|beginning|start|middle) of (?:the|this) year|year-end|year end",
);

const relativeMonthYearRule: Rule = (core, ctx) => {
  let match = MONTH_RELATIVE.exec(core);
  if (match) {
    const offset = match[2] ? -1 : modifierOffset(match[1] ?? "");
    if (offset === null) return undefined;
    if (ctx.ref === null) return null;
    const p = civil(ctx.ref);
    const index = p.y * 12 + p.m - 1 + offset;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    return result(
      isoMonth(y, m),
      "partial",
      `${fmtMonth(ctx.lang, y, m)}; ${t(ctx.lang, "Monat bezogen auf das Erscheinungsdatum", "month relative to the publication date")} ${fmtDay(ctx.lang, ctx.ref)}`,
    );
  }
  match = YEAR_RELATIVE.exec(core);
  const ofReference = YEAR_OF_REFERENCE.test(core);
  if (!match && !ofReference) return undefined;
  const offset = ofReference || match?.[3] ? 0 : match?.[2] ? -1 : modifierOffset(match?.[1] ?? "");
  if (offset === null) return undefined;
  if (ctx.ref === null) return null;
  const y = civil(ctx.ref).y + offset;
  return yearResult(
    ctx,
    y,
    `${y}; ${t(ctx.lang, "Jahr bezogen auf das Erscheinungsdatum", "year relative to the publication date")} ${fmtDay(ctx.lang, ctx.ref)}`,
  );
};

const QUALIFIER_RE =
  "(anfang|beginn|mitte|ende|early|mid|late|(?:the )?(?:end|beginning|start|middle) of)";
const MONTH_ALONE = re(`(?:${QUALIFIER_RE}[\\s-]*)?${MONTH_RE},?(?:\\s+(?:of\\s+)?(\\d{4}))?`);
const YEAR_ALONE = re(
  `(?:${QUALIFIER_RE}[\\s-]*)?(?:(?:des |of )?(?:jahre?s?|the year|year)\\s+)?(\\d{4})`,
);

const monthYearRule: Rule = (core, ctx) => {
  let match = MONTH_ALONE.exec(core);
  if (match) {
    const m = monthNumber(match[2]);
    if (m === null) return undefined;
    return monthResult(ctx, m, match[3] ? Number(match[3]) : null, match[1] ?? "");
  }
  match = YEAR_ALONE.exec(core);
  if (match) {
    const y = Number(match[2]);
    const qualifier = match[1];
    return yearResult(
      ctx,
      y,
      qualifier
        ? `${qualifier} ${y}; ${t(ctx.lang, "als ganzes Jahr", "given as the whole year")}`
        : "",
    );
  }
  return undefined;
};

const HOLIDAY = re(`(${alternation(Object.keys(HOLIDAYS))})(?:\\s+(\\d{4}))?`);

const holidayRule: Rule = (core, ctx) => {
  const match = HOLIDAY.exec(core);
  if (!match) return undefined;
  const md = HOLIDAYS[(match[1] ?? "").toLowerCase()];
  if (!md) return undefined;
  const [m, d] = md;
  const year = match[2] ? Number(match[2]) : ctx.ref === null ? null : yearNear(m, ctx.ref);
  if (year === null) return null;
  const out = dayResult(ctx, year, m, d, match[2] !== undefined, null);
  return out && { ...out, explanation: `${match[1]}: ${out.explanation}` };
};

/** A date point parsed from numbers or from a month or weekday name; year may be missing. */
type Point =
  | { t: "day"; y: number | null; m: number; d: number }
  | { t: "dayOnly"; d: number }
  | { t: "month"; y: number | null; m: number }
  | { t: "year"; y: number }
  | { t: "weekday"; wd: number };

const NUM_DMY = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})$/;
const NUM_DM = /^(\d{1,2})\.\s?(\d{1,2})\.$/;
const NUM_SLASH = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?$/;

function parseNumeric(text: string, ctx: Ctx): Point | "invalid" | undefined {
  let match = NUM_DMY.exec(text);
  if (match) {
    const [d, m, y] = [Number(match[1]), Number(match[2]), twoDigitYear(match[3] ?? "")];
    return isValidYmd(y, m, d) ? { t: "day", y, m, d } : "invalid";
  }
  match = NUM_DM.exec(text);
  if (match) {
    const [d, m] = [Number(match[1]), Number(match[2])];
    return isValidYmd(2000, m, d) ? { t: "day", y: null, m, d } : "invalid";
  }
  match = NUM_SLASH.exec(text);
  if (match) {
    const [a, b] = [Number(match[1]), Number(match[2])];
    let dayFirst = ctx.dayFirst;
    if (dayFirst && b > 12 && a <= 12) dayFirst = false;
    if (!dayFirst && a > 12 && b <= 12) dayFirst = true;
    const [d, m] = dayFirst ? [a, b] : [b, a];
    const y = match[3] ? twoDigitYear(match[3]) : null;
    return isValidYmd(y ?? 2000, m, d) ? { t: "day", y, m, d } : "invalid";
  }
  return undefined;
}

function parsePoint(text: string, ctx: Ctx): Point | "invalid" | undefined {
  const numeric = parseNumeric(text, ctx);
  if (numeric !== undefined) return numeric;
  let match = /^(\d{1,2})\.?$/.exec(text);
  if (match) {
    const d = Number(match[1]);
    return d >= 1 && d <= 31 ? { t: "dayOnly", d } : "invalid";
  }
  match = /^(\d{4})$/.exec(text);
  if (match) return { t: "year", y: Number(match[1]) };
  match = re(`${MONTH_RE}(?:\\s+(\\d{4}))?`).exec(text);
  if (match) {
    const m = monthNumber(match[1]);
    if (m !== null) return { t: "month", y: match[2] ? Number(match[2]) : null, m };
  }
  match = WEEKDAY_PLAIN.exec(text);
  if (match) {
    const wd = weekdayNumber(match[1]);
    if (wd !== null) return { t: "weekday", wd };
  }
  return undefined;
}

const numericRule: Rule = (core, ctx) => {
  const point = parseNumeric(core, ctx);
  if (point === undefined) return undefined;
  if (point === "invalid" || point.t !== "day") return null;
  if (point.y !== null) return dayResult(ctx, point.y, point.m, point.d, true, ctx.statedWeekday);
  if (ctx.ref === null) return null;
  return dayResult(ctx, yearNear(point.m, ctx.ref), point.m, point.d, false, ctx.statedWeekday);
};

const RANGE_PREFIX = /^(zwischen|between)\s+(?:(?:dem|den|the)\s+)?/iu;
const RANGE_SPLIT =
  /^(.+?)\s*(?:-|\/|\s(?:bis(?:\s+(?:zum|zur|einschließlich))?|to|until|till|through|thru)\s)\s*(.+)$/iu;
const AND_SPLIT = /^(.+?)\s+(?:und|and)\s+(?:(?:dem|den|the)\s+)?(.+)$/iu;

/** Orders (month, day) pairs. */
const mdKey = (m: number, d: number): number => m * 100 + d;

function combineRange(left: Point, right: Point, ctx: Ctx): DateInterpretation | null | undefined {
  const ref = ctx.ref;
  if (left.t === "year" && right.t === "year") {
    if (left.y >= right.y) return null;
    return rangeResult(ctx, pad4(left.y), pad4(right.y), "");
  }
  if (left.t === "month" && right.t === "month") {
    let ys: number;
    let ye: number;
    if (right.y !== null) {
      ye = right.y;
      ys = left.y ?? (left.m <= right.m ? ye : ye - 1);
    } else if (left.y !== null) {
      ys = left.y;
      ye = right.m >= left.m ? ys : ys + 1;
    } else {
      if (ref === null) return null;
      ys = yearNear(left.m, ref);
      ye = right.m >= left.m ? ys : ys + 1;
    }
    const note = left.y === null && right.y === null && ref !== null ? yearNote(ctx.lang, ref) : "";
    return rangeResult(ctx, isoMonth(ys, left.m), isoMonth(ye, right.m), note);
  }
  if (left.t === "weekday" && right.t === "weekday") {
    if (ref === null) return null;
    const start = ref - ((weekdayOf(ref) - left.wd + 7) % 7);
    const end = start + ((right.wd - left.wd + 7) % 7);
    return rangeResult(
      ctx,
      isoDay(start),
      isoDay(end),
      t(
        ctx.lang,
        `${WEEKDAY_NAMES.de[left.wd]} vor dem ${fmtDay("de", ref)} und der folgende ${WEEKDAY_NAMES.de[right.wd]}`,
        `${WEEKDAY_NAMES.en[left.wd]} before ${fmtDay("en", ref)} and the following ${WEEKDAY_NAMES.en[right.wd]}`,
      ),
    );
  }
  if (right.t !== "day" || (left.t !== "day" && left.t !== "dayOnly")) return undefined;
  const ls = left.t === "day" ? left : { y: null, m: right.m, d: left.d };
  let ys: number;
  let ye: number;
  if (right.y !== null) {
    ye = right.y;
    ys = ls.y ?? (mdKey(ls.m, ls.d) <= mdKey(right.m, right.d) ? ye : ye - 1);
  } else if (ls.y !== null) {
    ys = ls.y;
    ye = mdKey(right.m, right.d) >= mdKey(ls.m, ls.d) ? ys : ys + 1;
  } else {
    if (ref === null) return null;
    ys = yearNear(ls.m, ref);
    ye = mdKey(right.m, right.d) >= mdKey(ls.m, ls.d) ? ys : ys + 1;
  }
  if (!isValidYmd(ys, ls.m, ls.d) || !isValidYmd(ye, right.m, right.d)) return null;
  const start = dayNumber(ys, ls.m, ls.d);
  const end = dayNumber(ye, right.m, right.d);
  if (start >= end) return null;
  const note = ls.y === null && right.y === null && ref !== null ? yearNote(ctx.lang, ref) : "";
  return rangeResult(ctx, isoDay(start), isoDay(end), note);
}

/** Ranges of numeric dates, months, years or weekdays; written-date ranges go to chrono. */
const rangeRule: Rule = (core, ctx) => {
  const years = /^(\d{4})\/(\d{2})$/.exec(core); // "2025/26"
  if (years) {
    const y = Number(years[1]);
    if ((y + 1) % 100 !== Number(years[2])) return null;
    return rangeResult(ctx, pad4(y), pad4(y + 1), "");
  }
  const between = RANGE_PREFIX.exec(core);
  const body = between ? core.slice(between[0].length) : core;
  const split = (between ? AND_SPLIT : RANGE_SPLIT).exec(body);
  if (!split) return undefined;
  const left = parsePoint((split[1] ?? "").trim(), ctx);
  const right = parsePoint(stripFillers((split[2] ?? "").trim()), ctx);
  if (left === undefined || right === undefined) return undefined;
  if (left === "invalid" || right === "invalid") return null;
  return combineRange(left, right, ctx);
};

const RULES: Rule[] = [
  isoRule,
  casualRule,
  weekdayRule,
  weekRule,
  weekendRule,
  relativeMonthYearRule,
  holidayRule,
  monthYearRule,
  numericRule,
  rangeRule,
];

// ---------------------------------------------------------------------------------------
// chrono-node.

/** Reference instant for chrono: the day at 12:00 UTC, with timezone 0 so that chrono's
 * calendar components equal the publication date's whatever the machine's zone is. */
function chronoReference(dn: number): { instant: Date; timezone: number } {
  const { y, m, d } = civil(dn);
  const instant = new Date(0);
  instant.setUTCFullYear(y, m - 1, d);
  instant.setUTCHours(12, 0, 0, 0);
  return { instant, timezone: 0 };
}

/** Two unrelated reference days: a reading that is the same under both does not depend on the reference. */
const PROBE_A = dayNumber(2001, 3, 14);
const PROBE_B = dayNumber(2013, 9, 27);

type Components = ParsedResult["start"];

function ymdOf(c: Components): Ymd | null {
  const y = c.get("year");
  const m = c.get("month");
  const d = c.get("day");
  return y === null || m === null || d === null ? null : { y, m, d };
}

const sameYmd = (a: Ymd | null, b: Ymd | null): boolean =>
  a !== null && b !== null && a.y === b.y && a.m === b.m && a.d === b.d;

function isFillerOnly(rest: string): boolean {
  return rest
    .split(/[\s,.;:()\-–]+/u)
    .filter((w) => w !== "")
    .every((w) => FILLERS.has(w.toLowerCase()));
}

type ChronoParser = typeof chronoDe;

function chronoSingle(parser: ChronoParser, text: string, ref: number): ParsedResult | null {
  const results = parser.parse(text, chronoReference(ref), { forwardDate: false });
  if (results.length !== 1) return null;
  const r = results[0];
  if (!r) return null;
  const rest = `${text.slice(0, r.index)} ${text.slice(r.index + r.text.length)}`;
  return isFillerOnly(rest) ? r : null;
}

function fromChrono(
  parser: ChronoParser,
  text: string,
  ctx: Ctx,
): DateInterpretation | null | undefined {
  const main = chronoSingle(parser, text, ctx.ref ?? PROBE_A);
  if (!main) return undefined;
  const s = main.start;
  if (!s.isCertain("month") || !s.isCertain("day")) {
    if (s.isCertain("month")) {
      const m = s.get("month") ?? 0;
      return monthResult(ctx, m, s.isCertain("year") ? s.get("year") : null, "");
    }
    const wd = s.isCertain("weekday") ? s.get("weekday") : null;
    if (wd !== null && !s.isCertain("hour")) {
      return ctx.ref === null ? null : weekdayMode(ctx, ctx.ref, wd, "plain");
    }
    // Relative offsets ("vor drei Tagen") are certain about the day; a time alone is no date.
    if (!main.tags().has("result/relativeDate") && !s.tags().has("result/relativeDate")) {
      return null;
    }
  }
  const stated = ctx.statedWeekday ?? (s.isCertain("weekday") ? s.get("weekday") : null);
  const probeA = chronoSingle(parser, text, PROBE_A);
  const probeB = chronoSingle(parser, text, PROBE_B);
  const independent =
    s.isCertain("year") &&
    sameYmd(probeA && ymdOf(probeA.start), probeB && ymdOf(probeB.start)) &&
    sameYmd(probeA && ymdOf(probeA.start), ymdOf(s));
  const sm = s.get("month") ?? 0;
  const sd = s.get("day") ?? 0;
  const end = main.end?.isCertain("day") ? main.end : null;

  if (end) {
    const em = end.get("month") ?? 0;
    const ed = end.get("day") ?? 0;
    const syGiven = s.isCertain("year") && independent;
    const eyGiven = end.isCertain("year");
    let ys: number;
    let ye: number;
    if (syGiven && eyGiven) {
      ys = s.get("year") ?? 0;
      ye = end.get("year") ?? 0;
    } else if (eyGiven) {
      ye = end.get("year") ?? 0;
      ys = mdKey(sm, sd) <= mdKey(em, ed) ? ye : ye - 1;
    } else if (syGiven) {
      ys = s.get("year") ?? 0;
      ye = mdKey(em, ed) >= mdKey(sm, sd) ? ys : ys + 1;
    } else {
      if (ctx.ref === null) return null;
      ys = yearNear(sm, ctx.ref);
      ye = mdKey(em, ed) >= mdKey(sm, sd) ? ys : ys + 1;
    }
    if (!isValidYmd(ys, sm, sd) || !isValidYmd(ye, em, ed)) return null;
    const a = dayNumber(ys, sm, sd);
    const b = dayNumber(ye, em, ed);
    if (a > b) return null;
    const note = !syGiven && !eyGiven && ctx.ref !== null ? yearNote(ctx.lang, ctx.ref) : "";
    if (a === b) return dayResult(ctx, ys, sm, sd, syGiven || eyGiven, stated);
    return rangeResult(ctx, isoDay(a), isoDay(b), note);
  }

  if (independent) return dayResult(ctx, s.get("year") ?? 0, sm, sd, true, stated);
  if (ctx.ref === null) return null;
  if (!s.isCertain("year")) return dayResult(ctx, yearNear(sm, ctx.ref), sm, sd, false, stated);
  // reference-dependent: "vor drei Tagen", "in two weeks"
  const ymd = ymdOf(s);
  if (!ymd || !isValidYmd(ymd.y, ymd.m, ymd.d)) return null;
  const dn = dayNumber(ymd.y, ymd.m, ymd.d);
  return result(
    isoDay(dn),
    "relative",
    `${fmtDayLong(ctx.lang, dn)}; ${t(ctx.lang, "bezogen auf das Erscheinungsdatum", "relative to the publication date")} ${fmtDay(ctx.lang, ctx.ref)}`,
  );
}

/** Rewrites range phrasings chrono does not read ("zwischen dem 3. und 6.", "vom 3. bis zum 6.", "3./4. Januar", "January 3 through 6"). */
function chronoInput(text: string, lang: Lang): string {
  let out = text;
  const between =
    /^(?:(?:am|on)\s+)?(?:zwischen|between)\s+(?:(?:dem|den|the)\s+)?(.+?)\s+(?:und|and)\s+(?:(?:dem|den|the)\s+)?(.+)$/iu.exec(
      out,
    );
  if (between) out = `${between[1]} - ${between[2]}`;
  out = out
    .replace(/^(?:vom|von|from)\s+/iu, "")
    .replace(
      /\s+(?:bis(?:\s+(?:zum|zur|einschließlich))?|until|till|through|thru)\s+/iu,
      lang === "de" ? " bis " : " to ",
    )
    .replace(/^(\d{1,2})\.\/(\d{1,2})\./u, "$1. - $2.");
  return out;
}

// ---------------------------------------------------------------------------------------
// Cleaning.

const LEADING_FILLER = new RegExp(`^(?:${[...FILLERS].join("|")})\\.?\\s+`, "iu");

function stripFillers(text: string): string {
  let out = text;
  for (;;) {
    const next = out.replace(LEADING_FILLER, "");
    if (next === out) return out;
    out = next;
  }
}

const TIME_PATTERNS = [
  /,?\s*(?:(?:um|gegen|ab|at|around|about)\s+)?(?<![\d.])\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:uhr|h|[ap]\.?m\.?))?(?![\p{L}\d])/giu,
  /,?\s*(?:(?:um|gegen|ab|at|around|about)\s+)?(?<![\d.])\d{1,2}(?:[.:]\d{2})?\s*(?:uhr|h|[ap]\.m\.|[ap]m)(?![\p{L}\d])/giu,
  /\s*\(?(?<!\p{L})(?:ortszeit|local time|mez|mesz|cet|cest|utc|gmt)\)?(?![\p{L}\d])/giu,
];

function clean(mention: string): string {
  let text = mention
    .normalize("NFC")
    .replace(/[\u00AD\u200B-\u200D\u2060\uFEFF]/gu, "")
    .replace(/[\u00A0\u2000-\u200A\u202F\u205F\u3000\t\r\n]/gu, " ")
    .replace(/[\u2010\u2011\u2012\u2014\u2015\u2212]/gu, "-")
    .replace(/[\u2018\u2019\u02BC]/gu, "'")
    .replace(/(\d)\s*–\s*(\d)/gu, "$1-$2")
    .replace(/–/gu, "-");
  for (const pattern of TIME_PATTERNS) text = text.replace(pattern, "");
  text = text
    .replace(/\s+/gu, " ")
    .trim()
    .replace(/^[„“”"'‚‘’«»‹›([{,;:\s-]+/u, "")
    .replace(/[„“”"'‚‘’«»‹›)\]},;:!?\s]+$/u, "")
    .replace(/(\p{L})\.$/u, "$1")
    // Austrian month names, which chrono does not know.
    .replace(/(?<!\p{L})j(?:ä|ae)nner(?!\p{L})/giu, "Januar")
    .replace(/(?<!\p{L})j(?:ä|ae)n(?=\.|(?!\p{L}))/giu, "Jan")
    .replace(/(?<!\p{L})feber(?!\p{L})/giu, "Februar")
    // "am Morgen des 3. Januar", "on the morning of Jan. 3"
    .replace(
      /^(?:am|in der|on the)\s+(?:morgen|früh|vormittag|mittag|nachmittag|abend|nacht|morning|afternoon|evening|night)\s+(?:des|vom|of)\s+/iu,
      "",
    );
  return text;
}

/** "am Morgen", "am Abend": a time of day, not "morgen" (tomorrow). */
const TIME_OF_DAY_ONLY = re(
  `(?:am|an einem|jeden|des|den|der|im|zum|in der|the)\\s+${TIME_OF_DAY_RE}|${TIME_OF_DAY_RE}s`,
);

const LEADING_WEEKDAY = new RegExp(
  `^(${alternation([...Object.keys(WEEKDAYS), ...Object.keys(WEEKDAY_ABBREVIATIONS)])})\\.?,?\\s+(?:(?:dem|den|the)\\s+)?(?=\\d|(?:${alternation(Object.keys(MONTHS))})${END})`,
  "iu",
);

function parseLanguage(language: string | undefined): Lang | null {
  const l = (language ?? "").trim().toLowerCase();
  if (l.startsWith("de") || l.startsWith("ger")) return "de";
  if (l.startsWith("en")) return "en";
  return null;
}

function parseReference(date: string | undefined): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec((date ?? "").trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isValidYmd(y, m, d) ? dayNumber(y, m, d) : null;
}

/**
 * Interprets a tagged date mention (the annotation's quote) in the article's language,
 * relative to its publication date (ISO YYYY-MM-DD, may be missing). Returns null when it
 * is not a date, is not a valid calendar date, or needs a publication date that is missing.
 */
export function normaliseDate(
  mention: string,
  options: NormaliseDateOptions = {},
): DateInterpretation | null {
  if (typeof mention !== "string" || mention.length > 200) return null;
  const language = parseLanguage(options.language);
  const ctx: Ctx = {
    lang: language ?? "en",
    ref: parseReference(options.publicationDate),
    dayFirst: language !== "en",
    statedWeekday: null,
  };
  const text = clean(mention);
  if (!/[\p{L}\d]/u.test(text) || TIME_OF_DAY_ONLY.test(text)) return null;

  let core = stripFillers(text);
  let forChrono = text;
  const leading = LEADING_WEEKDAY.exec(core);
  if (leading) {
    const word = (leading[1] ?? "").toLowerCase();
    ctx.statedWeekday = WEEKDAYS[word] ?? WEEKDAY_ABBREVIATIONS[word] ?? null;
    core = core.slice(leading[0].length);
    forChrono = core;
  }

  const found = applyRules(core, ctx);
  if (found !== undefined) return checked(found);

  const parsers: ChronoParser[] = language === "en" ? [chronoEn, chronoDe] : [chronoDe, chronoEn];
  for (const parser of parsers) {
    const input = chronoInput(forChrono, parser === chronoDe ? "de" : "en");
    const out = fromChrono(parser, input, ctx);
    if (out !== undefined) return checked(out);
  }
  return null;
}

function applyRules(core: string, ctx: Ctx): DateInterpretation | null | undefined {
  for (const rule of RULES) {
    const out = rule(core, ctx);
    if (out !== undefined) return out;
  }
  return undefined;
}

function checked(out: DateInterpretation | null): DateInterpretation | null {
  return out && isDateValue(out.value) ? out : null;
}
