/**
 * Starts the real `tagwerk serve` (the built CLI) as a child process on a free
 * port with a throwaway settings folder, the way a user would.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** A running `tagwerk serve`. */
export interface ServeProcess {
  url: string;
  origin: string;
  port: number;
  token: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** The repository root. */
export const REPO = path.resolve(import.meta.dirname, "..", "..");

/**
 * Runs `tagwerk serve [project] --port 0` and waits for the address it prints.
 * The coder is "e2e" unless `coder` says otherwise (`null`: none, as on a fresh machine).
 */
export async function startServe(
  project?: string,
  extraArgs: string[] = [],
  coder: string | null = "e2e",
): Promise<ServeProcess> {
  const configDir = await mkdtemp(path.join(os.tmpdir(), "tagwerk-config-"));
  const args = [
    path.join(REPO, "electron/cli/bin.js"),
    "serve",
    ...(project ? [project] : []),
    "--port",
    "0",
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, TAGWERK_CONFIG_DIR: configDir, TAGWERK_CODER: coder ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tagwerk serve printed no address; stderr: ${err}`)),
      15_000,
    );
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`tagwerk serve exited with ${code}: ${err}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get("token") ?? "",
    child,
    stderr: () => err,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      await rm(configDir, { recursive: true, force: true });
    },
  };
}
