import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cohensKappa,
  coincidences,
  fleissKappa,
  krippendorffAlpha,
  percentAgreement,
  type ReliabilityData,
  type Value,
} from "../../../shared/agreement/reliability";

/** Reliability data from one row per coder, values separated by spaces, "." = not coded. */
function byCoder(rows: Record<string, string>, parse: (v: string) => Value = Number) {
  const coders = Object.keys(rows);
  const cells = Object.values(rows).map((row) =>
    row.split(/\s+/).map((v) => (v === "." || v === "*" ? null : parse(v))),
  );
  const units = (cells[0] ?? []).map((_, u) => ({
    id: String(u + 1),
    values: cells.map((row) => row[u] ?? null),
  }));
  return { coders, units };
}

/** Reliability data from one row per unit. */
function byUnit(rows: readonly (readonly (Value | null)[])[]): ReliabilityData {
  const width = rows[0]?.length ?? 0;
  return {
    coders: Array.from({ length: width }, (_, i) => `c${i + 1}`),
    units: rows.map((values, u) => ({ id: `u${u + 1}`, values })),
  };
}

/** Two coders from the cells of a 2×2 yes/no table (first coder's answer first). */
function twoByTwo(yy: number, yn: number, ny: number, nn: number) {
  const rows: [string, string][] = [];
  const add = (n: number, pair: [string, string]) => {
    for (let i = 0; i < n; i += 1) rows.push(pair);
  };
  add(yy, ["yes", "yes"]);
  add(yn, ["yes", "no"]);
  add(ny, ["no", "yes"]);
  add(nn, ["no", "no"]);
  return byUnit(rows);
}

const round3 = (x: number | null) => (x === null ? null : Number(x.toFixed(3)));

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E:
// 4 coders × 12 units with missing values (the same data as the test suite of the
// `krippendorff` Python package). Unit 12 has a single value and is not pairable.
const K2011 = byCoder({
  A: "1 2 3 3 2 1 4 1 2 . . .",
  B: "1 2 3 3 2 2 4 1 2 5 . 3",
  C: ". 3 3 3 2 3 4 2 2 5 1 .",
  D: "1 2 3 3 2 4 4 1 2 5 1 .",
});

describe("Krippendorff's alpha: published worked examples", () => {
  it("reproduces Krippendorff (2011): nominal .743, ordinal .815, interval .849", () => {
    const nominal = krippendorffAlpha(K2011, "nominal");
    expect(round3(nominal.alpha)).toBe(0.743);
    expect(round3(krippendorffAlpha(K2011, "ordinal").alpha)).toBe(0.815);
    expect(round3(krippendorffAlpha(K2011, "interval").alpha)).toBe(0.849);
    // n = 40 pairable values in 11 units; 8 of the 40 coincidences are off-diagonal,
    // so D_o = 8/40 and D_e = (40² − Σ n_c²)/(40·39) = (1600 − 384)/1560; α = 113/152.
    expect(nominal).toMatchObject({ pairable: 40, units: 11 });
    expect(nominal.observed).toBeCloseTo(8 / 40, 12);
    expect(nominal.expected).toBeCloseTo(1216 / 1560, 12);
    expect(nominal.alpha).toBeCloseTo(113 / 152, 12);
  });

  it("builds the coincidence matrix of Krippendorff (2011), derived by hand", () => {
    const third = 1 / 3;
    const { values, matrix, totals, pairable } = coincidences(K2011, "interval");
    expect(values).toEqual([1, 2, 3, 4, 5]);
    const expected = [
      [7, 4 * third, third, third, 0],
      [4 * third, 10, 4 * third, third, 0],
      [third, 4 * third, 8, third, 0],
      [third, third, third, 4, 0],
      [0, 0, 0, 0, 3],
    ];
    matrix.forEach((row, c) => {
      row.forEach((o, k) => {
        expect(o).toBeCloseTo(expected[c]?.[k] ?? Number.NaN, 12);
      });
    });
    expect(totals.map((n) => Math.round(n * 1e9) / 1e9)).toEqual([9, 13, 10, 5, 3]);
    expect(pairable).toBe(40);
  });

  it("ranks ordinal string categories by an explicit order (same data, same .815)", () => {
    const names = ["very low", "low", "mid", "high", "very high"];
    const labelled = {
      ...K2011,
      units: K2011.units.map((u) => ({
        ...u,
        values: u.values.map((v) => (v === null ? null : (names[Number(v) - 1] ?? "?"))),
      })),
    };
    expect(round3(krippendorffAlpha(labelled, "ordinal", names).alpha)).toBe(0.815);
    expect(round3(krippendorffAlpha(labelled, "nominal").alpha)).toBe(0.743);
    // Values listed in the order but never used have n_g = 0 and change nothing.
    const wider = krippendorffAlpha(K2011, "ordinal", [0, 1, 2, 3, 4, 5, 6]);
    expect(wider.alpha).toBeCloseTo(krippendorffAlpha(K2011, "ordinal").alpha ?? 0, 12);
  });

  it("reproduces Wikipedia's computational example: nominal .691, interval .811", () => {
    // en.wikipedia.org/wiki/Krippendorff's_alpha#A_computational_example (3 coders,
    // 15 units); values to 6 decimals as asserted by the `krippendorff` package tests.
    const wiki = byCoder({
      A: "* * * * * 3 4 1 2 1 1 3 3 * 3",
      B: "1 * 2 1 3 3 4 3 * * * * * * *",
      C: "* * 2 1 3 4 4 * 2 1 1 3 3 * 4",
    });
    expect(krippendorffAlpha(wiki, "nominal").alpha).toBeCloseTo(0.691358, 6);
    expect(krippendorffAlpha(wiki, "interval").alpha).toBeCloseTo(0.810845, 6);
  });
});

