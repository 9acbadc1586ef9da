/**
 * α_U under weights from per-continuum summaries, and the shared bootstrap
 * draws, must give bit for bit what the plain definitions give: the sweep over
 * every unit and gap, and one `bootstrapInterval` per statistic.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bootstrapInterval, bootstrapIntervals } from "../../../shared/agreement/bootstrap";
import {
  type Continuum,
  type PreparedUnitizing,
  prepareUnitizing,
  weightedUnitizedAlpha,
} from "../../../shared/agreement/unitized";

/** The original sweep of weightedUnitizedAlpha. */
function sweep(p: PreparedUnitizing, weights: ArrayLike<number>): number | null {
  const R = p.coders;
  let L = 0;
  let observedSum = 0;
  let cubic = 0;
  let selfPairs = 0;
  let N = 0;
  for (let c = 0; c < p.lengths.length; c++) {
    const w = weights[c] ?? 0;
    if (w === 0) continue;
    L += w * (p.lengths[c] as number);
    observedSum += w * (p.observed[c] as number);
    cubic += w * (p.cubic[c] as number);
    selfPairs += w * (p.selfPairs[c] as number);
    N += w * (p.units[c] as number);
  }
  if (R < 2 || L <= 0) return null;
  const observed = (2 * observedSum) / (R * (R - 1) * L * L);
  let placements = 0;
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
  const numerator = (2 / L) * (((N - 1) * cubic) / 3 + placements);
  const denominator = R * L * (R * L - 1) - selfPairs;
  const expected = denominator > 0 ? numerator / denominator : 0;
  if (!(expected > 0)) return null;
  return observed === expected ? 0 : 1 - observed / expected;
}

/** Continua of `scale` code points with a few segments per coder (labels P and Q). */
function continua(scale: number) {
  const segment = fc
    .record({
      start: fc.integer({ min: 0, max: scale }),
      length: fc.integer({ min: 1, max: Math.max(1, scale >> 2) }),
      label: fc.constantFrom("P", "Q"),
    })
    .map((s) => ({ start: s.start, end: s.start + s.length, label: s.label }));
  return fc.array(
    fc.record({
      length: fc.integer({ min: 0, max: scale }),
      segments: fc.tuple(fc.array(segment, { maxLength: 5 }), fc.array(segment, { maxLength: 5 })),
    }),
    { minLength: 1, maxLength: 8 },
  ) as fc.Arbitrary<Continuum[]>;
}

describe("weighted α_U", () => {
  it("equals the sweep bit for bit, exact sums or not", () => {
    fc.assert(
      fc.property(
        fc.oneof(continua(40), continua(2_000_000_000)),
        fc.array(fc.oneof(fc.nat(4), fc.constant(0.5)), { minLength: 8, maxLength: 8 }),
        fc.constantFrom("P", "Q"),
        (data, weights, label) => {
          const p = prepareUnitizing(data, label);
          expect(Object.is(weightedUnitizedAlpha(p, weights), sweep(p, weights))).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("shared bootstrap draws", () => {
  it("give every statistic the interval of its own bootstrapInterval", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 30 }),
        fc.integer(),
        (items, seed) => {
          const mean = (sample: readonly number[]) =>
            sample.length === 0 ? null : sample.reduce((s, x) => s + x, 0) / sample.length;
          const maximum = (sample: readonly number[]) => Math.max(...sample);
          const [a, b] = bootstrapIntervals(
            items,
            [(r) => mean(r.sample()), (r) => maximum(r.sample())],
            { seed, samples: 50 },
          );
          expect(a).toEqual(bootstrapInterval(items, mean, { seed, samples: 50 }));
          expect(b).toEqual(bootstrapInterval(items, maximum, { seed, samples: 50 }));
        },
      ),
      { numRuns: 300 },
    );
  });
});
