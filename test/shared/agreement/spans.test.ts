import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alignSpans,
  type LabelScore,
  labelUnits,
  type Span,
  type SpanPair,
  spanScores,
} from "../../../shared/agreement/spans";

const sp = (id: string, start: number, end: number, label: string): Span => ({
  id,
  start,
  end,
  label,
});

/** Worked example: exact vs overlap matches, a label mismatch, one-sided labels. */
const reference = [
  sp("r1", 0, 5, "PER"),
  sp("r2", 10, 15, "PER"),
  sp("r3", 20, 30, "ORG"),
  sp("r4", 40, 45, "LOC"),
  sp("r5", 50, 55, "ORG"),
];
const candidate = [
  sp("c6", 52, 58, "ORG"),
  sp("c1", 0, 5, "PER"),
  sp("c2", 10, 14, "PER"),
  sp("c3", 20, 30, "ORG"),
  sp("c4", 40, 45, "ORG"),
  sp("c5", 60, 65, "DATE"),
];

const counts = (s: LabelScore) => [s.label, s.tp, s.fp, s.fn];

describe("spanScores", () => {
  it("exact matching: per-label counts, micro and macro", () => {
    const s = spanScores(reference, candidate, "exact");
    expect(s.perLabel.map(counts)).toEqual([
      ["DATE", 0, 1, 0],
      ["LOC", 0, 0, 1],
      ["ORG", 1, 2, 1],
      ["PER", 1, 1, 1],
    ]);
    const [date, loc, org, per] = s.perLabel;
    expect(date).toMatchObject({ precision: 0, recall: null, f1: 0 });
    expect(loc).toMatchObject({ precision: null, recall: 0, f1: 0 });
    expect(org?.precision).toBeCloseTo(1 / 3, 12);
    expect(org).toMatchObject({ recall: 0.5, f1: 0.4 });
    expect(per).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(counts(s.micro)).toEqual(["*", 2, 4, 3]);
    expect(s.micro.precision).toBeCloseTo(1 / 3, 12);
    expect(s.micro.recall).toBeCloseTo(2 / 5, 12);
    expect(s.micro.f1).toBeCloseTo(4 / 11, 12);
    // Macro over DATE, LOC, ORG, PER; a null precision/recall counts as 0.
    expect(s.macro.precision).toBeCloseTo((0 + 0 + 1 / 3 + 1 / 2) / 4, 12);
    expect(s.macro.recall).toBeCloseTo((0 + 0 + 1 / 2 + 1 / 2) / 4, 12);
    expect(s.macro.f1).toBeCloseTo((0 + 0 + 0.4 + 0.5) / 4, 12);
  });

  it("overlap matching: same label and a shared code point", () => {
    const s = spanScores(reference, candidate, "overlap");
    expect(s.perLabel.map(counts)).toEqual([
      ["DATE", 0, 1, 0],
      ["LOC", 0, 0, 1],
      ["ORG", 2, 1, 0],
      ["PER", 2, 0, 0],
    ]);
    expect(counts(s.micro)).toEqual(["*", 4, 2, 1]);
    expect(s.micro.f1).toBeCloseTo(8 / 11, 12);
    expect(s.macro.precision).toBeCloseTo((0 + 0 + 2 / 3 + 1) / 4, 12);
    expect(s.macro.recall).toBeCloseTo((0 + 0 + 1 + 1) / 4, 12);
    expect(s.macro.f1).toBeCloseTo((0 + 0 + 0.8 + 1) / 4, 12);
  });

  it("matches one-to-one, largest overlap first", () => {
    const split = spanScores(
      [sp("r", 0, 10, "X")],
      [sp("a", 0, 4, "X"), sp("b", 5, 10, "X")],
      "overlap",
    );
    expect(counts(split.micro)).toEqual(["*", 1, 1, 0]);
    const wide = spanScores(
      [sp("r1", 0, 10, "X"), sp("r2", 8, 12, "X")],
      [sp("c", 0, 12, "X")],
      "overlap",
    );
    expect(counts(wide.micro)).toEqual(["*", 1, 0, 1]);
    // Duplicates are a multiset; touching spans share no code point.
    const dup = spanScores([sp("r", 0, 5, "X")], [sp("a", 0, 5, "X"), sp("b", 0, 5, "X")], "exact");
    expect(counts(dup.micro)).toEqual(["*", 1, 1, 0]);
    const touch = spanScores([sp("r", 0, 5, "X")], [sp("a", 5, 9, "X")], "overlap");
    expect(counts(touch.micro)).toEqual(["*", 0, 1, 1]);
  });

  it("is null where undefined", () => {
    const empty = spanScores([], [], "exact");
    expect(empty.perLabel).toEqual([]);
    expect(empty.micro).toMatchObject({ precision: null, recall: null, f1: null });
    expect(empty.macro).toEqual({ precision: null, recall: null, f1: null });
  });
});

