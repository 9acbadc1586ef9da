/**
 * Recovering broken annotation files built from real canonical files: merged
 * by `git merge-file` without Tagwerk's driver (plain and diff3 markers), cut
 * off at any byte, and hand-edited into invalid JSON. Nothing a side changed or
 * added may be lost, and the repaired file is always valid.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { formatFileData } from "../../shared/file-formats";
import {
  type AnnotationFile,
  annotationFileSchema,
  type StoredAnnotation,
} from "../../shared/project-files";
import { type Recovery, recoverAnnotationFile, resolveRecovery } from "../../shared/recovery";
import { WorkbenchError } from "../../shared/result";

const HASH = `sha256:${"a".repeat(64)}`;
const EXPECTED = { article: "a1", coder: "alice", textHash: HASH };
const QUOTES = ["Selenskyj", "Steve Witkoff", "Berlin", "👍 Kyjiw", "Mittwoch", "NATO-Gipfel"];
const tmp = mkdtempSync(join(tmpdir(), "tagwerk-recovery-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function annotation(n: number, patch: Partial<StoredAnnotation> = {}): StoredAnnotation {
  const quote = QUOTES[n % QUOTES.length] ?? "x";
  return {
    id: `alice-${String(n).padStart(4, "0")}`,
    kind: "entity",
    label: n % 3 === 0 ? "ORG" : "PER",
    start: n * 20,
    end: n * 20 + [...quote].length,
    quote,
    prefix: "vor ",
    suffix: n % 4 === 0 ? ' sagte: "}"' : " nach",
    ...patch,
  };
}

function file(
  annotations: StoredAnnotation[],
  patch: Partial<AnnotationFile> = {},
): AnnotationFile {
  return {
    schemaVersion: 2,
    article: "a1",
    coder: "alice",
    textHash: HASH,
    status: "in-progress",
    codes: { genre: "news", countries: ["UA", "US"] },
    annotations,
    orphans: [{ ...annotation(90), id: "alice-0090", reason: "quote not found" }],
    ...patch,
  };
}

const BASE = file(Array.from({ length: 24 }, (_, i) => annotation(i + 1)));

/** `git merge-file -p` of three versions, with HEAD / base / origin/main labels. */
function gitMerge(base: string, ours: string, theirs: string, diff3: boolean) {
  const dir = mkdtempSync(join(tmp, "merge-"));
  const paths = { ours, base, theirs };
  for (const [name, text] of Object.entries(paths)) writeFileSync(join(dir, name), text);
  const labels = ["-L", "HEAD", "-L", "base", "-L", "origin/main"];
  const args = ["merge-file", "-p", ...(diff3 ? ["--diff3"] : []), ...labels];
  const run = spawnSync("git", [...args, "ours", "base", "theirs"], { cwd: dir, encoding: "utf8" });
  if (run.status === null || run.status < 0)
    throw new Error(`git merge-file failed: ${run.stderr}`);
  return { text: run.stdout, conflicts: run.status };
}

/** Every annotation a side changed or added (i.e. differs from base) is in the proposal or a choice. */
function expectNothingLost(recovery: Recovery, base: AnnotationFile, sides: AnnotationFile[]) {
  const offered = [...recovery.merged.annotations, ...recovery.choices.flatMap((c) => c.options)];
  for (const side of sides)
    for (const a of side.annotations) {
      const original = base.annotations.find((b) => b.id === a.id);
      if (original && JSON.stringify(original) === JSON.stringify(a)) continue;
      expect(offered).toContainEqual(a);
    }
  const ids = recovery.merged.annotations.map((a) => a.id);
  expect(new Set(ids).size).toBe(ids.length);
}

function expectValid(data: AnnotationFile) {
  expect(annotationFileSchema.safeParse(data).success).toBe(true);
  // The canonical text of the repaired file reads back to the same data.
  const text = formatFileData("coding", data);
  expect(recoverAnnotationFile(text, EXPECTED)).toBeNull();
}

