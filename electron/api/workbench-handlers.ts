/**
 * The back end's implementation of the typed API, shared by all transports:
 * Electron IPC (electron/app/), HTTP in browser mode (electron/server/) and
 * tests. `callApi` is the single entry point that validates untrusted input.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { agreementReport } from "../../shared/agreement/report";
import type {
  AppInfo,
  AppMode,
  ExportProgress,
  ImportResult,
  ProjectOverview,
  WorkbenchApi,
} from "../../shared/api";
import { isApiMethod } from "../../shared/api";
import { apiInputSchemas } from "../../shared/api-schemas";
import {
  resolveCodebookConflict,
  resolveCodingConflict,
  resolveRegistryConflict,
} from "../../shared/conflict-resolution";
import type { ImportFile as DatasetFile } from "../../shared/dataset/format-types";
import { detectImportFormat, exporters, importers } from "../../shared/dataset/formats";
import { LossReport } from "../../shared/dataset/loss-report";
import { drawSample } from "../../shared/dataset/splits";
import { describeDatasetImport } from "../../shared/dataset/summaries";
import { formatFileData } from "../../shared/file-formats";
import {
  describeSchemaError,
  type EntityRegistry,
  GOLD_CODER,
  SCHEMA_VERSION,
} from "../../shared/project-files";
import { resolveRecovery } from "../../shared/recovery";
import { fail, ok, type Result, WorkbenchError } from "../../shared/result";
import { applyCleanup, proposeCleanup } from "../../shared/scrape-cleanup";
import { exportDataset } from "../dataset/export-dataset";
import { importDataset } from "../dataset/import-dataset";
import { readDataset } from "../dataset/read-dataset";
import { gitCommit, gitPull, gitPush, gitStatus } from "../git/git-repo";
import { writeFileDurably } from "../project/atomic-write";
import { changeCodebook } from "../project/codebook-change";
import { createProject } from "../project/create-project";
import { type IncomingFile, importArticles } from "../project/import-articles";
import { prepareAnnotations } from "../project/prepare-annotations";
import {
  readArticle,
  readArticleTextOnly,
  readProject,
  readProjectBasics,
  readProjectHead,
} from "../project/project-folder";
import { ProjectStore } from "../project/project-store";
import { readRecovery } from "../project/recover-file";
import { SearchIndex } from "../project/search-index";
import type { AppSettings } from "../settings/app-settings";

/** What the handlers need from their surroundings. */
export interface HandlerContext {
  mode: AppMode;
  version: string;
  settings: AppSettings;
  /** Shows the native folder picker; absent in browser mode. Resolves `null` when cancelled. */
  chooseFolder?: () => Promise<string | null>;
  /** Shows the native file picker for import; absent in browser mode. Resolves `null` when cancelled. */
  chooseFiles?: () => Promise<string[] | null>;
  /** A coder name that overrides the settings (`tagwerk serve --coder`, TAGWERK_CODER). */
  coder?: string;
  /** Opens a folder in the system's file manager; absent where there is none. */
  openFolder?: (folder: string) => Promise<void>;
  /** Called after a project has been opened (e.g. to update the native menu). */
  onProjectOpened?: (project: ProjectOverview) => void;
}

/** Runs `work`, turning expected failures (`WorkbenchError`) into `{ ok: false }`. */
async function attempt<T>(work: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof WorkbenchError) return fail(error.code, error.message, error.file);
    throw error;
  }
}

