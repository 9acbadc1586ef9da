/**
 * The bootstrap of the agreement report (report.ts): every estimate gets its
 * value at once and its interval when the report is finished, where each set
 * of articles is resampled once for all the statistics on it — the very
 * resamples `bootstrapInterval` would draw with the same seed. Statistics work
 * from per-article counts and draw weights instead of resampled copies; the
 * sums involved are of whole numbers, so they are exact and the results equal
 * those of adding up the resampled articles one by one.
 */
import type { DatasetDocument } from "../dataset/dataset";
import { bootstrapIntervals, type Resample } from "./bootstrap";
import type { ReliabilityData, ReliabilityUnit, Value } from "./reliability";
import type { Estimate } from "./report-types";
import { alphaFromSums, type PreparedUnitizing } from "./unitized";
import { termsOf } from "./unitized-placements";

/** Span counts of one label. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** What the report keeps of one double-coded article. */
export interface ArticleData {
  id: string;
  title: string;
  length: number;
  coders: string[];
  /** Spans and codes per coder (same order as `coders`). */
  docs: DatasetDocument[];
  /** Aligned span pairs that are not identical, over all coder pairs. */
  differing: number;
  /** Per coder pair: span counts per label, exact and overlap (summed by the statistics). */
  scores: Map<string, { exact: Map<string, Counts>; overlap: Map<string, Counts> }>;
  /** Per coder pair: the label units of aligned spans, compressed to value pairs with counts. */
  labelTuples: Map<string, Map<string, number>>;
  /** Per coder pair: polarity and target of aligned stance spans, compressed likewise. */
  polarityTuples: Map<string, Map<string, number>>;
  targetTuples: Map<string, Map<string, number>>;
}

/** F1 from counts; null without any span. */
export function f1(tp: number, fp: number, fn: number): number | null {
  return tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn);
}

/** A statistic of one bootstrap resample of a set of articles. */
export type Statistic = (resample: Resample<ArticleData>) => number | null;

type TupleField = "labelTuples" | "polarityTuples" | "targetTuples";

/**
 * Values per article (sparse columns) summed with each resample's weights,
 * every column in one pass over the articles, in article order. Statistics
 * reserve columns and fill them before the first resample.
 */
class WeightedSums {
  private width = 0;
  private readonly rows: { column: number[]; value: number[] }[];
  private frozen: { start: Int32Array; column: Int32Array; value: Float64Array } | null = null;
  private sums = new Float64Array(0);
  private sumsFor = -1;

  constructor(private readonly n: number) {
    this.rows = Array.from({ length: n }, () => ({ column: [], value: [] }));
  }

  /** Reserves `count` columns; returns the first. */
  reserve(count: number): number {
    const first = this.width;
    this.width += count;
    return first;
  }

  /** Adds `value` to article `i`'s cell in `column` (zeros are left out: they add nothing). */
  add(i: number, column: number, value: number): void {
    if (value === 0) return;
    const row = this.rows[i] as { column: number[]; value: number[] };
    row.column.push(column);
    row.value.push(value);
  }

  /** Σ_i weights[i]·cell, per column, for this resample (computed once per resample). */
  of({ index, weights }: Resample<ArticleData>): Float64Array {
    if (index === this.sumsFor) return this.sums;
    if (!this.frozen) {
      const start = new Int32Array(this.n + 1);
      let size = 0;
      this.rows.forEach((row, i) => {
        start[i] = size;
        size += row.column.length;
      });
      start[this.n] = size;
      const column = new Int32Array(size);
      const value = new Float64Array(size);
      this.rows.forEach((row, i) => {
        column.set(row.column, start[i] as number);
        value.set(row.value, start[i] as number);
      });
      this.frozen = { start, column, value };
      this.sums = new Float64Array(this.width);
    }
    const { start, column, value } = this.frozen;
    const sums = this.sums;
    sums.fill(0);
    for (let i = 0; i < this.n; i++) {
      const w = weights[i] as number;
      if (w === 0) continue;
      for (let e = start[i] as number; e < (start[i + 1] as number); e++) {
        const k = column[e] as number;
        sums[k] = (sums[k] as number) + w * (value[e] as number);
      }
    }
    this.sumsFor = index;
    return sums;
  }
}

/**
 * Every span count of every article — a column per (coder pair, mode,
 * label) and tp/fp/fn — for the F1 statistics.
 */
class CountColumns {
  private readonly columns = new Map<string, number>();

  constructor(
    items: readonly ArticleData[],
    private readonly sums: WeightedSums,
  ) {
    const key = (pair: string, mode: string, label: string) => `${pair}\u0000${mode}\u0000${label}`;
    for (const article of items)
      for (const [pair, byMode] of article.scores)
        for (const mode of ["exact", "overlap"] as const)
          for (const label of byMode[mode].keys())
            if (!this.columns.has(key(pair, mode, label)))
              this.columns.set(key(pair, mode, label), sums.reserve(3));
    items.forEach((article, i) => {
      for (const [pair, byMode] of article.scores)
        for (const mode of ["exact", "overlap"] as const)
          for (const [label, counts] of byMode[mode]) {
            const at = this.columns.get(key(pair, mode, label)) as number;
            sums.add(i, at, counts.tp);
            sums.add(i, at + 1, counts.fp);
            sums.add(i, at + 2, counts.fn);
          }
    });
  }

