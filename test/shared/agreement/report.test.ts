import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agreedChanges,
  curationItems,
  goldId,
  isComplete,
  toGold,
} from "../../../shared/agreement/curation";
import {
  cohensKappa,
  fleissKappa,
  krippendorffAlpha,
  percentAgreement,
  type ReliabilityData,
} from "../../../shared/agreement/reliability";
import { agreementReport } from "../../../shared/agreement/report";
import { spanScores } from "../../../shared/agreement/spans";
import {
  type Continuum,
  prepareUnitizing,
  unitizedAlpha,
  weightedUnitizedAlpha,
} from "../../../shared/agreement/unitized";
import type { DatasetDocument } from "../../../shared/dataset/dataset";
import { drawSample } from "../../../shared/dataset/splits";
import type { StoredAnnotation } from "../../../shared/project-files";
import { fixtureCodebook, fixtureDataset } from "../dataset/fixtures";

const close = (a: number | null, b: number | null) => {
  if (a === null || b === null) expect(a).toBe(b);
  else expect(a).toBeCloseTo(b, 10);
};

describe("weights", () => {
  const value = fc.option(fc.constantFrom("x", "y", "z"), { nil: null });
  const units = fc.array(fc.tuple(value, value, fc.integer({ min: 0, max: 4 })), { maxLength: 25 });

  it("a weighted unit counts exactly like that many copies, for every coefficient", () => {
    fc.assert(
      fc.property(units, (list) => {
        const weighted: ReliabilityData = {
          coders: ["a", "b"],
          units: list.map(([x, y, w], i) => ({ id: String(i), values: [x, y], weight: w })),
        };
        const expanded: ReliabilityData = {
          coders: ["a", "b"],
          units: list.flatMap(([x, y, w], i) =>
            Array.from({ length: w }, (_, k) => ({ id: `${i}.${k}`, values: [x, y] })),
          ),
        };
        close(
          krippendorffAlpha(weighted, "nominal").alpha,
          krippendorffAlpha(expanded, "nominal").alpha,
        );
        close(cohensKappa(weighted).kappa, cohensKappa(expanded).kappa);
        close(fleissKappa(weighted).kappa, fleissKappa(expanded).kappa);
        close(percentAgreement(weighted).agreement, percentAgreement(expanded).agreement);
      }),
      { numRuns: 300 },
    );
  });

  it("weighted α_U equals α_U of the continua repeated that often", () => {
    const segment = fc
      .tuple(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom("P", "Q"),
      )
      .map(([start, length, label]) => ({ start, end: start + length, label }));
    const continuum = fc.record({
      length: fc.constant(60),
      segments: fc.tuple(fc.array(segment, { maxLength: 5 }), fc.array(segment, { maxLength: 5 })),
    });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(continuum, fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (list) => {
          const continua: Continuum[] = list.map(([c]) => ({
            length: c.length,
            segments: [...c.segments],
          }));
          const repeated = list.flatMap(([c, w]) =>
            Array.from({ length: w }, () => ({ length: c.length, segments: [...c.segments] })),
          );
          const prepared = prepareUnitizing(continua, "P");
          const expected = repeated.length === 0 ? null : unitizedAlpha(repeated, "P").alpha;
          close(
            weightedUnitizedAlpha(
              prepared,
              list.map(([, w]) => w),
            ),
            expected,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("agreementReport", () => {
  const dataset = fixtureDataset();
  const report = agreementReport(dataset.documents, fixtureCodebook, { bootstrap: 200 });
  const [alice, bob] = dataset.documents as [DatasetDocument, DatasetDocument];

  it("compares the coders on the articles both coded", () => {
    expect(report.coders).toEqual(["alice", "bob"]);
    expect(report.articles).toBe(1);
    expect(report.perArticle.map((a) => a.id)).toEqual([alice.id]);
  });

  it("gives the same F1 as scoring the two coders' spans directly", () => {
    const direct = spanScores(alice.spans, bob.spans, "exact").micro.f1;
    close(report.spans.f1Exact.value, direct);
    close(report.pairs[0]?.f1Exact.value ?? null, direct);
    const per = report.perLabel.find((l) => l.label === "ORG");
    close(
      per?.f1Exact.value ?? null,
      spanScores(alice.spans, bob.spans, "exact").perLabel.find((l) => l.label === "ORG")?.f1 ??
        null,
    );
    // bob left out two ORG spans: ORG agreement is below perfect, LOC is perfect.
    expect(per?.f1Exact.value).toBeLessThan(1);
    expect(report.perLabel.find((l) => l.label === "LOC")?.f1Exact.value).toBe(1);
  });

  it("counts disagreements per article, codes included, and gives no interval from one article", () => {
    expect(report.perArticle[0]?.disagreements).toBe(3);
    expect(report.spans.f1Exact.low).toBeNull();
    const codes = report.codes.map((c) => c.variable);
    expect(codes).toEqual(["topic", "actors", "sources"]);
  });

  it("draws intervals from a seeded bootstrap over articles", () => {
    const many = [...Array(12).keys()].flatMap((i) =>
      dataset.documents.slice(0, 2).map((d) => ({
        ...d,
        id: `a${i}`,
        spans: d.annotator === "bob" && i % 3 === 0 ? d.spans.slice(1) : d.spans,
      })),
    );
    const one = agreementReport(many, fixtureCodebook, { bootstrap: 300, seed: 5 });
    const two = agreementReport(many, fixtureCodebook, { bootstrap: 300, seed: 5 });
    expect(one.spans.f1Exact).toEqual(two.spans.f1Exact);
    const { value, low, high } = one.spans.f1Exact;
    expect(low).not.toBeNull();
    expect(low as number).toBeLessThanOrEqual(value as number);
    expect(high as number).toBeGreaterThanOrEqual(value as number);
    expect(one.perLabel.find((l) => l.label === "LOC")?.alphaU.low).not.toBeNull();
  });
});

describe("curation", () => {
  const ann = (
    id: string,
    start: number,
    end: number,
    label: string,
    kind: StoredAnnotation["kind"] = "entity",
  ): StoredAnnotation => ({
    id,
    start,
    end,
    label,
    kind,
    quote: "x",
    prefix: "",
    suffix: "",
  });
  const a = {
    annotations: [ann("a1", 0, 5, "PER"), ann("a2", 10, 15, "ORG"), ann("a3", 20, 25, "LOC")],
    codes: { topic: "war" },
  };
  const b = {
    annotations: [ann("b1", 0, 5, "PER"), ann("b2", 10, 15, "LOC"), ann("b3", 30, 35, "PER")],
    codes: { topic: "economy" },
  };

  it("pre-merges what both coders agree on and lists the rest as decisions", () => {
    const items = curationItems(a, b, null, ["topic"]);
    expect(items.map((i) => i.kind)).toEqual(["same", "label", "only-a", "only-b", "code"]);
    const agreed = agreedChanges(items);
    expect(agreed.upsert.map((u) => u.id)).toEqual([goldId({ start: 0, end: 5, label: "PER" })]);
    expect(isComplete(items)).toBe(false);
  });

  it("reads decisions back from the gold layer: taken, edited, rejected", () => {
    const gold = {
      annotations: [
        { ...ann("gold-0-5-PER", 0, 5, "PER") },
        { ...ann("gold-10-15-LOC", 10, 15, "LOC") },
        { ...ann("gold-20-25-ORG", 20, 25, "ORG") },
      ],
      codes: { topic: "war" },
      rejected: ["-|30-35-PER"],
    };
    const items = curationItems(a, b, gold, ["topic"]);
    expect(items.map((i) => i.decision)).toEqual(["a", "b", "edited", "rejected", "a"]);
    expect(isComplete(items)).toBe(true);
  });

  it("carries attributes into gold only when the kind stays", () => {
    const stance = { ...ann("s", 0, 9, "STANCE", "stance"), polarity: "favour", target: "t" };
    expect(toGold(stance)).toMatchObject({
      id: "gold-0-9-STANCE",
      polarity: "favour",
      target: "t",
    });
    const asEntity = toGold(stance, fixtureCodebook.labels[0]);
    expect(asEntity).toMatchObject({ label: "PER", kind: "entity" });
    expect(asEntity).not.toHaveProperty("polarity");
  });
});

describe("double-coding sample", () => {
  const ids = [...Array(40).keys()].map((i) => `a${String(i).padStart(2, "0")}`);
  it("is seeded, sized by percent, at least one article, sorted", () => {
    expect(drawSample(ids, 10, 3)).toEqual(drawSample(ids, 10, 3));
    expect(drawSample(ids, 10, 3)).not.toEqual(drawSample(ids, 10, 4));
    expect(drawSample(ids, 10, 3)).toHaveLength(4);
    expect(drawSample(ids.slice(0, 3), 1, 1)).toHaveLength(1);
    expect(drawSample(ids, 0, 1)).toEqual([]);
    const sample = drawSample(ids, 25, 9);
    expect([...sample].sort()).toEqual(sample);
  });
});
