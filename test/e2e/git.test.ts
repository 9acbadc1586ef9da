/**
 * End to end: teams in git — the Git dialog's plain-word errors and a commit,
 * a conflicting relabel recorded by `tagwerk merge-driver` and decided in the
 * app, and a conflict-marked annotation file repaired in the app; the real
 * renderer in Chromium against `tagwerk serve` and real files.
 */
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatFileData } from "../../shared/file-formats";
import type { AnnotationFile } from "../../shared/project-files";
import { ensureBuilt } from "../support/built-app";
import { launchChromium } from "../support/chromium";
import { REPO, type ServeProcess, startServe } from "../support/serve-process";

const KIEW = "2025-12-18-mainuferbote-sicherheitsgarantien";
const BIN = path.join(REPO, "electron/cli/bin.js");
let temp: string;
let browser: Browser;
const serves: ServeProcess[] = [];

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      HOME: temp,
      TAGWERK_CONFIG_DIR: temp,
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.org",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.org",
    },
  });
  return result;
}

async function project(name: string): Promise<string> {
  const dir = path.join(temp, name);
  await cp(path.join(REPO, "annotations"), dir, { recursive: true });
  return dir;
}

async function open(dir: string): Promise<Page> {
  const serve = await startServe(dir, [], "alice");
  serves.push(serve);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(serve.url);
  await page.getByRole("option").first().waitFor();
  return page;
}

beforeAll(async () => {
  ensureBuilt();
  temp = await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-git-"));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const serve of serves) await serve.stop();
});

