/**
 * Scraped-news cleanup: proposals, never silent deletion.
 *
 * Scraped articles carry page furniture (breadcrumbs, captions, share buttons,
 * donation prompts, teasers, reader comments). Removing it is an explicit step:
 * `proposeCleanup` lists whole-line removals with a plain-language reason, the
 * user previews and accepts or skips each, and `applyCleanup` removes only the
 * accepted ones.
 *
 * The rules are deliberately conservative. A missed share button costs a coder
 * a glance; a false positive deletes article text somebody meant to code. So a
 * line is proposed only on a clear signal (a fixed phrase, a line made only of
 * dates or platform names, a count of comments), bylines and section labels only
 * in the head of the article (before the first long paragraph), a comment
 * header only after the article's prose has begun, and never a line of long
 * running prose (> 200 code points with several sentences), except inside a
 * comment section or behind an unmistakable marker (an agency caption id).
 * Block rules (donation prompts, teaser lists) grow only over short lines of the
 * same run of lines, never across a blank line.
 *
 * German and English phrases apply to every article whatever its language (a
 * German page often carries English agency captions); `language` only picks
 * the sentence rules used to tell prose from furniture.
 */

import { countCodePoints, sentenceSegmenter } from "./text-blocks";

/** Kinds of scraped boilerplate Tagwerk recognises. */
export type BoilerplateKind =
  | "metadata-line"
  | "breadcrumb"
  | "caption"
  | "byline"
  | "share-buttons"
  | "donation"
  | "newsletter"
  | "related-links"
  | "comments"
  | "repeated-title"
  | "timestamp"
  | "advertisement";

/**
 * One proposed removal: whole lines of the text. Offsets are code points,
 * end-exclusive; the range includes the newline that ends its last line (or,
 * at the very end of the text, the newline before its first line).
 */
export interface CleanupProposal {
  kind: BoilerplateKind;
  start: number;
  end: number;
  /** The covered slice of the text, exactly as it will be removed. */
  text: string;
  /** Why this looks like boilerplate, in plain language. */
  reason: string;
}

interface Line {
  text: string;
  trimmed: string;
  /** Length and offset in code points. */
  length: number;
  start: number;
  /** Offset in UTF-16 units, for slicing. */
  from: number;
}

const MAX_PROSE = 200;
const HEAD_LIMIT = 25;

// ---------------------------------------------------------------------------
// Line tests

const DATE_LINE = /^\s*date:?\s+\d{4}-\d{2}-\d{2}\b/i;

function countSentences(text: string, language: string): number {
  const segmenter = sentenceSegmenter(language);
  let n = 0;
  let ordinal = false;
  for (const { segment } of segmenter.segment(text)) {
    // "vom 3. bis 6. Januar": a German ordinal's full stop ends no sentence.
    if (/\p{L}/u.test(segment) && !ordinal) n++;
    ordinal = /(?:^|\s)\d{1,2}\.\s*$/u.test(segment);
  }
  return n;
}

function isLongProse(line: Line, language: string): boolean {
  return line.length > MAX_PROSE && countSentences(line.trimmed, language) >= 2;
}

/** Prose that starts the article body: long, or several sentences of some length. */
function isBodyProse(line: Line, language: string): boolean {
  return (
    line.length > MAX_PROSE || (line.length >= 120 && countSentences(line.trimmed, language) >= 2)
  );
}

const MONTHS =
  "jan(?:uar|uary)?|jän(?:ner)?|feb(?:ruar|ruary)?|feber|märz?|mar(?:ch)?|apr(?:il)?|mai|may|jun[ie]?|jul[iy]?|aug(?:ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|dez(?:ember)?|dec(?:ember)?";
const WEEKDAYS =
  "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun|mo|di|mi|do|fr|sa|so";
const word = (alternatives: string) => `(?<![\\p{L}])(?:${alternatives})(?![\\p{L}])`;

