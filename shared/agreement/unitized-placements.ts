/**
 * The placements term of α_U's expected disagreement under article weights,
 * Σ_units w·l²·Σ_{gaps g ≥ l} w·(g − l + 1), from per-continuum summaries:
 * each continuum's units as (distinct length, how many) and its gaps grouped by
 * the longest unit length they can hold. The bootstrap evaluates this a
 * thousand times per label; summaries are a fraction of the units and gaps,
 * and continua a resample leaves out cost nothing.
 *
 * Every term is a whole number (for whole-number weights), so while the total
 * stays below 2⁵³ every partial sum is exact in floating point, in any order,
 * and the result is bit for bit what the sweep in `weightedUnitizedAlpha`
 * adds up. Beyond that only the sweep's order of additions gives its result;
 * the gap sums per length (`placementTerms`) are still exact and spare the
 * sweep (`sweepUnits`, over the units sorted by `longestFirst`) its pass over
 * the gaps.
 */

/** Per continuum, summaries of its units and gaps; see the file comment. */
export interface PlacementIndex {
  /** Distinct unit lengths, ascending. */
  lengths: Float64Array;
  /** Continuum c's units: entries unitStart[c] … unitStart[c+1]−1 (bucket j of `lengths`, count). */
  unitStart: Int32Array;
  unitBucket: Int32Array;
  unitCount: Float64Array;
  /** Continuum c's gap groups: entries gapStart[c] … gapStart[c+1]−1 (bucket, count, total length). */
  gapStart: Int32Array;
  gapBucket: Int32Array;
  gapCount: Float64Array;
  gapTotal: Float64Array;
  /** Scratch space, one entry per distinct unit length. */
  scratch: { units: Float64Array; terms: Float64Array; count: Float64Array; total: Float64Array };
}

const EXACT = 2 ** 53;

/** Index of the last value ≤ `x` in ascending `sorted`, or −1. */
function lastAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Lengths with the continuum each belongs to (listed continuum by continuum). */
export interface LengthList {
  length: readonly number[];
  continuum: readonly number[];
}

/** Per continuum, bucket → count and total length, as compressed rows. */
function rows(
  entries: LengthList,
  buckets: number,
  bucketOf: (length: number) => number,
  continua: number,
) {
  // Entries come continuum by continuum; visit them in that order when they do not.
  const m = entries.length.length;
  const ordered = Array.from({ length: m }, (_, i) => i);
  if (entries.continuum.some((c, i) => i > 0 && c < (entries.continuum[i - 1] as number)))
    ordered.sort((i, j) => (entries.continuum[i] as number) - (entries.continuum[j] as number));
  const count = new Float64Array(buckets);
  const total = new Float64Array(buckets);
  const touched: number[] = [];
  const start = new Int32Array(continua + 1);
  const outBucket: number[] = [];
  const outCount: number[] = [];
  const outTotal: number[] = [];
  let e = 0;
  for (let c = 0; c < continua; c++) {
    start[c] = outBucket.length;
    for (; e < m && entries.continuum[ordered[e] as number] === c; e++) {
      const length = entries.length[ordered[e] as number] as number;
      const b = bucketOf(length);
      if (b < 0) continue;
      if (count[b] === 0) touched.push(b);
      count[b] = (count[b] as number) + 1;
      total[b] = (total[b] as number) + length;
    }
    for (const b of touched) {
      outBucket.push(b);
      outCount.push(count[b] as number);
      outTotal.push(total[b] as number);
      count[b] = 0;
      total[b] = 0;
    }
    touched.length = 0;
  }
  start[continua] = outBucket.length;
  return {
    start,
    bucket: Int32Array.from(outBucket),
    count: Float64Array.from(outCount),
    total: Float64Array.from(outTotal),
  };
}

/** Indexes the `units` and `gaps` of `continua` continua. */
export function placementIndex(
  units: LengthList,
  gaps: LengthList,
  continua: number,
): PlacementIndex {
  const lengths = Float64Array.from(new Set(units.length)).sort();
  const at = new Map(Array.from(lengths, (l, j) => [l, j]));
  const size = lengths.length;
  const u = rows(units, size, (l) => at.get(l) as number, continua);
  const g = rows(gaps, size, (l) => lastAtMost(lengths, l), continua);
  return {
    lengths,
    unitStart: u.start,
    unitBucket: u.bucket,
    unitCount: u.count,
    gapStart: g.start,
    gapBucket: g.bucket,
    gapCount: g.count,
    gapTotal: g.total,
    scratch: {
      units: new Float64Array(size),
      terms: new Float64Array(size),
      count: new Float64Array(size),
      total: new Float64Array(size),
    },
  };
}

/** The bucket (position in `index.lengths`) of each of `lengths`, which must be unit lengths. */
export function lengthBuckets(index: PlacementIndex, lengths: ArrayLike<number>): Int32Array {
  return Int32Array.from({ length: lengths.length }, (_, i) =>
    lastAtMost(index.lengths, lengths[i] as number),
  );
}

/**
 * Per distinct unit length l_j: the weighted number of units (`units[j]`) and
 * `terms[j]` = Σ_{gaps g ≥ l_j} w·(g − l_j + 1), the very number the sweep
 * multiplies with — or null when the gap sums are not exact (a weight that is
 * not a whole number, or 2⁵³ reached). The arrays are reused by the next call.
 * In the same pass, `sums[k]` becomes Σ_c w·columns[k][c], added in continuum order.
 */