describe("files merged without Tagwerk's merge driver", () => {
  const ours = file(
    [
      ...BASE.annotations.map((a) => (a.id === "alice-0012" ? { ...a, label: "ORG" } : a)),
      annotation(29, { id: "alice-0029", start: 245, end: 251 }),
    ],
    { status: "done", codes: { genre: "news", countries: ["UA"] } },
  );
  const theirs = file(
    [
      ...BASE.annotations
        .filter((a) => a.id !== "alice-0011")
        .map((a) => (a.id === "alice-0012" ? { ...a, label: "LOC" } : a)),
      annotation(30, { id: "alice-0030", start: 241, end: 247 }),
      annotation(31, { id: "alice-0031", start: 243, end: 249 }),
    ],
    { codes: { genre: "opinion", countries: ["UA", "US"] } },
  );
  const [b, o, t] = [BASE, ours, theirs].map((f) => formatFileData("coding", f)) as [
    string,
    string,
    string,
  ];

  for (const diff3 of [false, true]) {
    it(`recover both sides of ${diff3 ? "diff3" : "plain"} conflict markers`, () => {
      const merge = gitMerge(b, o, t, diff3);
      expect(merge.conflicts).toBeGreaterThan(0);
      expect(merge.text).toMatch(/^<<<<<<< HEAD$/m);
      const recovery = recoverAnnotationFile(merge.text, EXPECTED);
      if (!recovery) throw new Error("expected a recovery");
      expect(recovery.kind).toBe("conflict-markers");
      expect(recovery.sides.map((s) => s.name)).toEqual([
        "ours (HEAD)",
        "theirs (origin/main)",
        ...(diff3 ? ["base"] : []),
      ]);
      for (const side of recovery.sides) expect(side.file).not.toBeNull();
      expectNothingLost(recovery, BASE, [ours, theirs]);
      expect(recovery.message).toMatch(
        /^the file contains git conflict markers \(\d+ conflicting sections?\): \d+ annotations from HEAD, \d+ from origin\/main, 1 annotation differs/,
      );
      const relabel = recovery.choices.find((c) => c.id === "alice-0012");
      expect(relabel?.options.map((a) => a.label)).toEqual(["ORG", "LOC"]);
      expect(relabel?.from).toEqual(["ours (HEAD)", "theirs (origin/main)"]);
      // Status and codes merged cleanly (outside the markers): both sides agree.
      expect(recovery.merged.status).toBe("done");
      expect(recovery.merged.codes).toEqual({ genre: "opinion", countries: ["UA"] });
      expect(recovery.merged.orphans).toEqual(BASE.orphans);
      // Deleted on theirs: kept; with a base it is also offered as a choice.
      expect(recovery.merged.annotations.some((a) => a.id === "alice-0011")).toBe(true);
      expect(recovery.choices.some((c) => c.id === "alice-0011")).toBe(diff3);
      if (diff3) expect(recovery.message).toMatch(/1 annotation deleted on one side only \(kept/);

      const repaired = resolveRecovery(recovery, { "alice-0012": 1, "alice-0029": "drop" });
      expectValid(repaired);
      expect(repaired.annotations.find((a) => a.id === "alice-0012")?.label).toBe("LOC");
      expect(repaired.annotations.some((a) => a.id === "alice-0029")).toBe(false);
      expect(repaired.annotations.some((a) => a.id === "alice-0031")).toBe(true);
      expectValid(resolveRecovery(recovery, {}));
    });
  }

  it("salvage the lines of sides that cannot be read whole (markers in a truncated file)", () => {
    const merged = gitMerge(b, o, t, false).text;
    const cut = merged.slice(0, merged.indexOf("\n", merged.indexOf(">>>>>>> origin/main") + 30));
    const recovery = recoverAnnotationFile(cut, EXPECTED) as Recovery;
    expect(recovery.kind).toBe("conflict-markers");
    for (const side of recovery.sides) {
      expect(side.file).toBeNull();
      expect(side.problem).toMatch(/invalid JSON at line \d+/);
    }
    const ids = recovery.merged.annotations.map((a) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining(["alice-0011", "alice-0029", "alice-0030", "alice-0031"]),
    );
    expect(recovery.choices.map((c) => c.id)).toEqual(["alice-0012"]);
    expect(recovery.merged.status).toBe("in-progress");
    expectValid(resolveRecovery(recovery, { "alice-0012": 0 }));
  });

  it("unite two clones that both started coding from the empty file", () => {
    const empty = file([], { status: "not-started", codes: {}, orphans: [] });
    const one = file(BASE.annotations.slice(0, 12), { status: "done", codes: { genre: "news" } });
    const two = file(
      BASE.annotations.slice(8).map((a) => (a.id === "alice-0010" ? { ...a, label: "LOC" } : a)),
      {
        codes: { genre: "opinion", tone: "neutral" },
      },
    );
    const [e, x, y] = [empty, one, two].map((f) => formatFileData("coding", f)) as [
      string,
      string,
      string,
    ];
    for (const diff3 of [false, true]) {
      const merge = gitMerge(e, x, y, diff3);
      expect(merge.text).toMatch(/^<{7} HEAD\n {2}"status": "done",\n/m);
      const recovery = recoverAnnotationFile(merge.text, EXPECTED) as Recovery;
      expectNothingLost(recovery, empty, [one, two]);
      expect(recovery.merged.annotations.map((a) => a.id)).toEqual(
        BASE.annotations.map((a) => a.id),
      );
      expect(recovery.choices.map((c) => c.id)).toEqual(["alice-0010"]);
      // Status: the least done of the sides; codes: the union, HEAD's where they differ.
      expect(recovery.merged.status).toBe("in-progress");
      expect(recovery.message).toMatch(
        /status differs \(HEAD: done, origin\/main: in-progress\): set to in-progress/,
      );
      expect(recovery.merged.codes).toEqual({ genre: "news", tone: "neutral" });
      expect(recovery.message).toMatch(/codes genre differ: kept HEAD's values/);
      expectValid(resolveRecovery(recovery, { "alice-0010": 1 }));
    }
  });

  it("take the changed side by default when the diff3 base shows the other side unchanged", () => {
    const changed = file(
      BASE.annotations.map((a) => (a.id === "alice-0003" ? { ...a, note: "x" } : a)),
    );
    const added = file([...BASE.annotations, annotation(40, { start: 61, end: 67 })]);
    const [c, a] = [changed, added].map((f) => formatFileData("coding", f)) as [string, string];
    const recovery = recoverAnnotationFile(gitMerge(b, a, c, true).text, EXPECTED);
    const choice = recovery?.choices.find((x) => x.id === "alice-0003");
    expect(choice?.options.map((x) => x.note)).toEqual([undefined, "x"]);
    expect(recovery?.merged.annotations.find((x) => x.id === "alice-0003")?.note).toBe("x");
  });

  it("never lose a change either side made (property, random edits on both sides)", () => {
    const edits = fc.array(
      fc.record({
        n: fc.integer({ min: 1, max: 24 }),
        op: fc.constantFrom("relabel", "delete", "add", "note"),
      }),
      { maxLength: 6 },
    );
    const apply = (side: string, ops: { n: number; op: string }[]) => {
      let list = [...BASE.annotations];
      ops.forEach(({ n, op }, i) => {
        const id = `alice-${String(n).padStart(4, "0")}`;
        if (op === "delete") list = list.filter((a) => a.id !== id);
        if (op === "relabel") list = list.map((a) => (a.id === id ? { ...a, label: side } : a));
        if (op === "note")
          list = list.map((a) => (a.id === id ? { ...a, note: `${side} ${i}` } : a));
        if (op === "add")
          list.push(annotation(n, { id: `${side}-${i}`, start: n * 20 + 1, end: n * 20 + 4 }));
      });
      return file(list, { status: ops.length % 2 === 0 ? "done" : "in-progress" });
    };
    fc.assert(
      fc.property(edits, edits, fc.boolean(), (oursOps, theirsOps, diff3) => {
        const [o2, t2] = [apply("ours", oursOps), apply("theirs", theirsOps)];
        const merge = gitMerge(
          b,
          formatFileData("coding", o2),
          formatFileData("coding", t2),
          diff3,
        );
        const recovery = recoverAnnotationFile(merge.text, EXPECTED);
        if (merge.conflicts === 0) {
          if (recovery) expectValid(resolveRecovery(recovery, {}));
          return;
        }
        expect(recovery?.kind).toBe("conflict-markers");
        if (!recovery) return;
        expectNothingLost(recovery, BASE, [o2, t2]);
        const picks = Object.fromEntries(
          recovery.choices.map((ch) => [ch.id, ch.options.length - 1]),
        );
        expectValid(resolveRecovery(recovery, picks));
      }),
      { numRuns: 60 },
    );
  });
});

describe("truncated files", () => {
  const full = file(BASE.annotations, { status: "done" });
  const text = formatFileData("coding", full);
  const bytes = new TextEncoder().encode(text);

  it("recover every annotation line written before the cut, at any byte (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length - 1 }), (cut) => {
        const broken = new TextDecoder().decode(bytes.slice(0, cut));
        const recovery = recoverAnnotationFile(broken, EXPECTED);
        if (!recovery) {
          expect(broken.trimEnd()).toBe(text.trimEnd());
          return;
        }
        expect(recovery.kind).toBe("truncated");
        expect(recovery.sides).toHaveLength(1);
        expect(recovery.choices).toEqual([]);
        for (const a of full.annotations) {
          const start = text.indexOf(`{"id": "${a.id}"`);
          const end =
            text.indexOf("\n", start) - (text[text.indexOf("\n", start) - 1] === "," ? 1 : 0);
          const written = new TextEncoder().encode(text.slice(0, end)).length <= cut;
          const found = recovery.merged.annotations.find((x) => x.id === a.id);
          if (written) expect(found).toEqual(a);
          else expect(found).toBeUndefined();
        }
        expect(recovery.merged.status).not.toBe("done");
        expect(recovery.merged.textHash).toBe(HASH);
        expectValid(resolveRecovery(recovery, {}));
      }),
      { numRuns: 300 },
    );
  });

  it("say where the file is cut off and keep the header it could read", () => {
    const cut = text.indexOf('{"id": "alice-0010"') + 30;
    const recovery = recoverAnnotationFile(text.slice(0, cut), EXPECTED);
    expect(recovery?.message).toMatch(
      /^the file is cut off at line \d+ \(truncated\): 9 annotations written before the cut recovered/,
    );
    expect(recovery?.merged.codes).toEqual(full.codes);
    expect(recovery?.merged.annotations).toHaveLength(9);
    expect(recovery?.message).toMatch(/status set back from "done" to "in-progress"/);
  });

  it("rebuild an empty file from what the article gives", () => {
    const recovery = recoverAnnotationFile("\0\0\0", EXPECTED);
    expect(recovery?.kind).toBe("truncated");
    expect(recovery?.merged).toMatchObject({ ...EXPECTED, annotations: [], status: "in-progress" });
  });
});

