/**
 * Span-level agreement between two annotation layers: precision/recall/F1 of a
 * candidate against a reference (exact or overlap matching), and a one-to-one
 * alignment of two coders' spans for curation and for label agreement.
 * Offsets are code points, end-exclusive. All functions are pure and
 * deterministic: inputs are sorted by (start, end, label, id) first, so the
 * result does not depend on input order except among fully identical spans.
 */

/** An annotated span [start, end) with a label. */
export interface Span {
  id?: string;
  start: number;
  end: number;
  label: string;
}

/** exact: same start, end and label; overlap: same label and at least one shared code point. */
export type MatchMode = "exact" | "overlap";

/** Counts and scores for one label (or, for `micro`, all labels; its label is "*"). */
export interface LabelScore {
  label: string;
  tp: number;
  fp: number;
  fn: number;
  /** tp / (tp + fp); null without candidate spans. */
  precision: number | null;
  /** tp / (tp + fn); null without reference spans. */
  recall: number | null;
  /** 2tp / (2tp + fp + fn); null without any span. */
  f1: number | null;
}

/** Per-label scores (sorted by label), micro (summed counts) and macro (mean over labels) averages. */
export interface SpanScores {
  perLabel: LabelScore[];
  micro: LabelScore;
  macro: { precision: number | null; recall: number | null; f1: number | null };
}

/** One row of an alignment: a span of coder A, of coder B, or both, and how they relate. */
export interface SpanPair {
  a?: Span;
  b?: Span;
  /**
   * same: identical offsets and label; label: identical offsets, different label;
   * boundary: same label, overlapping, different offsets; label-boundary: different
   * label and different offsets but overlapping; only-a / only-b: no partner.
   */
  kind: "same" | "label" | "boundary" | "label-boundary" | "only-a" | "only-b";
}

interface Indexed {
  span: Span;
  index: number;
}

function compareSpans(x: Span, y: Span): number {
  return (
    x.start - y.start ||
    x.end - y.end ||
    (x.label < y.label ? -1 : x.label > y.label ? 1 : 0) ||
    ((x.id ?? "") < (y.id ?? "") ? -1 : (x.id ?? "") > (y.id ?? "") ? 1 : 0)
  );
}

function sorted(spans: readonly Span[]): Indexed[] {
  return [...spans].sort(compareSpans).map((span, index) => ({ span, index }));
}

/** Number of code points [a.start, a.end) and [b.start, b.end) share. */
function overlapLength(a: Span, b: Span): number {
  return Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
}

const sameOffsets = (a: Span, b: Span) => a.start === b.start && a.end === b.end;

/**
 * Pairs identical keys one-to-one, in sorted order; marks the used entries.
 * Returns [indexA, indexB] pairs.
 */
function pairByKeyMap(
  a: readonly Indexed[],
  b: readonly Indexed[],
  usedA: Uint8Array,
  usedB: Uint8Array,
  key: (s: Span) => string,
  accept: (x: Span, y: Span) => boolean,
): [number, number][] {
  const pending = new Map<string, number[]>();
  for (const y of b) {
    if (usedB[y.index]) continue;
    const k = key(y.span);
    const list = pending.get(k);
    if (list) list.push(y.index);
    else pending.set(k, [y.index]);
  }
  const pairs: [number, number][] = [];
  for (const x of a) {
    if (usedA[x.index]) continue;
    const list = pending.get(key(x.span));
    if (!list) continue;
    const at = list.findIndex((j) => accept(x.span, (b[j] as Indexed).span));
    if (at < 0) continue;
    const j = list.splice(at, 1)[0] as number;
    usedA[x.index] = 1;
    usedB[j] = 1;
    pairs.push([x.index, j]);
  }
  return pairs;
}

/**
 * Greedy one-to-one matching of overlapping, still unused spans that satisfy
 * `accept`: candidate pairs are taken in order of largest overlap, then smallest
 * boundary distance |Δstart| + |Δend|, then earliest start (A's, then B's), then
 * sorted position. Overlapping pairs are found with a sweep over start offsets.
 */
