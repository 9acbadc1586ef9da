import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatFileData } from "../../../shared/file-formats";
import {
  MergeInputError,
  type MergeOutcome,
  mergeCodebook,
  mergeCoding,
  mergeFileTexts,
  mergeKindOfPath,
  mergeRegistry,
} from "../../../shared/merge/three-way";
import {
  type AnnotationFile,
  annotationFileSchema,
  type Codebook,
  type CodingStatus,
  codebookSchema,
  codingStatuses,
  type DocumentCodeValue,
  type EntityRegistry,
  entityRegistrySchema,
  type Label,
  type MergeConflict,
  type RegistryEntity,
  type StoredAnnotation,
} from "../../../shared/project-files";

const hash = (digit: string) => `sha256:${digit.repeat(64)}`;
const [H0, H1, H2] = [hash("0"), hash("1"), hash("2")];

function ann(id: string, start: number, end: number, label = "PER", extra = {}): StoredAnnotation {
  const quote = "x".repeat(end - start);
  return { id, kind: "entity", label, start, end, quote, prefix: "", suffix: "", ...extra };
}

function coding(
  annotations: StoredAnnotation[],
  extra: Partial<AnnotationFile> = {},
): AnnotationFile {
  const file = { article: "a1", coder: "alice", textHash: H0, status: "in-progress" as const };
  return { schemaVersion: 2, ...file, codes: {}, annotations, orphans: [], ...extra };
}

const ids = (records: readonly { id: string }[]) => records.map((r) => r.id).sort();
const keys = (conflicts: readonly MergeConflict[] | undefined) =>
  (conflicts ?? []).map((c) => `${c.kind}:${c.key}`).sort();

