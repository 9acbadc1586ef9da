/**
 * Editing the codebook on a real project: the version goes up, renamed and
 * merged labels follow into every coder's files, and nothing is written when a
 * change would leave annotations without a label.
 */
import { cp, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { changeCodebook } from "../../electron/project/codebook-change";
import { readProject } from "../../electron/project/project-folder";
import { ProjectStore } from "../../electron/project/project-store";
import { validateProject } from "../../electron/project/validate-project";
import type { Codebook } from "../../shared/project-files";
import { REPO } from "../support/serve-process";
import { fingerprint } from "../support/temp-project";

const KIEW = "2025-12-18-mainuferbote-sicherheitsgarantien";
let project: string;
let codebook: Codebook;
let store: ProjectStore;

beforeEach(async () => {
  project = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-codebook-")), "p");
  await cp(path.join(REPO, "annotations"), project, { recursive: true });
  codebook = (await readProject(project)).codebook as Codebook;
  store = await ProjectStore.open(project);
});

const labelsIn = async (coder: string) =>
  (
    JSON.parse(await readFile(path.join(project, "coding", KIEW, `${coder}.json`), "utf8")) as {
      annotations: { label: string; codebookVersion?: number }[];
    }
  ).annotations;

describe("changeCodebook", () => {
  it("renames a label everywhere and bumps the version", async () => {
    const next = {
      ...codebook,
      labels: codebook.labels.map((l) =>
        l.id === "LOC" ? { ...l, id: "PLACE", name: "Place" } : l,
      ),
    };
    const report = await changeCodebook(store, codebook, next, { LOC: "PLACE" });
    expect(report.version).toBe(2);
    expect(report.relabelled).toBeGreaterThan(0);
    for (const coder of ["alice", "bob"]) {
      const labels = (await labelsIn(coder)).map((a) => a.label);
      expect(labels).not.toContain("LOC");
      expect(labels).toContain("PLACE");
    }
    expect((await labelsIn("alice")).find((a) => a.label === "PLACE")?.codebookVersion).toBe(2);
    expect((await readProject(project)).codebook?.version).toBe(2);
    expect((await validateProject(project)).problems.filter((p) => p.severity === "error")).toEqual(
      [],
    );
  });

  it("merges one label into another of the same kind", async () => {
    const next = { ...codebook, labels: codebook.labels.filter((l) => l.id !== "ORG") };
    await changeCodebook(store, codebook, next, { ORG: "LOC" });
    expect((await labelsIn("alice")).map((a) => a.label)).not.toContain("ORG");
    expect((await validateProject(project)).problems.filter((p) => p.severity === "error")).toEqual(
      [],
    );
  });

  it("refuses, and writes nothing, when a used label would vanish or kinds do not match", async () => {
    const before = await fingerprint(project);
    const withoutOrg = { ...codebook, labels: codebook.labels.filter((l) => l.id !== "ORG") };
    await expect(changeCodebook(store, codebook, withoutOrg, {})).rejects.toThrow(
      /still in use.*ORG \(\d+ annotations\).*merge/,
    );
    await expect(changeCodebook(store, codebook, withoutOrg, { ORG: "DATE" })).rejects.toThrow(
      /cannot merge into DATE/,
    );
    const twoHotkeys = {
      ...codebook,
      labels: codebook.labels.map((l) => (l.id === "ORG" ? { ...l, hotkey: "p" } : l)),
    };
    await expect(changeCodebook(store, codebook, twoHotkeys, {})).rejects.toThrow(/hotkey p/);
    expect(await fingerprint(project)).toEqual(before);
  });
});
