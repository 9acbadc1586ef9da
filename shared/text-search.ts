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

/** Lowercases and strips diacritics, one code point at a time, remembering where each piece came from. */
export function foldText(text: string): FoldedText {
  let folded = "";
  const origin: number[] = [];
  let cp = 0;
  for (const char of text) {
    const piece = char.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ß/g, "ss");
    folded += piece;
    for (let i = 0; i < piece.length; i++) origin.push(cp);
    cp++;
  }
  origin.push(cp);
  return { folded, origin: Uint32Array.from(origin) };
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

/** Up to `size` code points before and after a hit, cut at word boundaries where possible, newlines as spaces. */
export function hitContext(
  text: string,
  start: number,
  end: number,
  size = 60,
): { before: string; match: string; after: string } {
  const chars = [...text];
  const clean = (s: string) => s.replace(/\s+/g, " ");
  let before = chars.slice(Math.max(0, start - size), start).join("");
  let after = chars.slice(end, end + size).join("");
  if (start - size > 0) before = `…${before.replace(/^\S*\s/, "")}`;
  if (end + size < chars.length) after = `${after.replace(/\s\S*$/, "")}…`;
  return {
    before: clean(before),
    match: clean(chars.slice(start, end).join("")),
    after: clean(after),
  };
}
