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
