import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Continuum,
  type Segment,
  unitizedAlpha,
  unitizedAlphaAll,
  unitizedAlphaOverall,
  unitizingDistance,
} from "../../../shared/agreement/unitized";

/** DKPro-style unit: [offset, length, rater, category]. */
type Unit = [number, number, number, string];

/** Krippendorff (1995: p. 57) units, as listed in DKPro's Krippendorff1995Test.createExample. */
const k1995 = JSON.parse(
  readFileSync(
    new URL("../../fixtures/agreement/unitized-krippendorff1995.json", import.meta.url),
    "utf8",
  ),
) as { units: Unit[] };

/** A single-continuum study like DKPro's `new UnitizingAnnotationStudy(raters, begin, length)`. */
function study(raters: number, begin: number, length: number, units: readonly Unit[]): Continuum[] {
  const segments: Segment[][] = Array.from({ length: raters }, () => []);
  for (const [offset, len, rater, label] of units) {
    segments[rater]?.push({ start: offset - begin, end: offset - begin + len, label });
  }
  return [{ length, segments }];
}

/** Krippendorff (1995: p. 57) example as built by DKPro's `Krippendorff1995Test.createExample(stretch)`. */
function k1995Example(stretch: number): Continuum[] {
  const units = k1995.units.map(
    ([o, l, r, c]): Unit => [Math.trunc(o * stretch), Math.trunc(l * stretch), r, c],
  );
  return study(2, 0, Math.trunc(24 * stretch), units);
}

/** JUnit's assertEquals(expected, actual, delta). */
function near(actual: number | null | undefined, expected: number, delta: number) {
  expect(actual).toBeGreaterThanOrEqual(expected - delta);
  expect(actual).toBeLessThanOrEqual(expected + delta);
}

const d = (start: number, end: number, unit: boolean) => ({ start, end, unit });
/** DKPro's measureDistance(offset1, length1, category1, offset2, length2, category2). */
const measure = (
  o1: number,
  l1: number,
  c1: string | null,
  o2: number,
  l2: number,
  c2: string | null,
) => unitizingDistance(d(o1, o1 + l1, c1 !== null), d(o2, o2 + l2, c2 !== null));

describe("unitizingDistance (DKPro distance tests)", () => {
  it("UnitizingAgreementTest.testDistanceMetric", () => {
    expect(measure(0, 1, null, 0, 2, null)).toBe(0);
    expect(measure(1, 8, "A", 0, 2, null)).toBe(0);
    expect(measure(1, 8, "A", 2, 1, "A")).toBe(37);
    expect(measure(1, 8, "A", 3, 1, null)).toBe(0);
    expect(measure(1, 8, "A", 4, 1, "A")).toBe(25);
    expect(measure(1, 8, "A", 5, 1, null)).toBe(0);
    expect(measure(1, 8, "A", 6, 1, "A")).toBe(29);
    expect(measure(1, 8, "A", 7, 4, null)).toBe(0);
    expect(measure(9, 2, null, 7, 4, null)).toBe(0);
  });

  it("Krippendorff2004Test.testDistanceMetric1 and testDistanceMetric2", () => {
    expect(measure(2, 3, null, 2, 2, "X") + measure(5, 6, "X", 4, 7, null)).toBe(40);
    expect(measure(3, 2, null, 3, 2, "X") + measure(5, 6, "X", 5, 6, null)).toBe(40);
    expect(measure(5, 6, "X", 4, 2, "X")).toBe(26);
    expect(measure(5, 6, "X", 5, 2, "X")).toBe(16);
    expect(measure(5, 6, "X", 6, 2, "X")).toBe(10);
    expect(measure(5, 6, "X", 7, 2, "X")).toBe(8);
    expect(measure(5, 6, "X", 6, 4, "X")).toBe(2);
    expect(measure(5, 6, "X", 5, 6, "X")).toBe(0);
    expect(measure(225, 70, "c", 220, 80, "c")).toBe(50);
    expect(measure(370, 30, "c", 355, 20, "c")).toBe(850);
    expect(measure(400, 50, null, 400, 20, "c")).toBe(400);
  });
});

