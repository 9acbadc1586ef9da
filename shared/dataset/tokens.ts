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
const CHUNK = /[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+/g;
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

/**
 * Word segments of `text` as `[start, end)` UTF-16 ranges, exactly as
 * `Intl.Segmenter` gives them (whitespace-only segments left out). Plain chunks
 * (letters with punctuation around them, the bulk of news text) are split by a
 * regular expression, which is many times faster than V8's segmenter; anything
 * else (inner punctuation, emoji, CJK, marks after a space …) is segmented by
 * ICU. A property test holds both paths to the same result.
 */
export function wordRanges(
  text: string,
  language = "und",
  fastPath = true,
): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const segmenter = segmenterFor(wordSegmenters, language, "word");
  const viaIcu = (from: number, to: number) => {
    for (const piece of segmenter.segment(text.slice(from, to))) {
      if (!SPACE_ONLY.test(piece.segment))
        ranges.push([from + piece.index, from + piece.index + piece.segment.length]);
    }
  };
  if (!fastPath) {
    viaIcu(0, text.length);
    return ranges;
  }
  let previousEnd = 0;
  for (const match of text.matchAll(CHUNK)) {
    const chunk = match[0];
    const at = match.index;
    const simple = SIMPLE_CHUNK.exec(chunk);
    if (simple) {
      let position = at;
      for (const char of simple[1] ?? "") {
        ranges.push([position, position + char.length]);
        position += char.length;
      }
      const word = simple[2] ?? "";
      ranges.push([position, position + word.length]);
      position += word.length;
      for (const char of simple[3] ?? "") {
        ranges.push([position, position + char.length]);
        position += char.length;
      }
    } else {
      // A mark or format character right after whitespace attaches to that whitespace (WB4).
      viaIcu(STARTS_ATTACHED.test(chunk) ? previousEnd : at, at + chunk.length);
    }
    previousEnd = at + chunk.length;
  }
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
  const tokens: Token[] = [];
  let unitIndex = 0;
  let cpIndex = 0;
  let previous: { token: Token; endUnit: number } | undefined;
  for (const [startUnit, endUnit] of wordRanges(text, language)) {
    cpIndex += codePointsBetween(text, unitIndex, startUnit);
    const length = codePointsBetween(text, startUnit, endUnit);
    const token: Token = {
      text: text.slice(startUnit, endUnit),
      start: cpIndex,
      end: cpIndex + length,
      whitespaceAfter: "",
    };
    if (previous) previous.token.whitespaceAfter = text.slice(previous.endUnit, startUnit);
    tokens.push(token);
    unitIndex = endUnit;
    cpIndex += length;
    previous = { token, endUnit };
  }
  if (previous) previous.token.whitespaceAfter = text.slice(previous.endUnit);

  return { tokens, sentences: findSentences(tokens) };
}

const TERMINAL = /^[.!?…‼⁇⁈⁉。！？]+$/u;
const CLOSING = /^[\p{Pe}\p{Pf}"'»«“”’]$/u;
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
const STARTS_SENTENCE = /^[\p{Lu}\p{Lt}\p{N}\p{Ps}\p{Pi}"'„«»“‘¿¡]|^[^\p{L}\p{N}\p{P}]/u;

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
    if (LINE_BREAK.test(token.whitespaceAfter)) end = true;
    else if (TERMINAL.test(token.text)) {
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

/** True when a sentence ending in `…word .` most likely did not end there (ordinal, initial, abbreviation). */
function isFalseBreak(word: Token | undefined, dot: Token | undefined): boolean {
  if (!word || dot?.text !== "." || word.whitespaceAfter !== "") return false;
  if (dot.whitespaceAfter.includes("\n")) return false;
  return (
    /^\d{1,2}$/.test(word.text) ||
    /^\p{L}$/u.test(word.text) ||
    ABBREVIATIONS.has(word.text.toLowerCase())
  );
}