describe("alignSpans", () => {
  const a = [
    sp("a1", 0, 5, "PER"),
    sp("a2", 10, 15, "PER"),
    sp("a3", 20, 30, "ORG"),
    sp("a4", 40, 50, "LOC"),
    sp("a5", 60, 65, "DATE"),
    sp("a6", 80, 100, "PER"),
    sp("a7", 85, 90, "PER"),
  ];
  const b = [
    sp("b6", 85, 90, "PER"),
    sp("b5", 70, 75, "MISC"),
    sp("b4", 42, 52, "ORG"),
    sp("b3", 22, 30, "ORG"),
    sp("b2", 10, 15, "ORG"),
    sp("b1", 0, 5, "PER"),
  ];
  const row = (p: SpanPair) => [p.kind, p.a?.id ?? null, p.b?.id ?? null];

  it("produces every pair kind, sorted by position", () => {
    expect(alignSpans(a, b).map(row)).toEqual([
      ["same", "a1", "b1"],
      ["label", "a2", "b2"],
      ["boundary", "a3", "b3"],
      ["label-boundary", "a4", "b4"],
      ["only-a", "a5", null],
      ["only-b", null, "b5"],
      ["only-a", "a6", null],
      ["same", "a7", "b6"],
    ]);
  });

  it("is deterministic and independent of input order", () => {
    const shuffled = alignSpans([...a].reverse(), [...b].reverse()).map(row);
    expect(shuffled).toEqual(alignSpans(a, b).map(row));
  });

  it("prefers identical offsets, then the largest overlap, then closer boundaries and earlier starts", () => {
    // Same offsets first: a's PER pairs with b's ORG at identical offsets, not with the wider PER.
    const offsetsFirst = alignSpans(
      [sp("a", 0, 10, "PER")],
      [sp("x", 0, 10, "ORG"), sp("y", 0, 12, "PER")],
    );
    expect(offsetsFirst.map(row)).toEqual([
      ["only-b", null, "y"],
      ["label", "a", "x"],
    ]);
    const tie = alignSpans([sp("a", 2, 10, "X")], [sp("x", 2, 12, "X"), sp("y", 0, 10, "X")]);
    expect(tie.map(row)).toEqual([
      ["boundary", "a", "y"],
      ["only-b", null, "x"],
    ]);
    const closer = alignSpans([sp("a", 2, 10, "X")], [sp("x", 0, 10, "X"), sp("y", 2, 11, "X")]);
    expect(closer.map(row)).toEqual([
      ["only-b", null, "x"],
      ["boundary", "a", "y"],
    ]);
  });

  it("labelUnits turns pairs into reliability units with unique ids", () => {
    const units = labelUnits(alignSpans(a, b));
    expect(units).toEqual([
      { id: "0:5", values: ["PER", "PER"] },
      { id: "10:15", values: ["PER", "ORG"] },
      { id: "20:30/22:30", values: ["ORG", "ORG"] },
      { id: "40:50/42:52", values: ["LOC", "ORG"] },
      { id: "60:65/-", values: ["DATE", null] },
      { id: "-/70:75", values: [null, "MISC"] },
      { id: "80:100/-", values: ["PER", null] },
      { id: "85:90", values: ["PER", "PER"] },
    ]);
    const dup = labelUnits(alignSpans([sp("p", 0, 3, "X"), sp("q", 0, 3, "X")], []));
    expect(dup.map((u) => u.id)).toEqual(["0:3/-", "0:3/-#2"]);
  });
});

