import { spawnSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  explainGitError,
  gitCommit,
  gitPull,
  gitPush,
  gitStatus,
} from "../../electron/git/git-repo";
import { validateProject } from "../../electron/project/validate-project";
import { resolveCodingConflict } from "../../shared/conflict-resolution";
import type { AnnotationFile, StoredAnnotation } from "../../shared/project-files";
import { copyExampleProject, MAINUFER, makeTempDir, removeTempDirs } from "../support/temp-project";

afterAll(removeTempDirs);

function git(cwd: string, args: string[]) {
  return spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "T",
      GIT_AUTHOR_EMAIL: "t@x",
      GIT_COMMITTER_NAME: "T",
      GIT_COMMITTER_EMAIL: "t@x",
    },
  });
}

describe("git errors in plain words", () => {
  it.each([
    [
      "fatal: not a git repository (or any of the parent directories): .git",
      "not a git repository yet",
    ],
    ["fatal: Authentication failed for 'https://example.org/x.git/'", "refused the login"],
    ["git@github.com: Permission denied (publickey).", "refused the login"],
    [" ! [rejected]        main -> main (fetch first)", "pull first, then push"],
    ["fatal: No configured push destination.", "no remote"],
    ["fatal: 'origin' does not appear to be a git repository", "no remote"],
    ["fatal: You are not currently on a branch.", "detached HEAD"],
    ["ssh: Could not resolve host: example.org", "cannot be reached"],
    [
      "error: Your local changes to the following files would be overwritten by merge:",
      "commit them first",
    ],
    ["fatal: something new", "git: something new"],
  ])("%s", (output, words) => {
    expect(explainGitError(output)).toContain(words);
  });
});

describe("the project's repository", () => {
  it("reports branch, changed articles and refuses pull and push without a remote", async () => {
    const { project } = await copyExampleProject();
    expect((await gitStatus(project)).repo).toBe(false);
    git(project, ["init", "-q", "-b", "main"]);
    const fresh = await gitStatus(project);
    expect(fresh).toMatchObject({
      repo: true,
      branch: "main",
      detached: false,
      upstream: null,
      remotes: [],
    });
    expect(fresh.changedArticles).toContain(MAINUFER);
    await expect(gitPull(project)).rejects.toThrow(/no remote/);
    const commit = await gitCommit(project, "Start", "alice");
    expect(commit).toMatch(/^[0-9a-f]{7,}$/);
    expect((await gitStatus(project)).changed).toEqual([]);
    await expect(gitCommit(project, "Again", "alice")).rejects.toThrow(/nothing to commit/);
    await writeFile(path.join(project, "coding", MAINUFER, "carol.json"), "{}\n");
    expect((await gitStatus(project)).changedArticles).toEqual([MAINUFER]);
    await expect(gitPush(project)).rejects.toThrow(/no remote/);
  });

  it("pushes to a bare remote and says when the remote is ahead", async () => {
    const { project } = await copyExampleProject();
    const remote = path.join(await makeTempDir("tagwerk-remote-"), "remote.git");
    git(path.dirname(remote), ["init", "-q", "--bare", "-b", "main", remote]);
    git(project, ["init", "-q", "-b", "main"]);
    git(project, ["remote", "add", "origin", remote]);
    await gitCommit(project, "Start", "alice");
    expect(await gitPush(project)).toContain("now follows the remote");
    const other = path.join(await makeTempDir("tagwerk-clone-"), "clone");
    git(path.dirname(other), ["clone", "-q", remote, other]);
    await writeFile(path.join(other, "notes.txt"), "from the other clone\n");
    git(other, ["add", "-A"]);
    git(other, ["commit", "-q", "-m", "Other"]);
    git(other, ["push", "-q"]);
    await writeFile(path.join(project, "mine.txt"), "mine\n");
    await gitCommit(project, "Mine", "alice");
    await expect(gitPush(project)).rejects.toThrow(/pull first, then push/);
    expect(await gitPull(project)).toContain("Pulled");
    expect(await gitPush(project)).toBe("Pushed.");
  });
});

