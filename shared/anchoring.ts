/**
 * Re-anchoring: annotations follow their text when an article's text changes.
 *
 * An annotation keeps its offsets plus W3C Web Annotation style selectors: the
 * quote and up to `CONTEXT_LENGTH` code points of prefix and suffix. When the
 * text changes, each annotation is placed in three steps:
 *   1. Offsets are mapped through a diff of the old and the new text
 *      (diff-match-patch, cleaned up for meaning; the raw character diff second).
 *      The mapping is accepted only when the new text between the mapped offsets
 *      is exactly the quote.
 *   2. Otherwise the quote is searched for: every exact occurrence is scored by
 *      how much of the stored prefix and suffix it agrees with. A single best
 *      occurrence is taken when its context supports it (or the quote is long
 *      enough to identify itself); a tie is not guessed at.
 *   3. Whatever is left is orphaned with a reason for the coder to review. It is
 *      never dropped, and never moved onto text that differs from its quote:
 *      there is deliberately no fuzzy match, since a coded span whose wording
 *      changed needs a human to look at it again.
 * Offsets in and out are code points (what Python's `str` indexes); inside, the
 * work is done on UTF-16 indices, converted through a per-text index of
 * surrogate pairs so that 20,000 annotations in a 1 MB text stay fast.
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
 * How an annotation was placed in the new text: at its old offsets ("unchanged"),
 * moved by edits elsewhere ("shifted"), through a diff whose edits touch the span
 * but leave its text as it was ("diff"), or by searching for its quote ("search").
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

/** Reason given when the quote no longer occurs where it could be trusted. */
export const REASON_CHANGED = "the quoted text was changed or deleted";

/** A quote at least this long (code points) identifies itself when it occurs once. */
const SELF_IDENTIFYING_QUOTE = CONTEXT_LENGTH;
/** Code points of context a short quote must agree on before search moves it. */
const MIN_CONTEXT_AGREEMENT = 8;
/**
 * Time budget of the diff. Texts that differ in a few places finish in
 * milliseconds; a wholesale rewrite stops here with a coarser (still correct)
 * diff, and the search step takes over.
 */
const DIFF_TIMEOUT_SECONDS = 0.3;

const DIFF_DELETE = -1;
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

/** Maps positions of the old text to the new one through a diff, in one sweep. */
function mapThroughDiff(
  diffs: Diff[],
  positions: number[],
  assoc: number[],
): { pos: Int32Array; segment: Int32Array } {
  const order = positions.map((_, i) => i);
  order.sort(
    (a, b) =>
      (positions[a] as number) - (positions[b] as number) ||
      (assoc[a] as number) - (assoc[b] as number),
  );
  const pos = new Int32Array(positions.length);
  const segment = new Int32Array(positions.length);
  let d = 0;
  let oldPos = 0;
  let newPos = 0;
  for (const i of order) {
    const p = positions[i] as number;
    // assoc < 0: stay before text inserted at p (an end); > 0: move past it (a start).
    const side = assoc[i] as number;
    for (;;) {
      const diff = diffs[d];
      if (!diff) {
        pos[i] = newPos;
        segment[i] = -1;
        break;
      }
      const [op, s] = diff;
      if (op === DIFF_EQUAL) {
        if (p < oldPos + s.length || (p === oldPos + s.length && side < 0)) {
          pos[i] = newPos + p - oldPos;
          segment[i] = d;
          break;
        }
        oldPos += s.length;
        newPos += s.length;
      } else if (op === DIFF_DELETE) {
        if (p < oldPos + s.length) {
          pos[i] = newPos;
          segment[i] = -1;
          break;
        }
        oldPos += s.length;
      } else {
        // An insertion (op 1).
        if (p === oldPos && side < 0) {
          pos[i] = newPos;
          segment[i] = -1;
          break;
        }
        newPos += s.length;
      }
      d++;
    }
  }
  return { pos, segment };
}

