/**
 * The one typed contract between the renderer and the back end.
 *
 * Three transports carry it: Electron IPC (preload ↔ main), HTTP in browser mode
 * (`POST /api/<method>`), and direct calls in tests. Channel names are derived
 * from the method names. This module has no runtime dependencies so that the
 * sandboxed preload can bundle it; the argument schemas live in `api-schemas.ts`.
 */

import type { AgreementOptions, AgreementReport } from "./agreement/report-types";
import type { ExportFormatId, ImportFormatId } from "./dataset/format-list";
import type { DatasetExportSummary, DatasetImportSummary } from "./dataset/summaries";
import type {
  AnnotationFile,
  ArticleMeta,
  Codebook,
  CodingStatus,
  MergeConflict,
  OrphanedAnnotation,
  RegistryEntity,
  StoredAnnotation,
} from "./project-files";
import type { Recovery } from "./recovery";
import type { Result } from "./result";
import type { CleanupProposal } from "./scrape-cleanup";

/** Where the back end runs: inside Electron, or behind `tagwerk serve`. */
export type AppMode = "desktop" | "browser";

/** Facts about the running app, shown in the status bar and the About box. */
export interface AppInfo {
  name: string;
  version: string;
  mode: AppMode;
  /** Who is coding on this machine; `null` until they say. */
  coder: string | null;
}

/** One annotation as the renderer sends it; the back end adds quote and context from the text. */
export interface AnnotationInput {
  id: string;
  kind: "entity" | "date" | "stance";
  label: string;
  start: number;
  end: number;
  value?: string;
  target?: string;
  polarity?: string;
  holder?: string;
  entity?: string;
  note?: string;
}

/** A batch of changes to the current coder's file of one article, saved durably as one write. */
export interface CodingChanges {
  articleId: string;
  /** `gold` writes the adjudicated gold layer instead of the current coder's file. */
  layer?: "gold";
  upsert?: AnnotationInput[];
  remove?: string[];
  status?: CodingStatus;
  /** Document codes to set; `null` clears one. */
  codes?: Record<string, string | number | string[] | null>;
  /** Gold layer only: curation keys to mark as rejected, and to take back. */
  reject?: string[];
  unreject?: string[];
}

/** A file in the project that could not be read, with what is wrong with it. */
export interface FileProblem {
  /** Path relative to the project folder, with forward slashes. */
  file: string;
  message: string;
  /** The article the file belongs to, when it belongs to one. */
  articleId?: string;
}

/** One article as the article list shows it. */
export interface ArticleSummary {
  id: string;
  title: string;
  source: string;
  url: string;
  date?: string;
  language: string;
  importedAt: string;
  /** Length of the text in code points. */
  length: number;
  /** Coders who have an annotation file for this article, how many annotations each made, and where they stand. */
  coders: { coder: string; annotations: number; status: CodingStatus }[];
}

/** An open project: its name, codebook, articles and any files that could not be read. */
export interface ProjectOverview {
  /** Absolute path of the project folder. */
  path: string;
  name: string;
  description?: string;
  /** Language assumed for imported articles whose language cannot be told. */
  defaultLanguage?: string;
  /** `null` when `codebook.json` is missing or broken (see `problems`). */
  codebook: Codebook | null;
  /** The entity registry (empty when `entities.json` is missing). */
  entities: RegistryEntity[];
  /** Merge conflicts recorded in entities.json (the codebook's are in `codebook.conflicts`). */
  registryConflicts?: MergeConflict[];
  /** The double-coding sample, when one was drawn. */
  doubleCoding?: { seed: number; percent: number; articles: string[] };
  articles: ArticleSummary[];
  problems: FileProblem[];
}

/** One coder's annotations of an article. */
export interface CoderAnnotations {
  coder: string;
  annotations: StoredAnnotation[];
  /** Annotations that could not be placed after the text changed, with the reason. */
  orphans: OrphanedAnnotation[];
  status: CodingStatus;
  codes: AnnotationFile["codes"];
  /** Gold layer only: disagreements the adjudicator rejected. */
  rejected?: string[];
  /** Merge conflicts recorded by the merge driver, waiting for a decision. */
  conflicts?: MergeConflict[];
}

