/**
 * The tokenizer of the token-based exports (CoNLL, Hugging Face, spaCy): the
 * Unicode word rules of UAX #29 as implemented by `Intl.Segmenter` (ICU), the
 * same in Node, Electron and Chromium, with a fast path for plain words that a
 * property test holds to ICU's result. Every non-space word segment is a token,
 * punctuation included; whitespace is never a token here (spaCy export adds
 * its own whitespace tokens). Sentences end at line breaks and at sentence
 * punctuation before a new sentence (see `findSentences`). Offsets are code points.
 */

/** One token with its code-point offsets and the whitespace up to the next token. */
export interface Token {
  text: string;
  start: number;
  end: number;
  /** The whitespace between this token and the next (or the end of the text). */
  whitespaceAfter: string;
}

/** A tokenized text: tokens, and sentences as `[first, last + 1)` token index ranges. */
export interface TokenizedText {
  tokens: Token[];
  sentences: Array<[number, number]>;
}

const wordSegmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(
  cache: Map<string, Intl.Segmenter>,
  language: string,
  granularity: "word" | "sentence",
): Intl.Segmenter {
  let segmenter = cache.get(language);
  if (!segmenter) {
    let locale = "und";
    try {
      locale = Intl.getCanonicalLocales(language)[0] ?? "und";
    } catch {
      // Unknown language tags fall back to the root rules.
    }
    segmenter = new Intl.Segmenter(locale, { granularity });
    cache.set(language, segmenter);
  }
  return segmenter;
}

const SPACE_ONLY = /^\s+$/u;

/** Counts the code points of `text` between UTF-16 indices `from` and `to`. */
function codePointsBetween(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: count the high one only.
    if (unit >= 0xdc00 && unit <= 0xdfff && i > from) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) continue;
    }
    count++;
  }
  return count;
}

// Separators between chunks: JavaScript's \s without U+FEFF (Format) and U+202F (ExtendNumLet in UAX #29).
const LETTER =
  "(?:(?=[\\p{sc=Latin}\\p{sc=Greek}\\p{sc=Cyrillic}\\p{sc=Arabic}])\\p{L}|[0-9\\u0660-\\u0669\\u06f0-\\u06f9])";
const MARK = "[\\p{Mn}\\p{Mc}\\p{Me}]";
// Punctuation and symbols that UAX #29 always breaks around (no connectors, emoji, flags, marks).
const SIMPLE_PUNCT =
  "(?:(?![\\p{Pc}\\p{Extended_Pictographic}\\p{Regional_Indicator}])[\\p{P}\\p{S}])";
/** A chunk the fast path can split: punctuation, one run of letters/digits/marks, punctuation. */
const SIMPLE_CHUNK = new RegExp(
  `^(${SIMPLE_PUNCT}*)(${LETTER}(?:${LETTER}|${MARK})*)(${SIMPLE_PUNCT}*)$`,
  "u",
);
const STARTS_ATTACHED = /^[\p{M}\p{Cf}]/u;

/** Character classes of the fast path, per UTF-16 unit (0: not yet known). */
const SEPARATOR = 1;
const PUNCT = 2;
const LETTER_OR_DIGIT = 3;
const MARK_CLASS = 4;
const OTHER = 5;
const SURROGATE = 6;

const ONE_SEPARATOR = /^[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]$/;
const ONE_PUNCT = new RegExp(`^${SIMPLE_PUNCT}$`, "u");
const ONE_LETTER = new RegExp(`^${LETTER}$`, "u");
const ONE_MARK = new RegExp(`^${MARK}$`, "u");
const classes = new Uint8Array(0x10000);

/** The class of UTF-16 unit `unit` under the regular expressions above (worked out once per unit). */
function classOf(unit: number): number {
  let c = classes[unit] as number;
  if (c === 0) {
    const char = String.fromCharCode(unit);
    if (unit >= 0xd800 && unit <= 0xdfff) c = SURROGATE;
    else if (ONE_SEPARATOR.test(char)) c = SEPARATOR;
    else if (ONE_PUNCT.test(char)) c = PUNCT;
    else if (ONE_LETTER.test(char)) c = LETTER_OR_DIGIT;
    else if (ONE_MARK.test(char)) c = MARK_CLASS;
    else c = OTHER;
    classes[unit] = c;
  }
  return c;
}

/**
 * Word segments of `text` as a flat list of UTF-16 bounds `[start0, end0,
 * start1, end1, …]`, exactly as `Intl.Segmenter` gives them (whitespace-only
 * segments left out). Plain chunks between separators (letters with
 * punctuation around them, the bulk of news text) are split by a scan over
 * character classes, the same language as `SIMPLE_CHUNK` (which decides
 * chunks with astral characters); anything else (inner punctuation, emoji,
 * CJK, marks after a space …) is segmented by ICU. A property test holds both
 * paths to the same result.
 */
