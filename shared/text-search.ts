/**
 * Searching article text the way coders expect: case-insensitive and blind to
 * accents and umlaut spelling ("selenskyj" finds "Selenskyj", "zurich" finds
 * "Zürich"), with hits reported as code-point offsets into the original text
 * and a little context on each side.
 */
/** A folded copy of a text and, for each UTF-16 unit of the fold, the code-point offset it came from. */
export interface FoldedText {
  folded: string;
  origin: Uint32Array;
}

/** The folded form of each non-ASCII code point met so far (folding depends on the code point alone). */
const foldedChars = new Map<string, string>();

/** One code point lowercased, without diacritics, ß as ss. */
function foldChar(char: string): string {
  let piece = foldedChars.get(char);
  if (piece === undefined) {
    piece = char.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ß/g, "ss");
    foldedChars.set(char, piece);
  }
  return piece;
}

/**
 * Lowercases and strips diacritics, one code point at a time, remembering where
 * each piece came from. Runs of ASCII (most of any text) are lowercased whole;
 * other code points are folded once and remembered.
 */
export function foldText(text: string): FoldedText {
  const parts: string[] = [];
  let origin = new Uint32Array(text.length + 1);
  let size = 0;
  let cp = 0;
  const room = (extra: number) => {
    if (size + extra < origin.length) return;
    const grown = new Uint32Array(Math.max(origin.length * 2, size + extra + 1));
    grown.set(origin);
    origin = grown;
  };
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && text.charCodeAt(j) < 0x80) j++;
    if (j > i) {
      parts.push(text.slice(i, j).toLowerCase());
      room(j - i);
      for (let k = i; k < j; k++) origin[size++] = cp++;
      i = j;
      continue;
    }
    // One code point: a surrogate pair, or a single unit (also a lone surrogate).
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    const width = unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    const piece = foldChar(text.slice(i, i + width));
    parts.push(piece);
    room(piece.length);
    for (let k = 0; k < piece.length; k++) origin[size++] = cp;
    cp++;
    i += width;
  }
  origin[size] = cp;
  return { folded: parts.join(""), origin: origin.slice(0, size + 1) };
}

/** Folds a query the same way as texts. */
export function foldQuery(query: string): string {
  return foldText(query.trim().replace(/\s+/g, " ")).folded;
}

/** One occurrence of the query. */
export interface TextHit {
  start: number;
  end: number;
}

/** Every occurrence of the folded `query` in `text`, as code-point offsets into the original; at most `limit`. */
export function findInText(
  text: FoldedText,
  query: string,
  limit = Number.POSITIVE_INFINITY,
): TextHit[] {
  const hits: TextHit[] = [];
  if (query.length === 0) return hits;
  let from = 0;
  while (hits.length < limit) {
    const at = text.folded.indexOf(query, from);
    if (at < 0) break;
    const start = text.origin[at] ?? 0;
    const last = text.origin[at + query.length - 1] ?? start;
    hits.push({ start, end: last + 1 });
    from = at + Math.max(1, query.length);
  }
  return hits;
}

/** How many times the folded `query` occurs in `text` (counted as `findInText` finds them). */
export function countInText(text: FoldedText, query: string): number {
  if (query.length === 0) return 0;
  let count = 0;
  let from = 0;
  for (;;) {
    const at = text.folded.indexOf(query, from);
    if (at < 0) return count;
    count++;
    from = at + Math.max(1, query.length);
  }
}

/**
 * Where a text's code points lie in its UTF-16 units: the code-point offsets
 * of its characters outside the Basic Multilingual Plane (two units each).
 */
export interface CodePointIndex {
  /** Code points in the text. */
  length: number;
  /** Code-point offsets of the astral characters, ascending. */
  astral: Uint32Array;
}

/** Indexes `text` for `hitContext` (one pass; reuse it for every hit in the text). */
export function codePointIndex(text: string): CodePointIndex {
  const astral: number[] = [];
  let cp = 0;
  for (let i = 0; i < text.length; i++, cp++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      astral.push(cp);
      i++;
    }
  }
  return { length: cp, astral: Uint32Array.from(astral) };
}

/** UTF-16 index of code-point offset `cp` (clamped to the text). */
function unitIndex(index: CodePointIndex, cp: number): number {
  const at = Math.max(0, Math.min(cp, index.length));
  let lo = 0;
  let hi = index.astral.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((index.astral[mid] as number) < at) lo = mid + 1;
    else hi = mid;
  }
  return at + lo;
}

/**
 * Up to `size` code points before and after a hit, cut at word boundaries where
 * possible, newlines as spaces. Pass the text's `codePointIndex` when taking
 * many hits from one text.
 */
export function hitContext(
  text: string,
  start: number,
  end: number,
  size = 60,
  index: CodePointIndex = codePointIndex(text),
): { before: string; match: string; after: string } {
  const slice = (from: number, to: number) =>
    to <= from ? "" : text.slice(unitIndex(index, from), unitIndex(index, to));
  const clean = (s: string) => s.replace(/\s+/g, " ");
  let before = slice(Math.max(0, start - size), start);
  let after = slice(end, end + size);
  if (start - size > 0) before = `…${before.replace(/^\S*\s/, "")}`;
  if (end + size < index.length) after = `${after.replace(/\s\S*$/, "")}…`;
  return {
    before: clean(before),
    match: clean(slice(start, end)),
    after: clean(after),
  };
}
