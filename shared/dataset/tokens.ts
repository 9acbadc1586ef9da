/**
 * The tokenizer of the token-based exports (CoNLL, Hugging Face, spaCy): the
 * Unicode word and sentence rules of UAX #29 as implemented by `Intl.Segmenter`
 * (ICU), the same in Node, Electron and Chromium. Every non-space word segment
 * is a token, punctuation included; whitespace is never a token here (spaCy
 * export adds its own whitespace tokens). Sentences follow the sentence rules,
 * so a line break always ends one. Offsets are code points.
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
const sentenceSegmenters = new Map<string, Intl.Segmenter>();

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

/** Splits `text` into tokens and sentences with the rules for `language` (BCP 47). */
export function tokenize(text: string, language = "und"): TokenizedText {
  const tokens: Token[] = [];
  const tokenUnits: number[] = []; // UTF-16 start of each token, for sentence assignment
  let unitIndex = 0;
  let cpIndex = 0;
  let previous: { token: Token; endUnit: number } | undefined;
  for (const piece of segmenterFor(wordSegmenters, language, "word").segment(text)) {
    if (SPACE_ONLY.test(piece.segment)) continue;
    const startUnit = piece.index;
    cpIndex += codePointsBetween(text, unitIndex, startUnit);
    const length = codePointsBetween(text, startUnit, startUnit + piece.segment.length);
    const token: Token = {
      text: piece.segment,
      start: cpIndex,
      end: cpIndex + length,
      whitespaceAfter: "",
    };
    if (previous) previous.token.whitespaceAfter = text.slice(previous.endUnit, startUnit);
    tokens.push(token);
    tokenUnits.push(startUnit);
    unitIndex = startUnit + piece.segment.length;
    cpIndex += length;
    previous = { token, endUnit: unitIndex };
  }
  if (previous) previous.token.whitespaceAfter = text.slice(previous.endUnit);

  const sentences: Array<[number, number]> = [];
  let next = 0;
  for (const sentence of segmenterFor(sentenceSegmenters, language, "sentence").segment(text)) {
    const endUnit = sentence.index + sentence.segment.length;
    const first = next;
    while (next < tokens.length && (tokenUnits[next] ?? 0) < endUnit) next++;
    if (next > first) sentences.push([first, next]);
  }
  if (next < tokens.length) sentences.push([next, tokens.length]);
  return { tokens, sentences: mergeFalseBreaks(tokens, sentences) };
}

/**
 * Abbreviations after which ICU's sentence rules break but a sentence goes on
 * (German and English news usage). Node's ICU ignores the `-u-ss-standard`
 * suppressions, so they are applied here.
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

function mergeFalseBreaks(
  tokens: Token[],
  sentences: Array<[number, number]>,
): Array<[number, number]> {
  const merged: Array<[number, number]> = [];
  for (const sentence of sentences) {
    const previous = merged[merged.length - 1];
    if (previous && isFalseBreak(tokens[previous[1] - 2], tokens[previous[1] - 1]))
      previous[1] = sentence[1];
    else merged.push([sentence[0], sentence[1]]);
  }
  return merged;
}
