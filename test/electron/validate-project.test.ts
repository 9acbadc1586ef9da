/**
 * `tagwerk validate` on real folders: a clean project passes; each kind of
 * damage is reported with file, line and a plain-language message.
 */
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { upgradeProject } from "../../electron/project/upgrade-project";
import { validateProject } from "../../electron/project/validate-project";
import { REPO } from "../support/serve-process";
import { fingerprint } from "../support/temp-project";

const ARTICLE = "2025-12-18-mainuferbote-sicherheitsgarantien";
const ALICE = `coding/${ARTICLE}/alice.json`;
let project: string;

beforeEach(async () => {
  project = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-validate-")), "p");
  await cp(path.join(REPO, "annotations"), project, { recursive: true });
});

const edit = async (file: string, change: (text: string) => string) =>
  writeFile(path.join(project, file), change(await readFile(path.join(project, file), "utf8")));

describe("validateProject", () => {
  it("passes the example project without errors and changes nothing", async () => {
    const before = await fingerprint(project);
    const report = await validateProject(project);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ articles: 7, codingFiles: 3, annotations: 75 });
    expect(await fingerprint(project)).toEqual(before);
  });

  it("finds a quote that does not match its offsets, on the annotation's line", async () => {
    await edit(ALICE, (t) =>
      t.replace('"quote": "Wolodymyr Selenskyj"', '"quote": "Wladimir Selenskyj"'),
    );
    const [problem] = (await validateProject(project)).problems;
    expect(problem).toMatchObject({ file: ALICE, severity: "error", line: 9 });
    expect(problem?.message).toMatch(
      /quote "Wladimir Selenskyj" does not match the text at 620–639 \("Wolodymyr Selenskyj"\)/,
    );
  });

  it("finds offsets past the end, unknown labels, kind mismatches and duplicate ids across coders", async () => {
    await edit(ALICE, (t) =>
      t
        .replace('"start": 620, "end": 639', '"start": 620, "end": 99999')
        .replace('"label": "ORG"', '"label": "PARTY"')
        .replace('"id": "alice-0003", "kind": "stance"', '"id": "bob-0001", "kind": "entity"'),
    );
    const messages = (await validateProject(project)).problems.map((p) => p.message).join("\n");
    expect(messages).toMatch(/ends at 99999, after the end of the text/);
    expect(messages).toMatch(/label "PARTY" is not in the codebook/);
    expect(messages).toMatch(
      /is a entity but label "DATE" is for date annotations|the id is also used in/,
    );
  });

  it("reports conflict markers and truncated JSON with their line, and keeps checking the rest", async () => {
    await edit(ALICE, (t) => `${t.split("\n").slice(0, 12).join("\n")}\n<<<<<<< HEAD\n`);
    await edit(`coding/2025-12-17-harbourledger-binding-guarantees/alice.json`, (t) =>
      t.slice(0, 400),
    );
    const report = await validateProject(project);
    const byFile = new Map(report.problems.map((p) => [p.file, p]));
    expect(byFile.get(ALICE)).toMatchObject({ line: 13 });
    expect(byFile.get(ALICE)?.message).toMatch(/conflict markers/);
    expect(
      byFile.get("coding/2025-12-17-harbourledger-binding-guarantees/alice.json")?.message,
    ).toMatch(/truncated/);
    expect(report.codingFiles).toBe(1);
  });

  it("reports text edited outside Tagwerk and annotations made for an older text", async () => {
    await edit(`articles/${ARTICLE}.txt`, (t) => t.replace("Kiew", "Kyjiw"));
    const messages = (await validateProject(project)).problems.map(
      (p) => `${p.file}: ${p.message}`,
    );
    expect(
      messages.some((m) =>
        m.startsWith(`articles/${ARTICLE}.txt: the text differs from the textHash`),
      ),
    ).toBe(true);
  });

  it("warns about old schema versions, and upgrade rewrites them once", async () => {
    await writeFile(
      path.join(project, "tagwerk.json"),
      '{"schemaVersion": 1, "name": "Alt", "defaultLanguage": "de"}\n',
    );
    const report = await validateProject(project);
    expect(report.problems).toEqual([
      expect.objectContaining({ file: "tagwerk.json", severity: "warning" }),
    ]);
    const upgraded = await upgradeProject(project);
    expect(upgraded.upgraded).toEqual(["tagwerk.json"]);
    expect(await readFile(path.join(project, "tagwerk.json"), "utf8")).toBe(
      '{\n  "schemaVersion": 2,\n  "name": "Alt",\n  "settings": {\n    "defaultLanguage": "de"\n  }\n}\n',
    );
    expect((await validateProject(project)).problems).toEqual([]);
    expect((await upgradeProject(project)).upgraded).toEqual([]);
  });

  it("refuses a file from a newer Tagwerk without touching it", async () => {
    await edit(ALICE, (t) => t.replace('"schemaVersion": 2', '"schemaVersion": 7'));
    const before = await readFile(path.join(project, ALICE), "utf8");
    const report = await validateProject(project);
    expect(report.problems[0]?.message).toMatch(/newer Tagwerk/);
    expect((await upgradeProject(project)).failed.map((f) => f.file)).toEqual([ALICE]);
    expect(await readFile(path.join(project, ALICE), "utf8")).toBe(before);
  });
});