function pairByOverlap(
  a: readonly Indexed[],
  b: readonly Indexed[],
  usedA: Uint8Array,
  usedB: Uint8Array,
  accept: (x: Span, y: Span) => boolean,
): [number, number][] {
  type Entry = { side: 0 | 1; item: Indexed };
  const events: Entry[] = [
    ...a.filter((x) => !usedA[x.index]).map((item): Entry => ({ side: 0, item })),
    ...b.filter((y) => !usedB[y.index]).map((item): Entry => ({ side: 1, item })),
  ].sort((p, q) => p.item.span.start - q.item.span.start || p.side - q.side);
  const active: [Indexed[], Indexed[]] = [[], []];
  const candidates: { i: number; j: number; overlap: number; distance: number }[] = [];
  for (const { side, item } of events) {
    const start = item.span.start;
    const other = active[side === 0 ? 1 : 0].filter((o) => o.span.end > start);
    active[side === 0 ? 1 : 0] = other;
    for (const o of other) {
      const [x, y] = side === 0 ? [item, o] : [o, item];
      const overlap = overlapLength(x.span, y.span);
      if (overlap > 0 && accept(x.span, y.span)) {
        const distance = Math.abs(x.span.start - y.span.start) + Math.abs(x.span.end - y.span.end);
        candidates.push({ i: x.index, j: y.index, overlap, distance });
      }
    }
    if (item.span.end > start) active[side].push(item);
  }
  candidates.sort(
    (p, q) =>
      q.overlap - p.overlap ||
      p.distance - q.distance ||
      (a[p.i] as Indexed).span.start - (a[q.i] as Indexed).span.start ||
      (b[p.j] as Indexed).span.start - (b[q.j] as Indexed).span.start ||
      p.i - q.i ||
      p.j - q.j,
  );
  const pairs: [number, number][] = [];
  for (const { i, j } of candidates) {
    if (usedA[i] || usedB[j]) continue;
    usedA[i] = 1;
    usedB[j] = 1;
    pairs.push([i, j]);
  }
  return pairs;
}

const exactKey = (s: Span) => `${s.start}:${s.end}:${s.label}`;
const offsetKey = (s: Span) => `${s.start}:${s.end}`;

/** Order of spans by offsets and, for `withLabel`, label: the key of exactKey or offsetKey. */
function keyOrder(withLabel: boolean) {
  return (x: Span, y: Span): number =>
    x.start - y.start ||
    x.end - y.end ||
    (withLabel ? (x.label < y.label ? -1 : x.label > y.label ? 1 : 0) : 0);
}
const exactOrder = keyOrder(true);
const offsetOrder = keyOrder(false);

const finite = (list: readonly Indexed[]) =>
  list.every((x) => Number.isFinite(x.span.start) && Number.isFinite(x.span.end));

/**
 * `pairByKeyMap` for the two keys above, on lists sorted by `compareSpans`:
 * spans with one key stand next to each other in both lists, so one walk
 * along both pairs them — the same pairs in the same order, without building
 * a string per span. (Offsets that are not finite numbers take the map.)
 */
function pairByKey(
  a: readonly Indexed[],
  b: readonly Indexed[],
  usedA: Uint8Array,
  usedB: Uint8Array,
  key: typeof exactKey,
  accept: (x: Span, y: Span) => boolean,
): [number, number][] {
  if (!finite(a) || !finite(b)) return pairByKeyMap(a, b, usedA, usedB, key, accept);
  const order = key === exactKey ? exactOrder : offsetOrder;
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c = order((a[i] as Indexed).span, (b[j] as Indexed).span);
    if (c < 0) i++;
    else if (c > 0) j++;
    else {
      const first = (a[i] as Indexed).span;
      let iEnd = i + 1;
      while (iEnd < a.length && order((a[iEnd] as Indexed).span, first) === 0) iEnd++;
      let jEnd = j + 1;
      while (jEnd < b.length && order((b[jEnd] as Indexed).span, first) === 0) jEnd++;
      for (let x = i; x < iEnd; x++) {
        const itemA = a[x] as Indexed;
        if (usedA[itemA.index]) continue;
        for (let y = j; y < jEnd; y++) {
          const itemB = b[y] as Indexed;
          if (usedB[itemB.index] || !accept(itemA.span, itemB.span)) continue;
          usedA[itemA.index] = 1;
          usedB[itemB.index] = 1;
          pairs.push([itemA.index, itemB.index]);
          break;
        }
      }
      i = iEnd;
      j = jEnd;
    }
  }
  return pairs;
}
const always = () => true;
const sameLabel = (x: Span, y: Span) => x.label === y.label;
const ratio = (num: number, den: number) => (den > 0 ? num / den : null);