describe("unitizedAlpha reproduces DKPro's published test values", () => {
  it("UnitizingAgreementTest.testAgreement (r0 -11111111-, r1 --1-1-1---)", () => {
    const r = unitizedAlpha(
      study(2, 0, 10, [
        [1, 8, 0, "A"],
        [2, 1, 1, "A"],
        [4, 1, 1, "A"],
        [6, 1, 1, "A"],
      ]),
      "A",
    );
    near(r.observed, 0.91, 0.0001);
    near(r.expected, 0.5351, 0.0001);
    near(r.alpha, -0.7003, 0.0001);
    // Hand computation: D_O = 2·91/(2·100); D_E = (2/10)(3·840/3 + 3·9)/(380 − 56).
    expect(r.observed).toBe(0.91);
    expect(r.expected).toBeCloseTo(173.4 / 324, 12);
  });

  it("UnitizingAgreementTest.testSingleAnnotationUnit: one unit of three raters → 0", () => {
    const r = unitizedAlpha(study(3, 0, 20, [[0, 1, 0, "X"]]), "X");
    expect(r.alpha).toBeCloseTo(0, 12);
    expect(r.observed).toBeCloseTo(r.expected, 15);
  });

  it("UnitizingAgreementTest.testEmptyAnnotationSet: no units → undefined (DKPro: NaN)", () => {
    const r = unitizedAlpha(study(3, 0, 20, []), "X");
    expect(r.alpha).toBeNull();
    expect(unitizedAlphaOverall([]).alpha).toBeNull();
  });

  // Krippendorff (2004), Content Analysis, 2nd ed., p. 254: continuum [150, 450).
  const k2004 = study(2, 150, 300, [
    [225, 70, 0, "c"],
    [370, 30, 0, "c"],
    [220, 80, 1, "c"],
    [355, 20, 1, "c"],
    [400, 20, 1, "c"],
    [180, 60, 0, "k"],
    [300, 50, 0, "k"],
    [180, 60, 1, "k"],
    [300, 50, 1, "k"],
  ]);

  it("Krippendorff2004Test.testCategoryAgreement", () => {
    const [c, k] = unitizedAlphaAll(k2004, ["c", "k"]);
    near(c?.observed, 0.0144, 0.0001);
    near(c?.expected, 0.0532, 0.0001);
    near(c?.alpha, 0.7286, 0.0001);
    near(k?.observed, 0, 0.0001);
    near(k?.expected, 0.049, 0.0001);
    near(k?.alpha, 1, 0.0001);
  });

  it("Krippendorff2004Test.testAgreement: overall α_U = 0.8591", () => {
    const overall = unitizedAlphaOverall(unitizedAlphaAll(k2004, ["c", "k"]));
    near(overall.alpha, 0.8591, 0.0005);
  });

  it("Krippendorff1995Test.testAgreement: D_O per category at stretch 1", () => {
    const [a, b, c, dd] = unitizedAlphaAll(k1995Example(1), ["A", "B", "C", "D"]);
    near(a?.observed, 0.03125, 0.00001);
    near(b?.observed, 2.26736, 0.00001);
    near(c?.observed, 0.02777, 0.00001);
    near(dd?.observed, 0.38715, 0.00001);
  });

  it("Krippendorff1995Test.testAgreement: D_E and α per category at stretch 50000", () => {
    const results = unitizedAlphaAll(k1995Example(1200000 / 24), ["A", "B", "C", "D"]);
    const expected = [0.0699, 1.17731, 0.08642, 0.41445];
    const alphas = [0.553, -0.926, 0.679, 0.066];
    results.forEach((r, i) => {
      near(r.expected, expected[i] as number, 0.005);
      near(r.alpha, alphas[i] as number, 0.02);
    });
  });

  it("Krippendorff1995Test.testVaryingLengths: category C at growing resolutions", () => {
    const cases: [number, number, number, number][] = [
      // [stretch, D_E, D_E tolerance, α]
      [12 / 24, 0.05494, 0.00001, 0.494],
      [120 / 24, 0.08234, 0.005, 0.663],
      [1200 / 24, 0.086, 0.005, 0.677],
      [12000 / 24, 0.08638, 0.005, 0.678],
      [120000 / 24, 0.08642, 0.005, 0.679],
      [1200000 / 24, 0.08642, 0.005, 0.679],
    ];
    for (const [stretch, de, tolerance, alpha] of cases) {
      const r = unitizedAlpha(k1995Example(stretch), "C");
      near(r.observed, 0.02777, 0.00001);
      near(r.expected, de, tolerance);
      near(r.alpha, alpha, 0.02);
    }
  });
});

