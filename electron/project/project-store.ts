/**
 * The project on disk as the app edits it. lowdb holds each file's data in
 * memory; every file has its own adapter (canonical-file.ts), so an edit to one
 * coder's annotations of one article writes that one file — O(article) bytes,
 * never the whole project — and is durable before the edit is acknowledged.
 */
import { mkdir, readdir } from "node:fs/promises";
import { Low } from "lowdb";
import { type RepairSummary, reanchorCoding, reconcileCoding } from "../../shared/coding-repair";
import { type FileData, formatFileData } from "../../shared/file-formats";
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
import { readText } from "./read-files";

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
    return readText(resolveInProject(this.root, "articles", `${articleId}.txt`));
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
    if (db.data.textHash !== meta.textHash) {
      // The text changed without Tagwerk (e.g. a pull): place annotations by quote; saved with the next edit.
      db.data = reconcileCoding(db.data, await this.articleText(articleId), meta.textHash).file;
    }
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

  /**
   * Replaces an article's text (cleanup, corrections) and moves every coder's
   * annotations along: diff-based re-anchoring, then quote search; what cannot
   * be placed is kept as an orphan. Text and metadata are written first, so a
   * crash in between leaves files that the next open reconciles by quote.
   */
  async replaceArticleText(
    articleId: string,
    newText: string,
  ): Promise<Map<string, RepairSummary>> {
    const file = `articles/${articleId}.json`;
    if (!isSafeId(articleId))
      throw new WorkbenchError(
        "invalid-input",
        `not a valid article id: ${JSON.stringify(articleId)}`,
      );
    const { data: meta } = await readProjectFile(
      resolveInProject(this.root, file),
      file,
      "article",
    );
    const oldText = await this.articleText(articleId);
    const coders = (
      await readdir(resolveInProject(this.root, "coding", articleId)).catch(() => [] as string[])
    )
      .filter((n) => n.endsWith(".json"))
      .map((n) => n.slice(0, -5))
      .filter(isSafeId);
    // Load every coder's file against the old text before it changes.
    const dbs = await Promise.all(
      coders.map(async (coder) => [coder, await this.coding(articleId, coder)] as const),
    );
    const textHash = hashText(newText);
    const summaries = new Map<string, RepairSummary>();
    if (textHash === meta.textHash) return summaries;
    await this.writeArticle({ ...meta, textHash }, newText);
    for (const [coder, db] of dbs) {
      const { file: moved, summary } = reanchorCoding(db.data, oldText, newText, textHash);
      db.data = moved;
      await db.write();
      summaries.set(coder, summary);
    }
    return summaries;
  }

  /** Waits until every pending write is durable. */
  async flush(): Promise<void> {
    await Promise.all([...this.codingAdapters.values()].map((a) => a.idle()));
  }
}