const DATE_TOKENS = [
  /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?/gu,
  /\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{4}|\d{2}(?!\d))?/gu,
  /\d{1,2}\/\d{1,2}\/\d{2,4}/gu,
  new RegExp(
    `(?:\\d{1,2}\\.?\\s*)?${word(MONTHS)}\\.?(?:\\s+\\d{1,2}(?!\\d)(?:st|nd|rd|th)?\\.?,?)?(?:\\s+\\d{4})?`,
    "giu",
  ),
  /\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:uhr|h|a\.m\.|p\.m\.|am|pm)(?![\p{L}]))?/giu,
  /\d{1,2}\.\d{2}\s*uhr/giu,
  /\d{1,2}\s*(?:a\.m\.|p\.m\.)/giu,
  /vor\s+\d+\s+(?:sekunden?|minuten?|stunden?|tagen?|wochen?)/giu,
  /\d+\s*(?:h|min|m|d|hours?|minutes?|days?)\s+ago/giu,
];
const DATE_FILLERS = [
  new RegExp(word(WEEKDAYS), "giu"),
  new RegExp(
    word(
      "uhr|a\\.m\\.|p\\.m\\.|am|um|at|on|et|ct|pt|mt|est|edt|cst|cdt|pst|pdt|cet|cest|mez|mesz|utc|gmt|bst|published|updated|posted|last updated|veröffentlicht|aktualisiert|erstellt|stand|zuletzt|publiziert|geändert",
    ),
    "giu",
  ),
  /lesezeit:?\s*\d+\s*min(?:uten|\.)?|\d+\s*min(?:uten|\.)?\s+lesezeit|\d+[-\s]min(?:ute)?s?\s+read/giu,
];

/** A date, time or reading time with nothing else: "31.12.2025, 19:53", "Jan. 5, 2026, 6:00 a.m. CT". */
function isTimestampText(text: string): boolean {
  let rest = text;
  let found = false;
  for (const pattern of DATE_TOKENS) {
    rest = rest.replace(pattern, (match) => {
      // A year, a clock time or "ago" makes it a timestamp; "3. Januar" alone may be a heading.
      if (/\d{4}|\d:\d{2}|ago|vor\s/iu.test(match)) found = true;
      return /\d/.test(match) ? " " : match;
    });
  }
  for (const pattern of DATE_FILLERS) rest = rest.replace(pattern, " ");
  return found && !/[\p{L}\p{N}]/u.test(rest);
}

const SEGMENT_SPLIT = /\s+[|·•]\s+/u;
const NAME_WORD = "\\p{Lu}[\\p{L}'’.-]+";
const PERSON = `${NAME_WORD}(?:\\s+(?:(?:von|van|de|der|den|di|da|du|le|la|al|el|bin|ten|ter|zu)\\s+)*${NAME_WORD}){1,3}`;
const PEOPLE = new RegExp(`^${PERSON}(?:\\s*(?:,|und|and|&)\\s*${PERSON})*$`, "u");
const AGENCIES =
  /^(?:dpa|afp|apa|ap|reuters|sda|kna|epd|ddp|efe|ansa|upi|keystone)(?:\s*\/\s*(?:dpa|afp|apa|ap|reuters|sda|kna|epd|ddp|efe|ansa|upi|keystone))*$/i;
const NOT_A_NAME = new RegExp(
  `^(?:${MONTHS}|${WEEKDAYS}|anfang|ende|mitte|beginn|seiten)\\b`,
  "iu",
);
const BYLINE_PREFIX =
  /^(?:von|by|text|interview|ein kommentar von|eine analyse von|eine reportage von|ein gastbeitrag von|gastbeitrag von|analysis by|commentary by|reporting by|written by|story by|autor(?:in)?|author)\s*:?\s+(.+)$/iu;

/** "Von Lena Hartwig", "By Martin Okafor, Diplomatic Correspondent", "Von: APA/AFP". */
function isBylineSegment(segment: string): boolean {
  const match = BYLINE_PREFIX.exec(segment);
  if (!match?.[1]) return false;
  const [names = "", ...roles] = match[1].split(/\s*,\s*/);
  if (!AGENCIES.test(names) && !(PEOPLE.test(names) && !NOT_A_NAME.test(names))) return false;
  return roles.every(isRoleSegment);
}

/** A job title after a byline: "Contributing columnist", "Berlin". */
function isRoleSegment(segment: string): boolean {
  return segment.length <= 40 && segment.split(/\s+/).length <= 4 && !/[\d.!?:]$|\d/u.test(segment);
}

const READING_TIME =
  /^(?:lesezeit:?\s*\d+\s*min(?:uten|\.)?|\d+\s*min(?:uten|\.)?\s+lesezeit|\d+[-\s]min(?:ute)?s?\s+read)$/iu;