/** The handler table: one function per API method, holding the current project. */
export function createWorkbenchHandlers(context: HandlerContext): WorkbenchApi {
  let projectPath: string | null = null;
  let search: SearchIndex | null = null;
  let store: ProjectStore | null = null;
  let coderOverride = context.coder;

  function appInfo(): AppInfo {
    return {
      name: "Tagwerk",
      version: context.version,
      mode: context.mode,
      coder: coderOverride ?? context.settings.coder() ?? null,
    };
  }

  function currentCoder(): string {
    const coder = appInfo().coder;
    if (!coder)
      throw new WorkbenchError("no-coder", "Tell Tagwerk who is coding first (your coder name).");
    return coder;
  }

  async function open(folder: string): Promise<ProjectOverview> {
    const project = await readProject(folder);
    projectPath = project.path;
    search = new SearchIndex(project.path);
    store = await ProjectStore.open(project.path);
    await context.settings.rememberProject(project);
    context.onProjectOpened?.(project);
    return project;
  }

  function currentProject(): string {
    if (projectPath === null) throw new WorkbenchError("no-project", "No project is open.");
    return projectPath;
  }

  let exportProgress: ExportProgress | null = null;
  const exportedFolders = new Set<string>();

  /** Imports annotation datasets; `null` when the files are not one (plain articles). */
  async function importDatasetFiles(
    files: DatasetFile[],
    format?: keyof typeof importers,
    annotator?: string,
  ) {
    const root = currentProject();
    const chosen = format ?? detectImportFormat(files);
    if (chosen === null) return null;
    const summary = await importDataset(root, importers[chosen], files, {
      ...(annotator === undefined ? {} : { annotator }),
      defaultAnnotator: coderOverride ?? context.settings.coder() ?? "imported",
    });
    search = new SearchIndex(root);
    return { summary, project: await readProject(root) };
  }

  async function importInto(files: IncomingFile[]): Promise<ImportResult> {
    const root = currentProject();
    const dataset = await importDatasetFiles(files.map((f) => ({ name: f.name, data: f.bytes })));
    if (dataset)
      return { report: describeDatasetImport(dataset.summary), project: dataset.project };
    const { defaultLanguage } = (await readProjectHead(root)).projectFile.settings;
    const report = await importArticles(root, files, defaultLanguage ? { defaultLanguage } : {});
    return { report, project: await readProject(root) };
  }

  const handlers = {
    getAppInfo: () => attempt(async () => appInfo()),
    saveCodebook: ({ codebook, relabel }) =>
      attempt(async () => {
        const root = currentProject();
        const { codebook: current } = await readProjectHead(root);
        if (!current)
          throw new WorkbenchError(
            "broken-file",
            "codebook.json cannot be read; repair it before editing the codebook",
          );
        const report = await changeCodebook(
          store as ProjectStore,
          current,
          codebook,
          relabel ?? {},
        );
        return {
          project: await readProject(root),
          files: report.files,
          relabelled: report.relabelled,
        };
      }),
    saveEntity: ({ entity }) =>
      attempt(async () => {
        const root = currentProject();
        const { entities } = await readProjectBasics(root);
        const next = [...entities.filter((e) => e.id !== entity.id), entity];
        await (store as ProjectStore).writeProjectLevel("entities", {
          schemaVersion: SCHEMA_VERSION,
          entities: next,
        });
        return next.sort((a, b) => a.id.localeCompare(b.id));
      }),
    setCoder: ({ name }) =>
      attempt(async () => {
        if (name === GOLD_CODER)
          throw new WorkbenchError(
            "invalid-input",
            `"${GOLD_CODER}" is the adjudicated layer's name; choose another coder name`,
          );
        await context.settings.setCoder(name);
        coderOverride = undefined;
        return appInfo();
      }),
    saveCoding: (changes) =>
      attempt(async () => {
        // The gold layer is written by whoever adjudicates; its file and ids are "gold"'s.
        const me = currentCoder();
        const coder = changes.layer === "gold" ? GOLD_CODER : me;
        const root = currentProject();
        const { articleId } = changes;
        // Only the text and the codebook are needed (not every coder's annotations).
        const [text, head] = await Promise.all([
          readArticleTextOnly(root, articleId),
          readProjectHead(root),
        ]);
        const prepared = prepareAnnotations(changes.upsert ?? [], coder, text, head.codebook);
        const saved = await (store as ProjectStore).updateCoding(articleId, coder, (file) => {
          const removed = new Set([...(changes.remove ?? []), ...prepared.map((a) => a.id)]);
          file.annotations = [...file.annotations.filter((a) => !removed.has(a.id)), ...prepared];
          for (const [variable, value] of Object.entries(changes.codes ?? {})) {
            if (value === null) delete file.codes[variable];
            else file.codes[variable] = value;
          }
          if (changes.reject || changes.unreject) {
            if (coder !== GOLD_CODER)
              throw new WorkbenchError("invalid-input", "only the gold layer records rejections");
            const rejected = new Set(file.rejected ?? []);
            for (const key of changes.unreject ?? []) rejected.delete(key);
            for (const key of changes.reject ?? []) rejected.add(key);
            if (rejected.size > 0) file.rejected = [...rejected].sort();
            else delete file.rejected;
          }
          if (changes.status) file.status = changes.status;
          else if (
            file.status === "not-started" &&
            (file.annotations.length > 0 || Object.keys(file.codes).length > 0)
          ) {
            file.status = "in-progress";
          }
        });
        return {
          coder,
          annotations: saved.annotations,
          orphans: saved.orphans,
          status: saved.status,
          codes: saved.codes,
        };
      }),
    getProject: () =>
      attempt(async () => (projectPath === null ? null : await readProject(projectPath))),
    openProject: ({ path: folder }) =>
      attempt(async () => {
        if (!path.isAbsolute(folder)) {
          throw new WorkbenchError(
            "invalid-input",
            `Give the project folder as an absolute path, not "${folder}".`,
          );
        }
        return open(folder);
      }),
    chooseProject: () =>
      attempt(async () => {
        if (!context.chooseFolder) {
          throw new WorkbenchError(
            "unsupported",
            "Browser mode has no folder dialog: pick a recent project, type the folder's path, or start `tagwerk serve PROJECT`.",
          );
        }
        const folder = await context.chooseFolder();
        if (folder === null) throw new WorkbenchError("cancelled", "No folder was chosen.");
        return open(folder);
      }),
    listRecentProjects: () => attempt(async () => context.settings.recentProjects()),
    getArticle: ({ articleId }) => attempt(() => readArticle(currentProject(), articleId)),
    importArticles: ({ files }) =>
      attempt(() =>
        importInto(
          files.map((f) => ({
            name: f.name,
            bytes: new Uint8Array(Buffer.from(f.base64, "base64")),
          })),
        ),
      ),
    chooseAndImportArticles: () =>
      attempt(async () => {
        currentProject();
        if (!context.chooseFiles) {
          throw new WorkbenchError(
            "unsupported",
            "Browser mode has no native file dialog; use the Import button.",
          );
        }
        const paths = await context.chooseFiles();
        if (paths === null || paths.length === 0)
          throw new WorkbenchError("cancelled", "No file was chosen.");
        const files: IncomingFile[] = [];
        for (const file of paths) {
          files.push({ name: path.basename(file), bytes: new Uint8Array(await readFile(file)) });
        }
        return importInto(files);
      }),
    exportDataset: (input) =>
      attempt(async () => {
        const root = currentProject();
        if (!path.isAbsolute(input.out))
          throw new WorkbenchError(
            "invalid-input",
            `the export folder must be a full path, not "${input.out}"`,
          );
        if (exportProgress)
          throw new WorkbenchError(
            "invalid-input",
            "An export is already running; wait for it to finish.",
          );
        exportProgress = { phase: "reading", done: 0, total: 0 };
        try {
          const summary = await exportDataset(
            root,
            exporters[input.format],
            {
              out: input.out,
              scope: input.scope,
              ...(input.split ? { split: input.split } : {}),
              options: {
                ...(input.scheme ? { scheme: input.scheme } : {}),
                ...(input.tagKinds ? { tagKinds: input.tagKinds } : {}),
                ...(input.excelBom === undefined ? {} : { excelBom: input.excelBom }),
              },
            },
            `Tagwerk ${context.version}`,
            (phase, done, total) => {
              exportProgress = { phase, done, total };
            },
          );
          exportedFolders.add(summary.out);
          return summary;
        } finally {
          exportProgress = null;
        }
      }),
    getExportProgress: () => attempt(async () => exportProgress),
    chooseExportFolder: () =>
      attempt(async () => {
        if (!context.chooseFolder)
          throw new WorkbenchError(
            "unsupported",
            "Browser mode has no folder dialog; type the folder's full path.",
          );
        return context.chooseFolder();
      }),
    openExportFolder: ({ path: folder }) =>
      attempt(async () => {
        const resolved = path.resolve(folder);
        // Only folders this session exported to: the renderer cannot make us open anything else.
        if (!exportedFolders.has(resolved))
          throw new WorkbenchError(
            "invalid-input",
            "Only a folder an export has just written can be opened.",
          );
        if (!context.openFolder)
          throw new WorkbenchError("unsupported", `Open ${resolved} in your file manager.`);
        await context.openFolder(resolved).catch((error: unknown) => {
          throw new WorkbenchError(
            "io-error",
            `${resolved} could not be opened: ${(error as Error).message}`,
          );
        });
        return null;
      }),
    importDataset: ({ files, format, annotator }) =>
      attempt(async () => {
        const decoded = files.map((f) => ({
          name: f.name,
          data: new Uint8Array(Buffer.from(f.base64, "base64")),
        }));
        const result = await importDatasetFiles(decoded, format, annotator);
        if (!result)
          throw new WorkbenchError(
            "unsupported",
            `${files.map((f) => f.name).join(", ")}: not an annotation dataset Tagwerk reads`,
          );
        return result;
      }),
    setDoubleCoding: ({ percent, seed }) =>
      attempt(async () => {
        const root = currentProject();
        const basics = await readProjectBasics(root);
        const settings = { ...basics.projectFile.settings };
        if (percent === 0) delete settings.doubleCoding;
        else
          settings.doubleCoding = {
            seed,
            percent,
            articles: drawSample(basics.articleIds, percent, seed),
          };
        await (store as ProjectStore).writeProjectLevel("project", {
          ...basics.projectFile,
          settings,
        });
        return readProject(root);
      }),
    getAgreement: (options) =>
      attempt(async () => {
        const root = currentProject();
        const dataset = await readDataset(root, {}, new LossReport("agreement"));
        return agreementReport(dataset.documents, dataset.codebook, options);
      }),
    gitStatus: () => attempt(() => gitStatus(currentProject())),
    gitCommit: ({ message }) =>
      attempt(async () => {
        const root = currentProject();
        const commit = await gitCommit(root, message, appInfo().coder);
        return { message: `Committed ${commit}.`, status: await gitStatus(root) };
      }),
    gitPull: () =>
      attempt(async () => {
        const root = currentProject();
        const message = await gitPull(root);
        search = new SearchIndex(root);
        return { message, status: await gitStatus(root) };
      }),
    gitPush: () =>
      attempt(async () => {
        const root = currentProject();
        const message = await gitPush(root);
        return { message, status: await gitStatus(root) };
      }),
    resolveConflict: ({ articleId, coder, kind, key, choice }) =>
      attempt(async () => {
        const root = currentProject();
        currentCoder();
        await (store as ProjectStore).updateCoding(articleId, coder, (file) => {
          resolveCodingConflict(file, kind, key, choice);
        });
        return readArticle(root, articleId);
      }),
    getRecovery: ({ articleId, coder }) =>
      attempt(async () => {
        const root = currentProject();
        const { recovery } = await readRecovery(root, articleId, coder);
        return recovery;
      }),
    applyRecovery: ({ articleId, coder, picks }) =>
      attempt(async () => {
        const root = currentProject();
        currentCoder();
        const { recovery, text, file } = await readRecovery(root, articleId, coder);
        const repaired = resolveRecovery(recovery, picks);
        // Nothing is lost: the broken file stays beside the repaired one.
        let backup = `${file}.broken`;
        for (let n = 2; await stat(backup).catch(() => null); n++) backup = `${file}.broken-${n}`;
        await writeFileDurably(backup, text);
        await writeFileDurably(file, formatFileData("coding", repaired));
        return readArticle(root, articleId);
      }),
    resolveProjectConflict: ({ file, kind, key, choice }) =>
      attempt(async () => {
        const root = currentProject();
        currentCoder();
        const basics = await readProjectBasics(root);
        if (file === "codebook.json") {
          if (!basics.codebook)
            throw new WorkbenchError("broken-file", "codebook.json cannot be read", file);
          const codebook = structuredClone(basics.codebook);
          resolveCodebookConflict(codebook, kind, key, choice);
          await (store as ProjectStore).writeProjectLevel("codebook", codebook);
        } else {
          const registry: EntityRegistry = {
            schemaVersion: SCHEMA_VERSION,
            entities: structuredClone(basics.entities),
            ...(basics.registryConflicts
              ? { conflicts: structuredClone(basics.registryConflicts) }
              : {}),
          };
          resolveRegistryConflict(registry, key, choice);
          await (store as ProjectStore).writeProjectLevel("entities", registry);
        }
        return readProject(root);
      }),
    previewCleanup: ({ articleId }) =>
      attempt(async () => {
        const article = await readArticle(currentProject(), articleId);
        return proposeCleanup(article.text, article.meta.language);
      }),
    applyCleanup: ({ articleId, accepted }) =>
      attempt(async () => {
        const root = currentProject();
        const before = await readArticle(root, articleId);
        const proposals = proposeCleanup(before.text, before.meta.language);
        const chosen = accepted.map((range) => {
          const proposal = proposals.find((p) => p.start === range.start && p.end === range.end);
          if (!proposal) {
            throw new WorkbenchError(
              "invalid-input",
              `${range.start}–${range.end} is not a cleanup proposal for this text (it may have changed); preview again`,
            );
          }
          return proposal;
        });
        const summaries = await (store as ProjectStore).replaceArticleText(
          articleId,
          applyCleanup(before.text, chosen),
        );
        search?.invalidate();
        return {
          article: await readArticle(root, articleId),
          coders: [...summaries].map(([coder, s]) => ({ coder, ...s })),
        };
      }),
    searchArticles: ({ query, limit }) =>
      attempt(async () => {
        currentProject();
        return (search as SearchIndex).search(query, limit);
      }),
    createProject: ({ path: folder, name }) =>
      attempt(async () => {
        if (!path.isAbsolute(folder)) {
          throw new WorkbenchError(
            "invalid-input",
            `Give the new project's folder as an absolute path, not "${folder}".`,
          );
        }
        return open(await createProject(folder, name));
      }),
  } satisfies WorkbenchApi;
  return handlers;
}

/**
 * Calls method `name` of `handlers` with untrusted `input`: unknown methods and
 * arguments that fail their schema come back as `invalid-input`.
 */
export async function callApi(
  handlers: WorkbenchApi,
  name: string,
  input: unknown,
): Promise<Result<unknown>> {
  if (!isApiMethod(name)) return fail("invalid-input", `Unknown API method "${name}".`);
  const parsed = apiInputSchemas[name].safeParse(input);
  if (!parsed.success) {
    return fail("invalid-input", `${name}: ${describeSchemaError(parsed.error)}`);
  }
  const method = handlers[name] as (arg: unknown) => Promise<Result<unknown>>;
  return method.call(handlers, parsed.data);
}
