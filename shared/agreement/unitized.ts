/**
 * Krippendorff's unitized alpha (α_U) for span annotations, as defined in
 * Krippendorff (1995) "On the reliability of unitizing continuous data",
 * Sociological Methodology 25:47–76, and Content Analysis (2004, ch. 12), in
 * the form DKPro Statistics implements it (`KrippendorffAlphaUnitizingAgreement`,
 * used by INCEpTION). For one label, each coder's segments with that label
 * form a binary unitizing of every continuum: units (the label's segments)
 * and gaps (the stretches between them, where the coder did not use it).
 *
 * With R coders, total length L = Σ continuum lengths, and N units of the label
 * over all coders and continua (unit lengths l, gap lengths g):
 *
 *   D_O = 2 / (R(R−1)L²) · Σ_{coder pairs} Σ_{stretch pairs} δ²
 *   δ²  = (Δstart)² + (Δend)²  for two overlapping units,
 *         l²                   for a unit lying wholly inside the other coder's gap,
 *         0                    otherwise (gap vs gap, non-overlapping stretches)
 *   D_E = (2/L) · Σ_units [ (N−1)(2l³ − 3l² + l)/3 + l² · Σ_{gaps g ≥ l} (g − l + 1) ]
 *         / ( RL(RL − 1) − Σ_units l(l − 1) )
 *   α_U = 1 − D_O / D_E
 *
 * Gaps come from every coder (including coders without any unit of the label)
 * and every continuum; a gap never crosses a continuum boundary. With a single
 * continuum this is exactly DKPro's computation; several continua are pooled
 * as if concatenated except that gaps end at each article's end.
 *
 * Everything is interval arithmetic: O(N log N + R²·N + continua·R) per label, no
 * per-character loops.
 */

import {
  exactPlacements,
  lengthBuckets,
  longestFirst,
  type PlacementIndex,
  placementIndex,
  placementTerms,
  sweepUnits,
} from "./unitized-placements";

/** A labelled stretch [start, end) of a continuum (code-point offsets, end-exclusive). */
export interface Segment {
  start: number;
  end: number;
  label: string;
}

/** One continuum (an article): its length and each coder's segments (same coder order everywhere). */
export interface Continuum {
  length: number;
  segments: readonly (readonly Segment[])[];
}

/** α_U for one label plus its ingredients (observed/expected disagreement, data size). */
export interface UnitizedResult {
  /** The label the result is for. */
  label: string;
  /** 1 − observed/expected; null when undefined (fewer than 2 coders, no text, or no unit of the label). */
  alpha: number | null;
  /** Observed disagreement D_O. */
  observed: number;
  /** Expected disagreement D_E. */
  expected: number;
  coders: number;
  continua: number;
  /** Total length L of all continua. */
  length: number;
  /** Number of units of the label over all coders after merging overlaps. */
  units: number;
}

/** One coder's stretch for the distance function: a unit of the label, or a gap without it. */
export interface Stretch {
  start: number;
  end: number;
  unit: boolean;
}

/**
 * Krippendorff's squared distance δ² between two coders' stretches (1995, 2004:
 * the distance DKPro's `measureDistance` computes): overlapping units differ by
 * their squared start and end offsets, a unit wholly inside a gap of the other
 * coder counts its squared length, everything else is 0.
 */
export function unitizingDistance(a: Stretch, b: Stretch): number {
  if (a.unit && b.unit) {
    if (a.start < b.end && b.start < a.end) {
      return (a.start - b.start) ** 2 + (a.end - b.end) ** 2;
    }
    return 0;
  }
  if (a.unit && !b.unit && b.start <= a.start && a.end <= b.end) {
    return (a.end - a.start) ** 2;
  }
  if (!a.unit && b.unit && a.start <= b.start && b.end <= a.end) {
    return (b.end - b.start) ** 2;
  }
  return 0;
}

