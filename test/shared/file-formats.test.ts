/**
 * Canonical layout and migrations of project files: the same data always gives
 * the same bytes, a changed annotation is a one-line diff, and every migration
 * step turns a real file of the older version into a valid current one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCanonical } from "../../shared/canonical-json";
import {
  FileFormatError,
  fileSchemas,
  formatFileData,
  migrateFileData,
  migrations,
} from "../../shared/file-formats";
import type { AnnotationFile } from "../../shared/project-files";

const TEXT = "👍 Selenskyj traf Steve Witkoff am Mittwoch in Berlin.";

function coding(annotations: AnnotationFile["annotations"]): AnnotationFile {
  return {
    schemaVersion: 2,
    article: "a1",
    coder: "alice",
    textHash: `sha256:${"0".repeat(64)}`,
    status: "in-progress",
    codes: { genre: "news", countries: ["UA", "US"] },
    annotations,
    orphans: [],
  };
}

const selenskyj = {
  id: "alice-1",
  kind: "entity" as const,
  label: "PER",
  start: 2,
  end: 11,
  quote: "Selenskyj",
  prefix: "👍 ",
  suffix: " traf Steve Witkoff am Mittwoch ",
};
const witkoff = {
  id: "alice-2",
  kind: "entity" as const,
  label: "PER",
  start: 17,
  end: 30,
  quote: "Steve Witkoff",
  prefix: "",
  suffix: "",
};

describe("canonical files", () => {
  it("write one annotation per line, sorted by offsets, keys in schema order, trailing newline", () => {
    const text = formatFileData("coding", coding([witkoff, selenskyj]));
    const lines = text.split("\n");
    expect(text.endsWith("}\n")).toBe(true);
    expect(lines[0]).toBe("{");
    expect(lines[1]).toBe('  "schemaVersion": 2,');
    const annotationLines = lines.filter((l) => l.startsWith('    {"id": '));
    expect(annotationLines).toHaveLength(2);
    expect(annotationLines[0]).toMatch(
      /^ {4}\{"id": "alice-1", "kind": "entity", "label": "PER", "start": 2, "end": 11, "quote": "Selenskyj"/,
    );
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(coding([selenskyj, witkoff]))));
  });

  it("turn a relabel into a one-line diff", () => {
    const before = formatFileData("coding", coding([selenskyj, witkoff])).split("\n");
    const after = formatFileData("coding", coding([selenskyj, { ...witkoff, label: "ORG" }])).split(
      "\n",
    );
    expect(after.length).toBe(before.length);
    expect(after.filter((line, i) => line !== before[i])).toHaveLength(1);
  });

  it("give the same bytes whatever order keys and records arrive in (property)", () => {
    const record = fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
      start: fc.nat(1000),
      end: fc.nat(1000),
      label: fc.constantFrom("PER", "ORG"),
      note: fc.option(fc.string(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), fc.boolean(), (records, reverse) => {
        const layout = {
          keys: ["schemaVersion", "annotations"],
          records: {
            annotations: {
              keys: ["id", "start", "end", "label", "note"],
              compare: (a: Record<string, unknown>, b: Record<string, unknown>) =>
                Number(a.start) - Number(b.start) ||
                String(a.id).localeCompare(String(b.id)) ||
                Number(a.end) - Number(b.end),
            },
          },
        };
        const shuffled = reverse ? [...records].reverse() : records;
        const reKeyed = shuffled.map((r) => Object.fromEntries(Object.entries(r).reverse()));
        const a = formatCanonical({ schemaVersion: 2, annotations: records }, layout);
        const b = formatCanonical({ annotations: reKeyed, schemaVersion: 2 }, layout);
        expect(a).toBe(b);
        expect(a.endsWith("\n")).toBe(true);
        expect(a).not.toContain("\r");
      }),
    );
  });

  it("keep keys a newer Tagwerk added, alphabetically after the known ones", () => {
    const text = formatCanonical(
      { zeta: 1, schemaVersion: 2, alpha: { b: 1, a: 2 } },
      { keys: ["schemaVersion"] },
    );
    expect(text).toBe(
      '{\n  "schemaVersion": 2,\n  "alpha": {\n    "a": 2,\n    "b": 1\n  },\n  "zeta": 1\n}\n',
    );
  });
});

describe("migrations", () => {
  it("cover every kind of file from version 1, in order", () => {
    const kinds = migrations.map((m) => `${m.kind}@${m.from}`);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const kind of Object.keys(fileSchemas)) expect(kinds).toContain(`${kind}@1`);
  });

  it("1 → 2 project file: defaultLanguage moves into settings", () => {
    const data = migrateFileData("project", { schemaVersion: 1, name: "P", defaultLanguage: "de" });
    expect(fileSchemas.project.parse(data)).toEqual({
      schemaVersion: 2,
      name: "P",
      settings: { defaultLanguage: "de" },
    });
  });

  it("1 → 2 annotation file: context from the text, status and empty codes/orphans", () => {
    const v1 = {
      schemaVersion: 1,
      article: "a1",
      coder: "alice",
      textHash: "sha256:x",
      annotations: [
        { id: "alice-1", kind: "entity", label: "PER", start: 2, end: 11, quote: "Selenskyj" },
      ],
    };
    const data = fileSchemas.coding.parse(migrateFileData("coding", v1, { text: TEXT }));
    expect(data.status).toBe("in-progress");
    expect(data.codes).toEqual({});
    expect(data.orphans).toEqual([]);
    expect(data.annotations[0]).toMatchObject({
      prefix: "👍 ",
      suffix: " traf Steve Witkoff am Mittwoch ",
    });
  });

  it("1 → 2 annotation file whose quote no longer matches keeps the annotation without context", () => {
    const v1 = {
      schemaVersion: 1,
      article: "a1",
      coder: "bob",
      textHash: "sha256:x",
      annotations: [{ id: "bob-1", kind: "entity", label: "PER", start: 0, end: 4, quote: "Kiew" }],
    };
    const data = fileSchemas.coding.parse(migrateFileData("coding", v1, { text: TEXT }));
    expect(data.annotations[0]).toMatchObject({
      id: "bob-1",
      quote: "Kiew",
      prefix: "",
      suffix: "",
    });
    expect(data.status).toBe("in-progress");
  });

  it.each(["codebook", "entities", "article"] as const)(
    "1 → 2 %s file: only the version changes",
    (kind) => {
      expect(migrateFileData(kind, { schemaVersion: 1, x: 1 })).toEqual({ schemaVersion: 2, x: 1 });
    },
  );

  it("refuse files from a newer Tagwerk and files without a version, in words", () => {
    expect(() => migrateFileData("coding", { schemaVersion: 9 })).toThrow(
      /newer Tagwerk.*update Tagwerk/,
    );
    expect(() => migrateFileData("coding", { annotations: [] })).toThrow(FileFormatError);
    expect(() => migrateFileData("coding", [])).toThrow(/JSON object/);
  });
});
