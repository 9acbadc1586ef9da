/**
 * Per-machine app settings (recent projects, window state) in a lowdb file in
 * the user's settings folder: Electron's `userData`, or for the CLI the same
 * place worked out by hand. A broken settings file is set aside, never fatal.
 */
import { mkdir, rename } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import type { RecentProject } from "../../shared/api";

/** Size and place of the main window, restored on the next start. */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** Everything kept in `settings.json`. */
export interface SettingsData {
  recentProjects: RecentProject[];
  /** Who codes on this machine. */
  coder?: string;
  window?: WindowState;
}

/** How many recent projects are remembered. */
export const MAX_RECENT_PROJECTS = 10;

/** The open settings file. */
export interface AppSettings {
  /** Path of `settings.json`. */
  readonly file: string;
  /** A warning when the file was unreadable and has been set aside. */
  readonly warning?: string;
  recentProjects(): RecentProject[];
  rememberProject(project: { path: string; name: string }): Promise<void>;
  windowState(): WindowState | undefined;
  coder(): string | undefined;
  setCoder(name: string): Promise<void>;
  saveWindowState(state: WindowState): Promise<void>;
}

/** The settings folder the CLI uses, matching Electron's `userData` for product "Tagwerk". */
export function defaultSettingsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TAGWERK_CONFIG_DIR) return env.TAGWERK_CONFIG_DIR;
  const home = os.homedir();
  if (process.platform === "win32") {
    return path.join(env.APPDATA ?? path.join(home, "AppData", "Roaming"), "Tagwerk");
  }
  if (process.platform === "darwin") {
    return path.join(home, "Library", "Application Support", "Tagwerk");
  }
  // The XDG spec says to ignore an empty or relative XDG_CONFIG_HOME.
  const xdg = env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, ".config"), "Tagwerk");
}

function emptySettings(): SettingsData {
  return { recentProjects: [] };
}

/** Opens (or creates) `settings.json` in `dir`. */
export async function openAppSettings(dir: string): Promise<AppSettings> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "settings.json");
  const db = new Low<SettingsData>(new JSONFile<SettingsData>(file), emptySettings());
  let warning: string | undefined;
  const setAside = async (reason: string) => {
    const aside = `${file}.broken-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    warning = `${file} ${reason}; it was moved to ${aside} and settings start fresh`;
    db.data = emptySettings();
  };
  try {
    await db.read();
  } catch (error) {
    await setAside(`could not be read (${(error as Error).message})`);
  }
  const data: unknown = db.data;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    await setAside("does not hold a settings object");
  }
  if (!Array.isArray(db.data.recentProjects)) db.data.recentProjects = [];
  db.data.recentProjects = db.data.recentProjects.filter(
    (p) => typeof p?.path === "string" && typeof p?.name === "string",
  );

  return {
    file,
    ...(warning === undefined ? {} : { warning }),
    recentProjects: () => [...db.data.recentProjects],
    async rememberProject(project) {
      const entry: RecentProject = {
        path: project.path,
        name: project.name,
        openedAt: new Date().toISOString(),
      };
      db.data.recentProjects = [
        entry,
        ...db.data.recentProjects.filter((p) => p.path !== project.path),
      ].slice(0, MAX_RECENT_PROJECTS);
      await db.write();
    },
    windowState: () => db.data.window,
    coder: () => (typeof db.data.coder === "string" ? db.data.coder : undefined),
    async setCoder(name) {
      db.data.coder = name;
      await db.write();
    },
    async saveWindowState(state) {
      db.data.window = state;
      await db.write();
    },
  };
}
