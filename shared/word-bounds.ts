/**
 * Word and sentence boundaries for selecting and adjusting spans: snapping a
 * rough selection to whole words, growing or shrinking a span by a word, and
 * the sentence around the caret. Offsets are code points; segmentation is
 * Intl.Segmenter's (Unicode word and sentence rules, per language).
 */
import { codePointToUtf16, countCodePoints } from "./text-blocks";

interface Piece {
  start: number;
  end: number;
  word: boolean;
}

function segments(text: string, granularity: "word" | "sentence", language: string): Piece[] {
  const segmenter = new Intl.Segmenter(language === "und" ? undefined : language, { granularity });
  const pieces: Piece[] = [];
  let cp = 0;
  for (const s of segmenter.segment(text)) {
    const length = countCodePoints(s.segment);
    pieces.push({
      start: cp,
      end: cp + length,
      word: granularity === "sentence" || s.isWordLike === true,
    });
    cp += length;
  }
  return pieces;
}

/** Grows [start, end) to whole words and drops spaces and punctuation at its edges; null when no word is inside. */
export function snapToWords(
  text: string,
  start: number,
  end: number,
  language = "und",
): { start: number; end: number } | null {
  const words = segments(text, "word", language).filter(
    (p) => p.word && p.end > start && p.start < end,
  );
  const first = words[0];
  const last = words.at(-1);
  return first && last ? { start: first.start, end: last.end } : null;
}

/** The end of the next word after `offset` (for growing a span's end), or `offset` at the end of the text. */
export function nextWordEnd(text: string, offset: number, language = "und"): number {
  return segments(text, "word", language).find((p) => p.word && p.end > offset)?.end ?? offset;
}

/** The end of the last word that ends before `offset` and after `floor` (for shrinking a span's end). */
export function previousWordEnd(
  text: string,
  offset: number,
  floor: number,
  language = "und",
): number {
  const word = [...segments(text, "word", language)]
    .reverse()
    .find((p) => p.word && p.end < offset && p.end > floor);
  return word?.end ?? offset;
}

/** The start of the last word that starts before `offset` (for growing a span's start). */
export function previousWordStart(text: string, offset: number, language = "und"): number {
  return (
    [...segments(text, "word", language)].reverse().find((p) => p.word && p.start < offset)
      ?.start ?? offset
  );
}

/** The start of the next word after `offset` and before `ceiling` (for shrinking a span's start). */
export function nextWordStart(
  text: string,
  offset: number,
  ceiling: number,
  language = "und",
): number {
  return (
    segments(text, "word", language).find((p) => p.word && p.start > offset && p.start < ceiling)
      ?.start ?? offset
  );
}

/** The sentence around `offset`, without trailing spaces or the line end. */
export function sentenceAround(
  text: string,
  offset: number,
  language = "und",
): { start: number; end: number } {
  const line = { start: 0, end: countCodePoints(text) };
  // Sentences never cross a paragraph (a line of the normalised text).
  const unitsBefore = codePointToUtf16(text, offset);
  const lineStart = text.lastIndexOf("\n", unitsBefore - 1) + 1;
  const lineEndIndex = text.indexOf("\n", unitsBefore);
  const lineText = text.slice(lineStart, lineEndIndex < 0 ? text.length : lineEndIndex);
  line.start = countCodePoints(text.slice(0, lineStart));
  const inLine = offset - line.start;
  const sentence = segments(lineText, "sentence", language).find(
    (p) => p.start <= inLine && inLine < p.end,
  ) ?? {
    start: 0,
    end: countCodePoints(lineText),
  };
  const raw = [...lineText].slice(sentence.start, sentence.end).join("");
  const trimmed = countCodePoints(raw.replace(/\s+$/u, ""));
  return { start: line.start + sentence.start, end: line.start + sentence.start + trimmed };
}
