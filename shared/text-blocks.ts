/**
 * Bounded textblocks and code-point offsets.
 *
 * Offsets in Tagwerk are Unicode code points into the normalised text (what
 * Python's `str` indexes), while JavaScript strings and ProseMirror count UTF-16
 * units: an emoji before a span shifts the two apart. Everything that converts
 * between them lives here.
 *
 * ProseMirror copies a textblock's text at each mark boundary, so editing cost
 * grows with the square of the textblock's length. Article text is therefore cut
 * into paragraphs (one per line) and long paragraphs into chunks at sentence
 * boundaries, each at most `maxChunk` code points.
 */

/** A run of the article text shown as one ProseMirror textblock. Offsets are code points. */
export interface TextChunk {
  /** Code-point offset of the chunk's first character in the article text. */
  start: number;
  /** Code-point offset just past the chunk's last character. */
  end: number;
  /** The chunk's text (a slice of the article text). */
  text: string;
}

/** A paragraph of the article (one line of the text) cut into chunks. */
export interface TextParagraph {
  start: number;
  end: number;
  chunks: TextChunk[];
}

/** Default upper bound on a chunk's length in code points. */
export const DEFAULT_MAX_CHUNK = 1200;

/** Number of code points in `text` (astral characters count once). */
export function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A low surrogate that follows a high surrogate belongs to the same code point.
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const p = text.charCodeAt(i - 1);
      if (p >= 0xd800 && p <= 0xdbff) continue;
    }
    n++;
  }
  return n;
}

/** UTF-16 index in `text` of code-point offset `cp` (clamped to the text's length). */
export function codePointToUtf16(text: string, cp: number): number {
  let units = 0;
  let seen = 0;
  while (seen < cp && units < text.length) {
    const c = text.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < text.length ? 2 : 1;
    seen++;
  }
  return units;
}

/** Code-point offset of UTF-16 index `index` in `text`. */
export function utf16ToCodePoint(text: string, index: number): number {
  return countCodePoints(text.slice(0, index));
}

/** The slice of `text` between two code-point offsets, like Python's `text[start:end]`. */
export function sliceCodePoints(text: string, start: number, end: number): string {
  const from = codePointToUtf16(text, start);
  const to = from + codePointToUtf16(text.slice(from), end - start);
  return text.slice(from, to);
}

const segmenters = new Map<string, Intl.Segmenter>();
/** A cached sentence segmenter for a BCP 47 language tag (root rules for unknown tags). */
export function sentenceSegmenter(language: string): Intl.Segmenter {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    let locale = "und";
    try {
      locale = Intl.getCanonicalLocales(language)[0] ?? "und";
    } catch {
      // An unknown language tag in article metadata falls back to root rules.
    }
    segmenter = new Intl.Segmenter(locale, { granularity: "sentence" });
    segmenters.set(language, segmenter);
  }
  return segmenter;
}

/** Cuts a piece longer than `max` code points at the last whitespace before the limit. */
function cutLongPiece(piece: string, max: number): string[] {
  const out: string[] = [];
  let rest = piece;
  while (countCodePoints(rest) > max) {
    const limit = codePointToUtf16(rest, max);
    // A space right at the limit would make the piece one too long: search before it.
    const space = rest.lastIndexOf(" ", limit - 1);
    let cut = space > limit / 2 ? space + 1 : limit;
    // Never split a surrogate pair.
    const c = rest.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut++;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

/** Splits one paragraph's text into pieces of at most `max` code points, preferring sentence ends. */
function chunkParagraph(line: string, max: number, language: string): string[] {
  if (countCodePoints(line) <= max) return [line];
  const pieces: string[] = [];
  let current = "";
  let currentLength = 0;
  for (const { segment } of sentenceSegmenter(language).segment(line)) {
    const length = countCodePoints(segment);
    if (currentLength + length <= max) {
      current += segment;
      currentLength += length;
      continue;
    }
    if (current.length > 0) pieces.push(current);
    if (length <= max) {
      current = segment;
      currentLength = length;
    } else {
      const parts = cutLongPiece(segment, max);
      current = parts.pop() ?? "";
      currentLength = countCodePoints(current);
      pieces.push(...parts);
    }
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

/**
 * Splits normalised article text into paragraphs (lines that hold more than
 * whitespace) and bounded chunks. Chunks cover every non-newline character of
 * each paragraph exactly once, so offsets map back without loss.
 */
export function splitIntoParagraphs(
  text: string,
  options: { maxChunk?: number; language?: string } = {},
): TextParagraph[] {
  const max = Math.max(16, options.maxChunk ?? DEFAULT_MAX_CHUNK);
  const language = options.language ?? "und";
  const paragraphs: TextParagraph[] = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    const lineLength = countCodePoints(line);
    if (line.trim().length > 0) {
      const chunks: TextChunk[] = [];
      let start = offset;
      for (const piece of chunkParagraph(line, max, language)) {
        const end = start + countCodePoints(piece);
        chunks.push({ start, end, text: piece });
        start = end;
      }
      paragraphs.push({ start: offset, end: offset + lineLength, chunks });
    }
    offset += lineLength + 1;
  }
  return paragraphs;
}
