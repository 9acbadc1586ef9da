/**
 * The `tagwerk` command line. Runs under plain Node (no Electron), so pipelines,
 * CI and browser mode use exactly the code the desktop app uses.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import packageJson from "../../package.json";
import { WorkbenchError } from "../../shared/result";
import { applyCleanup, proposeCleanup } from "../../shared/scrape-cleanup";
import { createWorkbenchHandlers } from "../api/workbench-handlers";
import { createProject } from "../project/create-project";
import { importArticles } from "../project/import-articles";
import { readArticle, readProject } from "../project/project-folder";
import { ProjectStore } from "../project/project-store";
import { upgradeProject } from "../project/upgrade-project";
import { validateProject } from "../project/validate-project";
import { startBrowserServer } from "../server/browser-server";
import { defaultSettingsDir, openAppSettings } from "../settings/app-settings";
import { AGREEMENT_USAGE, agreementCommand } from "./agreement-command";
import {
  DATASET_USAGE,
  exportCommand,
  importDatasetCommand,
  looksLikeDataset,
  UsageError,
} from "./dataset-commands";
import { diffCommand, GIT_USAGE, gitSetupCommand, mergeDriverCommand } from "./git-commands";
import {
  findChromium,
  findElectronBinary,
  hasDisplay,
  openChromiumApp,
  openInFileManager,
  runElectron,
} from "./launch";

const USAGE = `Tagwerk ${packageJson.version}: annotation workbench for hand-coding news articles

Usage:
  tagwerk init DIR [--name NAME]
      Create a project folder with a starter codebook.
  tagwerk import PROJECT FILE... [--text-column C --title-column C --date-column C
                                  --url-column C --source-column C --language-column C]
      Import articles from .txt, .md, .html, .docx, .pdf, and corpora (.csv, .tsv,
      .jsonl: one article per row, columns found by name or given with the flags).
      Text files may be UTF-8, UTF-16 or Windows-1252; a leading " date YYYY-MM-DD"
      line sets the date. The same text is never imported twice. --clean removes
      scraped boilerplate right away (as \`tagwerk clean --apply\`, bylines kept).
${DATASET_USAGE}
${AGREEMENT_USAGE}
  tagwerk validate PROJECT
      Check every file: schema, offsets, quotes, labels, duplicate ids, conflict
      markers, truncated JSON. Prints file:line: problem; exit 1 on any error.
  tagwerk clean PROJECT [ARTICLE...] [--apply] [--kinds K1,K2]
      Propose removing scraped boilerplate (comments, donation prompts, captions,
      share buttons, related links ...); nothing changes without --apply. With
      --apply, annotations are re-anchored; --kinds limits what is removed.
  tagwerk upgrade PROJECT
      Rewrite files of older schema versions in the current one (commit it once).
${GIT_USAGE}
  tagwerk serve [PROJECT] [--port N] [--open] [--coder NAME]
      Serve the app to a browser on 127.0.0.1 (prints the address with its token).
      --port N   port to listen on (default 7410; 0 picks a free one)
      --open     open Chromium in app mode on the address
      --coder    who codes (else TAGWERK_CODER, else asked once and remembered)
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
    options: { port: { type: "string" }, open: { type: "boolean" }, coder: { type: "string" } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError("serve takes at most one PROJECT folder");
  const port = parsePort(values.port);
  const settingsDir = defaultSettingsDir();
  const settings = await openAppSettings(settingsDir);
  if (settings.warning) console.error(`tagwerk: ${settings.warning}`);
  const coder = values.coder ?? (process.env.TAGWERK_CODER || undefined);
  if (coder === "gold") throw new UsageError('"gold" is the adjudicated layer, not a coder name');
  if (coder !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(coder)) {
    throw new UsageError(`--coder must be letters, digits, - and _, not "${coder}"`);
  }
  const handlers = createWorkbenchHandlers({
    mode: "browser",
    version: packageJson.version,
    settings,
    ...(coder === undefined ? {} : { coder }),
    ...(hasDisplay() ? { openFolder: openInFileManager } : {}),
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
  // Listen for Ctrl+C / SIGTERM before announcing the address, so that whoever
  // reads the address and stops us at once still gets a clean exit.
  const stopped = new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  console.log(server.url);
  if (openBrowser || values.open) {
    const chromium = findChromium();
    if (chromium && hasDisplay()) {
      // A one-time launch code, not the token: command lines are visible to other users.
      openChromiumApp(
        chromium,
        server.createLaunchUrl(),
        path.join(settingsDir, "chromium-profile"),
      );
    } else {
      console.error("tagwerk: no display or Chromium found; open the address above in a browser");
    }
  }
  await stopped;
  await server.close();
  return 0;
}

async function init(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { name: { type: "string" } },
    allowPositionals: true,
  });
  const [dir] = positionals;
  if (dir === undefined || positionals.length > 1)
    throw new UsageError("init takes one folder: tagwerk init DIR");
  const root = await createProject(dir, values.name);
  console.log(`Created Tagwerk project in ${root}`);
  return 0;
}

async function importCommand(args: string[]): Promise<number> {
  const columnFlags = ["text", "title", "date", "url", "source", "language"] as const;
  const { values, positionals } = parseArgs({
    args,
    options: {
      "text-column": { type: "string" },
      "title-column": { type: "string" },
      "date-column": { type: "string" },
      "url-column": { type: "string" },
      "source-column": { type: "string" },
      "language-column": { type: "string" },
      clean: { type: "boolean" },
      format: { type: "string" },
      annotator: { type: "string" },
    },
    allowPositionals: true,
  });
  const columns = Object.fromEntries(
    columnFlags.flatMap((f) => {
      const value = values[`${f}-column`];
      return typeof value === "string" ? [[f, value]] : [];
    }),
  );
  const [project, ...files] = positionals;
  if (project === undefined || files.length === 0) {
    throw new UsageError(
      "import needs a project and at least one file: tagwerk import PROJECT FILE...",
    );
  }
  if (values.format !== undefined || values.annotator !== undefined)
    return importDatasetCommand(project, files, values.format, values.annotator);
  const overview = await readProject(project);
  const incoming = [];
  let unreadable = 0;
  for (const file of files) {
    try {
      incoming.push({ name: file, bytes: new Uint8Array(await readFile(file)) });
    } catch (error) {
      unreadable++;
      console.error(
        `tagwerk: ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
  }
  if (looksLikeDataset(incoming.map((f) => ({ name: path.basename(f.name), data: f.bytes })))) {
    return importDatasetCommand(project, files, undefined, undefined);
  }
  const report = await importArticles(overview.path, incoming, {
    ...(overview.defaultLanguage ? { defaultLanguage: overview.defaultLanguage } : {}),
    ...(Object.keys(columns).length > 0 ? { columns } : {}),
    onProgress: (done, total, file) => {
      if (total > 1) console.error(`[${done}/${total}] ${file}`);
    },
  });
  for (const item of report.imported) console.log(`imported ${item.file} as ${item.articleId}`);
  if (values.clean === true) {
    // The explicit cleanup step, chosen on the command line: everything but bylines.
    const store = await ProjectStore.open(overview.path);
    for (const item of report.imported) {
      const article = await readArticle(overview.path, item.articleId);
      const proposals = proposeCleanup(article.text, article.meta.language).filter(
        (p) => p.kind !== "byline",
      );
      if (proposals.length === 0) continue;
      await store.replaceArticleText(item.articleId, applyCleanup(article.text, proposals));
      console.log(`cleaned ${item.articleId}: removed ${proposals.map((p) => p.kind).join(", ")}`);
    }
  }
  for (const item of report.skipped) console.error(`tagwerk: skipped ${item.reason}`);
  for (const item of report.warnings) console.error(`tagwerk: warning: ${item.message}`);
  console.error(
    `${report.imported.length} imported, ${report.skipped.length + unreadable} skipped, ${report.warnings.length} warnings`,
  );
  return report.skipped.length + unreadable > 0 && report.imported.length === 0 ? 1 : 0;
}

async function validate(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const [project] = positionals;
  if (project === undefined || positionals.length > 1)
    throw new UsageError("validate takes one project folder");
  const root = path.resolve(project);
  const report = await validateProject(root);
  for (const p of report.problems) {
    const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
    console.error(`${where}: ${p.severity}: ${p.message}`);
  }
  const errors = report.problems.filter((p) => p.severity === "error").length;
  const warnings = report.problems.length - errors;
  const summary = `${report.articles} articles, ${report.codingFiles} annotation files, ${report.annotations} annotations: ${errors} errors, ${warnings} warnings`;
  if (errors > 0) console.error(summary);
  else console.log(summary);
  return errors > 0 ? 1 : 0;
}

async function clean(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { apply: { type: "boolean" }, kinds: { type: "string" } },
    allowPositionals: true,
  });
  const [project, ...chosen] = positionals;
  if (project === undefined)
    throw new UsageError("clean needs a project: tagwerk clean PROJECT [ARTICLE...] [--apply]");
  const overview = await readProject(project);
  const kinds = values.kinds ? new Set(values.kinds.split(",").map((k) => k.trim())) : null;
  const ids = chosen.length > 0 ? chosen : overview.articles.map((a) => a.id);
  const store = values.apply ? await ProjectStore.open(overview.path) : null;
  let total = 0;
  for (const id of ids) {
    const article = await readArticle(overview.path, id);
    const proposals = proposeCleanup(article.text, article.meta.language).filter(
      (p) => !kinds || kinds.has(p.kind),
    );
    if (proposals.length === 0) continue;
    total += proposals.length;
    console.log(`${id}:`);
    for (const p of proposals) console.log(`  ${p.start}–${p.end} ${p.kind}: ${p.reason}`);
    if (store) {
      const summaries = await store.replaceArticleText(id, applyCleanup(article.text, proposals));
      for (const [coder, s] of summaries) {
        console.log(
          `  ${coder}: ${s.placed} annotations kept (${s.moved} moved), ${s.orphaned} orphaned for review`,
        );
      }
    }
  }
  console.error(
    values.apply
      ? `${total} proposals applied`
      : `${total} proposals; nothing changed (run again with --apply to remove them)`,
  );
  return 0;
}

async function upgrade(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  const [project] = positionals;
  if (project === undefined || positionals.length > 1)
    throw new UsageError("upgrade takes one project folder");
  const root = (await readProject(project)).path;
  const report = await upgradeProject(root);
  for (const file of report.upgraded) console.log(`upgraded ${file}`);
  for (const f of report.failed) console.error(`tagwerk: ${f.message}`);
  console.error(
    `${report.upgraded.length} files upgraded, ${report.failed.length} could not be read`,
  );
  return report.failed.length > 0 ? 1 : 0;
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
      case "init":
        return await init(rest);
      case "import":
        return await importCommand(rest);
      case "agreement":
        return await agreementCommand(rest);
      case "export":
        return await exportCommand(rest, packageJson.version);
      case "validate":
        return await validate(rest);
      case "upgrade":
        return await upgrade(rest);
      case "clean":
        return await clean(rest);
      case "serve":
        return await serve(rest, false);
      case "start":
        return await start(rest);
      case "git-setup":
        return await gitSetupCommand(rest);
      case "merge-driver":
        return await mergeDriverCommand(rest);
      case "diff":
        return await diffCommand(rest);
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
