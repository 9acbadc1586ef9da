/**
 * Every acknowledged edit survives `kill -9`: a child process writes
 * annotations and reports each acknowledged one; it is killed with SIGKILL at
 * random moments, many times, and after each kill the project must open with
 * every acknowledged annotation present and every file valid.
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp, readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseProjectFile } from "../../electron/project/json-file";
import { readArticle, readProject } from "../../electron/project/project-folder";
import { REPO } from "../support/serve-process";

const ARTICLE = "2025-12-17-harbourledger-binding-guarantees";
const CODER = "crashtest";
const ROUNDS = 25;
let project: string;

beforeAll(async () => {
  project = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-kill9-")), "project");
  await cp(path.join(REPO, "annotations"), project, { recursive: true });
});

/** Runs the writer, kills it with SIGKILL after `delayMs` of acknowledged writing; returns the acknowledged numbers. */
function runAndKill(run: number, delayMs: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(REPO, "test/support/kill9-writer.ts"),
        project,
        ARTICLE,
        CODER,
        String(run),
      ],
      { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] },
    );
    const acked: number[] = [];
    let buffer = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        const match = /^ack (\d+)$/.exec(line);
        if (match) acked.push(Number(match[1]));
      }
      timer ??= setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("exit", (_code, signal) => {
      clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`writer ended without being killed: ${stderr}`));
      else resolve(acked);
    });
  });
}

describe("durability", () => {
  it(`keeps every acknowledged annotation through ${ROUNDS} kill -9s at random moments`, async () => {
    const expected = new Set<string>();
    let totalAcked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const before = expected.size;
      const acked = await runAndKill(round, 20 + Math.floor(Math.random() * 250));
      totalAcked += acked.length;
      const file = path.join(project, "coding", ARTICLE, `${CODER}.json`);
      const text = await readFile(file, "utf8");
      const { data } = parseProjectFile(text, `coding/${ARTICLE}/${CODER}.json`, "coding");
      const ids = new Set(data.annotations.map((a) => a.id));
      for (const n of acked) expected.add(`${CODER}-r${round}k${n}`);
      // Everything acknowledged in this and every earlier round is still there.
      for (const id of expected) expect(ids.has(id), `round ${round}: ${id}`).toBe(true);
      expect(expected.size).toBeGreaterThanOrEqual(before);
      const overview = await readProject(project);
      expect(overview.problems).toEqual([]);
      const article = await readArticle(project, ARTICLE);
      expect(article.coders.map((c) => c.coder)).toContain(CODER);
    }
    expect(totalAcked).toBeGreaterThan(ROUNDS);
    // Stray temp files of interrupted writes never look like annotation files.
    const names = await readdir(path.join(project, "coding", ARTICLE));
    expect(names.filter((n) => n.endsWith(".json")).sort()).toEqual([
      "alice.json",
      `${CODER}.json`,
    ]);
  }, 120_000);
});
