/**
 * The `tagwerk` command line. Runs under plain Node (no Electron), so pipelines,
 * CI and browser mode use exactly the code the desktop app uses.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import packageJson from "../../package.json";
import { WorkbenchError } from "../../shared/result";
import { createWorkbenchHandlers } from "../api/workbench-handlers";
import { startBrowserServer } from "../server/browser-server";
import { defaultSettingsDir, openAppSettings } from "../settings/app-settings";
import {
  findChromium,
  findElectronBinary,
  hasDisplay,
  openChromiumApp,
  runElectron,
} from "./launch";

const USAGE = `Tagwerk ${packageJson.version}: annotation workbench for hand-coding news articles

Usage:
  tagwerk serve [PROJECT] [--port N] [--open]
      Serve the app to a browser on 127.0.0.1 (prints the address with its token).
      --port N   port to listen on (default 7410; 0 picks a free one)
      --open     open Chromium in app mode on the address
  tagwerk start [PROJECT]
      Open the desktop app; without an Electron binary, browser mode instead.
  tagwerk --version
  tagwerk --help

PROJECT is a project folder (it holds tagwerk.json). Settings live in
${defaultSettingsDir()} (override with TAGWERK_CONFIG_DIR).`;

/** Default port of `tagwerk serve`. */
export const DEFAULT_PORT = 7410;

/** The app's root folder (where package.json and out/ are), from the bundled CLI's location. */
function appRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
}

class UsageError extends Error {}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  }
  return port;
}

async function serve(args: string[], openBrowser: boolean): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { port: { type: "string" }, open: { type: "boolean" } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError("serve takes at most one PROJECT folder");
  const port = parsePort(values.port);
  const settingsDir = defaultSettingsDir();
  const settings = await openAppSettings(settingsDir);
  if (settings.warning) console.error(`tagwerk: ${settings.warning}`);
  const handlers = createWorkbenchHandlers({
    mode: "browser",
    version: packageJson.version,
    settings,
  });
  const project = positionals[0];
  if (project !== undefined) {
    const opened = await handlers.openProject({ path: path.resolve(project) });
    if (!opened.ok) throw new WorkbenchError(opened.error.code, opened.error.message);
    for (const problem of opened.value.problems) {
      console.error(`tagwerk: warning: ${problem.message}`);
    }
  }
  const server = await startBrowserServer({
    handlers,
    staticDir: path.join(appRoot(), "out", "renderer"),
    port,
  });
  console.log(server.url);
  if (openBrowser || values.open) {
    const chromium = findChromium();
    if (chromium && hasDisplay()) {
      openChromiumApp(chromium, server.url, path.join(settingsDir, "chromium-profile"));
    } else {
      console.error("tagwerk: no display or Chromium found; open the address above in a browser");
    }
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await server.close();
  return 0;
}

async function start(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: false });
  const project = positionals[0] ?? "annotations";
  const binary = findElectronBinary(appRoot());
  if (binary !== null) return runElectron(binary, appRoot(), project);
  console.error("tagwerk: no Electron binary on this machine; starting browser mode instead.");
  return serve([project, ...args.filter((a) => a !== project)], true);
}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "serve":
        return await serve(rest, false);
      case "start":
        return await start(rest);
      case "--version":
      case "-v":
        console.log(packageJson.version);
        return 0;
      case undefined:
      case "--help":
      case "-h":
      case "help":
        console.log(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command "${command}" (see tagwerk --help)`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof WorkbenchError) {
      console.error(`tagwerk: ${error.message}`);
      return error instanceof UsageError ? 2 : 1;
    }
    if (
      error instanceof TypeError &&
      "code" in error &&
      String(error.code).startsWith("ERR_PARSE_ARGS")
    ) {
      console.error(`tagwerk: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