/** [start, end) runs of one coder in one continuum: sorted, disjoint (touching allowed). */
type Runs = [number, number][];

/**
 * Clips segments to [0, length], drops empty ones, sorts them and merges
 * overlapping (or nested, or duplicate) ones into their union. Segments that
 * merely touch (end === next start) stay separate units, as in the
 * Krippendorff (1995) example where one coder marks adjacent units.
 */
function toRuns(segments: readonly { start: number; end: number }[], length: number): Runs {
  const clipped: Runs = [];
  for (const s of segments) {
    const start = Math.max(0, s.start);
    const end = Math.min(length, s.end);
    if (end > start) clipped.push([start, end]);
  }
  clipped.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const runs: Runs = [];
  for (const run of clipped) {
    const last = runs.at(-1);
    if (last && run[0] < last[1]) {
      last[1] = Math.max(last[1], run[1]);
    } else {
      runs.push([run[0], run[1]]);
    }
  }
  return runs;
}

/** Σ δ² over all stretch pairs of two coders in one continuum (gap–gap pairs are 0). */
function pairDisagreement(a: Runs, b: Runs): number {
  const coveredA = new Uint8Array(a.length);
  const coveredB = new Uint8Array(b.length);
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i] as [number, number];
    const [bs, be] = b[j] as [number, number];
    if (as < be && bs < ae) {
      sum += (as - bs) ** 2 + (ae - be) ** 2;
      coveredA[i] = 1;
      coveredB[j] = 1;
    }
    if (ae <= be) i++;
    if (be <= ae) j++;
  }
  // A unit no unit of the other coder overlaps lies wholly inside one of its gaps.
  a.forEach(([s, e], k) => {
    if (!coveredA[k]) sum += (e - s) ** 2;
  });
  b.forEach(([s, e], k) => {
    if (!coveredB[k]) sum += (e - s) ** 2;
  });
  return sum;
}

/** Index of the first element ≥ value in an ascending array. */
function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function coderCount(continua: readonly Continuum[]): number {
  const coders = continua[0]?.segments.length ?? 0;
  for (const c of continua) {
    if (c.segments.length !== coders) {
      throw new RangeError(
        `unitized alpha: every continuum needs the same coders (${coders} vs ${c.segments.length})`,
      );
    }
  }
  return coders;
}

/** continuum index → coder → that coder's segments with the label (only continua that have any). */
type LabelSegments = Map<number, { start: number; end: number }[][]>;

function collect(
  continua: readonly Continuum[],
  labels: ReadonlySet<string>,
  coders: number,
): Map<string, LabelSegments> {
  const byLabel = new Map<string, LabelSegments>();
  continua.forEach((continuum, c) => {
    continuum.segments.forEach((segments, r) => {
      for (const s of segments) {
        if (!labels.has(s.label)) continue;
        let perContinuum = byLabel.get(s.label);
        if (!perContinuum) {
          perContinuum = new Map();
          byLabel.set(s.label, perContinuum);
        }
        let perCoder = perContinuum.get(c);
        if (!perCoder) {
          perCoder = Array.from({ length: coders }, () => []);
          perContinuum.set(c, perCoder);
        }
        perCoder[r]?.push(s);
      }
    });
  });
  return byLabel;
}