describe("mergeCoding", () => {
  const a = ann("b-1", 0, 5);
  const base = coding([a]);

  it("keeps additions of either side; identical additions once; different ones conflict", () => {
    const ours = coding([a, ann("o-1", 10, 12), ann("same", 20, 22), ann("both", 30, 33)]);
    const theirs = coding([a, ann("t-1", 40, 45), ann("same", 20, 22), ann("both", 30, 33, "ORG")]);
    const { merged, conflicts } = mergeCoding(base, ours, theirs);
    expect(ids(merged.annotations)).toEqual(["b-1", "both", "o-1", "same", "t-1"]);
    expect(merged.annotations.find((x) => x.id === "both")?.label).toBe("PER");
    expect(conflicts).toBe(1);
    const [ours1, theirs1] = [ann("both", 30, 33), ann("both", 30, 33, "ORG")];
    const record = { kind: "annotation", key: "both", base: null, ours: ours1, theirs: theirs1 };
    expect(merged.conflicts).toEqual([record]);
  });

  it("keeps two different ids with identical span and label (nothing is deduplicated)", () => {
    const [o, t] = [coding([a, ann("o-1", 8, 9)]), coding([a, ann("t-1", 8, 9)])];
    const { merged } = mergeCoding(base, o, t);
    expect(ids(merged.annotations)).toEqual(["b-1", "o-1", "t-1"]);
  });

  it("deletes what one side deleted and the other left alone", () => {
    expect(mergeCoding(base, coding([]), base).merged.annotations).toEqual([]);
    expect(mergeCoding(base, base, coding([])).merged.annotations).toEqual([]);
  });

  it("reports delete/change as a conflict and keeps ours' side of it", () => {
    const changed = { ...a, label: "ORG" };
    const one = mergeCoding(base, coding([]), coding([changed]));
    expect(one.merged.annotations).toEqual([]);
    expect(one.merged.conflicts).toEqual([
      { kind: "annotation", key: "b-1", base: a, ours: null, theirs: changed },
    ]);
    const other = mergeCoding(base, coding([changed]), coding([]));
    expect(other.merged.annotations).toEqual([changed]);
    expect(other.merged.conflicts?.[0]).toMatchObject({ ours: changed, theirs: null });
  });

  it("takes a one-sided change, identical changes once, and reports relabel/relabel", () => {
    const moved = { ...a, end: 7 };
    expect(mergeCoding(base, base, coding([moved])).merged.annotations).toEqual([moved]);
    const same = mergeCoding(base, coding([moved]), coding([moved]));
    expect([same.merged.annotations, same.conflicts]).toEqual([[moved], 0]);
    const org = { ...a, label: "ORG" };
    const loc = { ...a, label: "LOC" };
    const { merged, conflicts } = mergeCoding(base, coding([org]), coding([loc]));
    expect(conflicts).toBe(1);
    expect(merged.annotations).toEqual([org]);
    expect(merged.conflicts).toEqual([
      { kind: "annotation", key: "b-1", base: a, ours: org, theirs: loc },
    ]);
  });

  it("merges codes by variable and status as one field", () => {
    const b = coding([], { codes: { tone: "neg", topic: "war", n: 1 }, status: "in-progress" });
    const o = coding([], { codes: { tone: "pos", topic: "war" }, status: "done" });
    const t = coding([], { codes: { tone: "neutral", topic: "war", n: 1, extra: ["a"] } });
    const { merged } = mergeCoding(b, o, t);
    expect(merged.codes).toEqual({ tone: "pos", topic: "war", extra: ["a"] });
    expect(merged.status).toBe("done");
    expect(keys(merged.conflicts)).toEqual(["code:tone"]);
    const both = mergeCoding(b, o, coding([], { codes: o.codes, status: "not-started" }));
    expect([both.merged.status, keys(both.merged.conflicts)]).toEqual(["done", ["status:status"]]);
  });

  it("takes a re-anchored textHash only when the other side anchored nothing new", () => {
    const reanchored = coding([{ ...a, start: 3, end: 8 }], { textHash: H1 });
    expect(mergeCoding(base, base, reanchored).merged.textHash).toBe(H1);
    expect(mergeCoding(base, reanchored, coding([a], { status: "done" })).merged.textHash).toBe(H1);
    const added = coding([a, ann("o-1", 9, 12)]);
    expect(mergeCoding(base, added, reanchored).merged.textHash).toBe(H0);
    expect(mergeCoding(base, reanchored, coding([a], { textHash: H2 })).merged.textHash).toBe(H0);
    expect(mergeCoding(null, reanchored, coding([a], { textHash: H2 })).merged.textHash).toBe(H1);
  });

  it("merges rejected keys as a set and orphans like annotations", () => {
    const orphan = { ...ann("b-2", 1, 2), reason: "gone" };
    const b = coding([], { rejected: ["k1", "k2"], orphans: [orphan] });
    const o = coding([], { rejected: ["k1", "k3"], orphans: [{ ...orphan, reason: "x" }] });
    const t = coding([], { rejected: ["k1", "k2", "k4"], orphans: [{ ...orphan, reason: "y" }] });
    const { merged } = mergeCoding(b, o, t);
    expect(merged.rejected).toEqual(["k1", "k3", "k4"]);
    expect(merged.orphans).toEqual(o.orphans);
    expect(keys(merged.conflicts)).toEqual(["annotation:orphan:b-2"]);
    expect(mergeCoding(b, coding([]), coding([])).merged.rejected).toBeUndefined();
  });

  it("carries conflicts over: union by kind+key, resolved ones go, ours wins a clash", () => {
    const c = (key: string, ours: unknown): MergeConflict => {
      return { kind: "code", key, base: null, ours, theirs: 2 };
    };
    const b = coding([], { conflicts: [c("old", 1), c("both", 1)] });
    const o = coding([], { conflicts: [c("both", "o"), c("mine", 1)] });
    const t = coding([], { conflicts: [c("old", 1), c("both", "t"), c("yours", 1)] });
    const { merged, conflicts } = mergeCoding(b, o, t);
    expect(conflicts).toBe(0);
    expect(keys(merged.conflicts)).toEqual(["code:both", "code:mine", "code:yours"]);
    expect(merged.conflicts?.find((x) => x.key === "both")?.ours).toBe("o");
    expect(mergeCoding(b, coding([]), coding([])).merged.conflicts).toBeUndefined();
    const stale: MergeConflict = { kind: "annotation", key: "b-1", base: 1, ours: 2, theirs: 3 };
    const [o2, t2] = [
      coding([{ ...a, label: "O" }], { conflicts: [stale] }),
      coding([{ ...a, label: "T" }]),
    ];
    const renewed = mergeCoding(base, o2, t2).merged.conflicts;
    expect(renewed).toEqual([
      { ...stale, base: a, ours: o2.annotations[0], theirs: t2.annotations[0] },
    ]);
  });
});