export function wordBounds(text: string, language = "und", fastPath = true): number[] {
  const bounds: number[] = [];
  const segmenter = segmenterFor(wordSegmenters, language, "word");
  const viaIcu = (from: number, to: number) => {
    for (const piece of segmenter.segment(text.slice(from, to))) {
      if (!SPACE_ONLY.test(piece.segment))
        bounds.push(from + piece.index, from + piece.index + piece.segment.length);
    }
  };
  if (!fastPath) {
    viaIcu(0, text.length);
    return bounds;
  }
  const length = text.length;
  let previousEnd = 0;
  let at = 0;
  while (at < length) {
    if (classOf(text.charCodeAt(at)) === SEPARATOR) {
      at++;
      continue;
    }
    let end = at + 1;
    while (end < length && classOf(text.charCodeAt(end)) !== SEPARATOR) end++;
    // The chunk [at, end): punctuation, one run of letters/digits/marks, punctuation?
    let i = at;
    let c = classOf(text.charCodeAt(i));
    while (c === PUNCT && ++i < end) c = classOf(text.charCodeAt(i));
    let simple = false;
    let wordStart = -1;
    let wordEnd = -1;
    if (i < end && c === LETTER_OR_DIGIT) {
      wordStart = i;
      while (++i < end) {
        c = classOf(text.charCodeAt(i));
        if (c !== LETTER_OR_DIGIT && c !== MARK_CLASS) break;
      }
      wordEnd = i;
      while (i < end && c === PUNCT && ++i < end) c = classOf(text.charCodeAt(i));
      simple = i === end;
    }
    if (simple) {
      for (let p = at; p < wordStart; p++) bounds.push(p, p + 1);
      bounds.push(wordStart, wordEnd);
      for (let p = wordEnd; p < end; p++) bounds.push(p, p + 1);
    } else if (isOneCodePoint(text, at, end) && isLoneSegment(text.slice(at, end))) {
      // One character alone (a dash, an emoji) is one segment; ICU need not be asked.
      bounds.push(at, end);
    } else {
      const chunk = text.slice(at, end);
      if (c === SURROGATE || hasSurrogate(text, at, end)) {
        // Astral characters: the regular expression decides.
        const match = SIMPLE_CHUNK.exec(chunk);
        if (match) {
          let position = at;
          for (const char of match[1] ?? "") {
            bounds.push(position, position + char.length);
            position += char.length;
          }
          const word = match[2] ?? "";
          bounds.push(position, position + word.length);
          position += word.length;
          for (const char of match[3] ?? "") {
            bounds.push(position, position + char.length);
            position += char.length;
          }
        } else viaIcu(STARTS_ATTACHED.test(chunk) ? previousEnd : at, end);
      } else {
        // A mark or format character right after whitespace attaches to that whitespace (WB4).
        viaIcu(STARTS_ATTACHED.test(chunk) ? previousEnd : at, end);
      }
    }
    previousEnd = end;
    at = end;
  }
  return bounds;
}

/** True when one character alone is a token of its own: not attached to the space before, not a space. */
function isLoneSegment(char: string): boolean {
  return !STARTS_ATTACHED.test(char) && !SPACE_ONLY.test(char);
}

/** True when `[from, to)` of `text` is one code point (one unit, or a surrogate pair). */
function isOneCodePoint(text: string, from: number, to: number): boolean {
  if (to - from === 1) return true;
  if (to - from !== 2) return false;
  const high = text.charCodeAt(from);
  const low = text.charCodeAt(from + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

function hasSurrogate(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) return true;
  }
  return false;
}

/** Word segments of `text` as `[start, end)` UTF-16 ranges (see `wordBounds`). */
export function wordRanges(
  text: string,
  language = "und",
  fastPath = true,
): Array<[number, number]> {
  const bounds = wordBounds(text, language, fastPath);
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < bounds.length; i += 2)
    ranges.push([bounds[i] as number, bounds[i + 1] as number]);
  return ranges;
}

const recent: Array<{ text: string; language: string; result: TokenizedText }> = [];

/**
 * Splits `text` into tokens and sentences with the rules for `language` (BCP 47).
 * The last few results are kept: every coder's version of an article has the same text.
 */
export function tokenize(text: string, language = "und"): TokenizedText {
  const cached = recent.find((r) => r.text === text && r.language === language);
  if (cached) return cached.result;
  const result = tokenizeNow(text, language);
  recent.unshift({ text, language, result });
  if (recent.length > 4) recent.pop();
  return result;
}

