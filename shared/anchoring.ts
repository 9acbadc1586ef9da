/**
 * Re-anchoring: annotations follow their text when an article's text changes.
 *
 * An annotation keeps its offsets plus W3C Web Annotation style selectors: its
 * quote and up to `CONTEXT_LENGTH` code points of prefix and suffix. Moving it
 * to a new version of the text takes up to three steps, and no step ever places
 * an annotation on text that differs from its quote:
 *   1. Diff. Old and new text are diffed (diff-match-patch, cleaned up for
 *      meaning, edit boundaries kept off surrogate halves) and the span's ends
 *      are mapped through the diff. If the new text between them is the quote,
 *      the span is "unchanged", "shifted", or "diff" when edits touch its ends.
 *   2. Search. Otherwise every occurrence of the quote is scored by how much of
 *      the stored prefix and suffix it agrees with; one best occurrence with
 *      enough agreement wins. When context cannot decide, the position a diff
 *      lines the quote up with counts, then the text that replaced the span's
 *      surroundings (an edit right next to a span must not orphan it), then a
 *      quote that was and still is unique in the text. Nothing else is guessed.
 *   3. Orphan. What is left comes back with a reason for the coder to review:
 *      never dropped, never moved onto changed wording. There is deliberately no
 *      fuzzy match: a coded span whose words changed needs a human to look again.
 * Offsets in and out are code points (what Python's `str` indexes). Inside, the
 * work is done on UTF-16 indices through a per-text index of surrogate pairs,
 * and quotes are looked up in a hash index of the new text when many need
 * searching, so 20,000 annotations in a 1 MB text re-anchor in a fraction of a
 * second after ordinary edits.
 */
import DiffMatchPatch from "diff-match-patch";
import { codePointToUtf16, countCodePoints } from "./text-blocks";

/** How many code points of context an annotation keeps on each side. */
export const CONTEXT_LENGTH = 32;

/** The W3C-style selectors an annotation keeps besides its offsets. */
export interface AnchorContext {
  quote: string;
  prefix: string;
  suffix: string;
}

/** What re-anchoring needs of an annotation (offsets in code points, end-exclusive). */
export interface Anchorable {
  id: string;
  start: number;
  end: number;
  quote: string;
  prefix?: string;
  suffix?: string;
}

/**
 * How an annotation was placed in the new text: at its old offsets ("unchanged");
 * moved only by edits elsewhere ("shifted"); by the diff, with edits touching its
 * ends or only the character-level diff lining it up ("diff"); or by searching for
 * its quote and context ("search").
 */
export type Placement = "unchanged" | "shifted" | "diff" | "search";

/** An annotation placed in the new text, with its new offsets and fresh context to store. */
export interface Placed<T> {
  annotation: T;
  start: number;
  end: number;
  how: Placement;
  context: AnchorContext;
}

/** An annotation that could not be placed; the object is passed through untouched. */
export interface Orphan<T> {
  annotation: T;
  reason: string;
}

/** The outcome of re-anchoring; both lists keep the input order. */
export interface ReanchorResult<T> {
  placed: Placed<T>[];
  orphaned: Orphan<T>[];
}

/** Reason given when the quote no longer occurs where it could be trusted (a prefix of longer reasons). */
export const REASON_CHANGED = "the quoted text was changed or deleted";

/** A quote at least this long (code points) identifies itself when it occurs once. */
const SELF_IDENTIFYING_QUOTE = CONTEXT_LENGTH;
/**
 * Code points of context a short quote must agree on before search moves it (or
 * half its context, when the text's edges leave it less).
 */
const MIN_CONTEXT_AGREEMENT = 8;
/**
 * Time budget of the diff. Texts that differ in a few places finish in
 * milliseconds; a wholesale rewrite stops here with a coarser (still correct)
 * diff, and the search step takes over.
 */
const DIFF_BUDGET_SECONDS = 0.4;
/**
 * How much longer (UTF-16 units) than a span's old context window the text that
 * replaced it may be and still count as the span's neighbourhood.
 */
const REGION_SLACK = 8 * CONTEXT_LENGTH;
/** UTF-16 units on each side of an edit within which its boundary is aligned to words. */
const ALIGN_WINDOW = 256;