describe("git in the app", () => {
  it("says in plain words what is missing, then commits", async () => {
    const dir = await project("plain");
    const page = await open(dir);
    await page.getByRole("button", { name: "Git", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Git" });
    await expect.poll(() => dialog.textContent()).toContain("not a git repository yet");
    await page.keyboard.press("Escape");

    expect(run("git", ["init", "-q", "-b", "main"], dir).status).toBe(0);
    await page.getByRole("button", { name: "Git", exact: true }).click();
    await expect.poll(() => dialog.textContent()).toContain("Branch main");
    expect(await dialog.textContent()).toContain("Kiew will Garantien schwarz auf weiß");
    await dialog.getByRole("button", { name: "Pull" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toContain("has no remote");
    await dialog.getByLabel("Commit message").fill("First coding round");
    await dialog.getByRole("button", { name: "Commit" }).click();
    await expect
      .poll(() => dialog.getByRole("status").textContent())
      .toMatch(/Committed [0-9a-f]{7}/);
    expect(run("git", ["log", "--format=%s"], dir).stdout.trim()).toBe("First coding round");
    await dialog.getByRole("button", { name: "Push" }).click();
    await expect.poll(() => dialog.getByRole("alert").textContent()).toContain("no remote");
  });
});

async function alice(dir: string): Promise<AnnotationFile> {
  return JSON.parse(await readFile(path.join(dir, "coding", KIEW, "alice.json"), "utf8"));
}

function relabel(file: AnnotationFile, id: string, label: string): AnnotationFile {
  return { ...file, annotations: file.annotations.map((a) => (a.id === id ? { ...a, label } : a)) };
}

describe("merges that need a person", () => {
  it("a conflicting relabel, recorded by the merge driver, is decided in the app", async () => {
    const dir = await project("conflict");
    const base = await alice(dir);
    const files = path.join(temp, "driver");
    await cp(path.join(dir, "coding", KIEW), files, { recursive: true });
    const [basePath, oursPath, theirsPath] = ["base.json", "ours.json", "theirs.json"].map((f) =>
      path.join(files, f),
    ) as [string, string, string];
    await writeFile(basePath, formatFileData("coding", base));
    await writeFile(oursPath, formatFileData("coding", relabel(base, "alice-0012", "LOC")));
    await writeFile(theirsPath, formatFileData("coding", relabel(base, "alice-0012", "PER")));
    const merged = run(
      process.execPath,
      [BIN, "merge-driver", basePath, oursPath, theirsPath, `coding/${KIEW}/alice.json`],
      dir,
    );
    expect(merged.status).toBe(1);
    const text = await readFile(oursPath, "utf8");
    expect(text).not.toContain("<<<<<<<");
    expect(JSON.parse(text).conflicts).toHaveLength(1);
    await writeFile(path.join(dir, "coding", KIEW, "alice.json"), text);

    const page = await open(dir);
    await page.getByRole("option", { name: /Kiew will Garantien/ }).click();
    await page.getByRole("button", { name: "Decide…" }).click();
    const dialog = page.getByRole("dialog", { name: "Merge conflicts" });
    expect(await dialog.textContent()).toContain("LOC “Kreml”");
    expect(await dialog.textContent()).toContain("PER “Kreml”");
    await dialog.getByRole("button", { name: "Take theirs" }).click();
    await expect.poll(() => dialog.textContent()).toContain("All conflicts are decided");
    const decided = await alice(dir);
    expect(decided.conflicts).toBeUndefined();
    expect(decided.annotations.find((a) => a.id === "alice-0012")?.label).toBe("PER");
  });

  it("an annotation file with git conflict markers is repaired in the app, keeping both sides' work", async () => {
    const dir = await project("markers");
    const base = await alice(dir);
    const files = path.join(temp, "markers-files");
    await cp(path.join(dir, "coding", KIEW), files, { recursive: true });
    const extra = {
      ...(base.annotations[3] as AnnotationFile["annotations"][number]),
      id: "alice-0099",
      label: "LOC",
    };
    const ours = {
      ...base,
      annotations: [
        ...base.annotations
          .slice(0, 12)
          .map((a) => (a.id === "alice-0012" ? { ...a, label: "LOC" } : a)),
        ...base.annotations.slice(12),
      ],
    };
    const theirs = {
      ...base,
      annotations: [
        ...base.annotations.map((a) => (a.id === "alice-0012" ? { ...a, label: "PER" } : a)),
        extra,
      ],
    };
    const [basePath, oursPath, theirsPath] = ["base.json", "ours.json", "theirs.json"].map((f) =>
      path.join(files, f),
    ) as [string, string, string];
    await writeFile(basePath, formatFileData("coding", base));
    await writeFile(oursPath, formatFileData("coding", ours));
    await writeFile(theirsPath, formatFileData("coding", theirs));
    const merged = run(
      "git",
      [
        "merge-file",
        "-p",
        "-L",
        "HEAD",
        "-L",
        "base",
        "-L",
        "origin/main",
        oursPath,
        basePath,
        theirsPath,
      ],
      dir,
    );
    expect(merged.stdout).toContain("<<<<<<< HEAD");
    await writeFile(path.join(dir, "coding", KIEW, "alice.json"), merged.stdout);

    const page = await open(dir);
    await page.getByRole("option", { name: /Kiew will Garantien/ }).click();
    const banner = page.locator(".conflict-banner", { hasText: "conflict markers" });
    await banner.waitFor();
    await banner.getByRole("button", { name: "Repair…" }).click();
    const dialog = page.getByRole("dialog", { name: "Repair alice's annotations" });
    await expect.poll(() => dialog.textContent()).toContain("alice-0012");
    await dialog.getByLabel(/PER “Kreml”/).check();
    await dialog.getByRole("button", { name: "Save repaired file" }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const repaired = await alice(dir);
    expect(repaired.annotations.find((a) => a.id === "alice-0012")?.label).toBe("PER");
    expect(repaired.annotations.some((a) => a.id === "alice-0099")).toBe(true);
    expect(repaired.annotations.length).toBe(base.annotations.length + 1);
    expect(await readFile(path.join(dir, "coding", KIEW, "alice.json.broken"), "utf8")).toContain(
      "<<<<<<<",
    );
    await expect.poll(() => page.locator(".conflict-banner").count()).toBe(0);
  });

  it("a codebook conflict recorded by the merge driver is decided from the header", async () => {
    const dir = await project("codebook-conflict");
    const base = JSON.parse(await readFile(path.join(dir, "codebook.json"), "utf8"));
    const rename = (name: string) => ({
      ...base,
      labels: base.labels.map((l: { id: string }) => (l.id === "LOC" ? { ...l, name } : l)),
    });
    const files = path.join(temp, "codebook-driver");
    await cp(path.join(dir, "coding"), files, { recursive: true });
    const [basePath, oursPath, theirsPath] = ["base.json", "ours.json", "theirs.json"].map((f) =>
      path.join(files, f),
    ) as [string, string, string];
    await writeFile(basePath, formatFileData("codebook", base));
    await writeFile(oursPath, formatFileData("codebook", rename("Ort")));
    await writeFile(theirsPath, formatFileData("codebook", rename("Schauplatz")));
    const merged = run(
      process.execPath,
      [BIN, "merge-driver", basePath, oursPath, theirsPath, "codebook.json"],
      dir,
    );
    expect(merged.status).toBe(1);
    await writeFile(path.join(dir, "codebook.json"), await readFile(oursPath, "utf8"));

    const page = await open(dir);
    await page.getByRole("button", { name: /1 merge conflict in codebook or registry/ }).click();
    const dialog = page.getByRole("dialog", { name: "Merge conflicts" });
    expect(await dialog.textContent()).toContain("Schauplatz");
    await dialog.getByRole("button", { name: "Take theirs" }).click();
    await expect.poll(() => dialog.textContent()).toContain("All conflicts are decided");
    const codebook = JSON.parse(await readFile(path.join(dir, "codebook.json"), "utf8"));
    expect(codebook.conflicts).toBeUndefined();
    expect(codebook.labels.find((l: { id: string }) => l.id === "LOC").name).toBe("Schauplatz");
  });
});
