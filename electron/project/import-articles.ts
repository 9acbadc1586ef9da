/**
 * Importing plain-text articles into a project: decode, normalise, read the
 * metadata line and title, derive the id, skip texts the project already has,
 * and write `articles/<id>.txt` + `.json` durably. Each file succeeds or is
 * skipped on its own with a reason; nothing already in the project changes.
 */
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { ImportReport } from "../../shared/api";
import { articleMetaSchema, SCHEMA_VERSION } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import {
  createArticleId,
  normaliseArticleText,
  readTextArticleFacts,
} from "../../shared/text-article";
import { decodeTextBytes } from "./importers/decode-text";
import { readProjectFile } from "./json-file";
import { resolveInProject } from "./project-folder";
import { ProjectStore } from "./project-store";

/** File endings the plain-text importer accepts. */
export const TEXT_EXTENSIONS = [".txt", ".text"];

/** A file to import: its name (for messages and the fallback title) and its bytes. */
export interface IncomingFile {
  name: string;
  bytes: Uint8Array;
}

async function existingHashes(root: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const dir = resolveInProject(root, "articles");
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith(".json"))) {
    try {
      const { data } = await readProjectFile(path.join(dir, name), `articles/${name}`, "article");
      hashes.set(data.textHash, data.id);
    } catch {
      // A broken metadata file is reported when the project is read; it cannot match.
    }
  }
  return hashes;
}

/** Imports `files` into the project at `root`; returns what was imported, skipped and warned about. */
export async function importTextArticles(
  root: string,
  files: IncomingFile[],
  options: { defaultLanguage?: string; now?: Date } = {},
): Promise<ImportReport> {
  const report: ImportReport = { imported: [], skipped: [], warnings: [] };
  const store = await ProjectStore.open(root);
  const known = await existingHashes(root);
  for (const file of files) {
    const name = path.basename(file.name);
    const extension = path.extname(name).toLowerCase();
    if (!TEXT_EXTENSIONS.includes(extension)) {
      report.skipped.push({
        file: name,
        reason: `${name}: ${extension || "no extension"} files cannot be imported yet (plain text .txt only)`,
      });
      continue;
    }
    try {
      const decoded = decodeTextBytes(file.bytes, name);
      if (decoded.warning) report.warnings.push({ file: name, message: decoded.warning });
      const text = normaliseArticleText(decoded.text);
      if (text.length === 0)
        throw new WorkbenchError("invalid-input", `${name}: the file holds no text`, name);
      const hex = createHash("sha256").update(text, "utf8").digest("hex");
      const textHash = `sha256:${hex}`;
      const duplicate = known.get(textHash);
      if (duplicate) {
        report.skipped.push({
          file: name,
          reason: `${name}: the project already has this text (article ${duplicate})`,
        });
        continue;
      }
      const facts = readTextArticleFacts(text, name, options.defaultLanguage);
      const id = createArticleId(facts, hex);
      const meta = articleMetaSchema.parse({
        schemaVersion: SCHEMA_VERSION,
        id,
        title: facts.title,
        source: "",
        url: "",
        ...(facts.date === undefined ? {} : { date: facts.date }),
        language: facts.language,
        importedAt: (options.now ?? new Date()).toISOString(),
        textHash,
        origin: name,
      });
      await store.writeArticle(meta, text);
      known.set(textHash, id);
      report.imported.push({ file: name, articleId: id, title: meta.title });
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      report.skipped.push({ file: name, reason: error.message });
    }
  }
  return report;
}
