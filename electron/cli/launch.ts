/**
 * `tagwerk start`: the desktop app when an Electron binary exists, browser mode
 * otherwise. Electron ≥ 42 fetches its binary on first `require("electron")`;
 * where that download cannot happen (offline machines, CI) we say so in one line
 * and serve the same renderer to Chromium instead.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

/** Finds (and on a normal machine, downloads once) the Electron binary; `null` when there is none. */
export function findElectronBinary(appRoot: string): string | null {
  const result = spawnSync(
    process.execPath,
    ["-e", "process.stdout.write(String(require('electron')))"],
    { cwd: appRoot, encoding: "utf8", timeout: 600_000, stdio: ["ignore", "pipe", "pipe"] },
  );
  const binary = result.status === 0 ? result.stdout.trim() : "";
  return binary.length > 0 && existsSync(binary) ? binary : null;
}

/** Starts Electron on the app in `appRoot` with `projectDir`; resolves with its exit code. */
export function runElectron(binary: string, appRoot: string, projectDir: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(binary, [appRoot, "--project", path.resolve(projectDir)], {
      stdio: "inherit",
    });
    child.on("exit", (code) => resolve(code ?? 0));
  });
}

const CHROMIUM_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The first Chromium-family browser on PATH, or `null`. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TAGWERK_CHROMIUM) return env.TAGWERK_CHROMIUM;
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    for (const name of CHROMIUM_NAMES) {
      const candidate = path.join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** True when a graphical display is available for a browser window. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== "linux") return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Opens `url` in Chromium's app mode (a window without browser chrome) with its own profile. */
export function openChromiumApp(chromium: string, url: string, profileDir: string): void {
  const child = spawn(
    chromium,
    [
      `--app=${url}`,
      `--user-data-dir=${profileDir}`,
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--window-size=1440,900",
      // Chromium refuses to start as root with its sandbox on (containers, CI).
      ...(process.getuid?.() === 0 ? ["--no-sandbox", "--test-type"] : []),
    ],
    { stdio: "ignore", detached: true },
  );
  child.unref();
}

/** Opens `folder` in the system's file manager (browser mode runs on the user's own machine). */
export function openInFileManager(folder: string): Promise<void> {
  const command =
    process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  return new Promise((resolve, reject) => {
    const child = spawn(command, [folder], { detached: true, stdio: "ignore" });
    child.once("error", (error) => reject(new Error(`${command} failed: ${error.message}`)));
    child.once("spawn", () => {
      child.unref();
      resolve();
    });
  });
}
