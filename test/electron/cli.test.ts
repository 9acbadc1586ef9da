import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiHeaders, request } from "../support/http-request";
import { type ServeProcess, startServe } from "../support/serve-process";
import {
  copyExampleProject,
  MAINUFER,
  makeTempDir,
  REPO,
  removeTempDirs,
} from "../support/temp-project";

const BIN = path.join(REPO, "electron/cli/bin.js");

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node electron/cli/bin.js ...args` with a throwaway settings folder until it exits. */
async function runCli(args: string[]): Promise<Outcome> {
  const configDir = await makeTempDir("tagwerk-config-");
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO,
    env: { ...process.env, TAGWERK_CONFIG_DIR: configDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on("close", (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  return { code, signal, stdout, stderr };
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim().length > 0);
}

let project: string;

beforeAll(async () => {
  if (!existsSync(path.join(REPO, "out/main/cli.js"))) {
    const build = spawnSync("npx", ["electron-vite", "build"], { cwd: REPO, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stderr}`);
  }
  ({ project } = await copyExampleProject());
}, 180_000);

afterAll(removeTempDirs);

describe("tagwerk", () => {
  it("--help lists the serve command and exits 0", async () => {
    const outcome = await runCli(["--help"]);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain("tagwerk serve");
    expect(outcome.stdout).toContain("--port");
    expect(outcome.stderr).toBe("");
  });

  it("--version prints the version from package.json", async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as {
      version: string;
    };
    const outcome = await runCli(["--version"]);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout.trim()).toBe(version);
  });

  it("refuses an unknown command with exit code 2 and one line naming it", async () => {
    const outcome = await runCli(["frobnicate"]);
    expect(outcome.code).toBe(2);
    expect(lines(outcome.stderr)).toHaveLength(1);
    expect(outcome.stderr).toContain("frobnicate");
    expect(outcome.stdout).toBe("");
  });

  it("refuses a port that is not a number with exit code 2", async () => {
    const outcome = await runCli(["serve", project, "--port", "eighty"]);
    expect(outcome.code).toBe(2);
    expect(lines(outcome.stderr)).toHaveLength(1);
    expect(outcome.stderr).toContain("--port");
  });
});

describe("tagwerk serve", () => {
  it("says in one line that a taken port is already in use", async () => {
    const occupier = net.createServer();
    await new Promise<void>((resolve) => occupier.listen(0, "127.0.0.1", resolve));
    const address = occupier.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      const outcome = await runCli(["serve", project, "--port", String(port)]);
      expect(outcome.code).not.toBe(0);
      expect(outcome.signal).toBeNull();
      expect(lines(outcome.stderr)).toHaveLength(1);
      expect(outcome.stderr).toContain("already in use");
      expect(outcome.stderr).toContain(String(port));
      expect(outcome.stdout).not.toContain("token=");
    } finally {
      await new Promise((resolve) => occupier.close(resolve));
    }
  });

  it("exits 1 naming a project folder that does not exist", async () => {
    const missing = path.join(await makeTempDir(), "no-such-project");
    const outcome = await runCli(["serve", missing, "--port", "0"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(missing);
    expect(outcome.stdout).toBe("");
  });

  describe("on a copy of the example project", () => {
    const running: ServeProcess[] = [];
    async function serveCopy(): Promise<ServeProcess> {
      const serve = await startServe(project);
      running.push(serve);
      return serve;
    }
    afterAll(() => Promise.all(running.map((serve) => serve.stop())));

    it("prints its address with the token and guards the API with it", async () => {
      const serve = await serveCopy();
      expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32,}$/);
      const call = (token: string | undefined) =>
        request({
          port: serve.port,
          method: "POST",
          path: "/api/getProject",
          headers: apiHeaders(token),
          body: "{}",
        });
      expect((await call(undefined)).status).toBe(401);
      const reply = await call(serve.token);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toMatchObject({ ok: true, value: { path: project } });
      expect(serve.stderr()).toBe("");
    });

    it("exits cleanly with code 0 on SIGTERM", async () => {
      const serve = await serveCopy();
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        serve.child.once("exit", (code, signal) => resolve([code, signal])),
      );
      serve.child.kill("SIGTERM");
      expect(await exited).toEqual([0, null]);
      expect(serve.stderr()).toBe("");
    });

    it("keeps running after a request for a malformed percent-encoded path", async () => {
      const serve = await serveCopy();
      const status = await request({ port: serve.port, path: "/%" }).then(
        (reply) => reply.status,
        (error: Error) => `no reply (${error.message}); stderr: ${serve.stderr().slice(0, 300)}`,
      );
      expect([400, 404]).toContain(status);
      expect((await request({ port: serve.port, path: "/" })).status).toBe(200);
      expect(serve.child.exitCode).toBeNull();
    });
  });
});

