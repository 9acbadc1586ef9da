/** Reading files the user picked or dropped, for the importer. */
import type { ImportFile } from "../../shared/api";

/** Base64 of `bytes`, in slices so that large files do not overflow the call stack. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Reads picked or dropped files into the importer's payload. */
export async function readImportFiles(files: Iterable<File>): Promise<ImportFile[]> {
  return Promise.all(
    [...files].map(async (file) => ({
      name: file.name,
      base64: toBase64(new Uint8Array(await file.arrayBuffer())),
    })),
  );
}

const DATASET_EXTENSIONS = /\.(ann|qdpx|conll|iob|bio|json|jsonl|ndjson)$/i;

/**
 * The files of a drop or pick that may be annotation datasets: brat's .ann with
 * their .txt partners, .qdpx, CoNLL, Label Studio JSON, doccano and Tagwerk
 * JSONL. The back end decides; plain article corpora (.jsonl) come back as
 * `unsupported` and are imported as articles.
 */
export function datasetCandidates(files: File[]): File[] {
  const annotated = new Set(
    files.filter((f) => /\.ann$/i.test(f.name)).map((f) => f.name.replace(/\.ann$/i, "")),
  );
  return files.filter(
    (f) =>
      DATASET_EXTENSIONS.test(f.name) ||
      (/\.txt$/i.test(f.name) && annotated.has(f.name.replace(/\.txt$/i, ""))),
  );
}
