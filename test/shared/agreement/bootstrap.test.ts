import { describe, expect, it, vi } from "vitest";
import {
  bootstrapInterval,
  mulberry32,
  quantile,
  resample,
} from "../../../shared/agreement/bootstrap";
import {
  krippendorffAlpha,
  type ReliabilityData,
  type ReliabilityUnit,
} from "../../../shared/agreement/reliability";

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders × 12 units.
const rows = [
  "1 2 3 3 2 1 4 1 2 . . .",
  "1 2 3 3 2 2 4 1 2 5 . 3",
  ". 3 3 3 2 3 4 2 2 5 1 .",
  "1 2 3 3 2 4 4 1 2 5 1 .",
].map((row) => row.split(" ").map((v) => (v === "." ? null : Number(v))));
const K2011: ReliabilityData = {
  coders: ["A", "B", "C", "D"],
  units: Array.from({ length: 12 }, (_, u) => ({
    id: String(u + 1),
    values: rows.map((row) => row[u] ?? null),
  })),
};

/** Nominal alpha of a resample of units, as callers would bootstrap it. */
const nominalAlpha =
  (coders: readonly string[]) =>
  (units: readonly ReliabilityUnit[]): number | null =>
    krippendorffAlpha({ coders, units }, "nominal").alpha;

/** Simulated coding: 3 coders reproduce a unit's true category (of 4) with probability 0.8. */
function simulated(count: number, seed: number): ReliabilityData {
  const random = mulberry32(seed);
  const pick = () => Math.floor(random() * 4);
  const units = Array.from({ length: count }, (_, u) => {
    const truth = pick();
    return { id: `u${u}`, values: [0, 1, 2].map(() => (random() < 0.8 ? truth : pick())) };
  });
  return { coders: ["a", "b", "c"], units };
}

describe("mulberry32", () => {
  it("is deterministic per seed and reproduces the reference generator", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    // Pinned outputs of the reference mulberry32 for seed 42.
    expect(first).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    expect(mulberry32(43)()).not.toBe(first[0]);
    // Seeds are taken modulo 2³².
    expect(mulberry32(2 ** 32 + 42)()).toBe(first[0]);
  });

  it("draws roughly uniform numbers in [0, 1)", () => {
    const random = mulberry32(7);
    const draws = Array.from({ length: 20_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    const deciles = Array.from({ length: 10 }, () => 0);
    for (const x of draws) deciles[Math.floor(x * 10)] = (deciles[Math.floor(x * 10)] ?? 0) + 1;
    for (const n of deciles) expect(Math.abs(n - 2000)).toBeLessThan(150);
  });
});

describe("resample and quantile", () => {
  it("resamples with replacement, keeping the size", () => {
    const items = ["a", "b", "c", "d", "e"];
    const sample = resample(items, mulberry32(1));
    expect(sample).toHaveLength(5);
    for (const item of sample) expect(items).toContain(item);
    expect(resample(items, mulberry32(1))).toEqual(sample);
    expect(resample([], mulberry32(1))).toEqual([]);
    // Over many draws some item repeats: sampling is with replacement.
    const random = mulberry32(3);
    const repeats = Array.from({ length: 50 }, () => new Set(resample(items, random)).size < 5);
    expect(repeats.some(Boolean)).toBe(true);
  });

  it("interpolates like numpy.percentile (type 7)", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75); // np.percentile([1,2,3,4], 25)
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([5], 0.975)).toBe(5);
    expect(quantile([], 0.5)).toBeNull();
  });
});

