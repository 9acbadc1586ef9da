/**
 * The project on disk as the app edits it. lowdb holds each file's data in
 * memory; every file has its own adapter (canonical-file.ts), so an edit to one
 * coder's annotations of one article writes that one file — O(article) bytes,
 * never the whole project — and is durable before the edit is acknowledged.
 */
import { mkdir, readFile } from "node:fs/promises";
import { Low } from "lowdb";
import type { FileData } from "../../shared/file-formats";
import { formatFileData } from "../../shared/file-formats";
import {
  type AnnotationFile,
  type ArticleMeta,
  isSafeId,
  SCHEMA_VERSION,
} from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { writeFileDurably } from "./atomic-write";
import { CanonicalFile } from "./canonical-file";
import { readProjectFile } from "./json-file";
import { hashText, PROJECT_FILE, resolveInProject } from "./project-folder";

/** An empty annotation file for `coder` on an article with `textHash`. */
export function emptyCoding(article: string, coder: string, textHash: string): AnnotationFile {
  return {
    schemaVersion: SCHEMA_VERSION,
    article,
    coder,
    textHash,
    status: "not-started",
    codes: {},
    annotations: [],
    orphans: [],
  };
}

/** The open project folder, for writing. Reading whole projects stays in project-folder.ts. */
export class ProjectStore {
  // Promises, not instances: concurrent first edits of one file must share one lowdb.
  private readonly codings = new Map<string, Promise<Low<AnnotationFile>>>();
  private readonly codingAdapters = new Map<string, CanonicalFile<"coding">>();

  private constructor(readonly root: string) {}

  /** Opens the project at `root` (it must have tagwerk.json). */
  static async open(root: string): Promise<ProjectStore> {
    const file = resolveInProject(root, PROJECT_FILE);
    await readProjectFile(file, PROJECT_FILE, "project").catch((error: unknown) => {
      if (error instanceof WorkbenchError && error.code === "not-found") {
        throw new WorkbenchError(
          "not-a-project",
          `${root} is not a Tagwerk project (it has no ${PROJECT_FILE})`,
        );
      }
      throw error;
    });
    return new ProjectStore(resolveInProject(root));
  }

  private async articleText(articleId: string): Promise<string> {
    return readFile(resolveInProject(this.root, "articles", `${articleId}.txt`), "utf8");
  }

  private coding(articleId: string, coder: string): Promise<Low<AnnotationFile>> {
    if (!isSafeId(articleId))
      throw new WorkbenchError(
        "invalid-input",
        `not a valid article id: ${JSON.stringify(articleId)}`,
      );
    if (!isSafeId(coder))
      throw new WorkbenchError("invalid-input", `not a valid coder name: ${JSON.stringify(coder)}`);
    const key = `${articleId}/${coder}`;
    let open = this.codings.get(key);
    if (!open) {
      open = this.openCoding(articleId, coder, key);
      this.codings.set(key, open);
      // A failed open (e.g. a broken file) is retried on the next call.
      open.catch(() => this.codings.delete(key));
    }
    return open;
  }

  private async openCoding(
    articleId: string,
    coder: string,
    key: string,
  ): Promise<Low<AnnotationFile>> {
    const { data: meta } = await readProjectFile(
      resolveInProject(this.root, "articles", `${articleId}.json`),
      `articles/${articleId}.json`,
      "article",
    );
    const adapter = new CanonicalFile(
      resolveInProject(this.root, "coding", articleId, `${coder}.json`),
      `coding/${articleId}/${coder}.json`,
      "coding",
      async () => ({ text: await this.articleText(articleId) }),
    );
    const db = new Low<AnnotationFile>(adapter, emptyCoding(articleId, coder, meta.textHash));
    await db.read();
    this.codingAdapters.set(key, adapter);
    return db;
  }

  /** One coder's annotation file of an article (empty when the coder has not started). */
  async readCoding(articleId: string, coder: string): Promise<AnnotationFile> {
    return structuredClone((await this.coding(articleId, coder)).data);
  }

  /**
   * Changes one coder's annotation file and resolves once the change is on
   * disk durably. Concurrent changes are applied in order; their writes coalesce.
   */
  async updateCoding(
    articleId: string,
    coder: string,
    change: (file: AnnotationFile) => void,
  ): Promise<AnnotationFile> {
    const db = await this.coding(articleId, coder);
    await mkdir(resolveInProject(this.root, "coding", articleId), { recursive: true });
    change(db.data);
    try {
      await db.write();
    } catch (error) {
      // Not on disk, so not acknowledged: go back to what the disk holds.
      await db.read();
      throw new WorkbenchError(
        "io-error",
        `coding/${articleId}/${coder}.json could not be saved: ${(error as Error).message}`,
      );
    }
    return structuredClone(db.data);
  }

  /** Adds an article: text first, then metadata, so the article never appears without its text. */
  async writeArticle(meta: ArticleMeta, text: string): Promise<void> {
    if (hashText(text) !== meta.textHash)
      throw new Error(`textHash of ${meta.id} does not match its text`);
    await mkdir(resolveInProject(this.root, "articles"), { recursive: true });
    await writeFileDurably(resolveInProject(this.root, "articles", `${meta.id}.txt`), text);
    await writeFileDurably(
      resolveInProject(this.root, "articles", `${meta.id}.json`),
      formatFileData("article", meta),
    );
  }

  /** Writes a project-level file (project, codebook, entities) canonically and durably. */
  async writeProjectLevel<K extends "project" | "codebook" | "entities">(
    kind: K,
    data: FileData<K>,
  ): Promise<void> {
    const name =
      kind === "project" ? PROJECT_FILE : kind === "codebook" ? "codebook.json" : "entities.json";
    await writeFileDurably(resolveInProject(this.root, name), formatFileData(kind, data));
  }

  /** Waits until every pending write is durable. */
  async flush(): Promise<void> {
    await Promise.all([...this.codingAdapters.values()].map((a) => a.idle()));
  }
}
