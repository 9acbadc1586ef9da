/**
 * The report's intervals come from draws shared by all statistics and from
 * per-article sums; they must equal what one `bootstrapInterval` per
 * statistic over resampled articles gives, bit for bit.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bootstrapInterval } from "../../../shared/agreement/bootstrap";
import { agreementReport } from "../../../shared/agreement/report";
import { spanScores } from "../../../shared/agreement/spans";
import {
  type Continuum,
  prepareUnitizing,
  weightedUnitizedAlpha,
} from "../../../shared/agreement/unitized";
import type { DatasetDocument } from "../../../shared/dataset/dataset";
import { fixtureCodebook } from "../dataset/fixtures";

const labels = fixtureCodebook.labels.map((l) => l.id);

function document(id: string, annotator: string, text: string, spans: DatasetDocument["spans"]) {
  return {
    id,
    text,
    meta: { title: id, source: "", url: "", date: "", language: "de" },
    annotator,
    spans,
    codes: {},
  } satisfies DatasetDocument;
}

const span = fc
  .record({
    start: fc.integer({ min: 0, max: 30 }),
    length: fc.integer({ min: 1, max: 8 }),
    label: fc.constantFrom(...labels),
  })
  .map((s, i = 0) => ({
    id: `x-${s.start}-${s.length}-${s.label}-${i}`,
    start: s.start,
    end: s.start + s.length,
    label: s.label,
    kind: "entity" as const,
    text: "",
  }));

const articles = fc.array(
  fc.tuple(fc.array(span, { maxLength: 6 }), fc.array(span, { maxLength: 6 })),
  { minLength: 2, maxLength: 7 },
);

describe("report intervals", () => {
  it("equal one bootstrapInterval per statistic", () => {
    fc.assert(
      fc.property(articles, fc.integer({ min: 1, max: 1000 }), (list, seed) => {
        const text = "x".repeat(40);
        const ids = list.map((_, i) => `a${i}`);
        const documents = list.flatMap(([a, b], i) => [
          document(ids[i] as string, "alice", text, a),
          document(ids[i] as string, "bob", text, b),
        ]);
        const report = agreementReport(documents, fixtureCodebook, { seed, bootstrap: 60 });
        const index = list.map((_, i) => i);
        // F1 exact over all labels: summed counts of the resampled articles.
        const counts = list.map(([a, b]) => spanScores(a, b, "exact").micro);
        const f1 = (sample: readonly number[]) => {
          let tp = 0;
          let fp = 0;
          let fn = 0;
          for (const i of sample) {
            tp += (counts[i] as { tp: number }).tp;
            fp += (counts[i] as { fp: number }).fp;
            fn += (counts[i] as { fn: number }).fn;
          }
          return tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn);
        };
        const f1Interval = bootstrapInterval(index, f1, { seed, samples: 60 });
        if (report.spans.f1Exact.value !== null) {
          expect(report.spans.f1Exact.low).toBe(f1Interval.low);
          expect(report.spans.f1Exact.high).toBe(f1Interval.high);
        }
        // α_U per label: the continua repeated as often as drawn.
        for (const label of labels) {
          const continua: Continuum[] = list.map(([a, b]) => ({
            length: text.length,
            segments: [a, b],
          }));
          const prepared = prepareUnitizing(continua, label);
          const alpha = (sample: readonly number[]) => {
            const weights = new Float64Array(list.length);
            for (const i of sample) weights[i] = (weights[i] as number) + 1;
            return weightedUnitizedAlpha(prepared, weights);
          };
          const estimate = report.perLabel.find((l) => l.label === label)?.alphaU;
          if (!estimate || estimate.value === null) continue;
          const interval = bootstrapInterval(index, alpha, { seed, samples: 60 });
          expect(estimate.low).toBe(interval.low);
          expect(estimate.high).toBe(interval.high);
        }
      }),
      { numRuns: 150 },
    );
  });
});