const DIFF_DELETE = -1;
const DIFF_INSERT = 1;
const DIFF_EQUAL = 0;
type Diff = [number, string];

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** True when UTF-16 index `i` does not fall between the halves of a surrogate pair. */
function isBoundary(text: string, i: number): boolean {
  return !(i > 0 && i < text.length && isLow(text.charCodeAt(i)) && isHigh(text.charCodeAt(i - 1)));
}

/**
 * Converts between code points and UTF-16 indices of one text in O(log n), by
 * remembering where its surrogate pairs are (none at all in most articles).
 */
class CodePointIndex {
  /** UTF-16 index of the high half of every surrogate pair, ascending. */
  private readonly pairs: number[] = [];
  readonly length: number;

  constructor(readonly text: string) {
    for (let i = 0; i < text.length - 1; i++) {
      if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
        this.pairs.push(i);
        i++;
      }
    }
    this.length = text.length - this.pairs.length;
  }

  /** UTF-16 index of code-point offset `cp`, clamped to the text. */
  toUtf16(cp: number): number {
    const target = Math.max(0, Math.min(cp, this.length));
    // Count pairs that start before code point `target`: pair k starts at code point pairs[k] - k.
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.pairs[mid] as number) - mid < target) lo = mid + 1;
      else hi = mid;
    }
    return target + lo;
  }

  /** Code-point offset of UTF-16 index `u16` (a boundary). */
  toCodePoint(u16: number): number {
    let lo = 0;
    let hi = this.pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.pairs[mid] as number) + 2 <= u16) lo = mid + 1;
      else hi = mid;
    }
    return u16 - lo;
  }
}

/** The context of the UTF-16 span [from, to) in text. */
function contextAt(text: string, from: number, to: number): AnchorContext {
  let before = from;
  for (let n = 0; n < CONTEXT_LENGTH && before > 0; n++) {
    before--;
    if (before > 0 && isLow(text.charCodeAt(before)) && isHigh(text.charCodeAt(before - 1))) {
      before--;
    }
  }
  let after = to;
  for (let n = 0; n < CONTEXT_LENGTH && after < text.length; n++) {
    after +=
      isHigh(text.charCodeAt(after)) && after + 1 < text.length && isLow(text.charCodeAt(after + 1))
        ? 2
        : 1;
  }
  return {
    quote: text.slice(from, to),
    prefix: text.slice(before, from),
    suffix: text.slice(to, after),
  };
}

/** The context of the span [start, end) in text (prefix/suffix up to CONTEXT_LENGTH code points). */
export function anchorContext(text: string, start: number, end: number): AnchorContext {
  const from = codePointToUtf16(text, Math.max(0, start));
  const to = Math.max(from, codePointToUtf16(text, Math.max(0, end)));
  return contextAt(text, from, to);
}

/**
 * Maps positions of the old text to the new one through a diff, in one sweep.
 * `segment` is the index of the unchanged stretch a position landed in, or -1
 * inside an edit; [lo, hi] is the new text that replaced that edit (or just the
 * position when it landed in unchanged text).
 */
function mapThroughDiff(
  diffs: Diff[],
  positions: number[],
  assoc: number[],
): { pos: Int32Array; segment: Int32Array; lo: Int32Array; hi: Int32Array } {
  // New-text extent of every run of edits between two unchanged stretches.
  const runLo = new Int32Array(diffs.length);
  const runHi = new Int32Array(diffs.length);
  for (let d = 0, at = 0; d < diffs.length; ) {
    const [op, s] = diffs[d] as Diff;
    if (op === DIFF_EQUAL) {
      at += s.length;
      d++;
      continue;
    }
    let e = d;
    let end = at;
    for (; e < diffs.length && (diffs[e] as Diff)[0] !== DIFF_EQUAL; e++) {
      if ((diffs[e] as Diff)[0] !== DIFF_DELETE) end += (diffs[e] as Diff)[1].length;
    }
    runLo.fill(at, d, e);
    runHi.fill(end, d, e);
    at = end;
    d = e;
  }

  const order = positions.map((_, i) => i);
  order.sort(
    (a, b) =>
      (positions[a] as number) - (positions[b] as number) ||
      (assoc[a] as number) - (assoc[b] as number),
  );
  const n = positions.length;
  const pos = new Int32Array(n);
  const segment = new Int32Array(n);
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  let d = 0;
  let oldPos = 0;
  let newPos = 0;
  for (const i of order) {
    const p = positions[i] as number;
    // assoc < 0: stay before text inserted at p (an end); > 0: move past it (a start).
    const side = assoc[i] as number;
    for (; ; d++) {
      const diff = diffs[d];
      if (!diff) {
        pos[i] = lo[i] = hi[i] = newPos;
        segment[i] = -1;
        break;
      }
      const [op, s] = diff;
      if (op === DIFF_EQUAL) {
        if (p < oldPos + s.length || (p === oldPos + s.length && side < 0)) {
          pos[i] = lo[i] = hi[i] = newPos + p - oldPos;
          segment[i] = d;
          break;
        }
        oldPos += s.length;
        newPos += s.length;
        continue;
      }
      // Deleted text holds p, or p sits where text was inserted and stays before it.
      const inside = op === DIFF_DELETE ? p < oldPos + s.length : p === oldPos && side < 0;
      if (inside) {
        pos[i] = newPos;
        segment[i] = -1;
        lo[i] = runLo[d] as number;
        hi[i] = runHi[d] as number;
        break;
      }
      if (op === DIFF_DELETE) oldPos += s.length;
      else newPos += s.length;
    }
  }
  return { pos, segment, lo, hi };
}