describe("bootstrapInterval", () => {
  it("gives the same interval for the same seed", () => {
    const statistic = nominalAlpha(K2011.coders);
    const one = bootstrapInterval(K2011.units, statistic, { seed: 2011 });
    const two = bootstrapInterval(K2011.units, statistic, { seed: 2011 });
    expect(two).toEqual(one);
    expect(one.drawn).toBe(1000);
    const other = bootstrapInterval(K2011.units, statistic, { seed: 2012 });
    expect(other).not.toEqual(one);
  });

  it("contains the point estimates of the Krippendorff (2011) example", () => {
    for (const level of ["nominal", "ordinal", "interval"] as const) {
      const point = krippendorffAlpha(K2011, level).alpha ?? Number.NaN;
      const interval = bootstrapInterval(
        K2011.units,
        (units) => krippendorffAlpha({ coders: K2011.coders, units }, level).alpha,
        { seed: 2011, samples: 2000 },
      );
      expect(interval.samples).toBeGreaterThan(1900);
      expect(interval.low ?? Number.NaN).toBeLessThan(point);
      expect(interval.high ?? Number.NaN).toBeGreaterThan(point);
      expect(interval.high ?? Number.NaN).toBeLessThanOrEqual(1);
    }
  });

  it("is wider with fewer units", () => {
    const data = simulated(200, 99);
    const width = (units: readonly ReliabilityUnit[]) => {
      const { low, high } = bootstrapInterval(units, nominalAlpha(data.coders), { seed: 5 });
      return (high ?? Number.NaN) - (low ?? Number.NaN);
    };
    const few = width(data.units.slice(0, 25));
    const many = width(data.units);
    expect(few).toBeGreaterThan(1.5 * many);
    expect(many).toBeGreaterThan(0);
  });

  it("nests intervals of lower levels inside higher ones (same seed, same resamples)", () => {
    const statistic = nominalAlpha(K2011.coders);
    const wide = bootstrapInterval(K2011.units, statistic, { seed: 1, level: 0.95 });
    const narrow = bootstrapInterval(K2011.units, statistic, { seed: 1, level: 0.5 });
    expect(narrow.low ?? Number.NaN).toBeGreaterThanOrEqual(wide.low ?? Number.NaN);
    expect(narrow.high ?? Number.NaN).toBeLessThanOrEqual(wide.high ?? Number.NaN);
  });

  it("skips resamples whose statistic is null or not finite", () => {
    // Mean of the items, undefined when the resample holds a zero.
    const mean = (xs: readonly number[]) =>
      xs.includes(0) ? null : xs.reduce((s, x) => s + x, 0) / xs.length;
    const result = bootstrapInterval([0, 1, 2, 3], mean, { seed: 8, samples: 400 });
    expect(result.drawn).toBe(400);
    expect(result.samples).toBeGreaterThan(0);
    expect(result.samples).toBeLessThan(400);
    expect(result.low ?? 0).toBeGreaterThanOrEqual(1);
    const none = bootstrapInterval([1, 2], () => Number.NaN, { seed: 1, samples: 10 });
    expect(none).toEqual({ low: null, high: null, samples: 0, drawn: 10 });
    const constant = bootstrapInterval([4, 4, 4], mean, { seed: 1, samples: 10 });
    expect(constant).toEqual({ low: 4, high: 4, samples: 10, drawn: 10 });
  });

  it("returns nulls for no items without calling the statistic", () => {
    const statistic = vi.fn(() => 1);
    expect(bootstrapInterval([], statistic, { seed: 1 })).toEqual({
      low: null,
      high: null,
      samples: 0,
      drawn: 0,
    });
    expect(statistic).not.toHaveBeenCalled();
    // Alpha stays null on data without pairable units, so every resample is skipped.
    const lonely = { coders: ["a", "b"], units: [{ id: "1", values: [1, null] }] };
    expect(bootstrapInterval(lonely.units, nominalAlpha(lonely.coders), { seed: 1 }).samples).toBe(
      0,
    );
  });

  it("rejects bad options", () => {
    const f = () => 1;
    expect(() => bootstrapInterval([1], f, { seed: Number.NaN })).toThrow(RangeError);
    expect(() => bootstrapInterval([1], f, { seed: 1, samples: 0 })).toThrow(RangeError);
    expect(() => bootstrapInterval([1], f, { seed: 1, samples: 2.5 })).toThrow(RangeError);
    expect(() => bootstrapInterval([1], f, { seed: 1, level: 1 })).toThrow(RangeError);
    expect(() => bootstrapInterval([1], f, { seed: 1, level: 0 })).toThrow(RangeError);
  });
});