  /** `f1Of` on the resample: counts of the matching pairs and labels, summed. */
  statistic(mode: "exact" | "overlap", pair?: string, label?: string): Statistic {
    const picked: number[] = [];
    for (const [key, at] of this.columns) {
      const [p, m, l] = key.split("\u0000");
      if (m === mode && (pair === undefined || p === pair) && (label === undefined || l === label))
        picked.push(at);
    }
    return (resample) => {
      const sums = this.sums.of(resample);
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const at of picked) {
        tp += sums[at] as number;
        fp += sums[at + 1] as number;
        fn += sums[at + 2] as number;
      }
      return f1(tp, fp, fn);
    };
  }
}

/**
 * `tupleData` on a resample, from counts per article: the same units with the
 * same weights in the same order (first appearance along the draws), computed
 * once per resample however many statistics use it.
 */
function tupleSource(
  items: readonly ArticleData[],
  field: TupleField,
  pair: string | undefined,
  sums: WeightedSums,
): (resample: Resample<ArticleData>) => ReliabilityData {
  const n = items.length;
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const start = new Int32Array(n + 1);
  const entryKey: number[] = [];
  const entryCount: number[] = [];
  items.forEach((article, i) => {
    start[i] = entryKey.length;
    for (const [key, tuples] of article[field]) {
      if (pair !== undefined && key !== pair) continue;
      for (const [tuple, count] of tuples) {
        let k = keyIndex.get(tuple);
        if (k === undefined) {
          k = keys.length;
          keys.push(tuple);
          keyIndex.set(tuple, k);
        }
        entryKey.push(k);
        entryCount.push(count);
      }
    }
  });
  start[n] = entryKey.length;
  const first = sums.reserve(keys.length);
  for (let i = 0; i < n; i++)
    for (let e = start[i] as number; e < (start[i + 1] as number); e++)
      sums.add(i, first + (entryKey[e] as number), entryCount[e] as number);
  const seen = new Uint8Array(keys.length);
  let cachedFor = -1;
  let cached: ReliabilityData = { coders: ["a", "b"], units: [] };
  return (resample) => {
    const { index, draws } = resample;
    if (index === cachedFor) return cached;
    const all = sums.of(resample);
    const totals = all.subarray(first, first + keys.length);
    let distinct = 0;
    for (const total of totals) if (total !== 0) distinct++;
    seen.fill(0);
    const order: number[] = [];
    for (let d = 0; d < draws.length && order.length < distinct; d++) {
      const i = draws[d] as number;
      for (let e = start[i] as number; e < (start[i + 1] as number); e++) {
        const k = entryKey[e] as number;
        if (seen[k]) continue;
        seen[k] = 1;
        order.push(k);
      }
    }
    const units: ReliabilityUnit[] = order.map((k) => ({
      id: keys[k] as string,
      values: JSON.parse(keys[k] as string) as [Value | null, Value | null],
      weight: totals[k] as number,
    }));
    cached = { coders: ["a", "b"], units };
    cachedFor = index;
    return cached;
  };
}

interface Group {
  items: readonly ArticleData[];
  estimates: Estimate[];
  statistics: Statistic[];
  sources: Map<string, (resample: Resample<ArticleData>) => ReliabilityData>;
  sums: WeightedSums;
  counts?: CountColumns;
  /** The column of the continua's lengths (α_U), with the lengths it holds. */
  lengths?: { values: Float64Array; column: number };
}

const sameValues = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

/**
 * True when the cubic terms, self pairs and unit counts of `prepared`, summed
 * under any weights that add up to `n` (a resample), are whole numbers below
 * 2⁵³ — so summing them per unit length gives exactly the per-continuum sums.
 */
function unitSumsAreExact(prepared: PreparedUnitizing, n: number): boolean {
  const { lengths } = prepared.placements;
  if (!lengths.every((l) => Number.isInteger(l) && l >= 1)) return false;
  let most = 0;
  for (let c = 0; c < prepared.cubic.length; c++)
    most = Math.max(
      most,
      prepared.cubic[c] as number,
      prepared.selfPairs[c] as number,
      prepared.units[c] as number,
    );
  return n * most < 2 ** 52;
}

const sameItems = (a: readonly ArticleData[], b: readonly ArticleData[]) =>
  a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

/**
 * The estimates of one report: each gets its value at once and its bootstrap
 * interval in `finish`. Sets of the same articles in the same order (e.g. the
 * one coder pair's articles and all articles) share their resamples: the same
 * seed draws the same ones.
 */
export class Estimates {
  private readonly groups: Group[] = [];

  constructor(
    private readonly seed: number,
    private readonly samples: number,
  ) {}