describe("tagwerk init and import", () => {
  it("creates a project, imports articles into it, and reports skipped files on stderr", async () => {
    const dir = path.join(await makeTempDir("tagwerk-cli-init-"), "neu");
    const created = await runCli(["init", dir, "--name", "Neues Projekt"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`Created Tagwerk project in ${dir}`);
    const again = await runCli(["init", dir]);
    expect(again.code).toBe(1);
    expect(lines(again.stderr)).toEqual([
      `tagwerk: ${dir} already is a Tagwerk project (it has tagwerk.json)`,
    ]);

    const files = await makeTempDir("tagwerk-cli-files-");
    const good = path.join(files, "kiew.txt");
    const binary = path.join(files, "bild.txt");
    await writeFile(
      good,
      " date 2025-12-18\nKiew will Garantien\nDer Präsident sagte, dass die Ukraine nicht unterschreiben wird.\n",
    );
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x00]));
    const imported = await runCli(["import", dir, good, binary, path.join(files, "missing.txt")]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(
      /imported .*kiew\.txt as 2025-12-18-kiew-will-garantien-[0-9a-f]{8}/,
    );
    expect(imported.stderr).toContain("skipped bild.txt: looks like a binary file, not text");
    expect(imported.stderr).toContain("missing.txt: cannot be read (ENOENT)");
    expect(lines(imported.stderr).at(-1)).toBe("1 imported, 2 skipped, 0 warnings");

    const repeat = await runCli(["import", dir, good]);
    expect(repeat.code).toBe(1);
    expect(repeat.stderr).toContain("the project already has this text");
  });

  it("refuses to import into a folder that is not a project", async () => {
    const dir = await makeTempDir("tagwerk-cli-noproject-");
    const outcome = await runCli(["import", dir, path.join(dir, "x.txt")]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("is not a Tagwerk project");
  });
});

describe("tagwerk export and dataset import", () => {
  it("exports with splits, prints the loss report and writes the files", async () => {
    const out = path.join(await makeTempDir("tagwerk-cli-export-"), "conll");
    const outcome = await runCli([
      "export",
      project,
      "--format",
      "conll",
      "--out",
      out,
      "--scheme",
      "bioes",
      "--split",
      "50/50",
      "--seed",
      "2",
    ]);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Export as conll: 3 document\(s\), \d+ span\(s\)\./);
    expect(outcome.stdout).toContain("overlapping or nested spans left out of the tags");
    expect(outcome.stdout).toMatch(/train: \d document/);
    expect(outcome.stderr).toMatch(/wrote \d+ files/);
    expect(await readFile(path.join(out, "export-report.txt"), "utf8")).toContain(
      "split 50/50/0 by article with seed 2",
    );
  });

  it("says what is wrong with the command line", async () => {
    const noOut = await runCli(["export", project, "--format", "jsonl"]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain("--out DIR is required");
    const badFormat = await runCli(["export", project, "--format", "xml", "--out", "/tmp/x"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain("--format must be one of jsonl, conll");
    const badSplit = await runCli([
      "export",
      project,
      "--format",
      "jsonl",
      "--out",
      "/tmp/x",
      "--split",
      "70/20/20",
    ]);
    expect(badSplit.code).toBe(2);
    expect(badSplit.stderr).toContain("must add up to 100");
  });

  it("imports a doccano file by detection, once, and refuses a broken one with file and line", async () => {
    const { project: target } = await copyExampleProject();
    const text = await readFile(path.join(target, "articles", `${MAINUFER}.txt`), "utf8");
    const start = [...text.slice(0, text.indexOf("Dmitri Peskow"))].length;
    const files = await makeTempDir("tagwerk-cli-doccano-");
    const good = path.join(files, "doccano.jsonl");
    await writeFile(good, `${JSON.stringify({ text, label: [[start, start + 13, "PER"]] })}\n`);
    const first = await runCli(["import", target, good, "--annotator", "dora"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`article ${MAINUFER} (dora): 1 added`);
    const again = await runCli(["import", target, good, "--annotator", "dora"]);
    expect(again.stdout).toContain("0 added, 1 already there");
    const broken = path.join(files, "broken.jsonl");
    await writeFile(
      broken,
      `${JSON.stringify({ text: "abc", label: [[0, 2, "PER"]] })}\n{"text": "x", "label": [[0, 9`,
    );
    const refused = await runCli(["import", target, broken, "--format", "doccano"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/broken\.jsonl:2/);
  });
});

describe("tagwerk agreement", () => {
  it("prints tables, JSON with every coefficient and interval, and CSV", async () => {
    const table = await runCli(["agreement", project, "--bootstrap", "50"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("Agreement of alice, bob on 1 double-coded article(s)");
    expect(table.stdout).toMatch(/PER\s+15\s+0\.\d{3}/);
    const json = await runCli(["agreement", project, "--json", "--bootstrap", "50"]);
    const report = JSON.parse(json.stdout);
    expect(report.perLabel.map((l: { label: string }) => l.label)).toEqual([
      "PER",
      "ORG",
      "LOC",
      "DATE",
      "STANCE",
    ]);
    expect(Object.keys(report.spans.f1Exact)).toEqual(["value", "low", "high"]);
    const csv = await runCli(["agreement", project, "--csv", "--labels", "PER,ORG"]);
    expect(csv.stdout.split("\r\n")[0]).toBe("section,name,coefficient,value,low,high,n");
    expect(csv.stdout).toContain("label,PER,alpha_u,");
    expect(csv.stdout).not.toContain("label,LOC,");
  });

  it("names what is wrong with the coders, labels or flags", async () => {
    const one = await runCli(["agreement", project, "--coders", "alice"]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("at least two coders");
    const unknown = await runCli(["agreement", project, "--coders", "alice,zoe"]);
    expect(unknown.stderr).toContain('coder "zoe" has no annotations');
    const label = await runCli(["agreement", project, "--labels", "NOPE"]);
    expect(label.stderr).toContain('label "NOPE" is not in the codebook');
    const both = await runCli(["agreement", project, "--json", "--csv"]);
    expect(both.stderr).toContain("exclude each other");
  });
});