function alphaFor(
  label: string,
  continua: readonly Continuum[],
  coders: number,
  segments: LabelSegments | undefined,
): UnitizedResult {
  const R = coders;
  const L = continua.reduce((sum, c) => sum + Math.max(0, c.length), 0);
  const base = { label, coders: R, continua: continua.length, length: L };
  let observedSum = 0;
  const unitLengths: number[] = [];
  const gaps: number[] = [];
  continua.forEach((continuum, c) => {
    const length = Math.max(0, continuum.length);
    const perCoder = segments?.get(c);
    if (!perCoder) {
      if (length > 0) for (let r = 0; r < R; r++) gaps.push(length);
      return;
    }
    const runs = perCoder.map((s) => toRuns(s, length));
    for (let r1 = 0; r1 < R; r1++) {
      for (let r2 = r1 + 1; r2 < R; r2++) {
        observedSum += pairDisagreement(runs[r1] ?? [], runs[r2] ?? []);
      }
    }
    for (const coderRuns of runs) {
      let pos = 0;
      for (const [s, e] of coderRuns) {
        if (s > pos) gaps.push(s - pos);
        unitLengths.push(e - s);
        pos = e;
      }
      if (length > pos) gaps.push(length - pos);
    }
  });
  const N = unitLengths.length;
  if (R < 2 || L <= 0) {
    return { ...base, alpha: null, observed: 0, expected: 0, units: N };
  }
  const observed = (2 * observedSum) / (R * (R - 1) * L * L);

  const sortedGaps = Float64Array.from(gaps).sort();
  const suffix = new Float64Array(sortedGaps.length + 1);
  for (let k = sortedGaps.length - 1; k >= 0; k--) {
    suffix[k] = (suffix[k + 1] as number) + (sortedGaps[k] as number);
  }
  let cubic = 0;
  let placements = 0;
  let selfPairs = 0;
  for (const l of unitLengths) {
    cubic += 2 * l ** 3 - 3 * l ** 2 + l;
    const from = lowerBound(sortedGaps, l);
    const count = sortedGaps.length - from;
    placements += l * l * ((suffix[from] as number) - count * (l - 1));
    selfPairs += l * (l - 1);
  }
  const numerator = (2 / L) * (((N - 1) * cubic) / 3 + placements);
  const denominator = R * L * (R * L - 1) - selfPairs;
  const expected = denominator > 0 ? numerator / denominator : 0;

  let alpha: number | null;
  if (!(expected > 0)) alpha = null;
  else if (observed === expected) alpha = 0;
  else alpha = 1 - observed / expected;
  return { ...base, alpha, observed, expected, units: N };
}

/**
 * Krippendorff's α_U for one label: each coder's segments with that label form
 * a binary unitizing of each continuum. A coder's overlapping or nested segments
 * of the label are merged into their union first (DKPro requires them not to
 * overlap; INCEpTION drops the later one); touching segments stay separate.
 * Segments are clipped to [0, length]; empty ones are ignored. alpha is null
 * where DKPro would return NaN or, with no unit of the label at all, 0.
 * Throws a RangeError if continua disagree on the number of coders.
 */
export function unitizedAlpha(continua: readonly Continuum[], label: string): UnitizedResult {
  const coders = coderCount(continua);
  return alphaFor(label, continua, coders, collect(continua, new Set([label]), coders).get(label));
}

/** α_U for each of `labels` (in that order), grouping the segments in one pass. */
export function unitizedAlphaAll(
  continua: readonly Continuum[],
  labels: readonly string[],
): UnitizedResult[] {
  const coders = coderCount(continua);
  const byLabel = collect(continua, new Set(labels), coders);
  return labels.map((label) => alphaFor(label, continua, coders, byLabel.get(label)));
}

/** α_U over several labels of the same continua: mean D_O over mean D_E. */
export interface UnitizedOverall {
  alpha: number | null;
  observed: number;
  expected: number;
  labels: number;
}

/**
 * Combines per-label results of the same continua the way DKPro's
 * `calculateAgreement()` does: α = 1 − mean(D_O) / mean(D_E) over the labels
 * (not the mean of the per-label alphas). Labels without units add 0 to both.
 */
export function unitizedAlphaOverall(results: readonly UnitizedResult[]): UnitizedOverall {
  const n = results.length;
  const observed = n ? results.reduce((s, r) => s + r.observed, 0) / n : 0;
  const expected = n ? results.reduce((s, r) => s + r.expected, 0) / n : 0;
  let alpha: number | null;
  if (!(expected > 0)) alpha = null;
  else if (observed === expected) alpha = 0;
  else alpha = 1 - observed / expected;
  return { alpha, observed, expected, labels: n };
}