describe("unitizedAlpha hand-computed cases", () => {
  const one = (segments: Segment[][], length = 10): Continuum[] => [{ length, segments }];
  const s = (start: number, end: number, label = "PER"): Segment => ({ start, end, label });

  it("perfect agreement → 1", () => {
    const r = unitizedAlpha(
      one([
        [s(2, 5), s(7, 9)],
        [s(2, 5), s(7, 9)],
        [s(2, 5), s(7, 9)],
      ]),
      "PER",
    );
    expect(r).toMatchObject({
      alpha: 1,
      observed: 0,
      coders: 3,
      continua: 1,
      length: 10,
      units: 6,
    });
  });

  it("a coder without segments vs one with a segment → −0.7", () => {
    // D_O = 2·3²/(2·1·10²) = 0.09; gaps 2, 5 | 10 → Σ_{g≥3}(g−2) = 3 + 8 = 11;
    // D_E = (2/10)·9·11 / (20·19 − 3·2) = 19.8/374; α = 1 − 0.09·374/19.8 = −0.7.
    const r = unitizedAlpha(one([[s(2, 5)], []]), "PER");
    expect(r.observed).toBeCloseTo(0.09, 15);
    expect(r.expected).toBeCloseTo(19.8 / 374, 15);
    expect(r.alpha).toBeCloseTo(-0.7, 12);
  });

  it("identical segments with different labels disagree on both labels", () => {
    const continua = one([[s(2, 5, "PER")], [s(2, 5, "ORG")]]);
    const [per, org, loc] = unitizedAlphaAll(continua, ["PER", "ORG", "LOC"]);
    expect(per?.alpha).toBeCloseTo(-0.7, 12);
    expect(org?.alpha).toBeCloseTo(-0.7, 12);
    expect(loc).toMatchObject({ alpha: null, observed: 0, expected: 0, units: 0 });
  });

  it("merges a coder's nested, overlapping and duplicate segments of one label", () => {
    const merged = one([[s(2, 4), s(3, 5), s(2, 5), s(2, 5), s(3, 4)], [s(2, 5)]]);
    expect(unitizedAlpha(merged, "PER")).toMatchObject({ alpha: 1, units: 2 });
    // Touching segments stay two units: [2,4)+[4,5) vs [2,5) is a disagreement.
    const touching = unitizedAlpha(one([[s(2, 4), s(4, 5)], [s(2, 5)]]), "PER");
    expect(touching.units).toBe(3);
    expect(touching.alpha).toBeLessThan(1);
  });

  it("clips segments to the continuum and ignores empty ones", () => {
    const a = unitizedAlpha(one([[s(-3, 5), s(8, 8)], [s(0, 5)]]), "PER");
    expect(a).toMatchObject({ alpha: 1, units: 2 });
  });

  it("needs two coders and some text", () => {
    expect(unitizedAlpha(one([[s(2, 5)]]), "PER").alpha).toBeNull();
    expect(unitizedAlpha(one([[], []], 0), "PER").alpha).toBeNull();
    expect(unitizedAlpha([], "PER").alpha).toBeNull();
  });

  it("pools continua: gaps end at each continuum's end", () => {
    // Coder 0 marks the last 4 of article 1 and the first 4 of article 2; coder 1 nothing.
    const pooled = unitizedAlpha(
      [
        { length: 10, segments: [[s(6, 10)], []] },
        { length: 10, segments: [[s(0, 4)], []] },
      ],
      "PER",
    );
    // D_O = 2·(16 + 16)/(2·1·20²); units l = 4, 4; gaps 6 | 6 (coder 0), 10 | 10 (coder 1):
    // Σ_{g≥4}(g − 3) = 3 + 3 + 7 + 7 = 20 (concatenated, coder 1's one gap of 20 would give 23).
    expect(pooled.observed).toBeCloseTo(0.08, 15);
    const numerator = (2 / 20) * ((2 * 84) / 3 + 2 * 16 * 20);
    expect(pooled.expected).toBeCloseTo(numerator / (40 * 39 - 24), 15);
    expect(() =>
      unitizedAlpha(
        [
          { length: 5, segments: [[]] },
          { length: 5, segments: [[], []] },
        ],
        "X",
      ),
    ).toThrow(RangeError);
  });
});

