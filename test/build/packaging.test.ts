/**
 * Packaging, as far as it can be checked offline: electron-builder accepts
 * build/electron-builder.yml and packs the Linux app directory around a stand-in
 * Electron distribution (the real one cannot be downloaded here). The archive
 * must hold the built app and only the main process's runtime dependencies.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../support/built-app";
import { REPO } from "../support/serve-process";

const asar = createRequire(import.meta.url)("@electron/asar") as {
  listPackage(archive: string): string[];
  extractFile(archive: string, file: string): Buffer;
};
let unpacked: string;

beforeAll(() => {
  ensureBuilt();
  const work = mkdtempSync(path.join(os.tmpdir(), "tagwerk-pack-"));
  const electronDist = path.join(work, "electron-dist");
  mkdirSync(path.join(electronDist, "resources"), { recursive: true });
  writeFileSync(path.join(electronDist, "electron"), "#!/bin/sh\n");
  chmodSync(path.join(electronDist, "electron"), 0o755);
  writeFileSync(path.join(electronDist, "version"), "45.4.1");
  writeFileSync(path.join(electronDist, "LICENSE"), "");
  writeFileSync(path.join(electronDist, "LICENSES.chromium.html"), "");
  execFileSync(
    path.join(REPO, "node_modules", ".bin", "electron-builder"),
    [
      "--config",
      "build/electron-builder.yml",
      "--dir",
      "--linux",
      "--publish",
      "never",
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${path.join(work, "dist")}`,
    ],
    { cwd: REPO, stdio: "pipe", timeout: 120_000 },
  );
  unpacked = path.join(work, "dist", "linux-unpacked");
}, 180_000);

describe("the packaged Linux app", () => {
  it("is named Tagwerk's executable and holds app.asar", () => {
    expect(existsSync(path.join(unpacked, "tagwerk"))).toBe(true);
    expect(existsSync(path.join(unpacked, "resources", "app.asar"))).toBe(true);
  });

  it("contains the built main process, preload and renderer", () => {
    const files = asar.listPackage(path.join(unpacked, "resources", "app.asar"));
    for (const file of [
      "/out/main/main.js",
      "/out/preload/preload.cjs",
      "/out/renderer/index.html",
      "/package.json",
    ]) {
      expect(files).toContain(file);
    }
    expect(files.some((f) => f.endsWith(".map"))).toBe(false);
  });

  it("ships only the runtime dependencies, not React, ProseMirror or build tools", () => {
    const files = asar.listPackage(path.join(unpacked, "resources", "app.asar"));
    const modules = new Set(
      files.map((f) => /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean),
    );
    for (const runtime of ["lowdb", "zod", "jsonc-parser"])
      expect(modules.has(runtime), runtime).toBe(true);
    for (const dev of [
      "react",
      "react-dom",
      "prosemirror-view",
      "vite",
      "electron",
      "vitest",
      "playwright-core",
    ]) {
      expect(modules.has(dev), dev).toBe(false);
    }
    const manifest = JSON.parse(
      asar.extractFile(path.join(unpacked, "resources", "app.asar"), "package.json").toString(),
    );
    expect(manifest.main).toBe("out/main/main.js");
  });
});
