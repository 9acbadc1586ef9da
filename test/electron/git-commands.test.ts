/**
 * `tagwerk git-setup`, `tagwerk merge-driver` and `tagwerk diff` against the
 * real system git in temp folders, through the bundled CLI: two clones of one
 * remote edit the same annotation files and merge through the driver.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorContext } from "../../shared/anchoring";
import { formatFileData } from "../../shared/file-formats";
import {
  type AnnotationFile,
  annotationFileSchema,
  entityRegistrySchema,
  type StoredAnnotation,
} from "../../shared/project-files";
import {
  copyExampleProject,
  EXAMPLE_PROJECT,
  fingerprint,
  MAINUFER,
  makeTempDir,
  REPO,
  removeTempDirs,
} from "../support/temp-project";

const BIN = path.join(REPO, "electron/cli/bin.js");
const CLI = path.join(REPO, "out/main/cli.js");
const ALICE = `coding/${MAINUFER}/alice.json`;
const BOB = `coding/${MAINUFER}/bob.json`;
const TEXT = readFileSync(path.join(EXAMPLE_PROJECT, "articles", `${MAINUFER}.txt`), "utf8");

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

let env: NodeJS.ProcessEnv;

/** Runs `command` in `cwd` until it exits, with git isolated from the machine's config. */
async function run(command: string, args: string[], cwd: string): Promise<Outcome> {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

const cli = (cwd: string, ...args: string[]) => run(process.execPath, [BIN, ...args], cwd);

/** Runs git and fails the test when it fails. */
async function git(cwd: string, ...args: string[]): Promise<Outcome> {
  const outcome = await run("git", args, cwd);
  if (outcome.code !== 0) throw new Error(`git ${args.join(" ")}: ${outcome.stderr}`);
  return outcome;
}

/** An annotation of the first occurrence of `quote` (after `after`) in the example article. */
function annotation(id: string, label: string, quote: string, after = 0): StoredAnnotation {
  const index = TEXT.indexOf(quote, after);
  if (index < 0) throw new Error(`"${quote}" is not in the article`);
  const start = [...TEXT.slice(0, index)].length;
  const end = start + [...quote].length;
  const { prefix, suffix } = anchorContext(TEXT, start, end);
  return { id, kind: "entity", label, start, end, quote, prefix, suffix };
}

async function readCoding(file: string): Promise<AnnotationFile> {
  return annotationFileSchema.parse(JSON.parse(await readFile(file, "utf8")));
}

/** Rewrites a coder's file canonically after `change`, as the app would. */
async function editCoding(file: string, change: (data: AnnotationFile) => void): Promise<void> {
  const data = await readCoding(file);
  change(data);
  await writeFile(file, formatFileData("coding", data));
}

function relabel(data: AnnotationFile, id: string, label: string): void {
  const found = data.annotations.find((a) => a.id === id);
  if (!found) throw new Error(`no annotation ${id}`);
  found.label = label;
}

async function addEntity(project: string, id: string, name: string, label: string) {
  const file = path.join(project, "entities.json");
  const data = entityRegistrySchema.parse(JSON.parse(await readFile(file, "utf8")));
  data.entities.push({ id, name, label, aliases: [] });
  await writeFile(file, formatFileData("entities", data));
}

/** A bare remote and two clones A and B of it, the example project (in `sub`) set up and pulled into both. */
async function twoClones(sub = ""): Promise<{ a: string; b: string; pa: string; pb: string }> {
  const root = await makeTempDir("tagwerk-git-");
  await git(root, "init", "--bare", "remote.git");
  await git(root, "clone", "remote.git", "a");
  const a = path.join(root, "a");
  const pa = path.join(a, sub);
  await cp(EXAMPLE_PROJECT, pa, { recursive: true });
  expect((await cli(root, "git-setup", pa)).code).toBe(0);
  await git(a, "add", "-A");
  await git(a, "commit", "-m", "example project");
  await git(a, "push", "-u", "origin", "HEAD");
  await git(root, "clone", "remote.git", "b");
  const b = path.join(root, "b");
  const pb = path.join(b, sub);
  expect((await cli(root, "git-setup", pb)).code).toBe(0);
  expect((await git(b, "status", "--porcelain")).stdout).toBe("");
  return { a, b, pa, pb };
}

/** sha256 of every tracked file's bytes (the .git folder left out). */
async function worktree(dir: string): Promise<Map<string, string>> {
  const all = await fingerprint(dir);
  return new Map([...all].filter(([file]) => !file.startsWith(".git/")));
}

beforeAll(async () => {
  const home = await makeTempDir("tagwerk-home-");
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("GIT_")),
  );
  env = {
    ...clean,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    TAGWERK_CONFIG_DIR: path.join(home, "tagwerk"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "init.defaultBranch",
    GIT_CONFIG_VALUE_0: "main",
    GIT_AUTHOR_NAME: "Test Coder",
    GIT_AUTHOR_EMAIL: "coder@example.org",
    GIT_COMMITTER_NAME: "Test Coder",
    GIT_COMMITTER_EMAIL: "coder@example.org",
    GIT_MERGE_AUTOEDIT: "no",
    GIT_EDITOR: "true",
    GIT_TERMINAL_PROMPT: "0",
  };
  // Build when the bundle is missing or older than these commands.
  if (!existsSync(CLI) || !readFileSync(CLI, "utf8").includes("merge-driver")) {
    const build = spawnSync("npx", ["electron-vite", "build"], { cwd: REPO, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stderr}`);
  }
}, 180_000);

afterAll(removeTempDirs);

describe("tagwerk git-setup", () => {
  it("creates the repository, .gitattributes and driver config, and a second run changes nothing", async () => {
    const { root, project } = await copyExampleProject();
    const first = await cli(root, "git-setup", project);
    expect(first.code).toBe(0);
    expect(existsSync(path.join(project, ".git"))).toBe(true);
    const attributes = await readFile(path.join(project, ".gitattributes"), "utf8");
    expect(attributes).toBe(
      [
        "# Tagwerk: merge annotation files by record, show them as readable diffs",
        "coding/**/*.json merge=tagwerk diff=tagwerk",
        "codebook.json merge=tagwerk diff=tagwerk",
        "entities.json merge=tagwerk diff=tagwerk",
        "",
      ].join("\n"),
    );
    const driver = (await git(project, "config", "--get", "merge.tagwerk.driver")).stdout.trim();
    expect(driver).toContain(BIN);
    expect(driver).toMatch(/ merge-driver %O %A %B %P$/);
    expect((await git(project, "config", "--get", "merge.tagwerk.name")).stdout).not.toBe("");
    const textconv = (await git(project, "config", "--get", "diff.tagwerk.textconv")).stdout;
    expect(textconv.trim()).toMatch(/bin\.js diff --textconv$/);
    expect(first.stdout).toContain("git config --global merge.tagwerk.driver");
    const config = (await git(project, "config", "--list")).stdout;

    const second = await cli(root, "git-setup", project);
    expect(second.code).toBe(0);
    expect(await readFile(path.join(project, ".gitattributes"), "utf8")).toBe(attributes);
    expect((await git(project, "config", "--list")).stdout).toBe(config);
    expect(second.stdout).toContain("up to date");
  });

  it("keeps the user's own .gitattributes lines and refreshes an outdated block in place", async () => {
    const { root, project } = await copyExampleProject();
    const own = "*.txt text eol=lf\n# Tagwerk: old\ncoding/*.json merge=tagwerk\n\n*.pdf binary\n";
    await writeFile(path.join(project, ".gitattributes"), own);
    expect((await cli(root, "git-setup", project)).code).toBe(0);
    const lines = (await readFile(path.join(project, ".gitattributes"), "utf8")).split("\n");
    expect(lines[0]).toBe("*.txt text eol=lf");
    expect(lines[1]).toMatch(/^# Tagwerk: merge annotation files/);
    expect(lines.slice(2, 5).every((l) => l.endsWith("merge=tagwerk diff=tagwerk"))).toBe(true);
    expect(lines.slice(5)).toEqual(["", "*.pdf binary", ""]);
  });

  it("says clearly when git is missing", async () => {
    const { root, project } = await copyExampleProject();
    const saved = env;
    env = { ...env, PATH: await makeTempDir("tagwerk-empty-path-") };
    try {
      const outcome = await cli(root, "git-setup", project);
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toContain("git is not installed");
    } finally {
      env = saved;
    }
  });
});

describe("two clones of one project", () => {
  it("merge both sides' edits of the same files through the driver, without markers", async () => {
    const { a, b } = await twoClones();
    // A (alice): adds an annotation and relabels one; B: bob's own file, and alice's
    // file on another machine (a different addition, a deletion A did not touch).
    // Both additions land between the same two lines (as do the two new entities),
    // so a line merge would conflict: only the record merge gets this clean.
    await editCoding(path.join(a, ALICE), (d) => {
      d.annotations.push(annotation("alice-0101", "LOC", "Moskau"));
      relabel(d, "alice-0012", "LOC");
    });
    await addEntity(a, "eu", "European Union", "ORG");
    await editCoding(path.join(b, BOB), (d) => {
      d.annotations.push(annotation("bob-0100", "LOC", "Moskau"));
    });
    await editCoding(path.join(b, ALICE), (d) => {
      d.annotations.push(annotation("alice-0102", "ORG", "US-Regierung"));
      d.annotations = d.annotations.filter((x) => x.id !== "alice-0009");
    });
    await addEntity(b, "european-commission", "European Commission", "ORG");
    await git(a, "commit", "-am", "alice codes");
    await git(b, "commit", "-am", "bob codes");
    await git(a, "push");
    // Without the driver, git's line merge would leave conflict markers.
    await git(b, "fetch");
    for (const file of [ALICE, "entities.json"]) {
      const [base, ours, theirs] = await Promise.all(
        ["HEAD~1", "HEAD", "origin/main"].map(async (rev) => {
          const copy = path.join(await makeTempDir(), path.basename(file));
          await writeFile(copy, (await git(b, "show", `${rev}:${file}`)).stdout);
          return copy;
        }),
      );
      const merged = await run("git", ["merge-file", "-p", ...[ours, base, theirs].map(String)], b);
      expect(merged.code).toBeGreaterThan(0);
    }

    const pull = await run("git", ["pull", "--no-rebase"], b);
    expect(pull.code, pull.stderr).toBe(0);
    const text = await readFile(path.join(b, ALICE), "utf8");
    expect(text).not.toContain("<<<<<<<");
    const merged = annotationFileSchema.parse(JSON.parse(text));
    expect(text).toBe(formatFileData("coding", merged));
    const ids = merged.annotations.map((x) => x.id);
    expect(ids).toEqual(expect.arrayContaining(["alice-0101", "alice-0102", "alice-0001"]));
    expect(ids).not.toContain("alice-0009");
    expect(merged.annotations.find((x) => x.id === "alice-0012")?.label).toBe("LOC");
    expect(merged.conflicts ?? []).toEqual([]);
    expect((await readCoding(path.join(b, BOB))).annotations.map((x) => x.id)).toContain(
      "bob-0100",
    );
    const entities = await readFile(path.join(b, "entities.json"), "utf8");
    expect(entities).toContain('"id": "eu"');
    expect(entities).toContain('"id": "european-commission"');
    expect((await git(b, "status", "--porcelain")).stdout).toBe("");

    await git(b, "push");
    await git(a, "pull", "--no-rebase");
    expect(await worktree(a)).toEqual(await worktree(b));
    expect((await readCoding(path.join(a, ALICE))).annotations).toHaveLength(
      merged.annotations.length,
    );
  }, 60_000);

  it("record a conflicting relabel in the file as a conflict, valid JSON (project in a subfolder)", async () => {
    const { a, b, pa, pb } = await twoClones("project");
    await editCoding(path.join(pa, ALICE), (d) => relabel(d, "alice-0013", "ORG"));
    await editCoding(path.join(pb, ALICE), (d) => relabel(d, "alice-0013", "LOC"));
    await git(a, "commit", "-am", "Peskow is an ORG");
    await git(b, "commit", "-am", "Peskow is a LOC");
    await git(a, "push");

    const pull = await run("git", ["pull", "--no-rebase"], b);
    expect(pull.code).not.toBe(0);
    expect(pull.stderr + pull.stdout).toContain("1 merge conflict recorded");
    const text = await readFile(path.join(pb, ALICE), "utf8");
    expect(text).not.toContain("<<<<<<<");
    const merged = annotationFileSchema.parse(JSON.parse(text));
    expect(merged.conflicts).toEqual([
      expect.objectContaining({
        kind: "annotation",
        key: "alice-0013",
        ours: expect.objectContaining({ label: "LOC" }),
        theirs: expect.objectContaining({ label: "ORG" }),
      }),
    ]);
    expect((await git(b, "status", "--porcelain")).stdout).toContain(`UU project/${ALICE}`);
  }, 60_000);
});

describe("tagwerk merge-driver", () => {
  async function versions(ours: string, theirs: string, base?: string) {
    const dir = await makeTempDir("tagwerk-driver-");
    const files = { base: "base.json", ours: "ours.json", theirs: "theirs.json" };
    const original = await readFile(path.join(EXAMPLE_PROJECT, ALICE), "utf8");
    await writeFile(path.join(dir, files.base), base ?? original);
    await writeFile(path.join(dir, files.ours), ours);
    await writeFile(path.join(dir, files.theirs), theirs);
    const drive = (file = ALICE) =>
      cli(dir, "merge-driver", files.base, files.ours, files.theirs, file);
    return { dir, drive, ours: () => readFile(path.join(dir, files.ours), "utf8") };
  }

  async function edited(change: (d: AnnotationFile) => void): Promise<string> {
    const data = await readCoding(path.join(EXAMPLE_PROJECT, ALICE));
    change(data);
    return formatFileData("coding", data);
  }

  it("merges cleanly with exit 0", async () => {
    const ours = await edited((d) => d.annotations.push(annotation("alice-0101", "LOC", "Moskau")));
    const theirs = await edited((d) => {
      d.annotations = d.annotations.filter((x) => x.id !== "alice-0009");
    });
    const run = await versions(ours, theirs);
    const outcome = await run.drive();
    expect(outcome.code).toBe(0);
    const merged = annotationFileSchema.parse(JSON.parse(await run.ours()));
    const ids = merged.annotations.map((x) => x.id);
    expect(ids).toContain("alice-0101");
    expect(ids).not.toContain("alice-0009");
  });

  it("exits 1 with a conflicts record when both relabel one annotation", async () => {
    const ours = await edited((d) => relabel(d, "alice-0012", "LOC"));
    const theirs = await edited((d) => relabel(d, "alice-0012", "PER"));
    const run = await versions(ours, theirs);
    const outcome = await run.drive();
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim().split("\n")).toHaveLength(1);
    expect(outcome.stderr).toContain(ALICE);
    const merged = annotationFileSchema.parse(JSON.parse(await run.ours()));
    expect(merged.conflicts?.[0]).toMatchObject({ kind: "annotation", key: "alice-0012" });
  });

  it("exits 2 naming the path and leaves ours untouched when ours cannot be read", async () => {
    const broken = `<<<<<<< HEAD\n${await edited(() => {})}=======\n>>>>>>> other\n`;
    const run = await versions(broken, await edited((d) => relabel(d, "alice-0012", "PER")));
    const outcome = await run.drive();
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(ALICE);
    expect(outcome.stderr).toContain("ours");
    expect(await run.ours()).toBe(broken);
  });

  it("treats an empty base as both sides adding the file", async () => {
    const ours = await edited((d) => d.annotations.push(annotation("alice-0101", "LOC", "Moskau")));
    const theirs = await edited((d) => d.annotations.push(annotation("alice-0102", "LOC", "Kiew")));
    const run = await versions(ours, theirs, "");
    const outcome = await run.drive();
    expect(outcome.code).toBe(0);
    expect(await run.ours()).toContain("alice-0102");
  });

  it("falls back to a line merge for paths that hold no Tagwerk records", async () => {
    const run = await versions(
      "one\ntwo\nthree changed\n",
      "one changed\ntwo\nthree\n",
      "one\ntwo\nthree\n",
    );
    expect((await run.drive("notes/readme.txt")).code).toBe(0);
    expect(await run.ours()).toBe("one changed\ntwo\nthree changed\n");
  });
});

describe("tagwerk diff", () => {
  const alice = path.join(EXAMPLE_PROJECT, ALICE);

  it("renders a coder's file as one line per annotation (textconv)", async () => {
    const outcome = await cli(REPO, "diff", "--textconv", alice);
    expect(outcome.code).toBe(0);
    const lines = outcome.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`alice · ${MAINUFER} · in-progress`);
    expect(lines).toContain('PER "Steve Witkoff" 1074–1087 [alice-0007]');
    expect(lines).toContain('DATE "am Mittwoch" 652–663 [alice-0002] value=2025-12-17');
    const count = (await readCoding(alice)).annotations.length;
    expect(lines.filter((l) => / \[alice-\d+\]/.test(l))).toHaveLength(count);
  });

  it("renders the codebook and the entity registry one record per line", async () => {
    const codebook = await cli(REPO, "diff", path.join(EXAMPLE_PROJECT, "codebook.json"));
    expect(codebook.stdout.split("\n")[0]).toBe("codebook version 1");
    expect(codebook.stdout).toMatch(/^label PER kind=entity name=Person color=#3b82f6 /m);
    const entities = await cli(
      REPO,
      "diff",
      "--textconv",
      path.join(EXAMPLE_PROJECT, "entities.json"),
    );
    expect(entities.stdout).toMatch(
      /^entity witkoff name="Steve Witkoff" label=PER aliases=\[Witkoff, Kickoff\]/m,
    );
  });

  it("prints a file it cannot read as is and still exits 0 (textconv)", async () => {
    const dir = await makeTempDir();
    const broken = `{\n<<<<<<< HEAD\n  "a": 1\n=======\n  "a": 2\n>>>>>>> theirs\n}\n`;
    await writeFile(path.join(dir, "alice.json"), broken);
    const outcome = await cli(dir, "diff", "--textconv", "alice.json");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toBe(broken);
    const twoFiles = await cli(dir, "diff", alice, "alice.json");
    expect(twoFiles.code).toBe(1);
    expect(twoFiles.stderr).toContain("alice.json: line 2: contains git conflict markers");
  });

  it("tells additions, deletions, relabels, boundary, code and status changes between two files", async () => {
    const dir = await makeTempDir();
    await cp(alice, path.join(dir, "alice.json"));
    await editCoding(path.join(dir, "alice.json"), (d) => {
      d.annotations.push(annotation("alice-0101", "LOC", "Moskau"));
      d.annotations = d.annotations.filter((x) => x.id !== "alice-0009");
      relabel(d, "alice-0012", "LOC");
      const berlin = d.annotations.findIndex((x) => x.id === "alice-0008");
      d.annotations[berlin] = annotation("alice-0008", "LOC", "in Berlin", 1000);
      d.status = "done";
      d.codes = { genre: "news" };
    });
    const outcome = await cli(dir, "diff", alice, "alice.json");
    expect(outcome.code).toBe(0);
    const lines = outcome.stdout.trimEnd().split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "~ status in-progress→done (alice)",
        '+ LOC "Moskau" 1526–1532 (alice)',
        '- PER "Umjerow" 1169–1176 (alice)',
        '~ ORG→LOC "Kreml" 1538–1543 (alice)',
        '~ LOC "Berlin"→"in Berlin" 1091–1097→1088–1097 (alice)',
        "+ code genre = news (alice)",
      ]),
    );
    expect(lines).toHaveLength(6);
  });

  it("shows readable annotation lines in `git diff` after git-setup", async () => {
    const { root, project } = await copyExampleProject();
    expect((await cli(root, "git-setup", project)).code).toBe(0);
    await git(project, "add", "-A");
    await git(project, "commit", "-m", "example");
    await editCoding(path.join(project, ALICE), (d) => {
      d.annotations.push(annotation("alice-0101", "LOC", "Moskau"));
      relabel(d, "alice-0012", "LOC");
    });
    const diff = (await git(project, "diff")).stdout.split("\n");
    expect(diff).toContain('+LOC "Moskau" 1526–1532 [alice-0101]');
    expect(diff).toContain('-ORG "Kreml" 1538–1543 [alice-0012]');
    expect(diff).toContain('+LOC "Kreml" 1538–1543 [alice-0012]');
  });
});