/** One label's α_U ingredients per continuum, for fast recomputation under article weights. */
export interface PreparedUnitizing {
  label: string;
  coders: number;
  lengths: Float64Array;
  /** Σ δ² over coder pairs, per continuum. */
  observed: Float64Array;
  /** Σ over units of 2l³−3l²+l and of l(l−1), and the number of units, per continuum. */
  cubic: Float64Array;
  selfPairs: Float64Array;
  units: Float64Array;
  /** Every unit and gap length with its continuum, sorted by length descending. */
  unitLength: Float64Array;
  unitContinuum: Int32Array;
  gapLength: Float64Array;
  gapContinuum: Int32Array;
  /** The same units and gaps summarised per continuum (see unitized-placements.ts). */
  placements: PlacementIndex;
  /** Each unit's position among the distinct unit lengths (`placements.lengths`). */
  unitBucket: Int32Array;
}

/**
 * Precomputes α_U for `label` so that `weightedUnitizedAlpha` can recompute it
 * for any multiset of the continua (a bootstrap resample) in time linear in the
 * units and gaps, instead of redoing the runs and pairwise distances.
 */
export function prepareUnitizing(continua: readonly Continuum[], label: string): PreparedUnitizing {
  const R = coderCount(continua);
  return prepareFrom(continua, label, R, collect(continua, new Set([label]), R).get(label));
}

/** `prepareUnitizing` for each of `labels` (in that order), grouping the segments in one pass. */
export function prepareUnitizingAll(
  continua: readonly Continuum[],
  labels: readonly string[],
): PreparedUnitizing[] {
  const R = coderCount(continua);
  const byLabel = collect(continua, new Set(labels), R);
  return labels.map((label) => prepareFrom(continua, label, R, byLabel.get(label)));
}

function prepareFrom(
  continua: readonly Continuum[],
  label: string,
  R: number,
  segments: LabelSegments | undefined,
): PreparedUnitizing {
  const n = continua.length;
  const prepared = {
    lengths: new Float64Array(n),
    observed: new Float64Array(n),
    cubic: new Float64Array(n),
    selfPairs: new Float64Array(n),
    units: new Float64Array(n),
  };
  // Units and gaps as [length, continuum] in two flat lists each, continuum by continuum.
  const units = { length: [] as number[], continuum: [] as number[] };
  const gaps = { length: [] as number[], continuum: [] as number[] };
  const push = (list: typeof units, length: number, c: number) => {
    list.length.push(length);
    list.continuum.push(c);
  };
  continua.forEach((continuum, c) => {
    const length = Math.max(0, continuum.length);
    prepared.lengths[c] = length;
    const perCoder = segments?.get(c);
    if (!perCoder) {
      if (length > 0) for (let r = 0; r < R; r++) push(gaps, length, c);
      return;
    }
    const runs = perCoder.map((s) => toRuns(s, length));
    let observed = 0;
    for (let r1 = 0; r1 < R; r1++)
      for (let r2 = r1 + 1; r2 < R; r2++)
        observed += pairDisagreement(runs[r1] ?? [], runs[r2] ?? []);
    prepared.observed[c] = observed;
    for (const coderRuns of runs) {
      let pos = 0;
      for (const [s, e] of coderRuns) {
        if (s > pos) push(gaps, s - pos, c);
        const l = e - s;
        push(units, l, c);
        prepared.cubic[c] = (prepared.cubic[c] ?? 0) + 2 * l ** 3 - 3 * l ** 2 + l;
        prepared.selfPairs[c] = (prepared.selfPairs[c] ?? 0) + l * (l - 1);
        prepared.units[c] = (prepared.units[c] ?? 0) + 1;
        pos = e;
      }
      if (length > pos) push(gaps, length - pos, c);
    }
  });
  const placements = placementIndex(units, gaps, n);
  const sortedUnits = longestFirst(units.length, units.continuum);
  const sortedGaps = longestFirst(gaps.length, gaps.continuum);
  return {
    label,
    coders: R,
    ...prepared,
    unitLength: sortedUnits.length,
    unitContinuum: sortedUnits.continuum,
    gapLength: sortedGaps.length,
    gapContinuum: sortedGaps.continuum,
    placements,
    unitBucket: lengthBuckets(placements, sortedUnits.length),
  };
}

