/** Makes sure `out/` holds a build of the app before tests that need it. */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { REPO } from "./serve-process";

/** Builds the app once when `out/` is missing (`npm test` builds before running tests). */
export function ensureBuilt(): void {
  const built = ["out/main/cli.js", "out/renderer/index.html", "out/preload/preload.cjs"].every(
    (f) => existsSync(path.join(REPO, f)),
  );
  if (!built) {
    execFileSync(path.join(REPO, "node_modules", ".bin", "electron-vite"), ["build"], {
      cwd: REPO,
      stdio: "ignore",
    });
  }
}
