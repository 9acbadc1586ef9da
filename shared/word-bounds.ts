/**
 * Word and sentence boundaries for selecting and adjusting spans: snapping a
 * rough selection to whole words, growing or shrinking a span by a word, and
 * the sentence around the caret. Offsets are code points; segmentation is
 * Intl.Segmenter's (Unicode word and sentence rules, per language).
 *
 * A line break always ends a word and a sentence (UAX #29), so each question
 * is answered by segmenting only the lines (paragraphs of the normalised
 * text) it concerns, never the whole text: segmenting a 1 MB article on
 * every tagging keystroke took about a tenth of a second. The lines of the
 * last text asked about are indexed once.
 */
import { countCodePoints } from "./text-blocks";

interface Piece {
  start: number;
  end: number;
  word: boolean;
}

/** Where each line of a text starts, in UTF-16 units and in code points. */
interface LineIndex {
  text: string;
  units: number[];
  points: number[];
}

let lastLines: LineIndex | null = null;

function linesOf(text: string): LineIndex {
  if (lastLines?.text === text) return lastLines;
  const units = [0];
  const points = [0];
  let from = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) {
    points.push((points.at(-1) ?? 0) + countCodePoints(text.slice(from, at)) + 1);
    units.push(at + 1);
    from = at + 1;
  }
  lastLines = { text, units, points };
  return lastLines;
}

/** The line holding code point `offset` (a line holds its end, where its line break is). */
function lineAt(lines: LineIndex, offset: number): number {
  let lo = 0;
  let hi = lines.points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines.points[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const segmenters = new Map<string, Intl.Segmenter>();

function segments(text: string, granularity: "word" | "sentence", language: string): Piece[] {
  const key = `${granularity}:${language}`;
  let segmenter = segmenters.get(key);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language === "und" ? undefined : language, { granularity });
    segmenters.set(key, segmenter);
  }
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

/** The words of line `line` (offsets in the whole text). */
function wordsOfLine(lines: LineIndex, line: number, language: string): Piece[] {
  const from = lines.units[line] ?? 0;
  const next = lines.units[line + 1];
  const text = lines.text.slice(from, next === undefined ? undefined : next - 1);
  const base = lines.points[line] ?? 0;
  return segments(text, "word", language)
    .filter((p) => p.word)
    .map((p) => ({ start: base + p.start, end: base + p.end, word: true }));
}

/** Grows [start, end) to whole words and drops spaces and punctuation at its edges; null when no word is inside. */
export function snapToWords(
  text: string,
  start: number,
  end: number,
  language = "und",
): { start: number; end: number } | null {
  const lines = linesOf(text);
  const words: Piece[] = [];
  for (let line = lineAt(lines, start); line <= lineAt(lines, end); line++)
    for (const p of wordsOfLine(lines, line, language))
      if (p.end > start && p.start < end) words.push(p);
  const first = words[0];
  const last = words.at(-1);
  return first && last ? { start: first.start, end: last.end } : null;
}

/** The end of the next word after `offset` (for growing a span's end), or `offset` at the end of the text. */
export function nextWordEnd(text: string, offset: number, language = "und"): number {
  const lines = linesOf(text);
  for (let line = lineAt(lines, offset); line < lines.points.length; line++) {
    const word = wordsOfLine(lines, line, language).find((p) => p.end > offset);
    if (word) return word.end;
  }
  return offset;
}

/** The end of the last word that ends before `offset` and after `floor` (for shrinking a span's end). */
export function previousWordEnd(
  text: string,
  offset: number,
  floor: number,
  language = "und",
): number {
  const lines = linesOf(text);
  for (let line = lineAt(lines, offset); line >= 0; line--) {
    if ((lines.points[line + 1] ?? Number.POSITIVE_INFINITY) <= floor) break;
    const word = wordsOfLine(lines, line, language).findLast(
      (p) => p.end < offset && p.end > floor,
    );
    if (word) return word.end;
  }
  return offset;
}

/** The start of the last word that starts before `offset` (for growing a span's start). */
export function previousWordStart(text: string, offset: number, language = "und"): number {
  const lines = linesOf(text);
  for (let line = lineAt(lines, offset); line >= 0; line--) {
    const word = wordsOfLine(lines, line, language).findLast((p) => p.start < offset);
    if (word) return word.start;
  }
  return offset;
}

/** The start of the next word after `offset` and before `ceiling` (for shrinking a span's start). */
export function nextWordStart(
  text: string,
  offset: number,
  ceiling: number,
  language = "und",
): number {
  const lines = linesOf(text);
  for (let line = lineAt(lines, offset); line < lines.points.length; line++) {
    if ((lines.points[line] ?? 0) >= ceiling) break;
    const word = wordsOfLine(lines, line, language).find(
      (p) => p.start > offset && p.start < ceiling,
    );
    if (word) return word.start;
  }
  return offset;
}

/** The sentence around `offset`, without trailing spaces or the line end. */
export function sentenceAround(
  text: string,
  offset: number,
  language = "und",
): { start: number; end: number } {
  // Sentences never cross a paragraph (a line of the normalised text).
  const lines = linesOf(text);
  const line = lineAt(lines, offset);
  const from = lines.units[line] ?? 0;
  const next = lines.units[line + 1];
  const lineText = text.slice(from, next === undefined ? undefined : next - 1);
  const lineStart = lines.points[line] ?? 0;
  const inLine = offset - lineStart;
  const sentence = segments(lineText, "sentence", language).find(
    (p) => p.start <= inLine && inLine < p.end,
  ) ?? {
    start: 0,
    end: countCodePoints(lineText),
  };
  const raw = [...lineText].slice(sentence.start, sentence.end).join("");
  const trimmed = countCodePoints(raw.replace(/\s+$/u, ""));
  return { start: lineStart + sentence.start, end: lineStart + sentence.start + trimmed };
}