/** Where the project's git repository stands (see electron/git/git-repo.ts). */
export interface GitStatus {
  /** False when the project folder is not inside a git repository. */
  repo: boolean;
  branch: string | null;
  /** True on a detached HEAD (no branch checked out). */
  detached: boolean;
  upstream: string | null;
  ahead: number;
  behind: number;
  /** Changed files relative to the project folder, with git's two-letter status. */
  changed: { path: string; status: string }[];
  /** Articles whose text, metadata or annotation files changed. */
  changedArticles: string[];
  /** Files git reports as unmerged (conflicted). */
  conflicted: string[];
  remotes: string[];
}

/** The result of a git action: what happened in words, and the new state. */
export interface GitResult {
  message: string;
  status: GitStatus;
}

/** An article opened for reading and coding. */
export interface ArticleView {
  meta: ArticleMeta;
  /** The normalised text; annotation offsets are code points into it. */
  text: string;
  /** False when the text on disk no longer matches `meta.textHash`. */
  textMatchesHash: boolean;
  coders: CoderAnnotations[];
  problems: FileProblem[];
}

/** A project opened before, for the "recent projects" list. */
export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
}

/** What an import did, file by file: nothing is skipped without a reason. */
export interface ImportReport {
  imported: { file: string; articleId: string; title: string }[];
  skipped: { file: string; reason: string }[];
  warnings: { file: string; message: string }[];
}

/** A file handed to the importer by the renderer: its name and its bytes in base64. */
export interface ImportFile {
  name: string;
  base64: string;
}

/** The outcome of an import, with the project as it is afterwards. */
export interface ImportResult {
  report: ImportReport;
  project: ProjectOverview;
}

/** One place where a search matched, with context. Offsets are code points. */
export interface SearchHit {
  articleId: string;
  title: string;
  start: number;
  end: number;
  before: string;
  match: string;
  after: string;
}

/** The answer to a search across all articles. */
export interface SearchResults {
  query: string;
  hits: SearchHit[];
  /** Hits in all articles, also those beyond the limit. */
  totalHits: number;
  articlesWithHits: number;
  truncated: boolean;
}

/** What applying a cleanup (or any text change) did to each coder's annotations. */
export interface TextChangeResult {
  article: ArticleView;
  coders: { coder: string; placed: number; moved: number; orphaned: number }[];
}

/** What the export dialog asks for (see `tagwerk export`). */
export interface DatasetExportInput {
  format: ExportFormatId;
  /** Absolute path of the folder to write to (made when missing; outside the project). */
  out: string;
  scope: {
    /** One coder, or `gold`; every coder when absent. */
    annotator?: string;
    articles?: string[];
    doneOnly?: boolean;
  };
  split?: { ratios: [number, number, number]; seed: number; stratifyBy?: string };
  scheme?: "iob1" | "iob2" | "bioes";
  tagKinds?: ("entity" | "date" | "stance")[];
  excelBom?: boolean;
}

/** How far a running export got. */
export interface ExportProgress {
  phase: "reading" | "writing";
  done: number;
  total: number;
}