describe("deciding recorded conflicts", () => {
  const ann = (id: string, label: string): StoredAnnotation => ({
    id,
    kind: "entity",
    label,
    start: 0,
    end: 5,
    quote: "Kreml",
    prefix: "",
    suffix: "",
  });
  const file = (): AnnotationFile => ({
    schemaVersion: 2,
    article: "a",
    coder: "alice",
    textHash: "sha256:x",
    status: "in-progress",
    codes: { topic: "war" },
    annotations: [ann("alice-1", "LOC")],
    orphans: [],
    conflicts: [
      {
        kind: "annotation",
        key: "alice-1",
        base: ann("alice-1", "ORG"),
        ours: ann("alice-1", "LOC"),
        theirs: ann("alice-1", "PER"),
      },
      { kind: "code", key: "topic", base: null, ours: "war", theirs: "economy" },
      { kind: "status", key: "status", base: "in-progress", ours: "in-progress", theirs: "done" },
    ],
  });

  it("takes theirs, keeps ours, and removes the record either way", () => {
    const f = file();
    resolveCodingConflict(f, "annotation", "alice-1", "theirs");
    expect(f.annotations.map((a) => a.label)).toEqual(["PER"]);
    resolveCodingConflict(f, "code", "topic", "ours");
    expect(f.codes.topic).toBe("war");
    resolveCodingConflict(f, "status", "status", "theirs");
    expect(f.status).toBe("done");
    expect(f.conflicts).toBeUndefined();
    expect(() => resolveCodingConflict(f, "code", "topic", "ours")).toThrow(/decided already/);
  });

  it("validate warns about conflicts waiting in a file", async () => {
    const { project } = await copyExampleProject();
    const target = path.join(project, "coding", MAINUFER, "alice.json");
    const { formatFileData } = await import("../../shared/file-formats");
    const { readFile } = await import("node:fs/promises");
    const data = JSON.parse(await readFile(target, "utf8")) as AnnotationFile;
    data.conflicts = [{ kind: "code", key: "genre", base: null, ours: "news", theirs: "opinion" }];
    await writeFile(target, formatFileData("coding", data));
    const report = await validateProject(project);
    const warning = report.problems.find((p) => p.message.includes("merge conflict"));
    expect(warning).toMatchObject({ severity: "warning", file: `coding/${MAINUFER}/alice.json` });
    expect(warning?.line).toBeGreaterThan(1);
  });
});

describe("deciding codebook and registry conflicts", () => {
  it("replaces or deletes the record with theirs, keeps ours otherwise, and validates", async () => {
    const { resolveCodebookConflict, resolveRegistryConflict } = await import(
      "../../shared/conflict-resolution"
    );
    const { starterCodebook } = await import("../../electron/project/create-project");
    const codebook = starterCodebook();
    const loc = codebook.labels.find((l) => l.id === "LOC");
    codebook.conflicts = [
      { kind: "label", key: "LOC", base: loc, ours: loc, theirs: { ...loc, name: "Ort" } },
      { kind: "label", key: "ORG", base: null, ours: null, theirs: null },
    ];
    resolveCodebookConflict(codebook, "label", "LOC", "theirs");
    expect(codebook.labels.find((l) => l.id === "LOC")?.name).toBe("Ort");
    resolveCodebookConflict(codebook, "label", "ORG", "theirs");
    expect(codebook.labels.some((l) => l.id === "ORG")).toBe(false);
    expect(codebook.conflicts).toBeUndefined();
    const bad = starterCodebook();
    bad.conflicts = [
      { kind: "label", key: "PER", base: null, ours: null, theirs: { id: "PER", kind: "nope" } },
    ];
    expect(() => resolveCodebookConflict(bad, "label", "PER", "theirs")).toThrow();
    const registry = {
      schemaVersion: 2 as const,
      entities: [{ id: "merz", name: "Merz", aliases: [] }],
      conflicts: [
        {
          kind: "entity" as const,
          key: "merz",
          base: null,
          ours: { id: "merz", name: "Merz", aliases: [] },
          theirs: { id: "merz", name: "Friedrich Merz", aliases: ["Merz"] },
        },
      ],
    };
    resolveRegistryConflict(registry, "merz", "theirs");
    expect(registry.entities[0]).toMatchObject({ name: "Friedrich Merz", aliases: ["Merz"] });
    expect(registry.conflicts).toBeUndefined();
  });
});