const label = (id: string, name = id): Label => {
  return { id, kind: "entity", name, color: "#112233", description: "", examples: [] };
};
function codebook(labels: Label[], version = 1, extra: Partial<Codebook> = {}): Codebook {
  const lists = { stanceTargets: [], stanceScale: [], documentVariables: [] };
  return { schemaVersion: 2, version, labels, ...lists, ...extra };
}

describe("mergeCodebook", () => {
  const base = codebook([label("PER"), label("ORG"), label("LOC")], 3);

  it("merges a renamed label on one side with a new label on the other", () => {
    const ours = codebook([label("PER", "Person"), label("ORG"), label("LOC")], 4);
    const theirs = codebook([label("PER"), label("ORG"), label("EVT"), label("LOC")], 4);
    const { merged, conflicts } = mergeCodebook(base, ours, theirs);
    expect(conflicts).toBe(0);
    expect(merged.labels.map((l) => `${l.id}=${l.name}`)).toEqual([
      "PER=Person",
      "ORG=ORG",
      "EVT=EVT",
      "LOC=LOC",
    ]);
    expect(merged.version).toBe(5);
  });

  it("keeps the version of the only side that changed and grows it otherwise", () => {
    const theirs = codebook([label("PER"), label("ORG")], 4);
    expect(mergeCodebook(base, base, theirs).merged).toEqual(theirs);
    expect(mergeCodebook(base, theirs, theirs).merged.version).toBe(4);
    const renamed = codebook([label("PER", "P"), label("ORG"), label("LOC")], 6);
    expect(mergeCodebook(base, renamed, theirs).merged.version).toBe(7);
  });

  it("follows theirs' reorder when ours only added or deleted", () => {
    const ours = codebook([label("PER"), label("LOC"), label("NEW")], 4);
    const theirs = codebook([label("LOC"), label("ORG"), label("PER")], 4);
    expect(mergeCodebook(base, ours, theirs).merged.labels.map((l) => l.id)).toEqual([
      "LOC",
      "PER",
      "NEW",
    ]);
  });

  it("reports conflicts per label, target, polarity and variable", () => {
    const extra = (name: string): Partial<Codebook> => ({
      stanceTargets: [{ id: "t", name, description: "" }],
      stanceScale: [{ id: "p", name }],
      documentVariables: [{ id: "v", name, type: "single", options: [], description: "" }],
    });
    const b = codebook([label("PER")], 1, extra("b"));
    const { merged } = mergeCodebook(
      b,
      codebook([label("PER", "o")], 2, extra("o")),
      codebook([], 2, extra("t")),
    );
    expect(keys(merged.conflicts)).toEqual([
      "documentVariable:v",
      "label:PER",
      "stancePolarity:p",
      "stanceTarget:t",
    ]);
    expect(merged.labels).toEqual([label("PER", "o")]);
  });
});

describe("mergeRegistry", () => {
  const e = (id: string, name = id) => ({ id, name, aliases: [] });
  const reg = (...entities: EntityRegistry["entities"]): EntityRegistry => ({
    schemaVersion: 2,
    entities,
  });
  it("merges entities by id", () => {
    const base = reg(e("e1"), e("e2"), e("e3"));
    const ours = reg(e("e1", "A"), e("e3", "C"), e("o"));
    const { merged, conflicts } = mergeRegistry(base, ours, reg(e("e1"), e("e3", "D"), e("t")));
    expect(merged.entities.map((x) => `${x.id}=${x.name}`)).toEqual(["e1=A", "e3=C", "o=o", "t=t"]);
    expect([conflicts, keys(merged.conflicts)]).toEqual([1, ["entity:e3"]]);
  });
});

