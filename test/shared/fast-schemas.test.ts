/**
 * The fast path for annotation files and article metadata must never accept
 * what zod rejects, and where it accepts, it must return exactly zod's result:
 * the same values, the same keys in the same order, defaults filled in.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastAnnotationFile, fastArticleMeta } from "../../shared/fast-schemas";
import { annotationFileSchema, articleMetaSchema } from "../../shared/project-files";

/** Both agree: the fast path declines, or returns zod's data byte for byte. */
function agrees(fast: unknown, zod: { success: boolean; data?: unknown }): void {
  if (fast === null) return;
  expect(zod.success).toBe(true);
  expect(fast).toStrictEqual(zod.data);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.data));
}

const HASH = `sha256:${"ab".repeat(32)}`;

/** Values that often sit on a schema's edges. */
const edgy = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    "",
    "alice-1",
    "PER",
    "entity",
    "stance",
    "date",
    "done",
    "in-progress",
    "nope",
    "../x",
    "-x",
    "2025-12-18",
    "2025-12",
    "25-12-18",
    HASH,
    "sha256:XYZ",
    0,
    -0,
    1,
    2,
    -1,
    1.5,
    2 ** 53,
    [],
    ["a"],
    [1],
    {},
  ),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -3, max: 40 }),
);

const annotationArb = fc.record(
  {
    id: fc.oneof(fc.constant("alice-1"), edgy),
    kind: fc.oneof(fc.constantFrom("entity", "date", "stance"), edgy),
    label: fc.oneof(fc.constant("PER"), edgy),
    start: fc.oneof(fc.integer({ min: 0, max: 20 }), edgy),
    end: fc.oneof(fc.integer({ min: 0, max: 30 }), edgy),
    quote: fc.oneof(fc.string({ maxLength: 5 }), edgy),
    prefix: edgy,
    suffix: edgy,
    value: edgy,
    target: edgy,
    polarity: edgy,
    holder: edgy,
    entity: edgy,
    note: edgy,
    codebookVersion: edgy,
    reason: edgy,
    extra: edgy,
  },
  { requiredKeys: ["id", "kind", "label", "start", "end", "quote"] },
);

/** Drops keys whose value is undefined, as JSON.parse would never produce them. */
function jsonish<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe("fast annotation files", () => {
  it("agrees with zod on random, mostly valid files", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            schemaVersion: fc.oneof(fc.constant(2), edgy),
            article: fc.oneof(fc.constant("a1"), edgy),
            coder: fc.oneof(fc.constant("alice"), edgy),
            textHash: fc.oneof(fc.constant(HASH), edgy),
            status: edgy,
            codes: fc.oneof(
              edgy,
              fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(edgy, fc.array(edgy))),
            ),
            annotations: fc.oneof(fc.array(annotationArb, { maxLength: 4 }), edgy),
            orphans: fc.oneof(fc.array(annotationArb, { maxLength: 2 }), edgy),
            rejected: fc.oneof(fc.array(fc.string({ maxLength: 3 })), edgy),
            conflicts: fc.constantFrom(undefined, []),
            unknown: edgy,
          },
          { requiredKeys: ["schemaVersion", "article", "coder", "textHash", "annotations"] },
        ),
        fc.boolean(),
        (file, viaJson) => {
          const raw = viaJson ? jsonish(file) : file;
          agrees(fastAnnotationFile(raw), annotationFileSchema.safeParse(raw));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("takes the fast path for ordinary files and keeps key order", () => {
    const raw = {
      codes: { b: 1, a: ["x", "y"], c: "text" },
      annotations: [
        { suffix: "s", id: "alice-1", kind: "entity", label: "PER", start: 1, end: 3, quote: "ab" },
        {
          id: "alice-2",
          kind: "stance",
          label: "STANCE",
          start: 0,
          end: 9,
          quote: "q",
          polarity: "favour",
          target: "t",
          codebookVersion: 3,
          note: "n",
        },
      ],
      textHash: HASH,
      coder: "alice",
      article: "a1",
      schemaVersion: 2,
      extra: true,
    };
    const fast = fastAnnotationFile(raw);
    expect(fast).not.toBeNull();
    agrees(fast, annotationFileSchema.safeParse(raw));
  });

  it("leaves __proto__ keys, conflicts and broken annotations to zod", () => {
    const base = { schemaVersion: 2, article: "a1", coder: "alice", textHash: HASH };
    expect(
      fastAnnotationFile(
        JSON.parse(
          `{"schemaVersion":2,"article":"a1","coder":"alice","textHash":"h","annotations":[],"codes":{"__proto__":"x"}}`,
        ),
      ),
    ).toBeNull();
    expect(fastAnnotationFile({ ...base, annotations: [], conflicts: [] })).toBeNull();
    const reversed = { id: "alice-1", kind: "entity", label: "PER", start: 3, end: 3, quote: "" };
    expect(fastAnnotationFile({ ...base, annotations: [reversed] })).toBeNull();
    expect(annotationFileSchema.safeParse({ ...base, annotations: [reversed] }).success).toBe(
      false,
    );
  });
});

describe("fast article metadata", () => {
  it("agrees with zod on random, mostly valid metadata", () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            schemaVersion: fc.oneof(fc.constant(2), edgy),
            id: fc.oneof(fc.constant("a1"), edgy),
            title: fc.oneof(fc.string({ maxLength: 5 }), edgy),
            source: edgy,
            url: edgy,
            date: fc.oneof(fc.constant("2025-12-18"), edgy),
            language: edgy,
            importedAt: fc.oneof(fc.constant("2026-01-01T00:00:00.000Z"), edgy),
            textHash: fc.oneof(fc.constant(HASH), edgy),
            origin: edgy,
            unknown: edgy,
          },
          { requiredKeys: ["schemaVersion", "id", "title", "importedAt", "textHash"] },
        ),
        fc.boolean(),
        (meta, viaJson) => {
          const raw = viaJson ? jsonish(meta) : meta;
          agrees(fastArticleMeta(raw), articleMetaSchema.safeParse(raw));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("takes the fast path for ordinary metadata", () => {
    const raw = {
      textHash: HASH,
      importedAt: "2026-01-01T00:00:00.000Z",
      title: "T",
      id: "a1",
      schemaVersion: 2,
      date: "2025-12",
    };
    const fast = fastArticleMeta(raw);
    expect(fast).not.toBeNull();
    agrees(fast, articleMetaSchema.safeParse(raw));
  });
});