/** How many code points at the end of `context` agree with the text just before `at`. */
function agreeBefore(context: string, text: string, at: number): number {
  let k = 0;
  let points = 0;
  while (k < context.length && k < at) {
    const c = context.charCodeAt(context.length - 1 - k);
    if (c !== text.charCodeAt(at - 1 - k)) break;
    if (isLow(c) && k + 1 < context.length && isHigh(context.charCodeAt(context.length - 2 - k))) {
      // A surrogate pair agrees only as a whole.
      if (
        k + 1 >= at ||
        context.charCodeAt(context.length - 2 - k) !== text.charCodeAt(at - 2 - k)
      ) {
        break;
      }
      k++;
    }
    k++;
    points++;
  }
  return points;
}

/** How many code points at the start of `context` agree with the text from `at` on. */
function agreeAfter(context: string, text: string, at: number): number {
  let k = 0;
  let points = 0;
  while (k < context.length && at + k < text.length) {
    const c = context.charCodeAt(k);
    if (c !== text.charCodeAt(at + k)) break;
    if (isHigh(c) && k + 1 < context.length && isLow(context.charCodeAt(k + 1))) {
      if (context.charCodeAt(k + 1) !== text.charCodeAt(at + k + 1)) break;
      k++;
    }
    k++;
    points++;
  }
  return points;
}

/** All UTF-16 indices where `quote` occurs in `text` on code-point boundaries. */
function occurrencesOf(text: string, quote: string): number[] {
  const found: number[] = [];
  if (quote.length === 0) return found;
  for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) {
    if (isBoundary(text, i) && isBoundary(text, i + quote.length)) found.push(i);
  }
  return found;
}

/** Length (UTF-16 units) of the substrings `QuoteFinder` indexes. */
const GRAM = 4;
/** Searches after which `QuoteFinder` indexes the text instead of scanning it for each quote. */
const SCANS_BEFORE_INDEX = 16;