/**
 * α_U of a prepared label where continuum `c` counts `weights[c]` times (0 = left
 * out): exactly `unitizedAlpha` of the continua repeated that often, computed
 * from sums (observed, lengths, units) and one sweep over the sorted unit and
 * gap lengths for the placements term.
 */
export function weightedUnitizedAlpha(
  p: PreparedUnitizing,
  weights: ArrayLike<number>,
): number | null {
  // One pass over the continua: the weighted sums of lengths, observed disagreement,
  // cubic and self-pair terms and unit counts, and the placement summaries.
  const sums = new Float64Array(5);
  const terms = placementTerms(
    p.placements,
    weights,
    [p.lengths, p.observed, p.cubic, p.selfPairs, p.units],
    sums,
  );
  return alphaFromSums(p, sums, terms, weights);
}

/**
 * The rest of `weightedUnitizedAlpha` once its sums are made (for callers that
 * make them in their own pass): `sums` holds the weighted lengths, observed
 * disagreement, cubic terms, self pairs and units, `terms` what
 * `placementTerms` returns for the same weights.
 */
export function alphaFromSums(
  p: PreparedUnitizing,
  sums: ArrayLike<number>,
  terms: { units: ArrayLike<number>; terms: Float64Array } | null,
  weights: ArrayLike<number>,
): number | null {
  const R = p.coders;
  const L = sums[0] ?? 0;
  const observedSum = sums[1] ?? 0;
  const cubic = sums[2] ?? 0;
  const selfPairs = sums[3] ?? 0;
  const N = sums[4] ?? 0;
  if (R < 2 || L <= 0) return null;
  const observed = (2 * observedSum) / (R * (R - 1) * L * L);
  // Σ_units w·l²·Σ_{gaps g ≥ l} w·(g − l + 1): from the summaries when that is exact; else
  // in the order of additions of a sweep over both lists from the longest down (with the
  // gap sums per length from the summaries when those are exact).
  const exact = terms === null ? null : exactPlacements(p.placements, terms);
  let placements = exact ?? 0;
  if (exact === null && terms !== null) {
    placements = sweepUnits(
      p.unitLength,
      p.unitContinuum,
      p.unitBucket,
      weights instanceof Float64Array && weights.length >= p.lengths.length
        ? weights
        : Float64Array.from({ length: p.lengths.length }, (_, c) => weights[c] ?? 0),
      terms.terms,
    );
  } else if (exact === null) {
    let count = 0;
    let total = 0;
    let g = 0;
    for (let u = 0; u < p.unitLength.length; u++) {
      const w = weights[p.unitContinuum[u] as number] ?? 0;
      const l = p.unitLength[u] as number;
      while (g < p.gapLength.length && (p.gapLength[g] as number) >= l) {
        const wg = weights[p.gapContinuum[g] as number] ?? 0;
        count += wg;
        total += wg * (p.gapLength[g] as number);
        g++;
      }
      if (w !== 0) placements += w * l * l * (total - count * (l - 1));
    }
  }
  const numerator = (2 / L) * (((N - 1) * cubic) / 3 + placements);
  const denominator = R * L * (R * L - 1) - selfPairs;
  const expected = denominator > 0 ? numerator / denominator : 0;
  if (!(expected > 0)) return null;
  return observed === expected ? 0 : 1 - observed / expected;
}