function score(label: string, tp: number, fp: number, fn: number): LabelScore {
  return {
    label,
    tp,
    fp,
    fn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}

const mean = (values: number[]) =>
  values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;

/**
 * Scores `candidate` against `reference` (e.g. coder B vs coder A, or a coder vs the gold layer).
 * Matching is one-to-one per label. exact: identical start, end and label (duplicates
 * match as a multiset). overlap: identical spans are paired first, then the rest greedily
 * by largest overlap, smallest boundary distance, earliest start (see pairByOverlap), so
 * overlap tp ≥ exact tp. Unmatched candidates are fp, unmatched reference spans fn.
 * perLabel covers every label that occurs in reference or candidate, sorted; labels
 * with no spans on either side cannot appear. micro sums the counts (label "*");
 * macro is the unweighted mean over those labels, where a label's null precision
 * (never proposed) or null recall (not in the reference) counts as 0, as in
 * scikit-learn's default; macro F1 is the mean of per-label F1. Macro values are
 * null only when there are no spans at all.
 */
export function spanScores(
  reference: readonly Span[],
  candidate: readonly Span[],
  mode: MatchMode,
): SpanScores {
  return scoresOfSorted(sorted(reference), sorted(candidate), mode);
}

/** `spanScores` of lists already sorted (and indexed) by `sorted`. */
function scoresOfSorted(ref: Indexed[], cand: Indexed[], mode: MatchMode): SpanScores {
  const usedR = new Uint8Array(ref.length);
  const usedC = new Uint8Array(cand.length);
  const pairs = pairByKey(ref, cand, usedR, usedC, exactKey, always);
  if (mode === "overlap") pairs.push(...pairByOverlap(ref, cand, usedR, usedC, sameLabel));

  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const count = (label: string) => {
    let c = counts.get(label);
    if (!c) {
      c = { tp: 0, fp: 0, fn: 0 };
      counts.set(label, c);
    }
    return c;
  };
  for (const [i] of pairs) count((ref[i] as Indexed).span.label).tp++;
  ref.forEach((r, i) => {
    if (!usedR[i]) count(r.span.label).fn++;
  });
  cand.forEach((c, j) => {
    if (!usedC[j]) count(c.span.label).fp++;
  });

  const perLabel = [...counts.keys()]
    .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
    .map((label) => {
      const c = counts.get(label) as { tp: number; fp: number; fn: number };
      return score(label, c.tp, c.fp, c.fn);
    });
  const sum = (k: "tp" | "fp" | "fn") => perLabel.reduce((s, l) => s + l[k], 0);
  return {
    perLabel,
    micro: score("*", sum("tp"), sum("fp"), sum("fn")),
    macro: {
      precision: mean(perLabel.map((l) => l.precision ?? 0)),
      recall: mean(perLabel.map((l) => l.recall ?? 0)),
      f1: mean(perLabel.map((l) => l.f1 ?? 0)),
    },
  };
}

/**
 * Aligns two coders' spans into one-to-one pairs for agreement on labels and for
 * adjudication, in four passes over the still unpaired spans:
 * 1. same: identical offsets and label;
 * 2. label: identical offsets, different label (paired in label order);
 * 3. boundary: same label, overlapping, different offsets;
 * 4. label-boundary: different label and offsets, overlapping — paired rather than
 *    left as two one-sided rows, so a curation view shows the competing readings
 *    of the same stretch side by side.
 * Passes 3 and 4 are greedy by largest overlap, smallest boundary distance, earliest
 * start. Everything left is only-a / only-b. Rows are sorted by position (earliest
 * start, then latest end of the row), then by A's and B's sorted order.
 */
export function alignSpans(a: readonly Span[], b: readonly Span[]): SpanPair[] {
  return alignSorted(sorted(a), sorted(b));
}

/**
 * Everything the agreement report needs of two coders' spans at once — the
 * alignment and the exact and overlap scores (B against A) — sorting each list
 * once: the same results as `alignSpans(a, b)` and `spanScores(a, b, mode)`.
 */
export function compareLayers(
  a: readonly Span[],
  b: readonly Span[],
): { aligned: SpanPair[]; exact: SpanScores; overlap: SpanScores } {
  const sa = sorted(a);
  const sb = sorted(b);
  return {
    aligned: alignSorted(sa, sb),
    exact: scoresOfSorted(sa, sb, "exact"),
    overlap: scoresOfSorted(sa, sb, "overlap"),
  };
}

/** `alignSpans` of lists already sorted (and indexed) by `sorted`. */
function alignSorted(sa: Indexed[], sb: Indexed[]): SpanPair[] {
  const usedA = new Uint8Array(sa.length);
  const usedB = new Uint8Array(sb.length);
  const rows: { i?: number; j?: number; kind: SpanPair["kind"] }[] = [];
  const add = (pairs: [number, number][], kind: SpanPair["kind"]) => {
    for (const [i, j] of pairs) rows.push({ i, j, kind });
  };
  add(pairByKey(sa, sb, usedA, usedB, exactKey, always), "same");
  add(
    pairByKey(sa, sb, usedA, usedB, offsetKey, (x, y) => x.label !== y.label),
    "label",
  );
  add(pairByOverlap(sa, sb, usedA, usedB, sameLabel), "boundary");
  add(
    pairByOverlap(sa, sb, usedA, usedB, (x, y) => x.label !== y.label && !sameOffsets(x, y)),
    "label-boundary",
  );
  sa.forEach((_, i) => {
    if (!usedA[i]) rows.push({ i, kind: "only-a" });
  });
  sb.forEach((_, j) => {
    if (!usedB[j]) rows.push({ j, kind: "only-b" });
  });

  const span = (list: Indexed[], k: number | undefined) =>
    k === undefined ? undefined : (list[k] as Indexed).span;
  return rows
    .map((row) => {
      const a = span(sa, row.i);
      const b = span(sb, row.j);
      return {
        row,
        a,
        b,
        start: Math.min(a?.start ?? Infinity, b?.start ?? Infinity),
        end: Math.max(a?.end ?? -Infinity, b?.end ?? -Infinity),
      };
    })
    .sort(
      (p, q) =>
        p.start - q.start ||
        q.end - p.end ||
        (p.row.i ?? Infinity) - (q.row.i ?? Infinity) ||
        (p.row.j ?? Infinity) - (q.row.j ?? Infinity),
    )
    .map(({ row, a: spanA, b: spanB }) => {
      const pair: SpanPair = { kind: row.kind };
      if (spanA) pair.a = spanA;
      if (spanB) pair.b = spanB;
      return pair;
    });
}

/** A reliability unit for label agreement: its id and the two coders' labels (null: no span). */
export interface LabelUnit {
  id: string;
  values: [string | null, string | null];
}

/**
 * Turns aligned pairs into reliability units for κ/α on span labels. Every pair
 * becomes one unit: with both sides, both labels; with one side, that label vs
 * null. The id is built from the offsets ("start:end" when both sides share them,
 * "aStart:aEnd/bStart:bEnd" otherwise, "-" for a missing side), with "#2", "#3", …
 * appended to repeats so ids are unique.
 */
export function labelUnits(pairs: readonly SpanPair[]): LabelUnit[] {
  const seen = new Map<string, number>();
  const offsets = (s: Span | undefined) => (s ? `${s.start}:${s.end}` : "-");
  return pairs.map((pair) => {
    const { a, b } = pair;
    const base = a && b && sameOffsets(a, b) ? offsets(a) : `${offsets(a)}/${offsets(b)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { id: n === 1 ? base : `${base}#${n}`, values: [a?.label ?? null, b?.label ?? null] };
  });
}

/** The two ways of pairing by key, for tests that hold them to the same result. */
export const pairingForTests = {
  sorted,
  pairByKey,
  pairByKeyMap,
  exactKey,
  offsetKey,
};
