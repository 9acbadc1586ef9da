import { describe, expect, it } from "vitest";
import { anchorContext } from "../../shared/anchoring";
import { reanchorCoding, reconcileCoding } from "../../shared/coding-repair";
import type { AnnotationFile } from "../../shared/project-files";
import { sliceCodePoints } from "../../shared/text-blocks";

const OLD =
  "Kiew will Garantien.\n👍 Selenskyj traf Steve Witkoff in Berlin.\nKommentare (2)\nleser1: Witkoff?";

function fileFor(text: string, spans: [string, string, number][]): AnnotationFile {
  return {
    schemaVersion: 2,
    article: "a",
    coder: "alice",
    textHash: "sha256:old",
    status: "in-progress",
    codes: {},
    annotations: spans.map(([id, quote, occurrence]) => {
      let at = -1;
      for (let k = 0; k <= occurrence; k++) at = text.indexOf(quote, at + 1);
      const start = [...text.slice(0, at)].length;
      const end = start + [...quote].length;
      return {
        id,
        kind: "entity" as const,
        label: "PER",
        start,
        end,
        ...anchorContext(text, start, end),
      };
    }),
    orphans: [],
  };
}

describe("reanchorCoding (text changed through Tagwerk)", () => {
  it("moves annotations with the text and orphans those whose text was removed", () => {
    const file = fileFor(OLD, [
      ["alice-1", "Selenskyj", 0],
      ["alice-2", "Witkoff", 0],
      ["alice-3", "Witkoff", 1],
    ]);
    const NEW = `Eilmeldung\n${OLD.split("\nKommentare")[0]}`;
    const { file: moved, summary } = reanchorCoding(file, OLD, NEW, "sha256:new");
    expect(summary).toEqual({ placed: 2, moved: 2, orphaned: 1 });
    expect(moved.textHash).toBe("sha256:new");
    for (const a of moved.annotations) expect(sliceCodePoints(NEW, a.start, a.end)).toBe(a.quote);
    expect(moved.orphans.map((o) => o.id)).toEqual(["alice-3"]);
    expect(moved.orphans[0]?.reason).toMatch(/changed or deleted/);
  });
});

describe("reconcileCoding (text changed outside Tagwerk)", () => {
  it("finds quotes again by their context and keeps the rest as orphans", () => {
    const file = fileFor(OLD, [
      ["alice-1", "Selenskyj", 0],
      ["alice-2", "Steve Witkoff", 0],
    ]);
    const NEW = OLD.replace(
      "Kiew will Garantien.",
      "Kyjiw fordert verbindliche Garantien.",
    ).replace("Steve Witkoff", "S. Witkoff");
    const { file: fixed, summary } = reconcileCoding(file, NEW, "sha256:new");
    expect(summary).toEqual({ placed: 1, moved: 1, orphaned: 1 });
    expect(fixed.annotations.map((a) => sliceCodePoints(NEW, a.start, a.end))).toEqual([
      "Selenskyj",
    ]);
    expect(fixed.orphans.map((o) => o.id)).toEqual(["alice-2"]);
  });

  it("leaves a file that already matches its text alone", () => {
    const file = { ...fileFor(OLD, [["alice-1", "Selenskyj", 0]]), textHash: "sha256:same" };
    expect(reconcileCoding(file, OLD, "sha256:same").file).toBe(file);
  });
});