describe("Cohen's and Fleiss' kappa: published worked examples", () => {
  it("reproduces Wikipedia's Cohen's kappa example (50 proposals, κ = 0.4)", () => {
    // en.wikipedia.org/wiki/Cohen's_kappa, "Simple example": yes/yes 20, yes/no 5,
    // no/yes 10, no/no 15 → P_o = 0.7, P_e = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4.
    const result = cohensKappa(twoByTwo(20, 5, 10, 15));
    expect(result.units).toBe(50);
    expect(result.observed).toBeCloseTo(0.7, 12);
    expect(result.expected).toBeCloseTo(0.5, 12);
    expect(result.kappa).toBeCloseTo(0.4, 12);
  });

  it("reproduces Wikipedia's 'same percentages, different numbers' (κ .1304 and .2593)", () => {
    // Both tables have P_o = 0.60 but different marginals, hence different kappas.
    expect(cohensKappa(twoByTwo(45, 15, 25, 15)).kappa).toBeCloseTo(0.1304, 4);
    expect(cohensKappa(twoByTwo(25, 35, 5, 35)).kappa).toBeCloseTo(0.2593, 4);
  });

  it("reproduces Wikipedia's Fleiss' kappa example (10 subjects, 14 raters, κ ≈ 0.210)", () => {
    // en.wikipedia.org/wiki/Fleiss'_kappa, "Worked example": raters per category 1–5.
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const data = byUnit(table.map((counts) => counts.flatMap((n, j) => Array(n).fill(j + 1))));
    const result = fleissKappa(data);
    expect(result.units).toBe(10);
    expect(result.observed).toBeCloseTo(0.378, 3); // P̄
    expect(result.expected).toBeCloseTo(0.213, 3); // P̄_e
    expect(result.kappa).toBeCloseTo(0.20993070442195522, 12);
    expect(round3(result.kappa)).toBe(0.21);
  });
});

describe("percent agreement", () => {
  it("pools agreeing coder pairs over all pairable units", () => {
    // Krippendorff (2011) data by hand: 55 pairs in 11 units, 43 of them equal.
    expect(percentAgreement(K2011)).toEqual({
      agreement: 43 / 55,
      units: 11,
      pairs: 55,
      agreeing: 43,
    });
    expect(percentAgreement(twoByTwo(20, 5, 10, 15)).agreement).toBeCloseTo(0.7, 12);
  });
});

