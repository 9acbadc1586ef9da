/**
 * Temp folders on the real disk for the back-end tests: a fresh copy of the
 * example project in annotations/, and a fingerprint of every file in a folder
 * to prove that reading a project rewrote nothing.
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** The repository root. */
export const REPO = path.resolve(import.meta.dirname, "..", "..");

/** The example project that ships with the repository. */
export const EXAMPLE_PROJECT = path.join(REPO, "annotations");

/** The example article that two coders (alice and bob) have coded. */
export const MAINUFER = "2025-12-18-mainuferbote-sicherheitsgarantien";

const made: string[] = [];

/** A new empty folder in the system's temp folder; `removeTempDirs` deletes it. */
export async function makeTempDir(prefix = "tagwerk-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Deletes every folder `makeTempDir` made in this test file. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A temp folder holding `project/`, a copy of annotations/; returns both paths. */
export async function copyExampleProject(): Promise<{ root: string; project: string }> {
  const root = await makeTempDir("tagwerk-project-");
  const project = path.join(root, "project");
  await cp(EXAMPLE_PROJECT, project, { recursive: true });
  return { root, project };
}

/** Relative path (forward slashes) → sha256 of the bytes, for every file under `dir`. */
export async function fingerprint(dir: string): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const hash = createHash("sha256")
      .update(await readFile(full))
      .digest("hex");
    result.set(path.relative(dir, full).split(path.sep).join("/"), hash);
  }
  return result;
}
