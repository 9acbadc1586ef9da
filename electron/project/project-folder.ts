/**
 * Reads a project folder (see shared/project-files.ts for the layout). A broken
 * file never makes the whole project fail: it becomes a `FileProblem` naming the
 * file and what is wrong, and every other article still opens.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import type { ArticleSummary, ArticleView, FileProblem, ProjectOverview } from "../../shared/api";
import { reconcileCoding } from "../../shared/coding-repair";
import {
  type AnnotationFile,
  type ArticleMeta,
  type Codebook,
  isSafeId,
  type MergeConflict,
  type ProjectFile,
  type RegistryEntity,
} from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { countCodePoints } from "../../shared/text-blocks";
import { readProjectFile, readProjectFileSync } from "./json-file";

/** Name of the file that marks a folder as a Tagwerk project. */
export const PROJECT_FILE = "tagwerk.json";

/**
 * Joins `segments` onto the project folder and refuses any result outside it,
 * so that an id or file name such as `../../etc/passwd` cannot escape.
 */
export function resolveInProject(root: string, ...segments: string[]): string {
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  if (target !== base && !target.startsWith(base + path.sep)) {
    throw new WorkbenchError(
      "invalid-input",
      `refusing a path outside the project: ${segments.join("/")}`,
    );
  }
  return target;
}

function problemOf(error: unknown, file: string, articleId?: string): FileProblem {
  const message = error instanceof Error ? error.message : String(error);
  return articleId === undefined ? { file, message } : { file, message, articleId };
}