  private group(items: readonly ArticleData[]): Group {
    let group = this.groups.find((g) => sameItems(g.items, items));
    if (!group) {
      group = {
        items,
        estimates: [],
        statistics: [],
        sources: new Map(),
        sums: new WeightedSums(items.length),
      };
      this.groups.push(group);
    }
    return group;
  }

  /** The estimate of `value` on `items`; `statistic` computes it on a resample. */
  add(items: readonly ArticleData[], value: number | null, statistic: () => Statistic): Estimate {
    const estimate: Estimate = { value, low: null, high: null };
    if (value === null || this.samples === 0 || items.length < 2) return estimate;
    const group = this.group(items);
    group.estimates.push(estimate);
    group.statistics.push(statistic());
    return estimate;
  }

  /** `f1Of(resample, mode, pair, label)` as a statistic. */
  f1(items: readonly ArticleData[], mode: "exact" | "overlap", pair?: string, label?: string) {
    const group = this.group(items);
    group.counts ??= new CountColumns(group.items, group.sums);
    return group.counts.statistic(mode, pair, label);
  }

  /** The resampled tuple data of `items` (shared by the statistics that use it). */
  tuples(
    items: readonly ArticleData[],
    field: TupleField,
    pair?: string,
  ): (resample: Resample<ArticleData>) => ReliabilityData {
    const group = this.group(items);
    // A filter that every article passes anyway (one coder pair) is no filter.
    const filter =
      pair !== undefined && group.items.every((a) => [...a[field].keys()].every((k) => k === pair))
        ? undefined
        : pair;
    const key = `${field}|${filter ?? ""}`;
    let source = group.sources.get(key);
    if (!source) {
      source = tupleSource(group.items, field, filter, group.sums);
      group.sources.set(key, source);
    }
    return source;
  }

  /**
   * α_U of `prepared` (its continua are `items`, in order) as a statistic: its
   * sums come from the shared pass over the articles, in article order, exactly
   * as `weightedUnitizedAlpha` makes them.
   */
  alphaU(items: readonly ArticleData[], prepared: PreparedUnitizing): Statistic {
    const group = this.group(items);
    const { sums } = group;
    const index = prepared.placements;
    const size = index.lengths.length;
    const n = items.length;
    // The continua's lengths are the same for every label: one column for all.
    if (!group.lengths || !sameValues(group.lengths.values, prepared.lengths)) {
      const column = sums.reserve(1);
      for (let c = 0; c < n; c++) sums.add(c, column, prepared.lengths[c] as number);
      group.lengths = { values: prepared.lengths, column };
    }
    const lengthColumn = group.lengths.column;
    // Cubic terms, self pairs and unit counts follow from the units per length, exactly,
    // when every sum of them stays a whole number below 2⁵³ (weights sum to n).
    const derived = unitSumsAreExact(prepared, n);
    const first = sums.reserve(4 + 3 * size);
    const columns = derived
      ? [prepared.observed]
      : [prepared.observed, prepared.cubic, prepared.selfPairs, prepared.units];
    for (let c = 0; c < n; c++) {
      columns.forEach((column, k) => {
        sums.add(c, first + k, column[c] as number);
      });
      for (let e = index.unitStart[c] as number; e < (index.unitStart[c + 1] as number); e++)
        sums.add(c, first + 4 + (index.unitBucket[e] as number), index.unitCount[e] as number);
      for (let e = index.gapStart[c] as number; e < (index.gapStart[c + 1] as number); e++) {
        const b = index.gapBucket[e] as number;
        sums.add(c, first + 4 + size + b, index.gapCount[e] as number);
        sums.add(c, first + 4 + 2 * size + b, index.gapTotal[e] as number);
      }
    }
    const five = new Float64Array(5);
    return (resample) => {
      const all = sums.of(resample);
      const at = first + 4;
      const units = all.subarray(at, at + size);
      five[0] = all[lengthColumn] as number;
      five[1] = all[first] as number;
      if (derived) {
        let cubic = 0;
        let selfPairs = 0;
        let count = 0;
        for (let j = 0; j < size; j++) {
          const u = units[j] as number;
          const l = index.lengths[j] as number;
          cubic += u * (2 * l ** 3 - 3 * l ** 2 + l);
          selfPairs += u * (l * (l - 1));
          count += u;
        }
        five[2] = cubic;
        five[3] = selfPairs;
        five[4] = count;
      } else {
        five[2] = all[first + 1] as number;
        five[3] = all[first + 2] as number;
        five[4] = all[first + 3] as number;
      }
      const terms = termsOf(
        index,
        units,
        all.subarray(at + size, at + 2 * size),
        all.subarray(at + 2 * size, at + 3 * size),
      );
      return alphaFromSums(prepared, five, terms, resample.weights);
    };
  }

  /** Computes every interval. */
  finish(): void {
    for (const group of this.groups) {
      if (group.statistics.length === 0) continue;
      const intervals = bootstrapIntervals(group.items, group.statistics, {
        seed: this.seed,
        samples: this.samples,
      });
      intervals.forEach((interval, i) => {
        const estimate = group.estimates[i] as Estimate;
        estimate.low = interval.low;
        estimate.high = interval.high;
      });
    }
  }
}
