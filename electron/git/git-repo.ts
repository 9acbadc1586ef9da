/**
 * Git in the app, through the system's `git` (never a prompt: GIT_TERMINAL_PROMPT=0):
 * the project's branch and changes, commit, pull (merging through Tagwerk's
 * merge driver when `tagwerk git-setup` registered it), push. Git's messages
 * are turned into plain words for the common failures: no repository, no
 * remote, authentication, the remote being ahead, a detached head, conflicts.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import type { GitStatus } from "../../shared/api";
import { WorkbenchError } from "../../shared/result";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === "ENOENT") {
          reject(
            new WorkbenchError(
              "unsupported",
              "git is not installed on this computer (or not on the PATH).",
            ),
          );
          return;
        }
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** Git's error output in plain words, for the failures people meet. */
export function explainGitError(output: string): string {
  const text = output.toLowerCase();
  if (text.includes("not a git repository"))
    return "This project folder is not a git repository yet. Run `tagwerk git-setup` on it (or `git init`) first.";
  if (
    text.includes("could not resolve host") ||
    text.includes("network is unreachable") ||
    text.includes("connection timed out")
  )
    return "The remote cannot be reached: check the network connection.";
  if (
    text.includes("authentication failed") ||
    text.includes("could not read username") ||
    text.includes("permission denied (publickey)") ||
    text.includes("403")
  )
    return "The remote refused the login: check your user name and password or token, or your SSH key.";
  if (
    text.includes("non-fast-forward") ||
    text.includes("fetch first") ||
    text.includes("[rejected]")
  )
    return "The remote has commits you do not have yet: pull first, then push.";
  if (
    text.includes("no configured push destination") ||
    text.includes("no remote repository specified") ||
    text.includes("does not appear to be a git repository") ||
    text.includes("no such remote")
  )
    return "This repository has no remote to pull from or push to. Add one with `git remote add origin URL`.";
  if (text.includes("there is no tracking information"))
    return "This branch does not follow a branch on the remote yet: push it once to set that up.";
  if (text.includes("you are not currently on a branch") || text.includes("head detached"))
    return "You are not on a branch (detached HEAD): check out a branch before pulling or pushing.";
  if (
    text.includes("please commit your changes or stash them") ||
    text.includes("would be overwritten by merge")
  )
    return "You have changes that are not committed yet: commit them first, then pull.";
  if (text.includes("nothing to commit")) return "There is nothing to commit: no file changed.";
  if (text.includes("unmerged files") || text.includes("you have not concluded your merge"))
    return "A merge is still open: decide the remaining conflicts in the app, then commit.";
  const first =
    output
      .trim()
      .split("\n")
      .find((line) => line.trim().length > 0) ?? "git failed";
  return `git: ${first.replace(/^(fatal|error): /, "")}`;
}

async function git(root: string, args: string[]): Promise<string> {
  const result = await run(root, args);
  if (result.code !== 0)
    throw new WorkbenchError("io-error", explainGitError(`${result.stderr}\n${result.stdout}`));
  return result.stdout;
}

function articleOf(file: string): string | null {
  const coding = /^coding\/([^/]+)\//.exec(file);
  if (coding) return coding[1] ?? null;
  const article = /^articles\/([^/]+)\.(txt|json)$/.exec(file);
  return article ? (article[1] ?? null) : null;
}

