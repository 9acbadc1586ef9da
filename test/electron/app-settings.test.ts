import { readdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  defaultSettingsDir,
  MAX_RECENT_PROJECTS,
  openAppSettings,
} from "../../electron/settings/app-settings";
import { makeTempDir, removeTempDirs } from "../support/temp-project";

afterAll(removeTempDirs);

const project = (n: number) => ({ path: `/projects/p${n}`, name: `Project ${n}` });

describe("recent projects", () => {
  it("starts empty in a new settings folder, without a warning", async () => {
    const settings = await openAppSettings(path.join(await makeTempDir(), "nested", "Tagwerk"));
    expect(settings.recentProjects()).toEqual([]);
    expect(settings.windowState()).toBeUndefined();
    expect(settings.warning).toBeUndefined();
  });

  it("lists the most recently opened first, each folder once", async () => {
    const settings = await openAppSettings(await makeTempDir());
    await settings.rememberProject(project(1));
    await settings.rememberProject(project(2));
    await settings.rememberProject(project(3));
    await settings.rememberProject({ path: "/projects/p1", name: "Renamed 1" });

    const recent = settings.recentProjects();
    expect(recent.map((p) => p.path)).toEqual(["/projects/p1", "/projects/p3", "/projects/p2"]);
    expect(recent[0]?.name).toBe("Renamed 1");
    expect(Number.isNaN(Date.parse(recent[0]?.openedAt ?? ""))).toBe(false);
  });

  it(`keeps only the ${MAX_RECENT_PROJECTS} most recent`, async () => {
    const settings = await openAppSettings(await makeTempDir());
    for (let n = 1; n <= 12; n += 1) await settings.rememberProject(project(n));

    const paths = settings.recentProjects().map((p) => p.path);
    expect(MAX_RECENT_PROJECTS).toBe(10);
    expect(paths).toHaveLength(10);
    expect(paths[0]).toBe("/projects/p12");
    expect(paths.at(-1)).toBe("/projects/p3");
    expect(paths).not.toContain("/projects/p1");
  });

  it("are still there after the settings are opened again", async () => {
    const dir = await makeTempDir();
    const first = await openAppSettings(dir);
    await first.rememberProject(project(1));
    await first.rememberProject(project(2));

    const again = await openAppSettings(dir);
    expect(again.recentProjects()).toEqual(first.recentProjects());
    expect(again.recentProjects().map((p) => p.name)).toEqual(["Project 2", "Project 1"]);
  });
});

describe("window state", () => {
  it("is restored after the settings are opened again", async () => {
    const dir = await makeTempDir();
    const state = { x: 40, y: 60, width: 1200, height: 800, maximized: true };
    await (await openAppSettings(dir)).saveWindowState(state);

    expect((await openAppSettings(dir)).windowState()).toEqual(state);
  });
});

describe("a broken settings file", () => {
  it("is moved aside with a warning naming it, and settings start fresh", async () => {
    const dir = await makeTempDir();
    const file = path.join(dir, "settings.json");
    const broken = '{"recentProjects": [{"path": "/projects/p1", "na';
    await writeFile(file, broken);

    const settings = await openAppSettings(dir);
    expect(settings.warning).toContain(file);
    expect(settings.recentProjects()).toEqual([]);
    const aside = (await readdir(dir)).filter((name) => name.includes(".broken-"));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^settings\.json\.broken-/);
    expect(settings.warning).toContain(aside[0]);
    expect(await readFile(path.join(dir, aside[0] ?? ""), "utf8")).toBe(broken);

    await settings.rememberProject(project(7));
    const again = await openAppSettings(dir);
    expect(again.warning).toBeUndefined();
    expect(again.recentProjects().map((p) => p.path)).toEqual(["/projects/p7"]);
  });

  it.each(["42", '"oops"', "true", "[]", "null", '{"recentProjects": "many"}'])(
    "holding %s (JSON, but not settings) does not stop the app, and projects are remembered again",
    async (content) => {
      const dir = await makeTempDir();
      await writeFile(path.join(dir, "settings.json"), content);

      const settings = await openAppSettings(dir);
      expect(settings.recentProjects()).toEqual([]);
      await settings.rememberProject(project(1));
      const again = await openAppSettings(dir);
      expect(again.recentProjects().map((p) => p.path)).toEqual(["/projects/p1"]);
    },
  );
});

describe("defaultSettingsDir", () => {
  it("uses TAGWERK_CONFIG_DIR above everything else", () => {
    const env = { TAGWERK_CONFIG_DIR: "/srv/tagwerk-config", XDG_CONFIG_HOME: "/xdg" };
    expect(defaultSettingsDir(env)).toBe("/srv/tagwerk-config");
  });

  it.runIf(process.platform === "linux")("uses XDG_CONFIG_HOME on Linux", () => {
    expect(defaultSettingsDir({ XDG_CONFIG_HOME: "/xdg" })).toBe(path.join("/xdg", "Tagwerk"));
    expect(defaultSettingsDir({})).toBe(path.join(os.homedir(), ".config", "Tagwerk"));
  });

  it.runIf(process.platform === "linux")(
    "falls back to ~/.config when XDG_CONFIG_HOME is set but empty",
    () => {
      const dir = defaultSettingsDir({ XDG_CONFIG_HOME: "" });
      expect(path.isAbsolute(dir)).toBe(true);
      expect(dir).toBe(path.join(os.homedir(), ".config", "Tagwerk"));
    },
  );
});
