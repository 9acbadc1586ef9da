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