/** How many code points at the end of `context` agree with the text just before `at`. */
function agreeBefore(context: string, text: string, at: number): number {
  let k = 0;
  while (
    k < context.length &&
    k < at &&
    context.charCodeAt(context.length - 1 - k) === text.charCodeAt(at - 1 - k)
  ) {
    k++;
  }
  // Do not count half of a pair whose other half differs.
  if (k > 0 && k < context.length && isLow(context.charCodeAt(context.length - k))) k--;
  return countCodePoints(context.slice(context.length - k));
}

/** How many code points at the start of `context` agree with the text from `at` on. */
function agreeAfter(context: string, text: string, at: number): number {
  let k = 0;
  while (
    k < context.length &&
    at + k < text.length &&
    context.charCodeAt(k) === text.charCodeAt(at + k)
  ) {
    k++;
  }
  if (k > 0 && k < context.length && isHigh(context.charCodeAt(k - 1))) k--;
  return countCodePoints(context.slice(0, k));
}

type SearchOutcome = { from: number; to: number } | { reason: string };

/** All UTF-16 indices where `quote` occurs in `text` on code-point boundaries. */
function occurrencesOf(text: string, quote: string): number[] {
  const found: number[] = [];
  if (quote.length === 0) return found;
  for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) {
    if (isBoundary(text, i) && isBoundary(text, i + quote.length)) found.push(i);
  }
  return found;
}

/**
 * Picks the occurrence of the anchor's quote that its context points to. `hint`
 * is a UTF-16 index where the quote is expected; an occurrence exactly there
 * wins a tie and needs no further support.
 */
function searchQuote(
  text: string,
  anchor: AnchorContext,
  hint: number,
  occurrences: number[],
): SearchOutcome {
  if (occurrences.length === 0) return { reason: REASON_CHANGED };
  const prefixLength = countCodePoints(anchor.prefix);
  const suffixLength = countCodePoints(anchor.suffix);
  const quoteLength = anchor.quote.length;
  let best = -1;
  let tied: number[] = [];
  for (const at of occurrences) {
    let score =
      agreeBefore(anchor.prefix, text, at) + agreeAfter(anchor.suffix, text, at + quoteLength);
    // A context cut short by the edge of the text agrees best with an occurrence at the same edge.
    if (
      prefixLength < CONTEXT_LENGTH &&
      at === anchor.prefix.length &&
      text.startsWith(anchor.prefix)
    ) {
      score++;
    }
    const after = at + quoteLength;
    if (
      suffixLength < CONTEXT_LENGTH &&
      after + anchor.suffix.length === text.length &&
      text.endsWith(anchor.suffix)
    ) {
      score++;
    }
    if (score > best) {
      best = score;
      tied = [at];
    } else if (score === best) {
      tied.push(at);
    }
  }
  const atHint = tied.includes(hint);
  if (tied.length > 1 && !atHint) {
    return {
      reason: `the quote occurs ${occurrences.length} times and its context does not say which`,
    };
  }
  const from = atHint ? hint : (tied[0] as number);
  const required =
    countCodePoints(anchor.quote) >= SELF_IDENTIFYING_QUOTE
      ? 0
      : Math.min(MIN_CONTEXT_AGREEMENT, prefixLength + suffixLength);
  if (!atHint && best < required) {
    const times = occurrences.length === 1 ? "once" : `${occurrences.length} times`;
    return {
      reason: `${REASON_CHANGED} (it occurs ${times} elsewhere, but not in its old context)`,
    };
  }
  return { from, to: from + quoteLength };
}

/** Finds a quote in text using prefix/suffix and a position hint (for when there is no old text, e.g. a file whose text changed on disk). */
export function findQuote(
  text: string,
  anchor: AnchorContext,
  hint: number,
): { start: number; end: number } | null {
  const index = new CodePointIndex(text);
  const found = searchQuote(text, anchor, index.toUtf16(hint), occurrencesOf(text, anchor.quote));
  if ("reason" in found) return null;
  return { start: index.toCodePoint(found.from), end: index.toCodePoint(found.to) };
}

