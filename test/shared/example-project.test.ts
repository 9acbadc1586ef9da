/**
 * The example project in annotations/ is living documentation of the file
 * format: every file must validate, and every stored offset must point at its
 * quote in code points (what Python's text[start:end] returns).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  annotationFileSchema,
  articleMetaSchema,
  codebookSchema,
  projectFileSchema,
} from "../../shared/project-files";
import { sliceCodePoints } from "../../shared/text-blocks";

const root = path.resolve(import.meta.dirname, "..", "..", "annotations");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("the example project", () => {
  it("has a valid project file and a codebook with the starter labels", () => {
    expect(projectFileSchema.parse(JSON.parse(read("tagwerk.json"))).name).toBeTruthy();
    const codebook = codebookSchema.parse(JSON.parse(read("codebook.json")));
    expect(codebook.labels.map((l) => l.id)).toEqual(
      expect.arrayContaining(["PER", "ORG", "LOC", "DATE"]),
    );
    expect(codebook.stanceScale.map((s) => s.id)).toEqual(["favour", "against", "neutral"]);
    expect(codebook.stanceTargets.length).toBeGreaterThan(0);
    expect(codebook.documentVariables.length).toBeGreaterThanOrEqual(2);
    const hotkeys = codebook.labels.map((l) => l.hotkey).filter(Boolean);
    expect(new Set(hotkeys).size).toBe(hotkeys.length);
  });

  const articleIds = readdirSync(path.join(root, "articles"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5));

  it("holds at least six articles in German and English", () => {
    expect(articleIds.length).toBeGreaterThanOrEqual(6);
    const languages = articleIds.map(
      (id) => articleMetaSchema.parse(JSON.parse(read(`articles/${id}.json`))).language,
    );
    expect(new Set(languages)).toEqual(new Set(["de", "en"]));
  });

  it.each(articleIds)(
    "article %s: text is normalised (NFC, LF) and its quotes match offsets",
    (id) => {
      const meta = articleMetaSchema.parse(JSON.parse(read(`articles/${id}.json`)));
      expect(meta.id).toBe(id);
      const text = read(`articles/${id}.txt`);
      expect(text).toBe(text.normalize("NFC"));
      expect(text).not.toContain("\r");
      let codingFiles: string[] = [];
      try {
        codingFiles = readdirSync(path.join(root, "coding", id));
      } catch {
        return;
      }
      for (const name of codingFiles) {
        const file = annotationFileSchema.parse(JSON.parse(read(`coding/${id}/${name}`)));
        expect(file.textHash).toBe(meta.textHash);
        for (const a of file.annotations) {
          expect(sliceCodePoints(text, a.start, a.end), `${name} ${a.id}`).toBe(a.quote);
        }
      }
    },
  );
});