/** Everything the renderer can ask of the back end. */
export interface WorkbenchApi {
  /** Name, version and mode of the running app. */
  getAppInfo(): Promise<Result<AppInfo>>;
  /** The project that is open now, or `null` when none is. */
  getProject(): Promise<Result<ProjectOverview | null>>;
  /** Opens the project folder at an absolute path and makes it the current project. */
  openProject(input: { path: string }): Promise<Result<ProjectOverview>>;
  /** Asks the user for a project folder with the native dialog (desktop only) and opens it. */
  chooseProject(): Promise<Result<ProjectOverview>>;
  /** Projects opened before, most recent first. */
  listRecentProjects(): Promise<Result<RecentProject[]>>;
  /** One article of the current project with its text and every coder's annotations. */
  getArticle(input: { articleId: string }): Promise<Result<ArticleView>>;
  /** Imports plain-text articles sent by the renderer (browser mode's file picker, drag and drop). */
  importArticles(input: { files: ImportFile[] }): Promise<Result<ImportResult>>;
  /** Asks for files with the native dialog (desktop only) and imports them. */
  chooseAndImportArticles(): Promise<Result<ImportResult>>;
  /** Searches the text of every article (case- and accent-insensitive). */
  searchArticles(input: { query: string; limit?: number }): Promise<Result<SearchResults>>;
  /** Proposes scraped boilerplate (comments, donation prompts, captions …) in an article for removal. */
  previewCleanup(input: { articleId: string }): Promise<Result<CleanupProposal[]>>;
  /**
   * Removes the accepted proposals (identified by their offsets; only real
   * proposals are accepted) and re-anchors every coder's annotations.
   */
  applyCleanup(input: {
    articleId: string;
    accepted: { start: number; end: number }[];
  }): Promise<Result<TextChangeResult>>;
  /**
   * Saves an edited codebook as the next version. `relabel` maps old label ids to new ones
   * (renames and merges); every coder's annotations follow. Labels in use cannot just vanish.
   */
  saveCodebook(input: {
    codebook: Codebook;
    relabel?: Record<string, string>;
  }): Promise<Result<{ project: ProjectOverview; files: number; relabelled: number }>>;
  /** Adds or changes an entity of the project's registry; returns the whole registry. */
  saveEntity(input: { entity: RegistryEntity }): Promise<Result<RegistryEntity[]>>;
  /** Sets who is coding on this machine (kept in the app settings). */
  setCoder(input: { name: string }): Promise<Result<AppInfo>>;
  /** Applies changes to the current coder's annotations of an article; resolves once they are on disk. */
  saveCoding(input: CodingChanges): Promise<Result<CoderAnnotations>>;
  /** Exports the current project as a dataset; resolves with the files and the loss report. */
  exportDataset(input: DatasetExportInput): Promise<Result<DatasetExportSummary>>;
  /** How far the running export got (`null` when none runs), for the progress bar. */
  getExportProgress(): Promise<Result<ExportProgress | null>>;
  /** Asks for an export folder with the native dialog (desktop only); `null` when cancelled. */
  chooseExportFolder(): Promise<Result<string | null>>;
  /** Opens a folder an export of this session wrote, in the system's file manager. */
  openExportFolder(input: { path: string }): Promise<Result<null>>;
  /**
   * Imports annotations from other tools (brat, Label Studio, doccano, CoNLL,
   * REFI-QDA, Tagwerk JSONL); the format is told from the files when not given.
   * Fails with `unsupported` when the files are not annotation datasets.
   */
  importDataset(input: {
    files: ImportFile[];
    format?: ImportFormatId;
    annotator?: string;
  }): Promise<Result<{ summary: DatasetImportSummary; project: ProjectOverview }>>;
  /**
   * Draws a seeded sample of `percent` % of the articles for every coder to code
   * (stored in tagwerk.json and kept fixed); `percent: 0` removes it.
   */
  setDoubleCoding(input: { percent: number; seed: number }): Promise<Result<ProjectOverview>>;
  /** Agreement between coders on the current project (see `tagwerk agreement`). */
  getAgreement(input: AgreementOptions): Promise<Result<AgreementReport>>;
  /** The project's git repository: branch, upstream, changed articles, conflicts. */
  gitStatus(): Promise<Result<GitStatus>>;
  /** Commits every change in the project folder. */
  gitCommit(input: { message: string }): Promise<Result<GitResult>>;
  /** Pulls from the remote (merge through Tagwerk's driver when set up). */
  gitPull(): Promise<Result<GitResult>>;
  /** Pushes the current branch. */
  gitPush(): Promise<Result<GitResult>>;
  /** Decides a recorded merge conflict in one coder's annotation file of an article. */
  resolveConflict(input: {
    articleId: string;
    coder: string;
    kind: MergeConflict["kind"];
    key: string;
    choice: "ours" | "theirs";
  }): Promise<Result<ArticleView>>;
  /**
   * Reads a broken annotation file (git conflict markers, truncated or invalid
   * JSON) and proposes a repair: every side's annotations, and the ids the
   * sides disagree on.
   */
  getRecovery(input: { articleId: string; coder: string }): Promise<Result<Recovery>>;
  /**
   * Writes the repaired file from the coder's picks (annotation id → option
   * index or "drop"); the broken file is kept beside it as `<coder>.json.broken`.
   */
  applyRecovery(input: {
    articleId: string;
    coder: string;
    picks: Record<string, number | "drop">;
  }): Promise<Result<ArticleView>>;
  /** Decides a recorded merge conflict in codebook.json or entities.json. */
  resolveProjectConflict(input: {
    file: "codebook.json" | "entities.json";
    kind: MergeConflict["kind"];
    key: string;
    choice: "ours" | "theirs";
  }): Promise<Result<ProjectOverview>>;
  /** Creates a new project in a folder (absolute path; made if missing) and opens it. */
  createProject(input: { path: string; name?: string }): Promise<Result<ProjectOverview>>;
}