/** Hash of article text as stored in `textHash`. */
export function hashText(text: string): string {
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

// Articles are read synchronously, file after file: a corpus has tens of thousands of
// small files, and a synchronous read costs a fraction of a trip to the thread pool.
// readProject yields to the event loop between articles so the app stays responsive.

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function readAnnotationFiles(
  root: string,
  articleId: string,
  problems: FileProblem[],
  text: string,
): AnnotationFile[] {
  const dir = resolveInProject(root, "coding", articleId);
  const files: AnnotationFile[] = [];
  for (const name of listFiles(dir)) {
    if (!name.endsWith(".json")) continue;
    const coder = name.slice(0, -".json".length);
    const file = `coding/${articleId}/${name}`;
    if (!isSafeId(coder)) {
      problems.push({ file, message: `${file}: not a valid coder name`, articleId });
      continue;
    }
    try {
      const { data } = readProjectFileSync(path.join(dir, name), file, "coding", { text });
      if (data.coder !== coder || data.article !== articleId) {
        throw new WorkbenchError(
          "broken-file",
          `${file}: says it belongs to coder "${data.coder}" and article "${data.article}"`,
          file,
        );
      }
      files.push(data);
    } catch (error) {
      problems.push(problemOf(error, file, articleId));
    }
  }
  return files;
}

function readArticleMeta(root: string, articleId: string): ArticleMeta {
  const file = `articles/${articleId}.json`;
  const { data: meta } = readProjectFileSync(resolveInProject(root, file), file, "article");
  if (meta.id !== articleId) {
    throw new WorkbenchError(
      "broken-file",
      `${file}: its id "${meta.id}" does not match the file name`,
      file,
    );
  }
  return meta;
}

function readArticleText(root: string, articleId: string): string {
  const file = `articles/${articleId}.txt`;
  try {
    return readFileSync(resolveInProject(root, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WorkbenchError(
      code === "ENOENT" ? "not-found" : "io-error",
      code === "ENOENT"
        ? `${file}: the article text is missing`
        : `${file}: cannot be read (${code})`,
      file,
    );
  }
}

/** What a project folder holds besides its articles' contents. */
export interface ProjectBasics {
  root: string;
  projectFile: ProjectFile;
  codebook: Codebook | null;
  entities: RegistryEntity[];
  /** Ids of the articles (from `articles/*.json`), sorted. */
  articleIds: string[];
  problems: FileProblem[];
  /** Merge conflicts recorded in entities.json. */
  registryConflicts?: MergeConflict[];
}

/** The project file and the codebook (null when it cannot be read; then a problem says why). */
export interface ProjectHead {
  root: string;
  projectFile: ProjectFile;
  codebook: Codebook | null;
  problems: FileProblem[];
}

/**
 * Reads the project file and the codebook only, with the errors of
 * `readProjectBasics` (not a folder, not a project, a broken project file).
 */
export async function readProjectHead(dir: string): Promise<ProjectHead> {
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) {
    throw new WorkbenchError("not-a-project", `${root} is not a folder`);
  }
  const projectFile = await readProjectFile(path.join(root, PROJECT_FILE), PROJECT_FILE, "project")
    .then((read) => read.data)
    .catch((error: unknown) => {
      if (error instanceof WorkbenchError && error.code === "not-found") {
        throw new WorkbenchError(
          "not-a-project",
          `${root} is not a Tagwerk project (it has no ${PROJECT_FILE})`,
        );
      }
      throw error;
    });
  const problems: FileProblem[] = [];
  let codebook: Codebook | null = null;
  try {
    codebook = (
      await readProjectFile(path.join(root, "codebook.json"), "codebook.json", "codebook")
    ).data;
  } catch (error) {
    problems.push(problemOf(error, "codebook.json"));
  }
  return { root, projectFile, codebook, problems };
}

/** Reads the project file, codebook, registry and the article ids, without reading any article. */
export async function readProjectBasics(dir: string): Promise<ProjectBasics> {
  const { root, projectFile, codebook, problems } = await readProjectHead(dir);
  let entities: RegistryEntity[] = [];
  let registryConflicts: MergeConflict[] | undefined;
  try {
    const registry = (
      await readProjectFile(path.join(root, "entities.json"), "entities.json", "entities")
    ).data;
    entities = registry.entities;
    if (registry.conflicts && registry.conflicts.length > 0) registryConflicts = registry.conflicts;
  } catch (error) {
    if (!(error instanceof WorkbenchError && error.code === "not-found"))
      problems.push(problemOf(error, "entities.json"));
  }
  const articleIds: string[] = [];
  for (const name of listFiles(path.join(root, "articles"))) {
    if (!name.endsWith(".json")) continue;
    const articleId = name.slice(0, -".json".length);
    if (!isSafeId(articleId)) {
      problems.push({
        file: `articles/${name}`,
        message: `articles/${name}: not a valid article id`,
      });
      continue;
    }
    articleIds.push(articleId);
  }
  return {
    root,
    projectFile,
    codebook,
    entities,
    articleIds,
    problems,
    ...(registryConflicts ? { registryConflicts } : {}),
  };
}

/** How long readProject reads before it lets the event loop run (milliseconds). */
const READ_SLICE_MS = 15;

/** One article's line in the article list, and the problems found on the way (in order). */
function readArticleSummary(
  root: string,
  articleId: string,
): { summary?: ArticleSummary; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  try {
    const meta = readArticleMeta(root, articleId);
    const text = readArticleText(root, articleId);
    const coding = readAnnotationFiles(root, articleId, problems, text);
    const summary: ArticleSummary = {
      id: meta.id,
      title: meta.title,
      source: meta.source,
      url: meta.url,
      ...(meta.date === undefined ? {} : { date: meta.date }),
      language: meta.language,
      importedAt: meta.importedAt,
      length: countCodePoints(text),
      coders: coding.map((f) => ({
        coder: f.coder,
        annotations: f.annotations.length,
        status: f.status,
      })),
    };
    return { summary, problems };
  } catch (error) {
    problems.push(problemOf(error, `articles/${articleId}.json`, articleId));
    return { problems };
  }
}

/** Opens the project folder at `dir`: project file, codebook and the list of articles. */
export async function readProject(dir: string): Promise<ProjectOverview> {
  const { root, projectFile, codebook, entities, articleIds, problems, registryConflicts } =
    await readProjectBasics(dir);
  const articles: ArticleSummary[] = [];
  let slice = performance.now();
  for (const articleId of articleIds) {
    const read = readArticleSummary(root, articleId);
    problems.push(...read.problems);
    if (read.summary) articles.push(read.summary);
    if (performance.now() - slice > READ_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
  }
  articles.sort(
    (a, b) => (b.date ?? "").localeCompare(a.date ?? "") || a.title.localeCompare(b.title),
  );
  return {
    path: root,
    name: projectFile.name,
    ...(projectFile.description === undefined ? {} : { description: projectFile.description }),
    ...(projectFile.settings.defaultLanguage === undefined
      ? {}
      : { defaultLanguage: projectFile.settings.defaultLanguage }),
    ...(projectFile.settings.doubleCoding === undefined
      ? {}
      : { doubleCoding: projectFile.settings.doubleCoding }),
    codebook,
    entities,
    ...(registryConflicts ? { registryConflicts } : {}),
    articles,
    problems,
  };
}

/** An article's metadata and text; errors as `readArticle`'s (no such article, missing text). */
function readArticleMetaAndText(
  root: string,
  articleId: string,
): { meta: ArticleMeta; text: string } {
  if (!isSafeId(articleId)) {
    throw new WorkbenchError(
      "invalid-input",
      `not a valid article id: ${JSON.stringify(articleId)}`,
    );
  }
  let meta: ArticleMeta;
  try {
    meta = readArticleMeta(root, articleId);
  } catch (error) {
    if (error instanceof WorkbenchError && error.code === "not-found") {
      throw new WorkbenchError("not-found", `There is no article "${articleId}" in this project`);
    }
    throw error;
  }
  return { meta, text: readArticleText(root, articleId) };
}

/**
 * An article's text, checked as `readArticle` checks it (valid id, metadata
 * readable, text present), without reading the coders' annotations.
 */
export async function readArticleTextOnly(dir: string, articleId: string): Promise<string> {
  return readArticleMetaAndText(path.resolve(dir), articleId).text;
}

/** Reads one article with its text and every coder's annotations. */
export async function readArticle(dir: string, articleId: string): Promise<ArticleView> {
  const root = path.resolve(dir);
  const { meta, text } = readArticleMetaAndText(root, articleId);
  const problems: FileProblem[] = [];
  const coding = readAnnotationFiles(root, articleId, problems, text).map((f) => {
    if (f.textHash === meta.textHash) return f;
    const { file, summary } = reconcileCoding(f, text, meta.textHash);
    problems.push({
      file: `coding/${articleId}/${f.coder}.json`,
      articleId,
      message: `coding/${articleId}/${f.coder}.json: the article text changed; ${summary.moved} annotation(s) were found again by their quote${
        summary.orphaned > 0 ? `, ${summary.orphaned} could not be placed and wait for review` : ""
      } (saved with the next edit)`,
    });
    return file;
  });
  return {
    meta,
    text,
    textMatchesHash: hashText(text) === meta.textHash,
    coders: coding.map((f) => ({
      coder: f.coder,
      annotations: f.annotations,
      orphans: f.orphans,
      status: f.status,
      codes: f.codes,
      ...(f.rejected ? { rejected: f.rejected } : {}),
      ...(f.conflicts && f.conflicts.length > 0 ? { conflicts: f.conflicts } : {}),
    })),
    problems,
  };
}