/** "byline" or "timestamp" when every " | "-separated part is an author, date, time or reading time. */
function classifyMetaSegments(text: string): "byline" | "timestamp" | undefined {
  if (countCodePoints(text) > 160) return undefined;
  let byline = false;
  for (const segment of text.split(SEGMENT_SPLIT)) {
    if (isTimestampText(segment) || READING_TIME.test(segment)) continue;
    if (isBylineSegment(segment)) byline = true;
    else if (!(byline && isRoleSegment(segment))) {
      // "31. Dezember 2025, 17:48 · Von Teresa Pichlmayr": a date part may precede the author.
      return undefined;
    }
  }
  return byline ? "byline" : "timestamp";
}

const BREADCRUMB_PREFIX =
  /^(?:aktuelle seite|sie sind hier|du bist hier|you are here|filed under|tags|themen|schlagworte|schlagwörter|topics)\s*:\s*\S/iu;
const BREADCRUMB_SEPARATOR = /\s+[>›»]\s+/u;

/** "Startseite > Politik > Ausland", "Aktuelle Seite: …", "Filed under: Europe · Diplomacy". */
function isBreadcrumb(line: Line): boolean {
  if (line.length > 150 || /[.!?]$/u.test(line.trimmed)) return false;
  if (BREADCRUMB_PREFIX.test(line.trimmed)) return true;
  const parts = line.trimmed.split(BREADCRUMB_SEPARATOR);
  return (
    parts.length >= 2 &&
    parts.every((p) => /^[\p{Lu}\p{N}]/u.test(p) && p.length <= 40 && p.split(/\s+/).length <= 4)
  );
}

/** A section or outlet label above the headline: "International", "KOMMENTAR", "MERIDIAN WIRE | ANALYSIS". */
function isSectionLabel(line: Line): boolean {
  if (line.length > 40 || /[.!?:]$/u.test(line.trimmed) || !/\p{L}/u.test(line.trimmed))
    return false;
  return !/\s/u.test(line.trimmed) || !/\p{Ll}/u.test(line.trimmed);
}

const SHARE_WORDS = new Set(
  "teilen|drucken|merken|speichern|share|tweet|print|save|facebook|x|twitter|whatsapp|e-mail|email|mail|link kopieren|link|copy link|threads|linkedin|telegram|reddit|pinterest|bluesky|mastodon|xing|flipboard|messenger|sms|pocket|share this story|share this article|share this|listen to this article|artikel anhören|artikel vorlesen|vorlesen".split(
    "|",
  ),
);
const SHARE_PREFIX =
  /^(?:(?:diesen\s+)?(?:artikel|beitrag)\s+teilen|teilen|share(?:\s+this(?:\s+(?:article|story))?)?)\s*:\s*/iu;
const SHARE_TOKEN_PREFIX =
  /^(?:share\s+(?:on|via|to)|teilen\s+(?:auf|per|via)|follow\s+us\s+on|folgen\s+sie\s+uns\s+auf|folge\s+uns\s+auf|auf|per|via)\s+/iu;
const NEWSLETTER =
  /\bnewsletter\b.*\b(?:abonnieren|anmelden|bestellen|sign\s*up|subscribe)|\b(?:sign\s*up|subscribe|abonnieren|anmelden|melden sie sich|registrieren|bestellen)\b.*\bnewsletter/iu;

function isShareToken(token: string): boolean {
  const t = token.toLowerCase().replace(SHARE_TOKEN_PREFIX, "").replace(/:$/, "").trim();
  return SHARE_WORDS.has(t);
}

/** Lines made only of share/print buttons and newsletter sign-ups. */
function classifyWidgetLine(line: Line): "share-buttons" | "newsletter" | undefined {
  if (line.length > 200) return undefined;
  if (/^newsletter:?$/iu.test(line.trimmed)) return "newsletter";
  let newsletter = false;
  let share = false;
  const hasPrefix = SHARE_PREFIX.test(line.trimmed);
  const rest = line.trimmed.replace(SHARE_PREFIX, "");
  if (hasPrefix && rest.length === 0) return "share-buttons";
  for (const segment of rest.split(/\s*[|·•]\s*/u)) {
    if (NEWSLETTER.test(segment)) {
      newsletter = true;
      continue;
    }
    for (const token of segment.split(/\s*,\s*|\s+\/\s+/u)) {
      if (token.length === 0) continue;
      if (!isShareToken(token)) return undefined;
      share = true;
    }
  }
  if (newsletter) return "newsletter";
  return share ? "share-buttons" : undefined;
}

