/**
 * Pairing spans with identical keys walks both sorted lists at once; it must
 * give exactly the pairs (and marks) of the map-based pairing it replaced.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pairingForTests, type Span } from "../../../shared/agreement/spans";

const { sorted, pairByKey, pairByKeyMap, exactKey, offsetKey } = pairingForTests;

const span = fc.record({
  id: fc.constantFrom("a1", "a2", "b1", "b2", "x"),
  start: fc.integer({ min: 0, max: 6 }),
  end: fc.integer({ min: 1, max: 8 }),
  label: fc.constantFrom("PER", "ORG", "P:E", "LOC"),
});

describe("pairing by key", () => {
  it("walks to the same pairs as the map", () => {
    fc.assert(
      fc.property(
        fc.array(span, { maxLength: 12 }),
        fc.array(span, { maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        (spansA: Span[], spansB: Span[], takenA, takenB, exact, differentLabel) => {
          const a = sorted(spansA);
          const b = sorted(spansB);
          const key = exact ? exactKey : offsetKey;
          const accept = differentLabel ? (x: Span, y: Span) => x.label !== y.label : () => true;
          const run = (pair: typeof pairByKey) => {
            const usedA = Uint8Array.from(a, (_, i) => (takenA[i] ? 1 : 0));
            const usedB = Uint8Array.from(b, (_, i) => (takenB[i] ? 1 : 0));
            return { pairs: pair(a, b, usedA, usedB, key, accept), usedA, usedB };
          };
          expect(run(pairByKey)).toEqual(run(pairByKeyMap));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
