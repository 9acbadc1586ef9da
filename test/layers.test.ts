/**
 * Proves that the layering rule bites: Biome, with the repository's own
 * biome.json, must reject a `shared/` file that imports Node, Electron, lowdb
 * or a higher layer, a `renderer/` file that imports the back end, and a
 * plain-Node back-end module that imports `electron` — and accept clean files.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const repo = path.resolve(import.meta.dirname, "..");
const biome = path.join(repo, "node_modules", ".bin", "biome");

function lint(files: Record<string, string>): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tagwerk-layers-"));
  copyFileSync(path.join(repo, "biome.json"), path.join(dir, "biome.json"));
  // biome.json points its $schema into node_modules; give the copy a route there.
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  try {
    const output = execFileSync(
      biome,
      ["lint", "--vcs-enabled=false", "--max-diagnostics=50", "."],
      {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    return { ok: true, output };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

const uses = (specifier: string) => `import * as m from "${specifier}";\nexport const used = m;\n`;

describe("the layering rule", () => {
  it.each([
    ["shared/a.ts", "node:fs", "noNodejsModules"],
    ["shared/a.ts", "fs", "noNodejsModules"],
    ["shared/a.ts", "electron", "noRestrictedImports"],
    ["shared/a.ts", "lowdb", "noRestrictedImports"],
    ["shared/a.ts", "react", "noRestrictedImports"],
    ["shared/a.ts", "../electron/project/project-folder", "noRestrictedImports"],
    ["shared/sub/a.ts", "../../renderer/src/App", "noRestrictedImports"],
    ["renderer/src/a.ts", "../../electron/server/browser-server", "noRestrictedImports"],
    ["renderer/src/a.ts", "electron", "noRestrictedImports"],
    ["renderer/src/a.ts", "node:path", "noNodejsModules"],
    ["electron/project/a.ts", "electron", "noRestrictedImports"],
    ["electron/server/a.ts", "../../renderer/src/App", "noRestrictedImports"],
    ["electron/project/a.ts", "electron/main", "noRestrictedImports"],
    ["renderer/src/a.ts", "lowdb/node", "noRestrictedImports"],
    ["renderer/src/a.ts", "electron/renderer", "noRestrictedImports"],
    ["shared/a.ts", "react/jsx-runtime", "noRestrictedImports"],
    ["shared/a.ts", "lowdb/node", "noRestrictedImports"],
    ["shared/a.ts", "electron/common", "noRestrictedImports"],
  ])("rejects %s importing %s", (file, specifier, rule) => {
    const result = lint({ [file]: uses(specifier) });
    expect(result.ok).toBe(false);
    expect(result.output).toContain(rule);
  });

  it("accepts imports that follow the layers", () => {
    const result = lint({
      "shared/a.ts": uses("./b"),
      "shared/b.ts": "export const b = 1;\n",
      "renderer/src/a.ts": uses("../../shared/b"),
      "electron/project/a.ts": uses("node:fs"),
      "electron/app/main.ts": uses("electron"),
    });
    expect(result.output).not.toContain("noRestrictedImports");
    expect(result.ok).toBe(true);
  });
});