/** The name of an API method. */
export type ApiMethod = keyof WorkbenchApi;

/** The argument a method takes (`undefined` for methods without one). */
export type ApiInput<M extends ApiMethod> =
  Parameters<WorkbenchApi[M]> extends [infer I] ? I : undefined;

/** The value a method resolves to on success. */
export type ApiOutput<M extends ApiMethod> =
  Awaited<ReturnType<WorkbenchApi[M]>> extends Result<infer T> ? T : never;

/** Every method name, in a stable order; the type check below keeps it complete. */
export const apiMethods = [
  "getAppInfo",
  "getProject",
  "openProject",
  "chooseProject",
  "listRecentProjects",
  "getArticle",
  "importArticles",
  "chooseAndImportArticles",
  "searchArticles",
  "createProject",
  "previewCleanup",
  "applyCleanup",
  "setCoder",
  "saveCoding",
  "saveEntity",
  "saveCodebook",
  "exportDataset",
  "getExportProgress",
  "chooseExportFolder",
  "openExportFolder",
  "importDataset",
  "setDoubleCoding",
  "getAgreement",
  "gitStatus",
  "gitCommit",
  "gitPull",
  "gitPush",
  "resolveConflict",
  "getRecovery",
  "applyRecovery",
  "resolveProjectConflict",
] as const satisfies readonly ApiMethod[];

/** Compile-time proof that `apiMethods` lists every method of `WorkbenchApi`. */
export type MissingApiMethods = Exclude<ApiMethod, (typeof apiMethods)[number]>;
const _allMethodsListed: MissingApiMethods extends never ? true : never = true;
void _allMethodsListed;

/** True when `name` is one of the API's methods (and not, say, `__proto__`). */
export function isApiMethod(name: string): name is ApiMethod {
  return (apiMethods as readonly string[]).includes(name);
}

/** The IPC channel that carries method `method`; written nowhere else. */
export function channelFor<M extends ApiMethod>(method: M): `workbench:${M}` {
  return `workbench:${method}`;
}

/** The IPC channel on which the main process pushes events to the renderer. */
export const EVENT_CHANNEL = "workbench-event";

/** Commands the native menu sends to the renderer. */
export type MenuCommand =
  | "import-articles"
  | "export-dataset"
  | "finish-article"
  | "find-article"
  | "next-article"
  | "previous-article"
  | "toggle-pane"
  | "show-shortcuts"
  | "show-about"
  | "show-agreement";

/** Something the back end tells the renderer without being asked. */
export type WorkbenchEvent =
  | { type: "project-opened"; project: ProjectOverview }
  | { type: "articles-imported"; result: ImportResult }
  | { type: "menu"; command: MenuCommand };

/** What the preload exposes as `window.workbench`: the API plus a way to hear events. */
export interface WorkbenchBridge extends WorkbenchApi {
  /** Calls `listener` for each event; returns a function that stops listening. */
  onEvent(listener: (event: WorkbenchEvent) => void): () => void;
}
