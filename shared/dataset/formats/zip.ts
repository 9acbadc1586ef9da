/**
 * ZIP archives exactly as fflate's `zipSync(files, { level, mtime })` writes
 * them (no comments, no extra fields), with the compression of each entry
 * done separately (`deflateEntry`, e.g. in a worker thread) and the archive
 * put together afterwards (`zipDeflated`). The pure export calls `zipSync`
 * itself; the two give the same bytes.
 */
import { deflateSync } from "fflate";

/** One entry compressed: its name, uncompressed size, CRC-32 and deflated bytes. */
export interface DeflatedEntry {
  name: string;
  size: number;
  crc: number;
  data: Uint8Array;
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = (c & 1 ? -306674912 : 0) ^ (c >>> 1);
    table[i] = c;
  }
  return table;
})();

/** CRC-32 of `data` (as fflate's `crc().d()`: a signed 32-bit number). */
export function crc32(data: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < data.length; i++)
    c = (CRC_TABLE[(c & 255) ^ (data[i] as number)] as number) ^ (c >>> 8);
  return ~c;
}

/** An entry of a `zipSync` archive with `level` compressed (what zipSync does for each file). */
export function deflateEntry(
  name: string,
  data: Uint8Array,
  options: { level: 1; mtime: Date },
): DeflatedEntry {
  return { name, size: data.length, crc: crc32(data), data: deflateSync(data, options) };
}

const encoder = new (
  globalThis as unknown as { TextEncoder: new () => { encode(text: string): Uint8Array } }
).TextEncoder();

/** Writes `value` little-endian from `at` until it is 0 (fflate's `wbytes`: zero bytes are left). */
function put(out: Uint8Array, at: number, value: number): void {
  let v = value;
  for (let b = at; v; b++) {
    out[b] = v;
    v >>>= 8;
  }
}

/** A local or central directory header, as fflate's `wzh` writes it (no extra field, no comment). */
function header(
  out: Uint8Array,
  at: number,
  entry: DeflatedEntry,
  name: Uint8Array,
  utf8Name: boolean,
  dosTime: number,
  offset?: number,
): number {
  let b = at;
  put(out, b, offset === undefined ? 0x4034b50 : 0x2014b50);
  b += 4;
  if (offset !== undefined) {
    out[b++] = 20;
    out[b++] = 0; // made by: fflate writes f.os, undefined here
  }
  out[b] = 20;
  b += 2;
  out[b++] = 0;
  out[b++] = utf8Name ? 8 : 0;
  out[b++] = 8; // deflate
  out[b++] = 0;
  put(out, b, dosTime);
  b += 4;
  put(out, b, entry.crc);
  put(out, b + 4, entry.data.length);
  put(out, b + 8, entry.size);
  put(out, b + 12, name.length);
  b += 16;
  if (offset !== undefined) {
    put(out, b + 10, offset);
    b += 14;
  }
  out.set(name, b);
  return b + name.length;
}

/** The archive of `entries` (in order), as `zipSync` with compression and `mtime` writes it. */
export function zipDeflated(entries: readonly DeflatedEntry[], mtime: Date): Uint8Array {
  const year = mtime.getFullYear() - 1980;
  if (year < 0 || year > 119) throw new Error("zip dates must be in 1980–2099");
  const dosTime =
    (year << 25) |
    ((mtime.getMonth() + 1) << 21) |
    (mtime.getDate() << 16) |
    (mtime.getHours() << 11) |
    (mtime.getMinutes() << 5) |
    (mtime.getSeconds() >> 1);
  const names = entries.map((entry) => encoder.encode(entry.name));
  let local = 0;
  let total = 0;
  const offsets: number[] = [];
  entries.forEach((entry, i) => {
    const n = (names[i] as Uint8Array).length;
    if (n > 65535) throw new Error("zip file names must be shorter than 65536 bytes");
    offsets.push(local);
    local += 30 + n + entry.data.length;
    total += 76 + 2 * n + entry.data.length;
  });
  const out = new Uint8Array(total + 22);
  let central = local;
  entries.forEach((entry, i) => {
    const name = names[i] as Uint8Array;
    const utf8Name = name.length !== entry.name.length;
    const offset = offsets[i] as number;
    header(out, offset, entry, name, utf8Name, dosTime);
    out.set(entry.data, offset + 30 + name.length);
    central = header(out, central, entry, name, utf8Name, dosTime, offset);
  });
  put(out, central, 0x6054b50);
  put(out, central + 8, entries.length);
  put(out, central + 10, entries.length);
  put(out, central + 12, total - local);
  put(out, central + 16, local);
  return out;
}