export function placementTerms(
  index: PlacementIndex,
  weights: ArrayLike<number>,
  columns: readonly Float64Array[],
  sums: Float64Array,
): { units: ArrayLike<number>; terms: Float64Array } | null {
  const { units, count, total } = index.scratch;
  units.fill(0);
  count.fill(0);
  total.fill(0);
  sums.fill(0);
  let whole = true;
  const continua = index.unitStart.length - 1;
  for (let c = 0; c < continua; c++) {
    const w = weights[c] ?? 0;
    if (w === 0) continue;
    for (let k = 0; k < columns.length; k++)
      sums[k] = (sums[k] as number) + w * ((columns[k] as Float64Array)[c] as number);
    if (!whole || !Number.isInteger(w)) {
      whole = false;
      continue;
    }
    for (let e = index.unitStart[c] as number; e < (index.unitStart[c + 1] as number); e++) {
      const b = index.unitBucket[e] as number;
      units[b] = (units[b] as number) + w * (index.unitCount[e] as number);
    }
    for (let e = index.gapStart[c] as number; e < (index.gapStart[c + 1] as number); e++) {
      const b = index.gapBucket[e] as number;
      count[b] = (count[b] as number) + w * (index.gapCount[e] as number);
      total[b] = (total[b] as number) + w * (index.gapTotal[e] as number);
    }
  }
  if (!whole) return null;
  return termsOf(index, units, count, total);
}

/**
 * `placementTerms` from sums already made: per bucket j the weighted units,
 * gap count and gap length (whole-number weights). Null when not exact.
 */
export function termsOf(
  index: PlacementIndex,
  units: ArrayLike<number>,
  count: ArrayLike<number>,
  total: ArrayLike<number>,
): { units: ArrayLike<number>; terms: Float64Array } | null {
  const { terms } = index.scratch;
  // From the longest unit down: the gaps of group ≥ j are exactly those that hold length j.
  let gapCount = 0;
  let gapTotal = 0;
  for (let j = index.lengths.length - 1; j >= 0; j--) {
    const l = index.lengths[j] as number;
    gapCount += count[j] as number;
    gapTotal += total[j] as number;
    terms[j] = gapTotal - gapCount * (l - 1);
  }
  return gapTotal < EXACT ? { units, terms } : null;
}

/** Σ_j units[j]·l_j²·terms[j] when that is below 2⁵³ (so exact), else null. */
export function exactPlacements(
  index: PlacementIndex,
  { units, terms }: { units: ArrayLike<number>; terms: Float64Array },
): number | null {
  let placements = 0;
  for (let j = index.lengths.length - 1; j >= 0; j--) {
    const n = units[j] as number;
    const l = index.lengths[j] as number;
    if (n !== 0) placements += n * l * l * (terms[j] as number);
  }
  return placements < EXACT ? placements : null;
}

/**
 * The [length, continuum] entries sorted by length, longest first, entries of
 * equal length in their original order (a stable sort; counting sort for
 * whole-number lengths).
 */
export function longestFirst(
  lengths: readonly number[],
  continua: readonly number[],
): { length: Float64Array; continuum: Int32Array } {
  const m = lengths.length;
  let max = 0;
  let whole = true;
  for (const l of lengths) {
    if (!Number.isInteger(l) || l < 0) whole = false;
    else if (l > max) max = l;
  }
  let order: ArrayLike<number>;
  if (whole && max <= 16 * m + 1024) {
    // Counting sort: slot of each length from the longest down, then place in order.
    const next = new Int32Array(max + 2);
    for (const l of lengths) next[l] = (next[l] as number) + 1;
    let at = 0;
    for (let l = max; l >= 0; l--) {
      const count = next[l] as number;
      next[l] = at;
      at += count;
    }
    const sorted = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const l = lengths[i] as number;
      sorted[next[l] as number] = i;
      next[l] = (next[l] as number) + 1;
    }
    order = sorted;
  } else {
    order = Array.from({ length: m }, (_, i) => i).sort(
      (i, j) => (lengths[j] as number) - (lengths[i] as number) || i - j,
    );
  }
  const length = new Float64Array(m);
  const continuum = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const i = order[k] as number;
    length[k] = lengths[i] as number;
    continuum[k] = continua[i] as number;
  }
  return { length, continuum };
}

/**
 * Σ_units w·l²·terms[length of the unit] in the sweep's order (longest units
 * first): the order of additions decides the result once the sum passes 2⁵³.
 * Typed arrays only, so that the loop compiles to plain machine code.
 */
export function sweepUnits(
  unitLength: Float64Array,
  unitContinuum: Int32Array,
  unitBucket: Int32Array,
  weights: Float64Array,
  terms: Float64Array,
): number {
  let placements = 0;
  for (let u = 0; u < unitLength.length; u++) {
    const w = weights[unitContinuum[u] as number] as number;
    if (w === 0) continue;
    const l = unitLength[u] as number;
    placements += w * l * l * (terms[unitBucket[u] as number] as number);
  }
  return placements;
}