function tokenizeNow(text: string, language: string): TokenizedText {
  const bounds = wordBounds(text, language);
  const count = bounds.length >> 1;
  const tokens: Token[] = new Array(count);
  // Without astral characters, code points are UTF-16 units.
  const astral = hasSurrogate(text, 0, text.length);
  let unitIndex = 0;
  let cpIndex = 0;
  for (let t = 0; t < count; t++) {
    const startUnit = bounds[2 * t] as number;
    const endUnit = bounds[2 * t + 1] as number;
    let start = startUnit;
    let end = endUnit;
    if (astral) {
      cpIndex += codePointsBetween(text, unitIndex, startUnit);
      start = cpIndex;
      cpIndex += codePointsBetween(text, startUnit, endUnit);
      end = cpIndex;
      unitIndex = endUnit;
    }
    const next = t + 1 < count ? (bounds[2 * t + 2] as number) : text.length;
    tokens[t] = {
      text: text.slice(startUnit, endUnit),
      start,
      end,
      whitespaceAfter: next === endUnit ? "" : text.slice(endUnit, next),
    };
  }
  return { tokens, sentences: findSentences(tokens) };
}

const TERMINAL = /^[.!?…‼⁇⁈⁉。！？]+$/u;
const CLOSING = /^[\p{Pe}\p{Pf}"'»«“”’]$/u;
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
const STARTS_SENTENCE = /^[\p{Lu}\p{Lt}\p{N}\p{Ps}\p{Pi}"'„«»“‘¿¡]|^[^\p{L}\p{N}\p{P}]/u;

/** `LINE_BREAK.test(whitespace)`, without the regular expression for the usual single space. */
function breaksLine(whitespace: string): boolean {
  return whitespace !== " " && whitespace !== "" && LINE_BREAK.test(whitespace);
}

/** False when `text` cannot match `TERMINAL` (its first character is no sentence punctuation). */
function mayEndSentence(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x2e || c === 0x21 || c === 0x3f || c >= 0x2000;
}

/**
 * Sentence ends, decided on the tokens: after a line break; after `.` `!` `?`
 * `…` (and closing quotes or brackets) when whitespace and a capital letter,
 * digit or opening quote follow, or with `!`/`?` anything; after `。！？` always.
 * Not after ordinals (`3.`), initials (`J.`) or common abbreviations (`Dr.`,
 * `z. B.`). This is UAX #29's sentence rule for the cases news text has, with
 * the German suppressions ICU in Node does not apply, and linear in the tokens.
 */
function findSentences(tokens: Token[]): Array<[number, number]> {
  const sentences: Array<[number, number]> = [];
  let first = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    let end = false;
    if (breaksLine(token.whitespaceAfter)) end = true;
    else if (mayEndSentence(token.text) && TERMINAL.test(token.text)) {
      let last = i;
      while (
        CLOSING.test(tokens[last + 1]?.text ?? "") &&
        (tokens[last]?.whitespaceAfter ?? "") === ""
      )
        last++;
      const after = tokens[last] as Token;
      const next = tokens[last + 1];
      if (
        next === undefined ||
        LINE_BREAK.test(after.whitespaceAfter) ||
        /[。！？]$/u.test(token.text)
      )
        end = true;
      else if (after.whitespaceAfter !== "") {
        const strong = /[!?‼⁇⁈⁉]/u.test(token.text);
        end =
          (strong || STARTS_SENTENCE.test(next.text)) &&
          !(token.text === "." && isFalseBreak(tokens[i - 1], token));
      }
      if (end) i = last;
    }
    if (end) {
      sentences.push([first, i + 1]);
      first = i + 1;
    }
  }
  if (first < tokens.length) sentences.push([first, tokens.length]);
  return sentences;
}

/**
 * Abbreviations after which a sentence goes on (German and English news usage;
 * Node's ICU ignores the `-u-ss-standard` suppressions).
 */
const ABBREVIATIONS = new Set(
  (
    "dr prof mr mrs ms st nr no bzw usw ca vgl etc hr fr jr sr abs art dipl ing mag bd jh inkl " +
    "evtl ggf sog bspw zb geb gest mio mrd tsd str jan feb febr mär apr aug sep sept okt oct nov dez dec"
  ).split(" "),
);

/** The longest entry of `ABBREVIATIONS` (and longer than an ordinal or an initial). */
const MAX_ABBREVIATION = Math.max(2, ...[...ABBREVIATIONS].map((word) => word.length));

/** True when a sentence ending in `…word .` most likely did not end there (ordinal, initial, abbreviation). */
function isFalseBreak(word: Token | undefined, dot: Token | undefined): boolean {
  if (!word || dot?.text !== "." || word.whitespaceAfter !== "") return false;
  if (dot.whitespaceAfter.includes("\n")) return false;
  const { text } = word;
  // Only short words can be ordinals, initials or listed abbreviations.
  if (text.length > MAX_ABBREVIATION) return false;
  return ORDINAL.test(text) || INITIAL.test(text) || ABBREVIATIONS.has(text.toLowerCase());
}

const ORDINAL = /^\d{1,2}$/;
const INITIAL = /^\p{L}$/u;
