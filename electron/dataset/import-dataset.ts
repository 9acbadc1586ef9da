/**
 * Brings annotations from other tools (and Tagwerk's own exports) into a
 * project. Each imported text is matched to an article by its normalised text
 * (so the annotations attach to that article for the importing coder) or added
 * as a new article; offsets are carried over to the stored text by the same
 * re-anchoring used after cleanup (CRLF, NFC and cleaned-up texts); labels the
 * codebook lacks are added to it. Importing the same file twice changes nothing.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { anchorContext, reanchor } from "../../shared/anchoring";
import type { CodeValue } from "../../shared/dataset/dataset";
import {
  DatasetFileError,
  type ImportedDocument,
  type ImportedSpan,
  type Importer,
  type ImportFile,
} from "../../shared/dataset/format-types";
import { withoutSideFiles } from "../../shared/dataset/formats";
import type { DatasetImportSummary } from "../../shared/dataset/summaries";
import {
  type Codebook,
  isSafeId,
  type Label,
  type LabelKind,
  type StoredAnnotation,
} from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { slugify } from "../../shared/text-article";
import { countCodePoints, sliceCodePoints } from "../../shared/text-blocks";
import { addArticle, existingHashes } from "../project/import-articles";
import { readProject, resolveInProject } from "../project/project-folder";
import { ProjectStore } from "../project/project-store";

/** Options of a dataset import. */
export interface DatasetImportOptions {
  /** Whose annotations these become (overrides the names in the files). */
  annotator?: string;
  /** Used when neither the option nor the file names an annotator. */
  defaultAnnotator: string;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

const PALETTE = ["#7c3aed", "#db2777", "#0891b2", "#65a30d", "#b45309", "#4f46e5", "#be123c"];
const ISO_DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** A coder name from a file's annotator field: kept when safe, else made safe. */
export function coderNameFrom(name: string): string {
  if (isSafeId(name)) return name;
  const local = name.includes("@") ? name.slice(0, name.indexOf("@")) : name;
  const slug = slugify(local, 64);
  return slug.length > 0 ? slug : "imported";
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
}

/** Finds (or plans) the codebook label for a span's label name. */
class LabelResolver {
  readonly added: Label[] = [];
  private readonly byKey = new Map<string, Label>();

  constructor(private readonly codebook: Codebook) {
    for (const label of codebook.labels) {
      this.byKey.set(label.id, label);
      this.byKey.set(`lower:${label.id.toLowerCase()}`, label);
      this.byKey.set(`lower:${label.name.toLowerCase()}`, label);
    }
  }

