import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  hashText,
  readArticle,
  readProject,
  resolveInProject,
} from "../../electron/project/project-folder";
import { copyExampleProject, fingerprint, MAINUFER, removeTempDirs } from "../support/temp-project";

afterAll(removeTempDirs);

const ALICE = `coding/${MAINUFER}/alice.json`;

/** 1-based line of UTF-16 index `index` in `text`. */
function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** Copies the example project and replaces alice's coding of the Mainufer-Bote article. */
async function projectWithAliceFile(
  edit: (original: string) => string,
): Promise<{ project: string; text: string }> {
  const { project } = await copyExampleProject();
  const file = path.join(project, ALICE);
  const text = edit(await readFile(file, "utf8"));
  await writeFile(file, text);
  return { project, text };
}

async function problemFor(project: string, file: string) {
  const overview = await readProject(project);
  const problem = overview.problems.find((p) => p.file === file);
  expect(problem, `a problem naming ${file}`).toBeDefined();
  return { overview, message: problem?.message ?? "" };
}

describe("the example project", () => {
  it("opens with its seven articles, the codebook and both coders of the Mainufer-Bote article", async () => {
    const { project } = await copyExampleProject();
    const overview = await readProject(project);

    expect(overview.path).toBe(path.resolve(project));
    expect(overview.problems).toEqual([]);
    expect(overview.articles).toHaveLength(7);
    expect(overview.codebook?.labels.map((l) => l.id)).toEqual(
      expect.arrayContaining(["PER", "ORG", "LOC", "DATE", "STANCE"]),
    );
    const mainufer = overview.articles.find((a) => a.id === MAINUFER);
    expect(mainufer?.coders.map((c) => c.coder).sort()).toEqual(["alice", "bob"]);
    expect(mainufer?.coders.every((c) => c.annotations > 0)).toBe(true);
  });

  it("gives every article's text so that each annotation's code-point offsets select its quote", async () => {
    const { project } = await copyExampleProject();
    const overview = await readProject(project);
    let checked = 0;
    for (const summary of overview.articles) {
      const article = await readArticle(project, summary.id);
      expect(article.textMatchesHash, summary.id).toBe(true);
      expect([...article.text].length).toBe(summary.length);
      for (const { coder, annotations } of article.coders) {
        for (const a of annotations) {
          const slice = [...article.text].slice(a.start, a.end).join("");
          expect(slice, `${summary.id}/${coder}/${a.id}`).toBe(a.quote);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(50);
  });
});

describe("broken files", () => {
  it("reports git conflict markers by file and line, and still opens the article with the other coder", async () => {
    const { project, text } = await projectWithAliceFile((original) => {
      const lines = original.split("\n");
      const ours = lines[6] ?? "";
      const theirs = ours.replace('"PER"', '"ORG"');
      lines.splice(6, 1, "<<<<<<< HEAD", ours, "=======", theirs, ">>>>>>> origin/main");
      return lines.join("\n");
    });
    const markerLine = lineOf(text, text.indexOf("<<<<<<<"));

    const { overview, message } = await problemFor(project, ALICE);
    expect(message).toContain(ALICE);
    expect(message).toContain(`line ${markerLine}`);
    expect(message).toContain("conflict markers");
    const mainufer = overview.articles.find((a) => a.id === MAINUFER);
    expect(mainufer?.coders.map((c) => c.coder)).toEqual(["bob"]);

    const article = await readArticle(project, MAINUFER);
    expect(article.coders.map((c) => c.coder)).toEqual(["bob"]);
    expect(article.coders[0]?.annotations.length).toBeGreaterThan(0);
    expect(article.problems.map((p) => p.file)).toEqual([ALICE]);
  });

  it("calls a file cut off inside a string truncated, with line and column", async () => {
    const { project, text } = await projectWithAliceFile((original) => {
      const at = original.indexOf('"quote": "', original.length / 2) + '"quote": "'.length + 3;
      return original.slice(0, at);
    });
    const { message } = await problemFor(project, ALICE);
    expect(message).toContain("truncated");
    expect(message).toMatch(new RegExp(`line ${lineOf(text, text.length)}, column \\d+`));
  });

  it("calls a file cut off between two annotations truncated, with line and column", async () => {
    const { project, text } = await projectWithAliceFile((original) => {
      const lines = original.split("\n");
      const cut = lines.findIndex((line, i) => i > 10 && line.trimEnd().endsWith("},"));
      return lines.slice(0, cut + 1).join("\n");
    });
    const { message } = await problemFor(project, ALICE);
    expect(message).toContain("truncated");
    expect(message).toMatch(new RegExp(`line ${lineOf(text, text.length)}, column \\d+`));
  });

  it("says on which line a hand-edited file has a stray word", async () => {
    const { project, text } = await projectWithAliceFile((original) =>
      original.replace('"kind": "entity"', '"kind": entity'),
    );
    const { message } = await problemFor(project, ALICE);
    expect(message).toContain(ALICE);
    expect(message).toContain(`line ${lineOf(text, text.indexOf('"kind": entity'))}`);
  });

  it("names the field when an article's date is not an ISO date, and keeps the other articles", async () => {
    const { project } = await copyExampleProject();
    const file = `articles/${MAINUFER}.json`;
    const meta = JSON.parse(await readFile(path.join(project, file), "utf8")) as object;
    await writeFile(path.join(project, file), JSON.stringify({ ...meta, date: "18.12.2025" }));

    const { overview, message } = await problemFor(project, file);
    expect(message).toContain(file);
    expect(message).toMatch(/\bdate\b/);
    expect(overview.articles.map((a) => a.id)).not.toContain(MAINUFER);
    expect(overview.articles).toHaveLength(6);
  });

  it("opens a project without codebook.json with every article and a problem naming the file", async () => {
    const { project } = await copyExampleProject();
    await rm(path.join(project, "codebook.json"));

    const { overview, message } = await problemFor(project, "codebook.json");
    expect(overview.codebook).toBeNull();
    expect(message).toContain("codebook.json");
    expect(overview.articles).toHaveLength(7);
  });

  it("refuses a folder without tagwerk.json as not a project", async () => {
    const { project } = await copyExampleProject();
    await rm(path.join(project, "tagwerk.json"));
    await expect(readProject(project)).rejects.toMatchObject({ code: "not-a-project" });
  });
});

describe("paths from outside", () => {
  it.each(["../tagwerk", "..", "a/b", "%2e%2e", "../../secret", ".hidden", ""])(
    "refuses the article id %j without reading anything",
    async (id) => {
      const { root, project } = await copyExampleProject();
      const decoy = {
        ...JSON.parse(await readFile(path.join(project, `articles/${MAINUFER}.json`), "utf8")),
        id: "secret",
        title: "SECRET",
      };
      await writeFile(path.join(root, "secret.json"), JSON.stringify(decoy));
      await writeFile(path.join(root, "secret.txt"), "SECRET TEXT");

      const error = await readArticle(project, id).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "invalid-input" });
      expect(String((error as Error).message)).not.toContain("SECRET");
    },
  );

  it("resolveInProject refuses paths that leave the project and keeps those inside", () => {
    const root = path.resolve("/tmp/tagwerk-root/project");
    expect(resolveInProject(root, "articles", "a.json")).toBe(
      path.join(root, "articles", "a.json"),
    );
    for (const bad of ["../x", "../project-evil/x", "articles/../../x", "/etc/passwd"]) {
      expect(() => resolveInProject(root, bad), bad).toThrow(
        expect.objectContaining({ code: "invalid-input" }),
      );
    }
  });
});

describe("what reading does to the files", () => {
  it("notices when an article's text was edited after coding", async () => {
    const { project } = await copyExampleProject();
    const txt = path.join(project, `articles/${MAINUFER}.txt`);
    const original = await readFile(txt, "utf8");
    await writeFile(txt, original.replace("Garantien", "Zusagen"));

    const article = await readArticle(project, MAINUFER);
    expect(article.text).not.toBe(original);
    expect(article.textMatchesHash).toBe(false);
    expect(hashText(original)).toBe(article.meta.textHash);
  });

  it("leaves every file byte-identical, broken ones included", async () => {
    const { project } = await projectWithAliceFile((original) => original.slice(0, 400));
    const before = await fingerprint(project);
    const overview = await readProject(project);
    for (const summary of overview.articles) await readArticle(project, summary.id);

    expect(before.size).toBeGreaterThan(15);
    expect(await fingerprint(project)).toEqual(before);
  });
});