/** Runs diff-match-patch; returns the semantically cleaned diff and the raw one. */
function diffTexts(oldText: string, newText: string): { semantic: Diff[]; raw: Diff[] } {
  const dmp = new DiffMatchPatch();
  dmp.Diff_Timeout = DIFF_TIMEOUT_SECONDS;
  const raw = dmp.diff_main(oldText, newText) as Diff[];
  const semantic = raw.map(([op, s]): Diff => [op, s]);
  dmp.diff_cleanupSemantic(semantic);
  return { semantic, raw };
}

/** Moves annotations from oldText to newText: diff-based mapping first, then quote + context search; what cannot be placed is orphaned with a reason, never dropped. */
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
  const newTo = new Int32Array(n).fill(-1);
  const how: Placement[] = new Array(n);
  const hints = new Int32Array(n);
  const placedAt = (i: number, from: number, to: number, kind: Placement) => {
    newFrom[i] = from;
    newTo[i] = to;
    how[i] = kind;
  };
  const holdsQuote = (i: number, from: number, to: number) =>
    to >= from &&
    isBoundary(newText, from) &&
    isBoundary(newText, to) &&
    newText.slice(from, to) === (annotations[i] as T).quote;

  if (oldText === newText) {
    for (let i = 0; i < n; i++) {
      if (intact[i]) placedAt(i, oldFrom[i] as number, oldTo[i] as number, "unchanged");
      hints[i] = oldFrom[i] as number;
    }
  } else {
    const { semantic, raw } = diffTexts(oldText, newText);
    const pending: number[] = [];
    for (let i = 0; i < n; i++) pending.push(i);
    for (const [pass, diffs] of [
      [0, semantic],
      [1, raw],
    ] as const) {
      if (pending.length === 0) break;
      const positions: number[] = [];
      const assoc: number[] = [];
      for (const i of pending) {
        positions.push(oldFrom[i] as number, oldTo[i] as number);
        assoc.push(oldFrom[i] === oldTo[i] ? -1 : 1, -1);
      }
      const mapped = mapThroughDiff(diffs, positions, assoc);
      const still: number[] = [];
      pending.forEach((i, k) => {
        const from = mapped.pos[2 * k] as number;
        const to = mapped.pos[2 * k + 1] as number;
        if (pass === 0) hints[i] = from;
        if (!holdsQuote(i, from, to)) {
          still.push(i);
          return;
        }
        const a = annotations[i] as T;
        const sameStretch =
          pass === 0 &&
          mapped.segment[2 * k] === mapped.segment[2 * k + 1] &&
          mapped.segment[2 * k] !== -1;
        if (!sameStretch) placedAt(i, from, to, "diff");
        else if (newIndex.toCodePoint(from) === a.start && intact[i])
          placedAt(i, from, to, "unchanged");
        else placedAt(i, from, to, "shifted");
      });
      pending.length = 0;
      pending.push(...still);
    }
  }

  const result: ReanchorResult<T> = { placed: [], orphaned: [] };
  const occurrences = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const annotation = annotations[i] as T;
    if (newFrom[i] === -1) {
      const anchor = anchors[i] as AnchorContext;
      let found = occurrences.get(anchor.quote);
      if (!found) {
        found = occurrencesOf(newText, anchor.quote);
        occurrences.set(anchor.quote, found);
      }
      const outcome =
        anchor.quote.length === 0
          ? { reason: "the annotation has no quote to look for" }
          : searchQuote(newText, anchor, hints[i] as number, found);
      if ("reason" in outcome) {
        result.orphaned.push({ annotation, reason: outcome.reason });
        continue;
      }
      placedAt(i, outcome.from, outcome.to, "search");
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