const ADVERTISEMENT =
  /^[-–—\s]*(?:anzeige|werbung|advertisement|advertising|sponsored(?: content)?|gesponsert|promoted|paid content|story continues below advertisement|article continues below(?: advertisement)?|weiterlesen nach der anzeige|artikel wird nach der anzeige fortgesetzt|lesen sie nach der anzeige weiter)[-–—\s:]*$/iu;

const DONATION_TRIGGERS = [
  /^(?:jetzt\s+)?unterstützen\s+sie\s+(?:uns|unabhängigen|unseren|guten|freien|qualitäts)/iu,
  /^(?:oder\s+)?unterstütze\s+uns\b/iu,
  /^jetzt\s+(?:unterstützen|spenden|mitglied\s+werden)\b/iu,
  /\b(?:würdest|möchtest|willst)\s+du\b.*\bunterstützen\b/iu,
  /^(?:spenden\s+sie|werden\s+sie\s+(?:mitglied|unterstützer|förder)|werde\s+(?:mitglied|unterstützer))/iu,
  /^support\s+(?:independent|local|our|quality)\s+(?:journalism|reporting|work|newsroom)/iu,
  /^support\s+us\b/iu,
  /^become\s+a\s+(?:member|supporter|subscriber|patron)\b/iu,
  /^(?:donate|make\s+a\s+donation|please\s+(?:consider\s+)?(?:donating|supporting))\b/iu,
  /\bdonate\s+(?:now|today)\b/iu,
];
const DONATION_WORDS =
  /unterstütz|journalismus|spende|zahlung|betrag|überweisung|abo\b|mitglied|paypal|twint|€|\$|£|\bchf\b|\beur\b|support|donat|member|payment|subscri|monatlich|monthly/iu;

const RELATED_PHRASES = [
  "das könnte (?:dich|sie|euch) (?:auch )?(?:noch )?interessieren",
  "(?:das )?interessiert (?:dich|sie) (?:auch|vielleicht)",
  "mehr zum thema(?: [\\p{L}-]+){0,2}",
  "mehr zu diesem thema",
  "mehr aus (?:dem|der) (?:ressort|rubrik|bereich)",
  "(?:auch|ebenfalls) interessant",
  "lesen sie (?:auch|mehr)",
  "lies auch",
  "weitere (?:artikel|nachrichten|beiträge)",
  "verwandte artikel",
  "passend (?:zum thema|dazu)",
  "zum weiterlesen",
  "(?:empfohlene artikel|unsere empfehlungen)",
  "meistgelesen(?:e artikel)?",
  "read (?:more|next|also)",
  "also read",
  "related(?: articles| stories| coverage| content| reading| links)?",
  "more on this (?:story|topic)",
  "you (?:might|may) also like",
  "recommended(?: for you| stories| reading)?",
  "most (?:read|popular|viewed)",
  "see also",
  "don[’']t miss",
  "editor[’']s picks",
  "what to read next",
  "top stories",
];
const RELATED_HEADER = new RegExp(`^(?:${RELATED_PHRASES.join("|")})\\s*[:.…]*$`, "iu");
const RELATED_INLINE = new RegExp(`^(?:${RELATED_PHRASES.join("|")})\\s*:\\s*\\S`, "iu");

const CAPTION_PREFIX =
  /^(?:fotos?|bilder?|bildquelle|grafik|illustration|photos?|image|picture|credit|photo credit)\s*:\s*\S/iu;
const CAPTION_SUFFIX =
  /(?:^|[\s.)])(?:fotos?|bild|photos?|image|picture|credit)\s*:\s*[^.:!?]{1,60}\.?$/iu;
const CAPTION_MARKER =
  /\((?:archivbild|archivfoto|symbolbild|symbolfoto|file photo|archive photo|stock photo)\)/iu;
const AGENCY_CREDIT =
  /^(?:©\s*)?[\p{Lu}\p{N}][\p{Lu}\p{N} .&'-]*(?:\s*\/\s*[\p{Lu}\p{N}][\p{Lu}\p{N} .&'-]*)+$/u;
const AGENCY_CAPTION_ID = /^epa\d{6,}\s/iu;