describe("edge cases", () => {
  it("returns null when everyone agrees on a single category (no variation)", () => {
    const same = byUnit([
      ["x", "x", "x"],
      ["x", "x", null],
      ["x", "x", "x"],
    ]);
    for (const level of ["nominal", "ordinal"] as const) {
      expect(krippendorffAlpha(same, level)).toEqual({
        alpha: null,
        observed: 0,
        expected: 0,
        pairable: 8,
        units: 3,
      });
    }
    expect(fleissKappa(same)).toMatchObject({ kappa: null, observed: 1, expected: 1, units: 2 });
    expect(cohensKappa(byUnit([["x", "x"]]))).toMatchObject({ kappa: null, units: 1 });
    expect(percentAgreement(same).agreement).toBe(1);
  });

  it("gives 1 for perfect agreement with variation and below 0 for systematic disagreement", () => {
    const perfect = byUnit([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    expect(krippendorffAlpha(perfect, "interval").alpha).toBe(1);
    expect(cohensKappa(perfect).kappa).toBe(1);
    expect(fleissKappa(perfect).kappa).toBe(1);
    // Two units, coders swap: D_o = 4/4, D_e = (16 − 8)/12 → α = 1 − 3/2.
    const swapped = byUnit([
      ["a", "b"],
      ["b", "a"],
    ]);
    expect(krippendorffAlpha(swapped, "nominal").alpha).toBeCloseTo(-0.5, 12);
    expect(cohensKappa(swapped).kappa).toBe(-1);
  });

  it("handles one coder and empty data", () => {
    const single = byUnit([[1], [2], [null]]);
    expect(krippendorffAlpha(single, "nominal")).toEqual({
      alpha: null,
      observed: 0,
      expected: 0,
      pairable: 0,
      units: 0,
    });
    expect(percentAgreement(single)).toEqual({ agreement: null, units: 0, pairs: 0, agreeing: 0 });
    expect(() => cohensKappa(single)).toThrow(RangeError);
    expect(() => fleissKappa(single)).toThrow(RangeError);
    const empty = { coders: ["a", "b"], units: [] };
    expect(krippendorffAlpha(empty, "interval").alpha).toBeNull();
    expect(cohensKappa(empty)).toEqual({ kappa: null, observed: 0, expected: 0, units: 0 });
    expect(fleissKappa(empty)).toEqual({ kappa: null, observed: 0, expected: 0, units: 0 });
    expect(krippendorffAlpha({ coders: [], units: [] }, "nominal").pairable).toBe(0);
  });

  it("leaves units with a single value out, and kappas only use fully coded units", () => {
    const lonely = {
      ...K2011,
      units: [...K2011.units, { id: "x", values: [7, null, null, null] }],
    };
    expect(krippendorffAlpha(lonely, "interval")).toEqual(krippendorffAlpha(K2011, "interval"));
    expect(fleissKappa(K2011).units).toBe(8); // only units 2–9 were coded by all four
    const pair = byUnit([
      ["a", "a"],
      ["a", null],
      [null, "b"],
      ["b", "b"],
    ]);
    expect(cohensKappa(pair)).toMatchObject({ kappa: 1, units: 2 });
  });

  it("treats numbers and strings as different values", () => {
    const mixed = byUnit([
      [1, "1"],
      [2, 2],
      ["2", "2"],
    ]);
    expect(percentAgreement(mixed)).toMatchObject({ pairs: 3, agreeing: 2 });
    expect(cohensKappa(mixed).observed).toBeCloseTo(2 / 3, 12);
    expect(() => krippendorffAlpha(mixed, "interval")).toThrow(TypeError);
    // Ordinal without an order: numbers ascending, then strings by code unit.
    expect(coincidences(mixed, "ordinal").values).toEqual([1, 2, "1", "2"]);
    const words = byUnit([
      ["b", "a"],
      ["c", "c"],
    ]);
    expect(coincidences(words, "ordinal").values).toEqual(["a", "b", "c"]);
  });

  it("rejects malformed data and orders", () => {
    expect(() => krippendorffAlpha(byUnit([[1, 2], [1]]), "nominal")).toThrow(RangeError);
    expect(() => krippendorffAlpha(byUnit([[1, Number.NaN]]), "nominal")).toThrow(TypeError);
    expect(() => percentAgreement(byUnit([[1, Number.POSITIVE_INFINITY]]))).toThrow(TypeError);
    expect(() => krippendorffAlpha(K2011, "ordinal", [1, 2, 3, 4])).toThrow(/missing/);
    expect(() => krippendorffAlpha(K2011, "ordinal", [1, 2, 2, 3, 4, 5])).toThrow(/twice/);
  });
});

/** Random complete or sparse reliability data over small integer categories. */
const dataArb = (missing: boolean) =>
  fc
    .record({ coders: fc.integer({ min: 2, max: 5 }), units: fc.integer({ min: 1, max: 25 }) })
    .chain(({ coders, units }) =>
      fc.array(
        fc.array(
          missing ? fc.option(fc.integer({ min: 1, max: 4 })) : fc.integer({ min: 1, max: 4 }),
          {
            minLength: coders,
            maxLength: coders,
          },
        ),
        { minLength: units, maxLength: units },
      ),
    )
    .map((rows) => byUnit(rows));

describe("properties", () => {
  it("ignores the order of coders and units, and the names of categories (nominal)", () => {
    fc.assert(
      fc.property(dataArb(true), (data) => {
        const base = krippendorffAlpha(data, "nominal").alpha;
        const shuffled = byUnit(data.units.map((u) => [...u.values].reverse()).reverse());
        const renamed = byUnit(
          data.units.map((u) => u.values.map((v) => (v === null ? v : `k${v}`))),
        );
        for (const other of [shuffled, renamed]) {
          const alpha = krippendorffAlpha(other, "nominal").alpha;
          if (base === null) expect(alpha).toBeNull();
          else expect(alpha).toBeCloseTo(base, 9);
        }
      }),
    );
  });

  it("is invariant under affine rescaling (interval) and monotone relabelling (ordinal)", () => {
    fc.assert(
      fc.property(dataArb(true), (data) => {
        const map = (f: (v: number) => number) =>
          byUnit(data.units.map((u) => u.values.map((v) => (v === null ? v : f(Number(v))))));
        const interval = krippendorffAlpha(data, "interval").alpha;
        const ordinal = krippendorffAlpha(data, "ordinal").alpha;
        const scaled = krippendorffAlpha(
          map((v) => 3 * v - 7),
          "interval",
        ).alpha;
        const squashed = krippendorffAlpha(
          map((v) => v ** 3),
          "ordinal",
        ).alpha;
        expect(scaled === null ? null : Number(scaled.toFixed(9))).toBe(
          interval === null ? null : Number(interval.toFixed(9)),
        );
        expect(squashed === null ? null : Number(squashed.toFixed(9))).toBe(
          ordinal === null ? null : Number(ordinal.toFixed(9)),
        );
      }),
    );
  });

  it("ties nominal alpha to Fleiss' kappa on complete data: α = 1 − (1 − κ)(n − 1)/n", () => {
    fc.assert(
      fc.property(dataArb(false), (data) => {
        const { alpha, pairable: n, units } = krippendorffAlpha(data, "nominal");
        const fleiss = fleissKappa(data);
        expect(fleiss.units).toBe(data.units.length);
        if (units === 0 || alpha === null || fleiss.kappa === null) {
          expect(alpha === null).toBe(fleiss.kappa === null);
          return;
        }
        expect(alpha).toBeCloseTo(1 - ((1 - fleiss.kappa) * (n - 1)) / n, 9);
        // Pooled pairwise agreement equals Fleiss' mean per-unit agreement P̄.
        expect(percentAgreement(data).agreement).toBeCloseTo(fleiss.observed, 9);
      }),
    );
  });
});

interface CrossCheck {
  name: string;
  alpha: { nominal: number; interval?: number };
  cohen?: number;
  fleiss?: number;
  percent?: number;
  units: (Value | null)[][];
}

describe("cross-check against nltk, scikit-learn and statsmodels", () => {
  // Generated by test/fixtures/agreement/cross-check.py (see there for versions and semantics).
  const file = path.resolve(import.meta.dirname, "../../fixtures/agreement/cross-check.json");
  const { datasets } = JSON.parse(readFileSync(file, "utf8")) as { datasets: CrossCheck[] };
  const close = (actual: number | null, expected: number) => {
    expect(actual).not.toBeNull();
    expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThan(1e-9);
  };

  it("has about twenty datasets with every reference present somewhere", () => {
    expect(datasets.length).toBe(20);
    expect(datasets.filter((d) => d.cohen !== undefined).length).toBeGreaterThanOrEqual(4);
    expect(datasets.filter((d) => d.alpha.interval !== undefined).length).toBe(10);
    expect(datasets.filter((d) => d.units.some((u) => u.includes(null))).length).toBe(14);
  });

  it.each(datasets.map((d) => [d.name, d] as const))("matches on %s", (_, dataset) => {
    const data = byUnit(dataset.units);
    close(krippendorffAlpha(data, "nominal").alpha, dataset.alpha.nominal);
    if (dataset.alpha.interval !== undefined) {
      close(krippendorffAlpha(data, "interval").alpha, dataset.alpha.interval);
    }
    if (dataset.cohen !== undefined) close(cohensKappa(data).kappa, dataset.cohen);
    if (dataset.fleiss !== undefined) close(fleissKappa(data).kappa, dataset.fleiss);
    if (dataset.percent !== undefined) close(percentAgreement(data).agreement, dataset.percent);
  });
});