const spansArb = (prefix: string) =>
  fc
    .array(
      fc.record({
        start: fc.integer({ min: 0, max: 30 }),
        len: fc.integer({ min: 0, max: 8 }),
        label: fc.constantFrom("PER", "ORG", "LOC"),
      }),
      { maxLength: 12 },
    )
    .map((xs) => xs.map((x, i) => sp(`${prefix}${i}`, x.start, x.start + x.len, x.label)));

const inUnit = (v: number | null) => v === null || (v >= 0 && v <= 1);
const allScores = (s: ReturnType<typeof spanScores>) => [
  ...s.perLabel,
  s.micro,
  { label: "macro", tp: 0, fp: 0, fn: 0, ...s.macro },
];

describe("span score properties", () => {
  it("P, R and F1 lie in [0, 1]", () => {
    fc.assert(
      fc.property(
        spansArb("a"),
        spansArb("b"),
        fc.constantFrom("exact", "overlap"),
        (x, y, mode) => {
          for (const s of allScores(spanScores(x, y, mode))) {
            expect(inUnit(s.precision) && inUnit(s.recall) && inUnit(s.f1)).toBe(true);
          }
        },
      ),
    );
  });

  it("exact F1 is symmetric, with precision and recall swapped", () => {
    fc.assert(
      fc.property(spansArb("a"), spansArb("b"), (x, y) => {
        const ab = allScores(spanScores(x, y, "exact"));
        const ba = allScores(spanScores(y, x, "exact"));
        expect(ba.map((s) => [s.label, s.f1, s.precision, s.recall])).toEqual(
          ab.map((s) => [s.label, s.f1, s.recall, s.precision]),
        );
      }),
    );
  });

  it("overlap F1 ≥ exact F1, per label and micro", () => {
    fc.assert(
      fc.property(spansArb("a"), spansArb("b"), (x, y) => {
        const exact = spanScores(x, y, "exact");
        const overlap = spanScores(x, y, "overlap");
        [...exact.perLabel, exact.micro].forEach((e, i) => {
          const o = [...overlap.perLabel, overlap.micro][i];
          expect(o?.label).toBe(e.label);
          expect(o?.tp).toBeGreaterThanOrEqual(e.tp);
          if (e.f1 !== null) expect(o?.f1).toBeGreaterThanOrEqual(e.f1);
        });
      }),
    );
  });

  it("alignSpans uses every span once, with consistent kinds, independent of input order", () => {
    fc.assert(
      fc.property(spansArb("a"), spansArb("b"), (x, y) => {
        const pairs = alignSpans(x, y);
        expect(pairs.flatMap((p) => (p.a ? [p.a.id] : [])).sort()).toEqual(
          x.map((s) => s.id).sort(),
        );
        expect(pairs.flatMap((p) => (p.b ? [p.b.id] : [])).sort()).toEqual(
          y.map((s) => s.id).sort(),
        );
        for (const { a, b, kind } of pairs) {
          if (!a || !b) {
            expect(kind).toBe(a ? "only-a" : "only-b");
            continue;
          }
          const same = a.start === b.start && a.end === b.end;
          const overlap = Math.min(a.end, b.end) > Math.max(a.start, b.start);
          expect(same || overlap).toBe(true);
          const expected = same
            ? a.label === b.label
              ? "same"
              : "label"
            : a.label === b.label
              ? "boundary"
              : "label-boundary";
          expect(kind).toBe(expected);
        }
        for (let k = 1; k < pairs.length; k++) {
          const start = (p?: SpanPair) =>
            Math.min(p?.a?.start ?? Infinity, p?.b?.start ?? Infinity);
          expect(start(pairs[k - 1])).toBeLessThanOrEqual(start(pairs[k]));
        }
        const ids = (ps: SpanPair[]) => ps.map((p) => `${p.kind}:${p.a?.id}:${p.b?.id}`);
        expect(ids(alignSpans([...x].reverse(), [...y].reverse()))).toEqual(ids(pairs));
        const units = labelUnits(pairs);
        expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
      }),
    );
  });
});
