/**
 * Datasets against the real disk: exporting the example project in every
 * format, round trips export → import → export into a fresh project, imports
 * that are idempotent and attach to existing articles, and broken input that
 * changes nothing.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportDataset } from "../../electron/dataset/export-dataset";
import { importDataset } from "../../electron/dataset/import-dataset";
import { createProject } from "../../electron/project/create-project";
import { readArticle, readProject } from "../../electron/project/project-folder";
import { exportFormatIds } from "../../shared/dataset/format-list";
import type { ImportFile } from "../../shared/dataset/format-types";
import { detectImportFormat, exporters, importers } from "../../shared/dataset/formats";
import { WorkbenchError } from "../../shared/result";
import {
  copyExampleProject,
  fingerprint,
  MAINUFER,
  makeTempDir,
  removeTempDirs,
} from "../support/temp-project";

afterAll(removeTempDirs);

const FIXED = { exportedAt: "2026-01-01T00:00:00.000Z" };

async function filesIn(dir: string, prefix = ""): Promise<ImportFile[]> {
  const out: ImportFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesIn(path.join(dir, entry.name), relative)));
    else
      out.push({
        name: relative,
        data: new Uint8Array(await readFile(path.join(dir, entry.name))),
      });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function exportTo(
  root: string,
  format: (typeof exportFormatIds)[number],
  annotator?: string,
) {
  const out = path.join(await makeTempDir("tagwerk-export-"), format);
  const summary = await exportDataset(
    root,
    exporters[format],
    { out, scope: annotator ? { annotator } : {}, options: FIXED },
    "Tagwerk test",
  );
  return { out, summary };
}

describe("exporting the example project", () => {
  it("writes every format with a loss report, nothing outside the folder", async () => {
    const { project } = await copyExampleProject();
    for (const format of exportFormatIds) {
      const { out, summary } = await exportTo(project, format);
      expect(summary.report.documents, format).toBe(3);
      expect(summary.files, format).toContain("export-report.txt");
      const written = (await filesIn(out)).map((f) => f.name);
      expect(written.sort(), format).toEqual([...summary.files].sort());
      const report = await readFile(path.join(out, "export-report.txt"), "utf8");
      expect(report, format).toMatch(/^Export as /);
    }
  });

  it("gives byte-identical files for the same seed and different ones for another", async () => {
    const { project } = await copyExampleProject();
    const run = async (seed: number) => {
      const out = path.join(await makeTempDir(), "hf");
      await exportDataset(
        project,
        exporters.hf,
        { out, scope: {}, split: { ratios: [50, 50, 0], seed }, options: FIXED },
        "Tagwerk test",
      );
      return (await filesIn(out)).map((f) => `${f.name}:${Buffer.from(f.data).toString("base64")}`);
    };
    const first = await run(4);
    expect(await run(4)).toEqual(first);
    const names = (files: string[]) => files.map((f) => f.split(":")[0]);
    // Two articles in two parts: some seed puts them the other way round.
    let differs = false;
    for (const seed of [1, 2, 3, 5, 6, 7])
      if ((await run(seed)).join() !== first.join()) differs = true;
    expect(differs).toBe(true);
    expect(names(first)).toContain("data/train.parquet");
  });

  it("reports orphaned annotations and unreadable files instead of dropping them silently", async () => {
    const { project } = await copyExampleProject();
    const file = path.join(project, "coding", MAINUFER, "bob.json");
    const bob = JSON.parse(await readFile(file, "utf8"));
    bob.orphans = [
      { ...bob.annotations[0], id: "bob-orphan", reason: "the quoted text was changed or deleted" },
    ];
    await writeFile(file, JSON.stringify(bob));
    await writeFile(
      path.join(project, "coding", MAINUFER, "carol.json"),
      '{"schemaVersion": 2, "arti',
    );
    const { summary } = await exportTo(project, "jsonl");
    const codes = summary.report.items.map((i) => i.code);
    expect(codes).toContain("orphaned");
    expect(codes).toContain("unreadable-file");
    expect(summary.report.items.find((i) => i.code === "unreadable-file")?.examples[0]).toContain(
      "coding/2025-12-18-mainuferbote-sicherheitsgarantien/carol.json",
    );
  });

  it("refuses an unknown coder, a missing gold layer and a folder inside the project", async () => {
    const { project } = await copyExampleProject();
    await expect(exportTo(project, "jsonl", "zoe")).rejects.toThrow(
      /coder "zoe" has no annotations/,
    );
    await expect(exportTo(project, "jsonl", "gold")).rejects.toThrow(/no gold layer yet/);
    await expect(
      exportDataset(project, exporters.jsonl, { out: path.join(project, "out"), scope: {} }, "t"),
    ).rejects.toThrow(/inside the project folder/);
  });
});

describe("round trips into a fresh project", () => {
  for (const format of ["jsonl", "brat", "labelstudio", "refi-qda", "conll", "doccano"] as const) {
    it(`${format}: export → import → export gives the same files`, async () => {
      const { project } = await copyExampleProject();
      const first = await exportTo(project, format, "alice");
      // A fresh project with the same codebook and registry (they travel with the project, not the data).
      const name = (await readProject(project)).name;
      const fresh = await createProject(path.join(await makeTempDir(), "fresh"), name);
      for (const name of ["codebook.json", "entities.json"])
        await writeFile(path.join(fresh, name), await readFile(path.join(project, name)));
      const files = await filesIn(first.out);
      expect(detectImportFormat(files)).toBe(format);
      const summary = await importDataset(fresh, importers[format], files, {
        defaultAnnotator: "alice",
      });
      expect(summary.articles.length).toBeGreaterThan(0);
      expect(summary.articles.every((a) => a.notPlaced === 0)).toBe(true);
      const second = await exportTo(fresh, format, "alice");
      const again = await filesIn(second.out);
      // Lossy formats lose the same things again, so only their loss reports differ.
      const body = (list: ImportFile[]) =>
        list
          .filter((f) => exporters[format].lossless || !f.name.startsWith("export-report"))
          .map((f) => `${f.name} ${createHash("sha256").update(f.data).digest("hex")}`);
      expect(body(again)).toEqual(body(files));
    });
  }
});

describe("importing into a project", () => {
  it("attaches to the article with the same text, for the named coder, and a second import changes nothing", async () => {
    const { project } = await copyExampleProject();
    const { out } = await exportTo(project, "labelstudio", "bob");
    const files = (await filesIn(out)).filter(
      (f) => f.name.endsWith(".json") && !f.name.startsWith("export"),
    );
    const before = (await readProject(project)).articles.length;
    const summary = await importDataset(project, importers.labelstudio, files, {
      annotator: "carol",
      defaultAnnotator: "x",
    });
    expect(summary.articles).toEqual([
      expect.objectContaining({
        articleId: MAINUFER,
        created: false,
        annotator: "carol",
        unchanged: 0,
      }),
    ]);
    expect((await readProject(project)).articles.length).toBe(before);
    const view = await readArticle(project, MAINUFER);
    const bob = view.coders.find((c) => c.coder === "bob");
    const carol = view.coders.find((c) => c.coder === "carol");
    expect(carol?.annotations.map((a) => [a.start, a.end, a.label, a.quote])).toEqual(
      bob?.annotations.map((a) => [a.start, a.end, a.label, a.quote]),
    );
    const print = await fingerprint(project);
    const again = await importDataset(project, importers.labelstudio, files, {
      annotator: "carol",
      defaultAnnotator: "x",
    });
    expect(again.articles[0]?.added).toBe(0);
    expect(await fingerprint(project)).toEqual(print);
  });

  it("carries offsets over when the file's text has CRLF line ends and NFD marks", async () => {
    const { project } = await copyExampleProject();
    const text = (await readArticle(project, MAINUFER)).text;
    const crlf = text.replace(/\n/g, "\r\n").normalize("NFD");
    const quote = "Steve Witkoff";
    const start = [...crlf.slice(0, crlf.indexOf(quote))].length;
    const line = JSON.stringify({ text: crlf, label: [[start, start + [...quote].length, "PER"]] });
    const summary = await importDataset(
      project,
      importers.doccano,
      [{ name: "crlf.jsonl", data: new TextEncoder().encode(line) }],
      { defaultAnnotator: "dora" },
    );
    expect(summary.articles[0]).toMatchObject({ articleId: MAINUFER, added: 1, notPlaced: 0 });
    const dora = (await readArticle(project, MAINUFER)).coders.find((c) => c.coder === "dora");
    expect(dora?.annotations[0]?.quote).toBe(quote);
  });

  it("refuses broken files with the file and line, and writes nothing", async () => {
    const { project } = await copyExampleProject();
    const print = await fingerprint(project);
    const broken = new TextEncoder().encode(
      '{"text": "abc", "spans": [{"start": 0, "end": 2, "label": "PER"}]}\n{"text": ',
    );
    await expect(
      importDataset(project, importers.jsonl, [{ name: "broken.jsonl", data: broken }], {
        defaultAnnotator: "x",
      }),
    ).rejects.toSatisfy(
      (e: unknown) => e instanceof WorkbenchError && /broken\.jsonl:2/.test(e.message),
    );
    expect(await fingerprint(project)).toEqual(print);
  });
});