function isPureCredit(line: Line): boolean {
  return (
    line.length <= 80 &&
    ((AGENCY_CREDIT.test(line.trimmed) && /\p{Lu}.*\p{Lu}/u.test(line.trimmed)) ||
      (CAPTION_PREFIX.test(line.trimmed) && !/\s\p{Ll}+\s/u.test(line.trimmed)) ||
      /^©/u.test(line.trimmed))
  );
}

function isCaption(line: Line): boolean {
  if (line.length > 250) return false;
  return (
    isPureCredit(line) ||
    (CAPTION_PREFIX.test(line.trimmed) && line.length <= 200) ||
    CAPTION_SUFFIX.test(line.trimmed) ||
    CAPTION_MARKER.test(line.trimmed)
  );
}

const COMMENT_WORDS = "(?:leser)?kommentare|postings|comments|reader comments|user comments";
const COMMENTS_COUNTED = new RegExp(
  `^(?:(?:${COMMENT_WORDS}|diskussion|forum)\\s*\\(\\d[\\d.,]*\\)|\\d[\\d.,]*\\s+(?:(?:leser)?kommentare?|postings?|comments?|beiträge|responses?)(?:\\s*[·|:–-]\\s*.{0,40})?)\\s*:?$`,
  "iu",
);
const COMMENTS_BARE = new RegExp(
  `^(?:${COMMENT_WORDS}|diskussion|join the conversation|join the discussion|diskutieren sie mit|kommentare (?:anzeigen|lesen)|(?:show|view) comments)\\s*:?$`,
  "iu",
);
const COMMENT_EVIDENCE =
  /\bago$|\bvor\s+\d+\s+(?:minuten|stunden|tagen)|^(?:antworten|reply|melden|report|like|gefällt mir|zum kommentar|avatar|dein kommentar|ihr kommentar|kommentar schreiben|write a comment|add a comment)$|\bregistriert\b|\d{1,2}:\d{2}/iu;
const COMMENTS_END =
  /^(?:(?:load|show|view|see)\s+(?:more|all)\s+comments|(?:mehr|alle|weitere)\s+(?:kommentare|postings)\s+(?:laden|anzeigen|lesen)|alle\s+\d+\s+kommentare\s+anzeigen)$/iu;

// ---------------------------------------------------------------------------
// Proposals