  resolve(name: string, kind: LabelKind | undefined): Label {
    const found = this.byKey.get(name) ?? this.byKey.get(`lower:${name.toLowerCase()}`);
    if (found) return found;
    let id = isSafeId(name) ? name : slugify(name, 40).toUpperCase() || `LABEL-${shortHash(name)}`;
    while (this.codebook.labels.some((l) => l.id === id) || this.added.some((l) => l.id === id))
      id = `${id}-${shortHash(name).slice(0, 4)}`;
    const label: Label = {
      id,
      kind: kind ?? "entity",
      name,
      color:
        PALETTE[(this.codebook.labels.length + this.added.length) % PALETTE.length] ?? "#7c3aed",
      description: "Added by a dataset import.",
      examples: [],
    };
    this.added.push(label);
    this.byKey.set(name, label);
    this.byKey.set(`lower:${name.toLowerCase()}`, label);
    return label;
  }
}

function annotationId(coder: string, articleId: string, span: ImportedSpan, label: string): string {
  if (span.id !== undefined) {
    if (span.id.startsWith(`${coder}-`) && isSafeId(span.id)) return span.id;
    const prefixed = `${coder}-${span.id}`;
    if (isSafeId(prefixed)) return prefixed;
  }
  return `${coder}-imp-${shortHash(`${articleId}|${span.start}|${span.end}|${label}`)}`;
}

function codeValueEquals(a: CodeValue, b: CodeValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Reads `files` with `importer` and adds their texts and annotations to the project at `root`. */
export async function importDataset(
  root: string,
  importer: Importer,
  files: ImportFile[],
  options: DatasetImportOptions,
): Promise<DatasetImportSummary> {
  let documents: ImportedDocument[];
  const warnings: string[] = [];
  try {
    const data = importer.read(withoutSideFiles(files));
    documents = data.documents;
    warnings.push(...data.warnings);
  } catch (error) {
    if (error instanceof DatasetFileError)
      throw new WorkbenchError("invalid-input", error.message, error.file);
    throw error;
  }
  const project = await readProject(root);
  if (!project.codebook) {
    throw new WorkbenchError(
      "broken-file",
      "codebook.json: cannot be read; fix it before importing",
      "codebook.json",
    );
  }
  const codebook = project.codebook;
  const labels = new LabelResolver(codebook);
  // Resolve every label first, so the codebook is written once, before any annotation.
  for (const doc of documents) for (const span of doc.spans) labels.resolve(span.label, span.kind);
  const store = await ProjectStore.open(root);
  let version = codebook.version;
  if (labels.added.length > 0) {
    version += 1;
    await store.writeProjectLevel("codebook", {
      ...codebook,
      version,
      labels: [...codebook.labels, ...labels.added],
    });
  }

  const known = await existingHashes(root);
  const summary: DatasetImportSummary = {
    format: importer.format,
    articles: [],
    labelsAdded: labels.added.map((l) => l.id),
    warnings,
  };
  for (const [index, doc] of documents.entries()) {
    const coder = coderNameFrom(options.annotator ?? doc.annotator ?? options.defaultAnnotator);
    const meta = doc.meta ?? {};
    if (meta.date && !ISO_DATE.test(meta.date)) {
      warnings.push(`${doc.origin}: date "${meta.date}" is not an ISO date; left out`);
    }
    const added = await addArticle(
      store,
      known,
      doc.origin,
      {
        text: doc.text,
        ...(meta.title ? { title: meta.title } : {}),
        ...(meta.date && ISO_DATE.test(meta.date) ? { date: meta.date } : {}),
        ...(meta.url ? { url: meta.url } : {}),
        ...(meta.source ? { source: meta.source } : {}),
        ...(meta.language ? { language: meta.language } : {}),
        origin: doc.origin,
      },
      {},
      doc.id,
    );
    const articleId = added.articleId;
    const stored = await readFile(resolveInProject(root, "articles", `${articleId}.txt`), "utf8");
    const length = countCodePoints(doc.text);
    const valid = doc.spans.filter((span) => {
      const ok =
        Number.isInteger(span.start) &&
        Number.isInteger(span.end) &&
        span.start >= 0 &&
        span.end > span.start &&
        span.end <= length;
      if (!ok)
        warnings.push(
          `${doc.origin}: span ${span.start}–${span.end} (${span.label}) is not inside the text; left out`,
        );
      return ok;
    });
    const anchored = reanchor(
      doc.text,
      stored,
      valid.map((span, i) => ({
        id: String(i),
        start: span.start,
        end: span.end,
        quote: sliceCodePoints(doc.text, span.start, span.end),
        span,
      })),
    );
    for (const orphan of anchored.orphaned) {
      warnings.push(
        `${doc.origin}: ${orphan.annotation.span.label} at ${orphan.annotation.start}–${orphan.annotation.end} could not be placed in article ${articleId}: ${orphan.reason}`,
      );
    }
    let addedCount = 0;
    let unchanged = 0;
    const hasCodes = Object.keys(doc.codes ?? {}).length > 0;
    if (anchored.placed.length > 0 || hasCodes)
      await store.updateCoding(articleId, coder, (file) => {
        const byPlace = new Map(file.annotations.map((a) => [`${a.start}|${a.end}|${a.label}`, a]));
        const ids = new Set(file.annotations.map((a) => a.id));
        const newIds = new Map<string, string>();
        const fresh: StoredAnnotation[] = [];
        for (const placed of anchored.placed) {
          const span = placed.annotation.span;
          const label = labels.resolve(span.label, span.kind);
          const key = `${placed.start}|${placed.end}|${label.id}`;
          const existing = byPlace.get(key);
          if (existing) {
            if (span.id !== undefined) newIds.set(span.id, existing.id);
            unchanged++;
            continue;
          }
          let id = annotationId(
            coder,
            articleId,
            { ...span, start: placed.start, end: placed.end },
            label.id,
          );
          if (ids.has(id)) id = `${coder}-imp-${shortHash(`${articleId}|${key}`)}`;
          const record: StoredAnnotation = {
            id,
            kind: label.kind,
            label: label.id,
            start: placed.start,
            end: placed.end,
            ...anchorContext(stored, placed.start, placed.end),
            codebookVersion: version,
          };
          for (const key of ["entity", "value", "target", "polarity", "holder", "note"] as const) {
            const value = span[key];
            if (value !== undefined && value !== "") record[key] = value;
          }
          file.annotations.push(record);
          byPlace.set(key, record);
          ids.add(id);
          if (span.id !== undefined) newIds.set(span.id, id);
          fresh.push(record);
          addedCount++;
        }
        // A holder that names another span of the file follows that span to its new id.
        for (const record of fresh) {
          const holder = record.holder === undefined ? undefined : newIds.get(record.holder);
          if (holder !== undefined) record.holder = holder;
        }
        for (const [variable, value] of Object.entries(doc.codes ?? {})) {
          const current = file.codes[variable];
          if (current === undefined) file.codes[variable] = value;
          else if (!codeValueEquals(current, value))
            warnings.push(
              `${doc.origin}: ${coder} already coded ${variable} of ${articleId} differently; kept the project's value`,
            );
        }
        if (addedCount > 0 && file.status === "not-started") file.status = "in-progress";
      });
    summary.articles.push({
      origin: doc.origin,
      articleId,
      title: "title" in added ? added.title : (meta.title ?? articleId),
      created: !("skipped" in added),
      annotator: coder,
      added: addedCount,
      unchanged,
      notPlaced: anchored.orphaned.length + (doc.spans.length - valid.length),
    });
    options.onProgress?.(index + 1, documents.length);
  }
  return summary;
}