function gramHash(text: string, at: number): number {
  let h = 0;
  for (let k = 0; k < GRAM; k++) h = Math.imul(h ^ text.charCodeAt(at + k), 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * Finds every occurrence of quotes in one text, caching by quote. A handful of
 * searches scan the text; when many annotations need searching (a reordered or
 * rewritten article) it indexes every 4-unit substring once, so each quote
 * costs a look-up of its rarest substring instead of a scan of the whole text.
 */
class QuoteFinder {
  private readonly cache = new Map<string, number[]>();
  private scans = 0;
  private mask = 0;
  /** Start in `positions` of each hash bucket; bucket b is positions[starts[b] .. starts[b + 1]). */
  private starts: Int32Array | null = null;
  private positions: Int32Array | null = null;

  constructor(private readonly text: string) {}

  occurrences(quote: string): number[] {
    let found = this.cache.get(quote);
    if (!found) {
      found = this.find(quote);
      this.cache.set(quote, found);
    }
    return found;
  }

  private find(quote: string): number[] {
    const text = this.text;
    if (quote.length < GRAM || text.length < 4096) return occurrencesOf(text, quote);
    if (!this.starts && ++this.scans > SCANS_BEFORE_INDEX) this.buildIndex();
    const starts = this.starts;
    const positions = this.positions;
    if (!starts || !positions) return occurrencesOf(text, quote);
    let offset = 0;
    let bucket = 0;
    let size = Number.POSITIVE_INFINITY;
    for (let j = 0; j + GRAM <= quote.length && size > 0; j++) {
      const b = gramHash(quote, j) & this.mask;
      const n = (starts[b + 1] as number) - (starts[b] as number);
      if (n < size) {
        size = n;
        bucket = b;
        offset = j;
      }
    }
    const found: number[] = [];
    for (let k = starts[bucket] as number; k < (starts[bucket + 1] as number); k++) {
      const at = (positions[k] as number) - offset;
      if (
        at >= 0 &&
        text.startsWith(quote, at) &&
        isBoundary(text, at) &&
        isBoundary(text, at + quote.length)
      ) {
        found.push(at);
      }
    }
    return found;
  }

  private buildIndex(): void {
    const text = this.text;
    const count = text.length - GRAM + 1;
    let buckets = 1024;
    while (buckets < count && buckets < 1 << 22) buckets *= 2;
    this.mask = buckets - 1;
    const hashes = new Int32Array(count);
    const starts = new Int32Array(buckets + 1);
    for (let i = 0; i < count; i++) {
      const b = gramHash(text, i) & this.mask;
      hashes[i] = b;
      starts[b + 1] = (starts[b + 1] as number) + 1;
    }
    for (let b = 0; b < buckets; b++)
      starts[b + 1] = (starts[b + 1] as number) + (starts[b] as number);
    const fill = starts.slice(0, buckets);
    const positions = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const b = hashes[i] as number;
      const at = fill[b] as number;
      positions[at] = i;
      fill[b] = at + 1;
    }
    this.starts = starts;
    this.positions = positions;
  }
}

/** Occurrences of a quote above which search first ranks only those with some agreeing context. */
const PRUNE_ABOVE = 64;
/** Code points of agreement on one side that put an occurrence in that first ranking. */
const PRUNE_AGREEMENT = 8;

/** The last `n` code points of `s`. */
function lastCodePoints(s: string, n: number): string {
  let i = s.length;
  for (let k = 0; k < n && i > 0; k++) {
    i--;
    if (i > 0 && isLow(s.charCodeAt(i)) && isHigh(s.charCodeAt(i - 1))) i--;
  }
  return s.slice(i);
}

/** The first `n` code points of `s`. */
function firstCodePoints(s: string, n: number): string {
  let i = 0;
  for (let k = 0; k < n && i < s.length; k++) {
    i += isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return s.slice(0, i);
}

type SearchOutcome = { from: number; to: number; atHint: boolean } | { reason: string };

/** Where the search expects a quote (UTF-16): at `at`, or somewhere touching [lo, hi]. */
interface Expectation {
  at: number;
  lo: number;
  hi: number;
  /** The quote occurred only once in the old text, so a single occurrence now is the same text. */
  unique: boolean;
}

/**
 * Picks the occurrence of the anchor's quote that its context points to;
 * `occurrences` are the quote's UTF-16 indices in `text`. Context decides
 * first. When it cannot (no occurrence agrees enough, or several agree
 * equally), an occurrence exactly where the quote is expected is taken, then
 * the best one touching the expected region (the new text that replaced the
 * span's surroundings), then a quote that was and is unique in the text;
 * anything else is left for the coder.
 */
function searchQuote(
  text: string,
  anchor: AnchorContext,
  expected: Expectation,
  occurrences: number[],
  lookup?: (s: string) => number[],
): SearchOutcome {
  if (occurrences.length === 0) return { reason: REASON_CHANGED };
  const { quote, prefix, suffix } = anchor;
  const prefixLength = countCodePoints(prefix);
  const suffixLength = countCodePoints(suffix);
  // A context cut short by the edge of the text agrees best with an occurrence at the same edge
  // (no context at all says nothing about edges).
  const known = prefix.length + suffix.length > 0;
  const edgeBefore =
    known && prefixLength < CONTEXT_LENGTH && text.startsWith(prefix) ? prefix.length : -1;
  const edgeAfter =
    known && suffixLength < CONTEXT_LENGTH && text.endsWith(suffix)
      ? text.length - suffix.length - quote.length
      : -1;
  // Most occurrences of a frequent quote disagree at once; check the nearest unit on each side
  // before counting.
  const lastBefore = prefix.length > 0 ? prefix.charCodeAt(prefix.length - 1) : -1;
  const firstAfter = suffix.length > 0 ? suffix.charCodeAt(0) : -1;
  const score = (at: number) =>
    (text.charCodeAt(at - 1) === lastBefore ? agreeBefore(prefix, text, at) : 0) +
    (text.charCodeAt(at + quote.length) === firstAfter
      ? agreeAfter(suffix, text, at + quote.length)
      : 0) +
    (at === edgeBefore ? 1 : 0) +
    (at === edgeAfter ? 1 : 0);

  const rank = (candidates: Iterable<number>) => {
    let best = -1;
    let tied: number[] = [];
    for (const at of candidates) {
      const s = score(at);
      if (s > best) {
        best = s;
        tied = [at];
      } else if (s === best) {
        tied.push(at);
      }
    }
    return { best, tied };
  };
  let ranked: { best: number; tied: number[] } | undefined;
  // A frequent quote: first rank only the occurrences that agree on at least PRUNE_AGREEMENT code
  // points on one side (the finder looks them up). Any other occurrence scores at most `bound`,
  // so when the best of these beats it, they are all that matter.
  if (lookup && occurrences.length > PRUNE_ABOVE) {
    const before = prefixLength >= PRUNE_AGREEMENT ? lastCodePoints(prefix, PRUNE_AGREEMENT) : "";
    const after = suffixLength >= PRUNE_AGREEMENT ? firstCodePoints(suffix, PRUNE_AGREEMENT) : "";
    const bound =
      Math.min(PRUNE_AGREEMENT - 1, prefixLength) + Math.min(PRUNE_AGREEMENT - 1, suffixLength) + 2;
    const candidates = new Set<number>();
    if (before) for (const at of lookup(before + quote)) candidates.add(at + before.length);
    if (after) for (const at of lookup(quote + after)) candidates.add(at);
    ranked = rank([...candidates].sort((a, b) => a - b));
    if (ranked.best <= bound) ranked = undefined;
  }
  const { best, tied } = ranked ?? rank(occurrences);

  const required =
    countCodePoints(quote) >= SELF_IDENTIFYING_QUOTE
      ? 0
      : Math.min(MIN_CONTEXT_AGREEMENT, Math.floor((prefixLength + suffixLength) / 2));
  const supported = best >= required;
  if (supported && tied.length === 1) {
    const from = tied[0] as number;
    return { from, to: from + quote.length, atHint: from === expected.at };
  }
  // Context cannot decide: fall back on where the span was expected.
  const pool = supported ? tied : occurrences;
  if (pool.includes(expected.at)) {
    return { from: expected.at, to: expected.at + quote.length, atHint: true };
  }
  // Inside the text that replaced the span's surroundings, better context and then nearness to
  // the mapped position decide: an edit right next to a span must not orphan it.
  let nearest = -1;
  let nearestScore = -1;
  let nearestDistance = 0;
  for (const at of pool) {
    if (at + quote.length < expected.lo || at > expected.hi) continue;
    const s = score(at);
    const distance = Math.abs(at - expected.at);
    if (s > nearestScore || (s === nearestScore && distance < nearestDistance)) {
      nearest = at;
      nearestScore = s;
      nearestDistance = distance;
    }
  }
  if (nearest >= 0) return { from: nearest, to: nearest + quote.length, atHint: false };
  if (!supported && expected.unique && occurrences.length === 1) {
    const from = occurrences[0] as number;
    return { from, to: from + quote.length, atHint: false };
  }
  if (!supported) {
    const times = occurrences.length === 1 ? "once" : `${occurrences.length} times`;
    return {
      reason: `${REASON_CHANGED} (it occurs ${times} elsewhere, but not in its old context)`,
    };
  }
  return {
    reason: `the quote occurs ${occurrences.length} times and its context does not say which`,
  };
}

/**
 * Finds a quote in text using prefix/suffix and a position hint (for when there is
 * no old text, e.g. a file whose text changed on disk). Null when the quote is gone
 * or its context cannot say which occurrence is meant.
 */
export function findQuote(
  text: string,
  anchor: AnchorContext,
  hint: number,
): { start: number; end: number } | null {
  return findQuotes(text, [{ anchor, hint }])[0] ?? null;
}

/** `findQuote` for many anchors in one text, sharing the work of indexing the text. */
export function findQuotes(
  text: string,
  requests: { anchor: AnchorContext; hint: number }[],
): ({ start: number; end: number } | null)[] {
  const index = new CodePointIndex(text);
  const finder = new QuoteFinder(text);
  return requests.map(({ anchor, hint }) => {
    // Without old text there is no region the quote is expected in, only the position.
    const expected = {
      at: hint >= 0 && hint <= index.length ? index.toUtf16(hint) : -1,
      lo: Number.POSITIVE_INFINITY,
      hi: Number.NEGATIVE_INFINITY,
      unique: false,
    };
    if (anchor.quote.length === 0) return null;
    const found = searchQuote(text, anchor, expected, finder.occurrences(anchor.quote), (s) =>
      finder.occurrences(s),
    );
    if ("reason" in found) return null;
    return { start: index.toCodePoint(found.from), end: index.toCodePoint(found.to) };
  });
}

/**
 * A diff-match-patch instance made safe for megabyte texts. Its half-match
 * shortcut (on whenever `Diff_Timeout` > 0) aligns moved paragraphs badly and
 * slowly, so it is off and the time budget is passed to `diff_main` as a
 * deadline instead. Its word-boundary alignment re-scans a whole equality for
 * every character it slides an edit, which is quadratic next to a long edit,
 * so it is run on a window around each edit.
 */
function createDiffer(): DiffMatchPatch {
  const dmp = new DiffMatchPatch();
  dmp.Diff_Timeout = 0;
  const lossless = dmp.diff_cleanupSemanticLossless.bind(dmp);
  dmp.diff_cleanupSemanticLossless = (diffs: Diff[]) => {
    for (let i = 1; i < diffs.length - 1; i++) {
      const before = diffs[i - 1] as Diff;
      const edit = diffs[i] as Diff;
      const after = diffs[i + 1] as Diff;
      if (before[0] !== DIFF_EQUAL || after[0] !== DIFF_EQUAL) continue;
      const cut = Math.max(0, before[1].length - ALIGN_WINDOW);
      const truncated = cut > 0 || after[1].length > ALIGN_WINDOW;
      const window: Diff[] = [
        [DIFF_EQUAL, before[1].slice(cut)],
        [edit[0], edit[1]],
        [DIFF_EQUAL, after[1].slice(0, ALIGN_WINDOW)],
      ];
      lossless(window);
      if (window.length === 3) {
        before[1] = before[1].slice(0, cut) + (window[0] as Diff)[1];
        edit[1] = (window[1] as Diff)[1];
        after[1] = (window[2] as Diff)[1] + after[1].slice(ALIGN_WINDOW);
      } else if (!truncated) {
        // An equality was used up; the window is the whole neighbourhood.
        diffs.splice(i - 1, 3, ...window);
        i = i - 1 + window.findIndex(([op]) => op !== DIFF_EQUAL);
      }
      // Otherwise the window's edge looked like the text's edge: keep the edit where it is.
    }
  };
  return dmp;
}

/**
 * Moves edit boundaries that fall between the halves of a surrogate pair (the
 * diff works on UTF-16 units, so "😀" → "😁" shares a high half) out to whole
 * code points. Each run of edits comes out as one deletion then one insertion.
 */
function keepPairsWhole(diffs: Diff[]): Diff[] {
  const out: Diff[] = [];
  let deleted = "";
  let inserted = "";
  const flush = () => {
    if (deleted) out.push([DIFF_DELETE, deleted]);
    if (inserted) out.push([DIFF_INSERT, inserted]);
    deleted = inserted = "";
  };
  diffs.forEach(([op, text], k) => {
    if (op === DIFF_DELETE) deleted += text;
    else if (op !== DIFF_EQUAL) inserted += text;
    else {
      const start = (deleted || inserted) && isLow(text.charCodeAt(0)) ? 1 : 0;
      let end = text.length;
      if (k + 1 < diffs.length && end > start && isHigh(text.charCodeAt(end - 1))) end--;
      // Both texts hold the split halves, so they join the edits on both sides.
      deleted += text.slice(0, start);
      inserted += text.slice(0, start);
      if (end > start) {
        flush();
        out.push([DIFF_EQUAL, text.slice(start, end)]);
      }
      deleted += text.slice(end);
      inserted += text.slice(end);
    }
  });
  flush();
  return out;
}

/** Diffs the texts; returns the semantically cleaned diff and the raw character diff. */
function diffTexts(oldText: string, newText: string): { semantic: Diff[]; raw: Diff[] } {
  const dmp = createDiffer();
  const raw = keepPairsWhole(
    dmp.diff_main(oldText, newText, true, Date.now() + DIFF_BUDGET_SECONDS * 1000) as Diff[],
  );
  const semantic = raw.map(([op, s]): Diff => [op, s]);
  dmp.diff_cleanupSemantic(semantic);
  return { semantic: keepPairsWhole(semantic), raw };
}

/** Where a diff puts each old span [from, to) (UTF-16) in the new text. */
interface MappedSpans {
  from: Int32Array;
  to: Int32Array;
  /** Index of the unchanged stretch each end landed in, or -1 inside an edit. */
  fromSegment: Int32Array;
  toSegment: Int32Array;
  /** The new text that took the place of the span's context window (and of edits it reaches into). */
  regionLo: Int32Array;
  regionHi: Int32Array;
}

/** Maps spans, and the context windows [windowFrom, windowTo) around them, through a diff. */
function mapSpans(
  diffs: Diff[],
  from: number[],
  to: number[],
  windowFrom: number[],
  windowTo: number[],
): MappedSpans {
  const positions: number[] = [];
  const assoc: number[] = [];
  for (let k = 0; k < from.length; k++) {
    // A span's start moves past text inserted right before it; its end stays before text after it.
    positions.push(
      from[k] as number,
      to[k] as number,
      windowFrom[k] as number,
      windowTo[k] as number,
    );
    assoc.push(from[k] === to[k] ? -1 : 1, -1, -1, 1);
  }
  const { pos, segment, lo, hi } = mapThroughDiff(diffs, positions, assoc);
  const pick = (a: Int32Array, offset: number) => a.filter((_, k) => k % 4 === offset);
  return {
    from: pick(pos, 0),
    to: pick(pos, 1),
    fromSegment: pick(segment, 0),
    toSegment: pick(segment, 1),
    regionLo: pick(lo, 2),
    regionHi: pick(hi, 3),
  };
}

/**
 * Moves annotations from oldText to newText: diff-based mapping first, then quote +
 * context search; what cannot be placed is orphaned with a reason, never dropped.
 * Stored prefix/suffix are used only when the offsets no longer hold the quote in
 * oldText; otherwise the context is read from oldText itself.
 */
export function reanchor<T extends Anchorable>(
  oldText: string,
  newText: string,
  annotations: T[],
): ReanchorResult<T> {
  const oldIndex = new CodePointIndex(oldText);
  const newIndex = oldText === newText ? oldIndex : new CodePointIndex(newText);
  const n = annotations.length;

  // Old spans in UTF-16, and the context each annotation is searched by.
  const oldFrom: number[] = new Array(n);
  const oldTo: number[] = new Array(n);
  const anchors: AnchorContext[] = new Array(n);
  const intact: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = annotations[i] as T;
    const from = oldIndex.toUtf16(a.start);
    const to = Math.max(from, oldIndex.toUtf16(a.end));
    oldFrom[i] = from;
    oldTo[i] = to;
    // The old text is the best source of context when the offsets still hold the quote.
    intact[i] =
      oldText.slice(from, to) === a.quote &&
      oldIndex.toCodePoint(from) === a.start &&
      oldIndex.toCodePoint(to) === a.end;
    anchors[i] = intact[i]
      ? contextAt(oldText, from, to)
      : { quote: a.quote, prefix: a.prefix ?? "", suffix: a.suffix ?? "" };
  }

  const newFrom = new Int32Array(n).fill(-1);
  const newTo = new Int32Array(n);
  const how: Placement[] = new Array(n);
  // Where the search expects each quote, and whether a diff put the quote exactly there.
  const expected: Expectation[] = oldFrom.map((at, i) => ({
    at,
    lo: at,
    hi: oldTo[i] as number,
    unique: false,
  }));
  const hintFromDiff: boolean[] = new Array(n).fill(false);
  const holdsQuote = (i: number, from: number, to: number) =>
    to >= from &&
    isBoundary(newText, from) &&
    isBoundary(newText, to) &&
    newText.slice(from, to) === (annotations[i] as T).quote;

  if (oldText === newText) {
    for (let i = 0; i < n; i++) {
      if (!intact[i]) continue;
      newFrom[i] = oldFrom[i] as number;
      newTo[i] = oldTo[i] as number;
      how[i] = "unchanged";
    }
  } else {
    const { semantic, raw } = diffTexts(oldText, newText);
    const windowFrom = anchors.map((c, i) => Math.max(0, (oldFrom[i] as number) - c.prefix.length));
    const windowTo = anchors.map((c, i) =>
      Math.min(oldText.length, (oldTo[i] as number) + c.suffix.length),
    );
    const mapped = mapSpans(semantic, oldFrom, oldTo, windowFrom, windowTo);
    const pending: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = annotations[i] as T;
      const from = mapped.from[i] as number;
      const to = mapped.to[i] as number;
      const fromSegment = mapped.fromSegment[i] as number;
      const length = a.quote.length;
      const lo = mapped.regionLo[i] as number;
      const hi = mapped.regionHi[i] as number;
      // Only a small edit next to the span makes its replacement text a place to look; in a
      // rewritten paragraph (or a diff that ran out of time) any occurrence would "fit".
      const small = hi - lo <= (windowTo[i] as number) - (windowFrom[i] as number) + REGION_SLACK;
      expected[i] = {
        at: from,
        lo: small ? lo : Number.POSITIVE_INFINITY,
        hi: small ? hi : Number.NEGATIVE_INFINITY,
        unique: false,
      };
      if (holdsQuote(i, from, to)) {
        const stretch = fromSegment !== -1 && fromSegment === mapped.toSegment[i];
        if (!stretch) how[i] = "diff";
        else if (intact[i] && newIndex.toCodePoint(from) === a.start) how[i] = "unchanged";
        else how[i] = "shifted";
        newFrom[i] = from;
        newTo[i] = to;
      } else if (fromSegment !== -1 && holdsQuote(i, from, from + length)) {
        // The start is aligned with unchanged text; an edit right after the span confused the end.
        newFrom[i] = from;
        newTo[i] = from + length;
        how[i] = "diff";
      } else if (mapped.toSegment[i] !== -1 && to >= length && holdsQuote(i, to - length, to)) {
        // Likewise for the end, e.g. after an insertion before the span that begins like it.
        newFrom[i] = to - length;
        newTo[i] = to;
        how[i] = "diff";
      } else {
        pending.push(i);
      }
    }
    // The cleaned-up diff merges short unchanged stretches between edits into the edits. The raw
    // diff keeps them, but may also have matched text by coincidence, so it only gives the search
    // its expected position: context that agrees better elsewhere still wins.
    if (pending.length > 0) {
      const rawMapped = mapSpans(
        raw,
        pending.map((i) => oldFrom[i] as number),
        pending.map((i) => oldTo[i] as number),
        pending.map((i) => oldFrom[i] as number),
        pending.map((i) => oldTo[i] as number),
      );
      pending.forEach((i, k) => {
        const from = rawMapped.from[k] as number;
        if (holdsQuote(i, from, rawMapped.to[k] as number)) {
          (expected[i] as Expectation).at = from;
          hintFromDiff[i] = true;
        }
      });
    }
  }

  const result: ReanchorResult<T> = { placed: [], orphaned: [] };
  const finder = new QuoteFinder(newText);
  let oldFinder: QuoteFinder | undefined;
  for (let i = 0; i < n; i++) {
    const annotation = annotations[i] as T;
    if (newFrom[i] === -1) {
      const anchor = anchors[i] as AnchorContext;
      const found = finder.occurrences(anchor.quote);
      const expectation = expected[i] as Expectation;
      if (intact[i] && found.length === 1) {
        oldFinder ??= new QuoteFinder(oldText);
        expectation.unique = oldFinder.occurrences(anchor.quote).length === 1;
      }
      const outcome =
        anchor.quote.length === 0
          ? { reason: "the annotation has no quote to look for" }
          : searchQuote(newText, anchor, expectation, found, (s) => finder.occurrences(s));
      if ("reason" in outcome) {
        result.orphaned.push({ annotation, reason: outcome.reason });
        continue;
      }
      newFrom[i] = outcome.from;
      newTo[i] = outcome.to;
      how[i] = outcome.atHint && hintFromDiff[i] ? "diff" : "search";
    }
    const from = newFrom[i] as number;
    const to = newTo[i] as number;
    result.placed.push({
      annotation,
      start: newIndex.toCodePoint(from),
      end: newIndex.toCodePoint(to),
      how: how[i] as Placement,
      context: contextAt(newText, from, to),
    });
  }
  return result;
}