/** Finds boilerplate in normalised article text (LF, NFC); proposes, never removes. */
export function proposeCleanup(text: string, language = "und"): CleanupProposal[] {
  const lines = splitLines(text);
  const marks: (BoilerplateKind | undefined)[] = lines.map(() => undefined);
  const mark = (i: number, kind: BoilerplateKind) => {
    marks[i] = kind;
  };
  const isBlank = (i: number) => (lines[i]?.trimmed.length ?? 0) === 0;
  const firstLine = lines.findIndex((l) => l.trimmed.length > 0);

  // Pass 1: lines that say what they are on their own.
  for (const [i, line] of lines.entries()) {
    if (line.trimmed.length === 0) continue;
    if (i === firstLine && DATE_LINE.test(line.text)) mark(i, "metadata-line");
    else if (AGENCY_CAPTION_ID.test(line.trimmed)) mark(i, "caption");
    else if (isLongProse(line, language)) continue;
    else if (ADVERTISEMENT.test(line.trimmed)) mark(i, "advertisement");
    else if (isTimestampText(line.trimmed)) mark(i, "timestamp");
    else if (isBreadcrumb(line)) mark(i, "breadcrumb");
    else if (DONATION_TRIGGERS.some((p) => p.test(line.trimmed))) mark(i, "donation");
    else if (
      RELATED_HEADER.test(line.trimmed) ||
      (line.length <= MAX_PROSE && RELATED_INLINE.test(line.trimmed))
    )
      mark(i, "related-links");
    else if (isCaption(line)) mark(i, "caption");
    else {
      const widget = classifyWidgetLine(line);
      if (widget) mark(i, widget);
    }
  }

  // The head: everything above the first long paragraph of the article's own text.
  let head = lines.findIndex((l, i) => !marks[i] && isBodyProse(l, language));
  if (head < 0 || head > HEAD_LIMIT) head = Math.min(lines.length, HEAD_LIMIT);
  let title = -1;
  for (let i = 0; i < head; i++) {
    const line = lines[i];
    if (!line || marks[i] || isBlank(i)) continue;
    if (title < 0 && !isSectionLabel(line) && !classifyMetaSegments(line.trimmed)) {
      title = i;
      for (let j = firstLine; j < i; j++) {
        if (!marks[j] && !isBlank(j)) mark(j, "breadcrumb");
      }
      continue;
    }
    if (title >= 0 && line.trimmed === lines[title]?.trimmed) {
      mark(i, "repeated-title");
      continue;
    }
    const meta = classifyMetaSegments(line.trimmed);
    if (meta) mark(i, meta);
  }

  // Captions whose text stands on its own short line beside a bare credit line.
  for (let i = 0; i + 1 < lines.length; i++) {
    const [a, b] = [lines[i], lines[i + 1]];
    if (!a || !b || isBlank(i) || isBlank(i + 1)) continue;
    if ((i > 0 && !isBlank(i - 1)) || (i + 2 < lines.length && !isBlank(i + 2))) continue;
    const credit = isPureCredit(a) ? i : isPureCredit(b) ? i + 1 : -1;
    const other = credit === i ? i + 1 : i;
    const otherLine = lines[other];
    if (credit < 0 || !otherLine || marks[other]) continue;
    if (otherLine.length <= 120 && countSentences(otherLine.trimmed, language) <= 1) {
      mark(credit, "caption");
      mark(other, "caption");
    }
  }

  // Comments: from the first clear header after the article's prose to the end (or an end marker).
  const firstProse = lines.findIndex(
    (l, j) => !marks[j] && l.length >= 80 && /[.!?"“”«»)]$/u.test(l.trimmed),
  );
  const commentStart = lines.findIndex((line, i) => {
    if (line.length > 80 || firstProse < 0 || i <= firstProse) return false;
    if (COMMENTS_COUNTED.test(line.trimmed)) return true;
    if (!COMMENTS_BARE.test(line.trimmed)) return false;
    return lines
      .slice(i + 1, i + 9)
      .some((l) => l.length <= 80 && COMMENT_EVIDENCE.test(l.trimmed));
  });
  let commentEnd = lines.length;
  if (commentStart >= 0) {
    const marker = lines.findIndex((l, i) => i > commentStart && COMMENTS_END.test(l.trimmed));
    if (marker >= 0) commentEnd = marker + 1;
    for (let i = commentStart; i < commentEnd; i++) mark(i, "comments");
  }
  const free = (i: number) =>
    i >= 0 &&
    i < lines.length &&
    !isBlank(i) &&
    !marks[i] &&
    !isLongProse(lines[i] as Line, language);

  // Blocks: a donation prompt takes its buttons, a teaser header its teaser lines.
  for (let i = 0; i < lines.length; i++) {
    const kind = marks[i];
    const line = lines[i] as Line;
    if (kind === "donation") {
      let lead = i;
      while (free(lead - 1) && isThanksLine(lines[lead - 1] as Line)) lead--;
      let end = i;
      for (;;) {
        const next = end + 1;
        if (marks[next] === "donation") end = next;
        else if (free(next) && isDonationContinuation(lines[next] as Line)) end = next;
        else break;
      }
      for (let j = lead; j <= end; j++) mark(j, "donation");
      i = end;
    } else if (kind === "related-links" && RELATED_HEADER.test(line.trimmed)) {
      let end = i;
      for (let n = 0; n < 10; n++) {
        const next = end + 1;
        if (marks[next] === "related-links") end = next;
        else if (free(next) && (lines[next] as Line).length <= 160) end = next;
        else break;
      }
      for (let j = i; j <= end; j++) mark(j, "related-links");
      i = end;
    }
  }

  return toProposals(text, lines, marks);
}

function isThanksLine(line: Line): boolean {
  return (
    line.length <= 40 &&
    /\p{L}/u.test(line.trimmed) &&
    (!/\p{Ll}/u.test(line.trimmed) || /^(?:danke|thank you|thanks)\b/iu.test(line.trimmed))
  );
}

function isDonationContinuation(line: Line): boolean {
  if (line.length <= 200 && DONATION_WORDS.test(line.trimmed)) return true;
  return line.length <= 20 && line.trimmed.split(/\s+/).length <= 2;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let from = 0;
  for (const raw of text.split("\n")) {
    const length = countCodePoints(raw);
    lines.push({ text: raw, trimmed: raw.trim(), length, start, from });
    start += length + 1;
    from += raw.length + 1;
  }
  return lines;
}

function quote(text: string): string {
  const chars = [...text.trim()];
  return `“${chars.length > 60 ? `${chars.slice(0, 59).join("")}…` : chars.join("")}”`;
}

function describe(kind: BoilerplateKind, first: string, count: number, toEnd: boolean): string {
  const more = count > 1 ? ` (${count} lines)` : "";
  switch (kind) {
    case "metadata-line":
      return `scraper metadata line ${quote(first)}; the importer keeps its date as the publication date`;
    case "breadcrumb":
      return `site navigation or section label ${quote(first)}${more}`;
    case "caption":
      return `photo caption or credit ${quote(first)}${more}`;
    case "byline":
      return `author and date line ${quote(first)}; keep it if you code authors`;
    case "share-buttons":
      return `share, print or listen buttons ${quote(first)}${more}`;
    case "donation":
      return `donation or subscription prompt from ${quote(first)}${more}`;
    case "newsletter":
      return `newsletter sign-up ${quote(first)}${more}`;
    case "related-links":
      return `links to other articles from ${quote(first)}${more}`;
    case "comments":
      return `reader comments from ${quote(first)}${toEnd ? " to the end" : more}`;
    case "repeated-title":
      return `the headline repeated: ${quote(first)}`;
    case "timestamp":
      return `bare date and time line ${quote(first)}${more}`;
    case "advertisement":
      return `advertisement label ${quote(first)}`;
  }
}

/** Merges runs of marked lines of the same kind and turns them into code-point ranges. */
function toProposals(
  text: string,
  lines: Line[],
  marks: (BoilerplateKind | undefined)[],
): CleanupProposal[] {
  const total = countCodePoints(text);
  const proposals: CleanupProposal[] = [];
  let previousEndLine = -2;
  for (let a = 0; a < lines.length; a++) {
    const kind = marks[a];
    if (!kind) continue;
    let b = a;
    while (b + 1 < lines.length && marks[b + 1] === kind) b++;
    const last = b === lines.length - 1;
    const startLine = lines[a] as Line;
    // The last line has no newline of its own: take the one before it unless a proposal already does.
    const before = last && a > 0 && previousEndLine !== a - 1 ? 1 : 0;
    const next = lines[b + 1];
    proposals.push({
      kind,
      start: startLine.start - before,
      end: next ? next.start : total,
      text: text.slice(startLine.from - before, next ? next.from : text.length),
      reason: describe(kind, startLine.text, b - a + 1, last),
    });
    previousEndLine = b;
    a = b;
  }
  return proposals;
}

/**
 * Removes the accepted proposals and returns the new text; proposals must come
 * from proposeCleanup on the same text (any subset, in any order). Blank lines
 * left around a removal are collapsed to one, and none are left at either end.
 */
export function applyCleanup(text: string, accepted: CleanupProposal[]): string {
  const sorted = [...accepted].sort((x, y) => x.start - y.start);
  const total = countCodePoints(text);
  let out = "";
  const seams: number[] = [];
  let cursor = 0;
  let cursorCp = 0;
  for (const p of sorted) {
    if (p.start < cursorCp || p.end < p.start || p.end > total) {
      throw new Error(
        `applyCleanup: proposal ${p.start}–${p.end} overlaps another or is out of range`,
      );
    }
    const from = advance(text, cursor, p.start - cursorCp);
    const to = advance(text, from, p.end - p.start);
    if (text.slice(from, to) !== p.text) {
      throw new Error(`applyCleanup: proposal ${p.start}–${p.end} does not match this text`);
    }
    out += text.slice(cursor, from);
    seams.push(out.length);
    cursor = to;
    cursorCp = p.end;
  }
  out += text.slice(cursor);
  // Tidy the newline run around each removal point: at most one blank line, none at the ends.
  const parts: string[] = [];
  let copied = 0;
  for (const seam of seams) {
    if (seam < copied) continue;
    let a = seam;
    let b = seam;
    while (a > copied && out[a - 1] === "\n") a--;
    while (b < out.length && out[b] === "\n") b++;
    const keep = a === 0 || b === out.length ? 0 : Math.min(b - a, 2);
    parts.push(out.slice(copied, a), "\n".repeat(keep));
    copied = b;
  }
  parts.push(out.slice(copied));
  return parts.join("");
}

/** UTF-16 index `count` code points after UTF-16 index `index` (clamped to the text). */
function advance(text: string, index: number, count: number): number {
  let i = index;
  for (let n = 0; n < count && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return i;
}
