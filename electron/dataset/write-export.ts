/**
 * Writing an export's files under its folder (never outside it): whole files,
 * files made of chunks (written with few system calls, never joined into one
 * string), and zlib files streamed through Node's zlib. Synchronous writes,
 * with a turn of the event loop every few megabytes for the app's window.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writevSync } from "node:fs";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDeflate } from "node:zlib";
import type { ExportFile } from "../../shared/dataset/dataset";
import type { Chunk, ChunkedFile } from "../../shared/dataset/format-types";
import { WorkbenchError } from "../../shared/result";

/** zlib level of DocBin files: as small as fflate's level 1, several times faster. */
const ZLIB_LEVEL = 3;
/** Bytes handed to one `writev` (and written between two turns of the event loop). */
const GROUP_BYTES = 4 << 20;
/** At most this many buffers per `writev` (IOV_MAX is 1024 on Linux). */
const GROUP_BUFFERS = 1024;

/** Resolves an exporter's relative path inside `out`, refusing anything that would leave it. */
export function resolveInOut(out: string, relative: string): string {
  const target = path.resolve(out, ...relative.split("/"));
  if (!target.startsWith(out + path.sep)) {
    throw new WorkbenchError(
      "invalid-input",
      `refusing to write outside the export folder: ${relative}`,
    );
  }
  return target;
}

const yieldTurn = () => new Promise((resume) => setImmediate(resume));

const asBytes = (chunk: Chunk): Uint8Array =>
  typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;

/** Writes `chunks` to `target` in groups; the bytes written. */
async function writeChunks(target: string, chunks: readonly Chunk[]): Promise<number> {
  const fd = openSync(target, "w");
  let bytes = 0;
  try {
    let group: Uint8Array[] = [];
    let groupBytes = 0;
    const flush = () => {
      let written = 0;
      while (written < groupBytes) {
        // writev may write less than asked; write what is left.
        const rest = written === 0 ? group : remaining(group, written);
        written += writevSync(fd, rest);
      }
      bytes += groupBytes;
      group = [];
      groupBytes = 0;
    };
    for (const chunk of chunks) {
      const data = asBytes(chunk);
      if (data.length === 0) continue;
      group.push(data);
      groupBytes += data.length;
      if (groupBytes >= GROUP_BYTES || group.length >= GROUP_BUFFERS) {
        flush();
        await yieldTurn();
      }
    }
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** The part of `buffers` after the first `skip` bytes. */
function remaining(buffers: Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let left = skip;
  for (const buffer of buffers) {
    if (left >= buffer.length) left -= buffer.length;
    else {
      out.push(left > 0 ? buffer.subarray(left) : buffer);
      left = 0;
    }
  }
  return out;
}

/** `chunks` as bytes in blocks of a few megabytes (each write to a zlib stream is a round trip). */
function* inBlocks(chunks: readonly Chunk[]): Generator<Uint8Array> {
  let group: Uint8Array[] = [];
  let size = 0;
  for (const chunk of chunks) {
    const data = asBytes(chunk);
    group.push(data);
    size += data.length;
    if (size >= GROUP_BYTES) {
      yield Buffer.concat(group, size);
      group = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(group, size);
}

/** Streams `chunks` through zlib into `target`; the compressed bytes written. */
async function writeZlib(target: string, chunks: readonly Chunk[]): Promise<number> {
  const fd = openSync(target, "w");
  let bytes = 0;
  try {
    const sink = new Writable({
      write(data: Buffer, _encoding, done) {
        let written = 0;
        while (written < data.length) written += writevSync(fd, [data.subarray(written)]);
        bytes += data.length;
        done();
      },
    });
    await pipeline(Readable.from(inBlocks(chunks)), createDeflate({ level: ZLIB_LEVEL }), sink);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Writes `files` under `out` (created when missing); the bytes written. */
export async function writeExportFiles(
  out: string,
  files: ReadonlyArray<ExportFile | ChunkedFile>,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  onProgress?.(0, files.length);
  mkdirSync(out, { recursive: true });
  const folders = new Set<string>([out]);
  let bytes = 0;
  let done = 0;
  let sinceTurn = 0;
  // zlib files compress in the thread pool while the other files are written.
  const compressing: Array<Promise<void>> = [];
  const finished = (written: number) => {
    bytes += written;
    onProgress?.(++done, files.length);
  };
  for (const file of files) {
    const target = resolveInOut(out, file.path);
    const folder = path.dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    let written: number;
    if ("chunks" in file && file.zlib) {
      const writing = writeZlib(target, file.chunks).then(finished);
      writing.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
      compressing.push(writing);
      continue;
    }
    if ("chunks" in file) written = await writeChunks(target, file.chunks);
    else {
      writeFileSync(target, file.data);
      written = typeof file.data === "string" ? Buffer.byteLength(file.data) : file.data.byteLength;
    }
    finished(written);
    sinceTurn += written + 4096;
    if (sinceTurn >= GROUP_BYTES) {
      sinceTurn = 0;
      await yieldTurn();
    }
  }
  await Promise.all(compressing);
  return bytes;
}