/** Independent brute force from the definitions: all stretch pairs, all unit–gap placements. */
function bruteForce(continua: readonly Continuum[], label: string) {
  const R = continua[0]?.segments.length ?? 0;
  const L = continua.reduce((sum, c) => sum + c.length, 0);
  let pairs = 0;
  const units: number[] = [];
  const gaps: number[] = [];
  for (const c of continua) {
    const stretches = c.segments.map((segs) => {
      let runs = segs
        .filter((x) => x.label === label)
        .map((x) => [Math.max(0, x.start), Math.min(c.length, x.end)] as [number, number])
        .filter(([a, b]) => b > a);
      for (let changed = true; changed; ) {
        changed = false;
        outer: for (let i = 0; i < runs.length; i++) {
          for (let j = i + 1; j < runs.length; j++) {
            const [a, b] = [runs[i] as [number, number], runs[j] as [number, number]];
            if (a[0] < b[1] && b[0] < a[1]) {
              runs = runs.filter((_, k) => k !== i && k !== j);
              runs.push([Math.min(a[0], b[0]), Math.max(a[1], b[1])]);
              changed = true;
              break outer;
            }
          }
        }
      }
      const out: { start: number; end: number; unit: boolean }[] = [];
      const cover = new Array<boolean>(c.length).fill(false);
      for (const [a, b] of runs) {
        out.push({ start: a, end: b, unit: true });
        units.push(b - a);
        for (let p = a; p < b; p++) cover[p] = true;
      }
      for (let p = 0; p < c.length; ) {
        if (cover[p]) p++;
        else {
          let q = p;
          while (q < c.length && !cover[q]) q++;
          out.push({ start: p, end: q, unit: false });
          gaps.push(q - p);
          p = q;
        }
      }
      return out;
    });
    for (let i = 0; i < R; i++) {
      for (let j = i + 1; j < R; j++) {
        for (const x of stretches[i] ?? []) {
          for (const y of stretches[j] ?? []) {
            const overlap = x.start < y.end && y.start < x.end;
            if (x.unit && y.unit && overlap)
              pairs += (x.start - y.start) ** 2 + (x.end - y.end) ** 2;
            else if (x.unit !== y.unit) {
              const [u, g] = x.unit ? [x, y] : [y, x];
              if (g.start <= u.start && u.end <= g.end) pairs += (u.end - u.start) ** 2;
            }
          }
        }
      }
    }
  }
  const N = units.length;
  let num = 0;
  for (const l of units) {
    num += ((N - 1) * (2 * l ** 3 - 3 * l ** 2 + l)) / 3;
    for (const g of gaps) num += l * l * Math.max(0, g - l + 1);
  }
  const selfPairs = units.reduce((sum, l) => sum + l * (l - 1), 0);
  return {
    observed: (2 * pairs) / (R * (R - 1) * L * L),
    expected: ((2 / L) * num) / (R * L * (R * L - 1) - selfPairs),
  };
}

const segmentArb = fc
  .record({
    start: fc.integer({ min: -2, max: 30 }),
    len: fc.integer({ min: 0, max: 12 }),
    label: fc.constantFrom("A", "B"),
  })
  .map(({ start, len, label }): Segment => ({ start, end: start + len, label }));
const continuaArb = fc.integer({ min: 2, max: 4 }).chain((coders) =>
  fc.array(
    fc.record({
      length: fc.integer({ min: 1, max: 32 }),
      segments: fc.array(fc.array(segmentArb, { maxLength: 6 }), {
        minLength: coders,
        maxLength: coders,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
);

describe("unitizedAlpha properties", () => {
  it("equals a brute-force evaluation of the definitions", () => {
    fc.assert(
      fc.property(continuaArb, (continua) => {
        const fast = unitizedAlpha(continua, "A");
        const slow = bruteForce(continua, "A");
        expect(fast.observed).toBeCloseTo(slow.observed, 10);
        if (fast.units > 0) expect(fast.expected).toBeCloseTo(slow.expected, 10);
      }),
      { numRuns: 300 },
    );
  });

  it("α_U ≤ 1 and does not depend on the coders' order", () => {
    fc.assert(
      fc.property(continuaArb, fc.integer({ min: 0, max: 100 }), (continua, seed) => {
        const coders = continua[0]?.segments.length ?? 0;
        const order = Array.from({ length: coders }, (_, i) => (i + seed) % coders).reverse();
        const permuted = continua.map((c) => ({
          ...c,
          segments: order.map((i) => c.segments[i] ?? []),
        }));
        const [a, b] = unitizedAlphaAll(continua, ["A", "B"]);
        const [pa, pb] = unitizedAlphaAll(permuted, ["A", "B"]);
        for (const [x, y] of [
          [a, pa],
          [b, pb],
        ]) {
          if (x?.alpha != null) expect(x.alpha).toBeLessThanOrEqual(1);
          expect(y?.alpha == null).toBe(x?.alpha == null);
          if (x?.alpha != null) expect(y?.alpha).toBeCloseTo(x.alpha, 10);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("handles a 200k-segment project quickly", () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const labels = ["PER", "ORG", "LOC", "DATE", "MISC"];
    const continua: Continuum[] = Array.from({ length: 2000 }, () => ({
      length: 5000,
      segments: Array.from({ length: 4 }, () =>
        Array.from({ length: 25 }, () => {
          const start = rand(4990);
          return { start, end: start + 1 + rand(30), label: labels[rand(5)] as string };
        }),
      ),
    }));
    const t0 = performance.now();
    const results = unitizedAlphaAll(continua, labels);
    expect(performance.now() - t0).toBeLessThan(4000);
    for (const r of results) expect(r.alpha).not.toBeNull();
  });
});