describe("mergeFileTexts", () => {
  const text = (f: AnnotationFile) => formatFileData("coding", f);
  const base = coding([ann("b-1", 0, 4)]);

  it("treats a missing or blank base as none and writes canonical text", () => {
    const o = coding([ann("o-1", 0, 4)]);
    const t = coding([ann("t-1", 5, 9)]);
    for (const b of [null, "", "\n"]) {
      const both = text(coding([...o.annotations, ...t.annotations]));
      expect(mergeFileTexts("coding", b, text(o), text(t))).toEqual({ text: both, conflicts: 0 });
    }
  });

  it("reads files of an older schema version", () => {
    const { annotations, article, coder, textHash } = base;
    const v1 = JSON.stringify({ schemaVersion: 1, article, coder, textHash, annotations });
    const out = mergeFileTexts("coding", v1, text(base), text(base));
    expect(out.text).toBe(text(base));
  });

  it("throws MergeInputError naming the unreadable version", () => {
    const marked = `<<<<<<< ours\n${text(base)}=======\n>>>>>>> theirs\n`;
    expect(() => mergeFileTexts("coding", null, text(base), marked)).toThrow(
      /theirs: not valid JSON \(it holds git conflict/,
    );
    expect(() => mergeFileTexts("codebook", "{}", "{}", "{}")).toThrow(MergeInputError);
    const bad = JSON.stringify({ ...base, status: "maybe" });
    expect(() => mergeFileTexts("coding", bad, text(base), text(base))).toThrow(/^base: status/);
  });

  it("tells the kind of a file from its path", () => {
    const kinds = { coding: "coding/art-1/alice.json", codebook: "codebook.json" };
    expect(mergeKindOfPath(kinds.coding)).toBe("coding");
    expect(mergeKindOfPath(`annotations/${kinds.coding}`)).toBe("coding");
    expect(mergeKindOfPath(kinds.codebook)).toBe("codebook");
    expect(mergeKindOfPath("proj\\entities.json")).toBe("entities");
    const others = ["articles/codebook.json", "coding/x/.json", "tagwerk.json", "coding/a.json"];
    expect(others.map(mergeKindOfPath)).toEqual([null, null, null, null]);
  });
});

// ---------------------------------------------------------------- property tests

/** Order-insensitive value equality, as the merge uses. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([k, v]) => `${k}:${stable(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

type Side = "ours" | "theirs";

/** The laws every merge obeys: valid output, identities, ours/theirs symmetry of what survives. */
function checkLaws<F>(
  b: F,
  o: F,
  t: F,
  merge: (b: F | null, o: F, t: F) => MergeOutcome<F>,
  format: (f: F) => string,
  schemaOk: (f: unknown) => boolean,
  survivors: (f: F) => string[],
): F {
  const { merged, conflicts } = merge(b, o, t);
  expect(schemaOk(JSON.parse(format(merged)))).toBe(true);
  expect(format(merge(b, o, o).merged)).toBe(format(o));
  expect(format(merge(b, b, t).merged)).toBe(format(t));
  expect(format(merge(b, o, b).merged)).toBe(format(o));
  const swapped = merge(b, t, o);
  expect(swapped.conflicts).toBe(conflicts);
  expect(survivors(swapped.merged)).toEqual(survivors(merged));
  expect(schemaOk(JSON.parse(format(merge(null, o, t).merged)))).toBe(true);
  return merged;
}

/**
 * Nothing is lost: each record of either side is kept or is its side of a conflict, unless the
 * other side deleted it while this side left it as in base; additions are always kept.
 */
function checkNoLoss<R extends { id: string }>(
  [base, ours, theirs, merged]: R[][],
  conflicts: MergeConflict[] = [],
  kind: string,
  prefix = "",
): void {
  const kept = new Set(merged?.map((r) => r.id));
  const recorded = new Map(conflicts.filter((c) => c.kind === kind).map((c) => [c.key, c]));
  for (const [side, other] of [
    [ours, theirs],
    [theirs, ours],
  ]) {
    for (const r of side ?? []) {
      const inBase = base?.find((x) => x.id === r.id);
      const c = recorded.get(`${prefix}${r.id}`);
      if (inBase && !other?.some((x) => x.id === r.id) && stable(inBase) === stable(r)) {
        expect(kept.has(r.id) || c !== undefined).toBe(false);
      } else {
        if (!inBase) expect(kept.has(r.id)).toBe(true);
        const sides = [c?.ours, c?.theirs].map(stable);
        expect(kept.has(r.id) || sides.includes(stable(r))).toBe(true);
      }
    }
  }
}

/** Ids of `records` plus conflict keys of `kind`: what survived a merge in some form. */
function survivorsOf(records: { id: string }[], conflicts: MergeConflict[] = [], kind = "") {
  const keys = conflicts.filter((c) => c.kind === kind).map((c) => c.key);
  return [...new Set([...records.map((r) => r.id), ...keys])].sort();
}

const labelArb = fc.constantFrom("PER", "ORG", "LOC");
const variableArb = fc.constantFrom("tone", "topic", "n");
const codeArb: fc.Arbitrary<DocumentCodeValue> = fc.oneof(
  fc.constantFrom("pos", "neg"),
  fc.integer({ min: 0, max: 2 }),
  fc.constantFrom<string[]>(["a"], ["a", "b"]),
);
const lenArb = fc.integer({ min: 1, max: 20 });
const spanArb = fc.record({ start: fc.nat(300), len: lenArb, label: labelArb });

const oldConflict = (key: string): MergeConflict => {
  return { kind: "code", key, base: 1, ours: 2, theirs: 3 };
};
type Span = { start: number; len: number; label: string };
const spans = (list: Span[], prefix: string) =>
  list.map((s, i) => ann(`${prefix}-${i}`, s.start, s.start + s.len, s.label));
const codingArb = fc
  .record({
    spans: fc.array(spanArb, { maxLength: 30 }),
    orphans: fc.array(spanArb, { maxLength: 3 }),
    status: fc.constantFrom(...codingStatuses),
    codes: fc.dictionary(variableArb, codeArb, { maxKeys: 3 }),
    textHash: fc.constantFrom(H0, H1),
    rejected: fc.option(fc.uniqueArray(fc.constantFrom("k1", "k2", "k3")), { nil: undefined }),
    conflicts: fc.uniqueArray(fc.constantFrom("old-1", "old-2"), { maxLength: 2 }),
  })
  .map((g) =>
    coding(spans(g.spans, "b"), {
      status: g.status,
      codes: g.codes,
      textHash: g.textHash,
      orphans: spans(g.orphans, "bo").map((a) => ({ ...a, reason: "r" })),
      rejected: g.rejected?.sort(),
      conflicts: g.conflicts.length > 0 ? g.conflicts.map(oldConflict) : undefined,
    }),
  );

type CodingEdit =
  | { op: "add"; start: number; len: number; label: string }
  | { op: "delete" | "orphan" | "resolve"; at: number }
  | { op: "relabel"; at: number; label: string }
  | { op: "move"; at: number; ds: number; de: number }
  | { op: "note"; at: number; note: string }
  | { op: "code"; variable: string; value: DocumentCodeValue | null }
  | { op: "status"; status: CodingStatus }
  | { op: "hash"; hash: string }
  | { op: "reject"; key: string };

const at = fc.nat();
const shiftArb = fc.integer({ min: -3, max: 3 });
const codingEditArb: fc.Arbitrary<CodingEdit> = fc.oneof(
  fc.record({ op: fc.constant("add"), start: fc.nat(300), len: lenArb, label: labelArb }),
  fc.record({ op: fc.constantFrom("delete", "orphan", "resolve"), at }),
  fc.record({ op: fc.constant("relabel"), at, label: labelArb }),
  fc.record({ op: fc.constant("move"), at, ds: shiftArb, de: shiftArb }),
  fc.record({ op: fc.constant("note"), at, note: fc.constantFrom("x", "y") }),
  fc.record({
    op: fc.constant("code"),
    variable: variableArb,
    value: fc.option(codeArb, { nil: null }),
  }),
  fc.record({ op: fc.constant("status"), status: fc.constantFrom(...codingStatuses) }),
  fc.record({ op: fc.constant("hash"), hash: fc.constantFrom(H1, H2) }),
  fc.record({ op: fc.constant("reject"), key: fc.constantFrom("k1", "k2", "k4") }),
);
const editsArb = <E>(arb: fc.Arbitrary<E>) => fc.array(arb, { maxLength: 12 });

function editCoding(file: AnnotationFile, edits: CodingEdit[], side: Side): AnnotationFile {
  const f = structuredClone(file);
  const list = f.annotations;
  edits.forEach((e, n) => {
    const i = "at" in e && list.length > 0 ? e.at % list.length : -1;
    const a = list[i];
    if (e.op === "add") list.push(ann(`${side}-${n}`, e.start, e.start + e.len, e.label));
    else if (e.op === "code") {
      if (e.value === null) delete f.codes[e.variable];
      else f.codes[e.variable] = e.value;
    } else if (e.op === "status") f.status = e.status;
    else if (e.op === "hash") f.textHash = e.hash;
    else if (e.op === "reject") {
      const set = new Set(f.rejected);
      set[set.has(e.key) ? "delete" : "add"](e.key);
      f.rejected = [...set].sort();
    } else if (e.op === "resolve") {
      f.conflicts = f.conflicts?.slice(1);
      if (f.conflicts?.length === 0) delete f.conflicts;
    } else if (!a) return;
    else if (e.op === "delete") list.splice(i, 1);
    else if (e.op === "orphan")
      f.orphans.push({ ...(list.splice(i, 1)[0] ?? a), reason: "text changed" });
    else if (e.op === "relabel") list[i] = { ...a, label: e.label };
    else if (e.op === "note") list[i] = { ...a, note: e.note };
    else if (e.op === "move") {
      const start = Math.max(0, a.start + e.ds);
      list[i] = { ...a, start, end: Math.max(start + 1, a.end + e.de) };
    }
  });
  return f;
}

describe("property: mergeCoding", () => {
  const format = (f: AnnotationFile) => formatFileData("coding", f);
  const schemaOk = (f: unknown) => annotationFileSchema.safeParse(f).success;
  const survivors = (f: AnnotationFile) => [
    ...survivorsOf(f.annotations, f.conflicts, "annotation"),
    ...survivorsOf(f.orphans).map((id) => `orphan:${id}`),
    ...survivorsOf(
      Object.keys(f.codes).map((id) => ({ id })),
      f.conflicts,
      "code",
    ),
  ];

  it("obeys the merge laws and loses no annotation", () => {
    fc.assert(
      fc.property(codingArb, editsArb(codingEditArb), editsArb(codingEditArb), (b, eo, et) => {
        const o = editCoding(b, eo, "ours");
        const t = editCoding(b, et, "theirs");
        const merged = checkLaws(b, o, t, mergeCoding, format, schemaOk, survivors);
        const all = [b, o, t, merged];
        checkNoLoss(
          all.map((f) => f.annotations),
          merged.conflicts,
          "annotation",
        );
        checkNoLoss(
          all.map((f) => f.orphans),
          merged.conflicts,
          "annotation",
          "orphan:",
        );
        const text = mergeFileTexts("coding", format(b), format(o), format(t)).text;
        expect(text).toBe(format(merged));
      }),
      { numRuns: 300 },
    );
  });
});

type ListEdit = { op: "add" | "delete" | "rename" | "swap" | "alias"; at: number; name: string };
const listOpArb = fc.constantFrom("add", "delete", "rename", "swap", "alias");
const listEditsArb = editsArb(fc.record({ op: listOpArb, at, name: fc.constantFrom("A", "B") }));

/** Applies add/delete/rename/swap edits to a list of records with ids; `alias` edits go to `touch`. */
function editList<T extends { id: string; name: string }>(
  list: T[],
  edits: ListEdit[],
  make: (id: string) => T,
  touch: (r: T, name: string) => T = (r, name) => ({ ...r, name: `${r.name}${name}` }),
): T[] {
  const out = [...list];
  edits.forEach((e, n) => {
    const i = out.length > 0 ? e.at % out.length : -1;
    const r = out[i];
    if (e.op === "add") out.push(make(`${e.name}-${n}`));
    else if (!r) return;
    else if (e.op === "delete") out.splice(i, 1);
    else if (e.op === "rename") out[i] = { ...r, name: e.name };
    else if (e.op === "alias") out[i] = touch(r, e.name);
    else if (e.op === "swap" && i > 0) out.splice(i - 1, 2, r, out[i - 1] as T);
  });
  return out;
}

describe("property: mergeCodebook and mergeRegistry", () => {
  const idsArb = (prefix: string, max: number) =>
    fc.integer({ min: 0, max }).map((n) => Array.from({ length: n }, (_, i) => `${prefix}${i}`));

  it("obeys the merge laws for codebooks; versions never go down", () => {
    const bookArb = fc
      .record({ labels: idsArb("L", 5), targets: idsArb("T", 3), version: fc.nat(4) })
      .map(({ labels, targets, version }) => {
        const stanceTargets = targets.map((id) => ({ id, name: id, description: "" }));
        return codebook(
          labels.map((id) => label(id)),
          version + 1,
          { stanceTargets },
        );
      });
    const recolour = (r: Label, n: string) => ({ ...r, color: n === "A" ? "#aaaaaa" : "#bbbbbb" });
    const edit = (c: Codebook, labels: ListEdit[], targets: ListEdit[], side: Side): Codebook => {
      const make = (id: string) => ({ id: `${side}-${id}`, name: id, description: "" });
      const next = {
        ...c,
        labels: editList(c.labels, labels, (id) => label(`${side}-${id}`), recolour),
        stanceTargets: editList(c.stanceTargets, targets, make),
      };
      return labels.length + targets.length > 0 ? { ...next, version: c.version + 1 } : next;
    };
    const format = (c: Codebook) => formatFileData("codebook", c);
    const sideArb = fc.tuple(listEditsArb, listEditsArb);
    const survivors = (c: Codebook) => [
      ...survivorsOf(c.labels, c.conflicts, "label"),
      ...survivorsOf(c.stanceTargets, c.conflicts, "stanceTarget"),
    ];
    fc.assert(
      fc.property(bookArb, sideArb, sideArb, (b, [lo, to], [lt, tt]) => {
        const o = edit(b, lo, to, "ours");
        const t = edit(b, lt, tt, "theirs");
        const schemaOk = (c: unknown) => codebookSchema.safeParse(c).success;
        const merged = checkLaws(b, o, t, mergeCodebook, format, schemaOk, survivors);
        expect(merged.version).toBeGreaterThanOrEqual(Math.max(o.version, t.version));
        const all = [b, o, t, merged];
        checkNoLoss(
          all.map((c) => c.labels),
          merged.conflicts,
          "label",
        );
        checkNoLoss(
          all.map((c) => c.stanceTargets),
          merged.conflicts,
          "stanceTarget",
        );
      }),
      { numRuns: 200 },
    );
  });

  it("obeys the merge laws for registries", () => {
    const entity = (id: string) => ({ id, name: id, aliases: [] });
    const entityArb = idsArb("E", 6).map((list): EntityRegistry => {
      return { schemaVersion: 2, entities: list.map(entity) };
    });
    const alias = (e: RegistryEntity, n: string) => ({ ...e, aliases: [...e.aliases, n] });
    const edit = (r: EntityRegistry, edits: ListEdit[], side: Side): EntityRegistry => {
      return {
        ...r,
        entities: editList(r.entities, edits, (id) => entity(`${side}-${id}`), alias),
      };
    };
    const format = (r: EntityRegistry) => formatFileData("entities", r);
    const schemaOk = (r: unknown) => entityRegistrySchema.safeParse(r).success;
    const survivors = (r: EntityRegistry) => survivorsOf(r.entities, r.conflicts, "entity");
    fc.assert(
      fc.property(entityArb, listEditsArb, listEditsArb, (b, eo, et) => {
        const [o, t] = [edit(b, eo, "ours"), edit(b, et, "theirs")];
        const merged = checkLaws(b, o, t, mergeRegistry, format, schemaOk, survivors);
        checkNoLoss(
          [b, o, t, merged].map((r) => r.entities),
          merged.conflicts,
          "entity",
        );
      }),
      { numRuns: 200 },
    );
  });
});