describe("files that read fine", () => {
  it("need no recovery", () => {
    expect(recoverAnnotationFile(formatFileData("coding", BASE), EXPECTED)).toBeNull();
    const v1 = { schemaVersion: 1, article: "a1", coder: "alice", textHash: HASH, annotations: [] };
    expect(recoverAnnotationFile(JSON.stringify(v1), EXPECTED)).toBeNull();
  });
});

describe("hand-edited files", () => {
  const text = formatFileData("coding", BASE);
  const lines = text.split("\n");
  const index = lines.findIndex((l) => l.includes('"alice-0007"'));

  it("recover the other annotations and name the broken line", () => {
    const edited = [...lines];
    edited[index] = (edited[index] ?? "").replace('"label": "PER"', '"label": PER');
    const recovery = recoverAnnotationFile(edited.join("\n"), EXPECTED);
    expect(recovery?.kind).toBe("invalid");
    expect(recovery?.merged.annotations).toEqual(
      BASE.annotations.filter((a) => a.id !== "alice-0007"),
    );
    expect(recovery?.merged.codes).toEqual(BASE.codes);
    expect(recovery?.merged.orphans).toEqual(BASE.orphans);
    expect(recovery?.message).toMatch(
      new RegExp(
        `^the file is not valid JSON \\(line ${index + 1}, column \\d+: .*\\): 23 annotations recovered`,
      ),
    );
    expect(recovery?.message).toContain(`line ${index + 1} could not be read: {"id": "alice-0007"`);
    expectValid(resolveRecovery(recovery as Recovery, {}));
  });

  it("repair a missing or extra comma without losing anything", () => {
    const last = lines.findIndex((l) => l.trim() === "],") - 1;
    const missing = lines.map((l, i) => (i === index ? l.replace(/,$/, "") : l));
    const extra = lines.map((l, i) => (i === last ? `${l},` : l));
    for (const edited of [missing, extra]) {
      const recovery = recoverAnnotationFile(edited.join("\n"), EXPECTED);
      expect(recovery?.kind).toBe("invalid");
      expect(recovery?.sides[0]?.file).not.toBeNull();
      expect(recovery?.merged.annotations).toEqual(BASE.annotations);
      expect(recovery?.message).toMatch(/reads after adding or removing commas/);
    }
  });

  it("salvage records node by node from a file not in the canonical layout", () => {
    const pretty = JSON.stringify(BASE, null, 2).replace('"Berlin"', '"Berlin');
    const recovery = recoverAnnotationFile(pretty, EXPECTED);
    const lost = BASE.annotations.filter((a) => a.quote === "Berlin").map((a) => a.id);
    expect(recovery?.merged.annotations.map((a) => a.id)).toEqual(
      BASE.annotations.map((a) => a.id).filter((id) => id !== lost[0]),
    );
  });

  it("never throw on any text, and always resolve to a valid file (property)", () => {
    const mutated = fc
      .tuple(fc.integer({ min: 0, max: text.length }), fc.integer({ min: 0, max: 40 }), fc.string())
      .map(([at, remove, insert]) => text.slice(0, at) + insert + text.slice(at + remove));
    fc.assert(
      fc.property(fc.oneof(mutated, fc.string()), (broken) => {
        const recovery = recoverAnnotationFile(broken, EXPECTED);
        if (recovery) expectValid(resolveRecovery(recovery, {}));
      }),
      { numRuns: 300 },
    );
  });

  it("refuse an option a choice does not have", () => {
    const recovery = recoverAnnotationFile(text.slice(0, 500), EXPECTED) as Recovery;
    expect(() => resolveRecovery(recovery, { "alice-0001": 3 })).toThrow(WorkbenchError);
    expect(resolveRecovery(recovery, { "alice-0001": "drop" }).annotations).not.toContainEqual(
      annotation(1),
    );
  });
});