/** The repository state of the project at `root`. */
export async function gitStatus(root: string): Promise<GitStatus> {
  const inside = await run(root, ["rev-parse", "--show-toplevel"]);
  const empty: GitStatus = {
    repo: false,
    branch: null,
    detached: false,
    upstream: null,
    ahead: 0,
    behind: 0,
    changed: [],
    changedArticles: [],
    conflicted: [],
    remotes: [],
  };
  if (inside.code !== 0) return empty;
  const status = await git(root, [
    "status",
    "--porcelain=v2",
    "--branch",
    "--untracked-files=all",
    "-z",
    "--",
    ".",
  ]);
  const state = { ...empty, repo: true };
  const top = inside.stdout.trim();
  const prefix = path.relative(top, root).split(path.sep).join("/");
  for (const record of status.split("\0")) {
    if (record.startsWith("# branch.head ")) {
      const head = record.slice("# branch.head ".length);
      state.detached = head === "(detached)";
      state.branch = state.detached ? null : head;
    } else if (record.startsWith("# branch.upstream "))
      state.upstream = record.slice("# branch.upstream ".length);
    else if (record.startsWith("# branch.ab ")) {
      const [, ahead, behind] = /\+(\d+) -(\d+)/.exec(record) ?? [];
      state.ahead = Number(ahead ?? 0);
      state.behind = Number(behind ?? 0);
    } else if (/^[12u?] /.test(record)) {
      const parts = record.split(" ");
      const kind = parts[0];
      const file = kind === "?" ? record.slice(2) : (parts.at(-1) ?? "");
      const relative =
        prefix && file.startsWith(`${prefix}/`) ? file.slice(prefix.length + 1) : file;
      const code = kind === "?" ? "??" : (parts[1] ?? "..");
      state.changed.push({ path: relative, status: code });
      if (kind === "u") state.conflicted.push(relative);
    }
  }
  state.changedArticles = [
    ...new Set(state.changed.map((c) => articleOf(c.path)).filter((a): a is string => a !== null)),
  ].sort();
  state.remotes = (await git(root, ["remote"])).split("\n").filter(Boolean);
  return state;
}

/** Commits every change in the project folder with `message`; the coder's name stands in when git has none. */
export async function gitCommit(
  root: string,
  message: string,
  coder: string | null,
): Promise<string> {
  const status = await gitStatus(root);
  if (!status.repo) throw new WorkbenchError("io-error", explainGitError("not a git repository"));
  if (status.changed.length === 0)
    throw new WorkbenchError("invalid-input", explainGitError("nothing to commit"));
  await git(root, ["add", "-A", "--", "."]);
  const identity = await run(root, ["config", "user.name"]);
  const who =
    identity.code === 0 || coder === null
      ? []
      : ["-c", `user.name=${coder}`, "-c", `user.email=${coder}@tagwerk.invalid`];
  await git(root, [...who, "commit", "-m", message]);
  return (await git(root, ["rev-parse", "--short", "HEAD"])).trim();
}

/** Pulls (merge, never rebase) and says what happened; conflicts the driver recorded stay in the files. */
export async function gitPull(root: string): Promise<string> {
  const status = await gitStatus(root);
  if (!status.repo) throw new WorkbenchError("io-error", explainGitError("not a git repository"));
  if (status.detached) throw new WorkbenchError("io-error", explainGitError("HEAD detached"));
  if (status.remotes.length === 0)
    throw new WorkbenchError("io-error", explainGitError("no remote repository specified"));
  const result = await run(root, ["pull", "--no-rebase", "--no-edit"]);
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.code === 0)
    return /already up to date/i.test(output)
      ? "Already up to date."
      : "Pulled and merged the remote's changes.";
  if (/CONFLICT/.test(output)) {
    const files = [...output.matchAll(/CONFLICT \([^)]*\): .*? in (\S+)/g)].map((m) => m[1]);
    throw new WorkbenchError(
      "io-error",
      `The pull merged, but ${files.length || "some"} file(s) hold conflicts to decide${files.length ? `: ${files.join(", ")}` : ""}. Open the articles marked with conflicts, decide, then commit.`,
    );
  }
  throw new WorkbenchError("io-error", explainGitError(output));
}

/** Pushes the current branch (setting its upstream on the first push). */
export async function gitPush(root: string): Promise<string> {
  const status = await gitStatus(root);
  if (!status.repo) throw new WorkbenchError("io-error", explainGitError("not a git repository"));
  if (status.detached || !status.branch)
    throw new WorkbenchError("io-error", explainGitError("HEAD detached"));
  if (status.remotes.length === 0)
    throw new WorkbenchError("io-error", explainGitError("no configured push destination"));
  const args = status.upstream
    ? ["push"]
    : [
        "push",
        "-u",
        status.remotes.includes("origin") ? "origin" : (status.remotes[0] as string),
        status.branch,
      ];
  await git(root, args);
  return status.upstream ? "Pushed." : `Pushed; ${status.branch} now follows the remote.`;
}
