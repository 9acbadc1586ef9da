/**
 * Importing articles into a project: read each file with the importer for its
 * format (importers/extract-articles.ts: txt, md, html, docx, pdf, csv, jsonl),
 * normalise the text (LF, NFC), fill in title, date and language where the
 * format did not say, derive the content-based id, skip texts the project
 * already has, and write `articles/<id>.txt` + `.json` durably. Each file (and
 * each corpus row) succeeds or is skipped on its own, with a reason; nothing
 * already in the project changes.
 */
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { ImportReport } from "../../shared/api";
import { articleMetaSchema, isSafeId, SCHEMA_VERSION } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import {
  createArticleId,
  normaliseArticleText,
  readTextArticleFacts,
} from "../../shared/text-article";
import {
  type ColumnMapping,
  type ExtractedArticle,
  extractArticles,
  getBaseName,
} from "./importers/extract-articles";
import { readProjectFile } from "./json-file";
import { resolveInProject } from "./project-folder";
import { ProjectStore } from "./project-store";

/** A file to import: its name (for messages and the fallback title) and its bytes. */
export interface IncomingFile {
  name: string;
  bytes: Uint8Array;
}

/** Options of an import. */
export interface ImportOptions {
  /** Language assumed when neither the file nor the text tells. */
  defaultLanguage?: string;
  /** Column names for corpus files whose columns are not named as usual. */
  columns?: ColumnMapping;
  /** The import time to record (tests). */
  now?: Date;
  /** Called after each file, for progress reporting. */
  onProgress?: (done: number, total: number, file: string) => void;
}

/** Text hashes and ids of the project's articles (ids carry the hash of the text as first imported). */
export async function existingHashes(root: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const dir = resolveInProject(root, "articles");
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    try {
      const { data } = await readProjectFile(path.join(dir, name), `articles/${name}`, "article");
      hashes.set(data.textHash, data.id);
      // A cleaned-up article no longer has its imported text, but its id still says which text it was.
      hashes.set(`id:${data.id}`, data.id);
    } catch {
      // A broken metadata file is reported when the project is read; it cannot match.
    }
  }
  return hashes;
}

/** The article an extracted text became, or why it was skipped (already in the project). */
export type AddedArticle =
  | { articleId: string; title: string }
  | { skipped: string; articleId: string };

/**
 * Normalises an extracted text and writes it as a new article, unless the
 * project has it already (`known`: from `existingHashes`, updated here).
 */
export async function addArticle(
  store: ProjectStore,
  known: Map<string, string>,
  name: string,
  extracted: ExtractedArticle,
  options: ImportOptions = {},
  preferredId?: string,
): Promise<AddedArticle> {
  const where = extracted.origin ? `${name}, ${extracted.origin}` : name;
  const text = normaliseArticleText(extracted.text);
  if (text.length === 0) throw new WorkbenchError("invalid-input", `${where}: holds no text`, name);
  const hex = createHash("sha256").update(text, "utf8").digest("hex");
  const textHash = `sha256:${hex}`;
  const duplicate = known.get(textHash);
  if (duplicate) {
    return {
      articleId: duplicate,
      skipped: `${where}: the project already has this text (article ${duplicate})`,
    };
  }
  const facts = readTextArticleFacts(text, name, options.defaultLanguage);
  const title = extracted.title?.trim() || facts.title;
  const date = extracted.date ?? facts.date;
  // An id the text had elsewhere (a dataset export) is kept, so round trips keep their names.
  const id =
    preferredId !== undefined && isSafeId(preferredId) && !known.has(`id:${preferredId}`)
      ? preferredId
      : createArticleId({ title, ...(date === undefined ? {} : { date }) }, hex);
  if (known.has(`id:${id}`)) {
    return {
      articleId: id,
      skipped: `${where}: already imported (article ${id}, since cleaned up or corrected)`,
    };
  }
  const meta = articleMetaSchema.parse({
    schemaVersion: SCHEMA_VERSION,
    id,
    title,
    source: extracted.source ?? "",
    url: extracted.url ?? "",
    ...(date === undefined ? {} : { date }),
    language: extracted.language ?? facts.language,
    importedAt: (options.now ?? new Date()).toISOString(),
    textHash,
    origin: where,
  });
  await store.writeArticle(meta, text);
  known.set(textHash, id);
  known.set(`id:${id}`, id);
  return { articleId: id, title: meta.title };
}

/** Imports `files` into the project at `root`; returns what was imported, skipped and warned about. */
export async function importArticles(
  root: string,
  files: IncomingFile[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const report: ImportReport = { imported: [], skipped: [], warnings: [] };
  const store = await ProjectStore.open(root);
  const known = await existingHashes(root);
  async function add(name: string, extracted: ExtractedArticle): Promise<void> {
    const added = await addArticle(store, known, name, extracted, options);
    if ("skipped" in added) report.skipped.push({ file: name, reason: added.skipped });
    else report.imported.push({ file: name, articleId: added.articleId, title: added.title });
  }

  for (const [index, file] of files.entries()) {
    const name = getBaseName(file.name);
    try {
      const result = await extractArticles(
        file,
        options.columns ? { columns: options.columns } : {},
      );
      for (const message of result.warnings) report.warnings.push({ file: name, message });
      for (const row of result.skipped)
        report.skipped.push({ file: name, reason: `${name}, ${row.origin}: ${row.reason}` });
      for (const extracted of result.articles) {
        try {
          await add(name, extracted);
        } catch (error) {
          if (!(error instanceof WorkbenchError)) throw error;
          report.skipped.push({ file: name, reason: error.message });
        }
      }
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      report.skipped.push({ file: name, reason: error.message });
    }
    options.onProgress?.(index + 1, files.length, name);
  }
  return report;
}
