/**
 * hyparquet-writer's `writeColumn` for the two leaf types the dataset export
 * writes most (INT32, and BYTE_ARRAY UTF8 strings), with the defaults
 * `parquetWriteBuffer` uses (SNAPPY, statistics, 1 MB pages, offset index, no
 * column index): the same decisions (dictionary or plain, page boundaries),
 * the same bytes and the same metadata, in a few passes over typed arrays
 * instead of per-value generic code. Page headers, dictionary pages' plain
 * values and snappy are the library's own functions. Any other column, or a
 * value of an unexpected type, gets `undefined`: the caller uses `writeColumn`.
 * A test holds the two to the same bytes.
 */
import type { ColumnChunk, OffsetIndex, SchemaElement } from "hyparquet";
import type { ByteWriter as ParquetByteWriter } from "hyparquet-writer/src/bytewriter.js";
import { writePageHeader } from "hyparquet-writer/src/datapage.js";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import { ByteWriter } from "../byte-writer";

/**
 * Levels and values of one leaf column, as `encodeNestedValues` gives them
 * (values may also be an Int32Array, levels byte arrays).
 */
export interface LeafData {
  values: ArrayLike<unknown>;
  definitionLevels: ArrayLike<number>;
  repetitionLevels: ArrayLike<number>;
  maxDefinitionLevel: number;
}

/** Levels `[from, to)`: a view of a byte array, a copy of a plain array. */
function levelsPart(levels: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return levels instanceof Uint8Array
    ? levels.subarray(from, to)
    : (levels as number[]).slice(from, to);
}

/** Largest value for which an integer dictionary is a lookup table rather than a map. */
const TABLE_LIMIT = 1 << 22;

/** What `writeColumn` returns (no column index, no bloom filter). */
export interface ColumnResult {
  chunk: ColumnChunk;
  offsetIndex?: OffsetIndex;
}

const PAGE_SIZE = 1048576;
const SAMPLE_REJECTION_RATIO = 0.9;
const encoder = new (
  globalThis as unknown as { TextEncoder: new () => { encode(text: string): Uint8Array } }
).TextEncoder();

/** hyparquet-writer's `compareStrings`: UTF-8 byte order (code points; lone surrogates as U+FFFD). */
function compareStrings(left: string, right: string): number {
  if (left === right) return 0;
  const length = Math.min(left.length, right.length);
  let i = 0;
  while (i < length && left.charCodeAt(i) === right.charCodeAt(i)) i++;
  if (i > 0) {
    const prev = left.charCodeAt(i - 1);
    if (prev >= 0xd800 && prev <= 0xdbff) i--;
  }
  while (i < left.length && i < right.length) {
    const a = codePoint(left, i);
    const b = codePoint(right, i);
    if (a !== b) return a - b;
    i += a > 0xffff ? 2 : 1;
  }
  return left.length - right.length;
}

function codePoint(text: string, i: number): number {
  const code = text.codePointAt(i) ?? 0xfffd;
  return code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
}

/** `writeRleBitPackedHybrid` of the library, into `out`; the bytes written. */
function writeHybrid(
  out: ByteWriter,
  values: ArrayLike<number>,
  count: number,
  bitWidth: number,
): number {
  const start = out.length;
  let pending = 0;
  let packedStart = 0;
  let i = 0;
  while (i < count) {
    let run = 1;
    const first = values[i] as number;
    while (i + run < count && values[i + run] === first) run++;
    if (run >= 8) {
      if (pending) {
        writePacked(out, values, count, packedStart, pending, bitWidth);
        pending = 0;
      }
      out.varint(run << 1);
      const width = (bitWidth + 7) >> 3;
      for (let j = 0; j < width; j++) out.byte((first >> (j << 3)) & 0xff);
      i += run;
    } else {
      if (pending === 0) packedStart = i;
      pending++;
      i += 8;
    }
  }
  if (pending) writePacked(out, values, count, packedStart, pending, bitWidth);
  return out.length - start;
}

function writePacked(
  out: ByteWriter,
  values: ArrayLike<number>,
  count: number,
  start: number,
  groups: number,
  bitWidth: number,
): void {
  out.varint((groups << 1) | 1);
  if (bitWidth === 0) return;
  const mask = (1 << bitWidth) - 1;
  let buffer = 0;
  let bits = 0;
  const total = groups * 8;
  for (let i = 0; i < total; i++) {
    const index = start + i;
    const v = index < count ? (values[index] as number) & mask : 0;
    buffer |= v << bits;
    bits += bitWidth;
    while (bits >= 8) {
      out.byte(buffer & 0xff);
      buffer >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out.byte(buffer & 0xff);
}

const bitWidthOf = (max: number) => Math.ceil(Math.log2(max + 1));

/**
 * Writes the column chunk of `data` to `writer` as `writeColumn` would for
 * `element` at `schemaPath`; undefined (nothing written) when this is not a
 * column this fast path handles.
 */
export function writeFastColumn(
  writer: ParquetByteWriter,
  schemaPath: SchemaElement[],
  data: LeafData,
): ColumnResult | undefined {
  const element = schemaPath[schemaPath.length - 1] as SchemaElement;
  const isString = element.type === "BYTE_ARRAY" && element.converted_type === "UTF8";
  const isInt = element.type === "INT32" && element.converted_type === undefined;
  if ((!isString && !isInt) || element.logical_type !== undefined) return undefined;
  const { values, definitionLevels, repetitionLevels, maxDefinitionLevel } = data;
  const n = values.length;

  // Statistics, value sizes and the check that every value is of the column's type.
  let min: string | number | undefined;
  let max: string | number | undefined;
  let nulls = 0;
  if (values instanceof Int32Array) {
    if (!isInt) return undefined;
    if (n > 0) {
      let low = values[0] as number;
      let high = low;
      for (let i = 1; i < n; i++) {
        const value = values[i] as number;
        if (value < low) low = value;
        else if (value > high) high = value;
      }
      min = low;
      max = high;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const value = values[i];
      if (value === null || value === undefined) {
        nulls++;
        continue;
      }
      if (isString) {
        // Bounds come later, from the distinct values when there are few.
        if (typeof value !== "string") return undefined;
      } else {
        if (typeof value !== "number" || !Number.isSafeInteger(value)) return undefined;
        if (value < -2147483648 || value > 2147483647) return undefined;
        if (min === undefined || value < (min as number)) min = value;
        if (max === undefined || value > (max as number)) max = value;
      }
    }
  }
  const size = (value: unknown) =>
    value === null || value === undefined ? 0 : isString ? (value as string).length : 4;
  const prefix = isString ? 4 : 0;

  // Dictionary or plain, as `useDictionary` decides.
  let dictionary: unknown[] | undefined;
  let indexes: Int32Array | undefined;
  let distinct: unknown[] | undefined;
  const sampleSize = Math.min(n, 1000);
  const sampleSizes = new Map<unknown, number>();
  let sampleDictionary = 0;
  let sampleTotal = 0;
  for (let i = 0; i < sampleSize; i++) {
    const value = values[sampleSize === 1 ? 0 : Math.floor((i * (n - 1)) / (sampleSize - 1))];
    let valueSize = sampleSizes.get(value);
    if (valueSize === undefined) {
      valueSize = size(value) + (value === null || value === undefined ? 0 : prefix);
      sampleSizes.set(value, valueSize);
      sampleDictionary += valueSize;
    }
    sampleTotal += valueSize;
  }
  if (sampleTotal && sampleDictionary / sampleTotal <= SAMPLE_REJECTION_RATIO) {
    const entries: unknown[] = [];
    const found = new Int32Array(n);
    let dictSize = 0;
    let totalSize = 0;
    let nonNull = 0;
    // Small non-negative integers are looked up in a table, anything else in a map (same order).
    const table =
      isInt && typeof min === "number" && typeof max === "number" && min >= 0 && max < TABLE_LIMIT
        ? new Int32Array(max + 1).fill(-1)
        : undefined;
    const index = table ? undefined : new Map<unknown, number>();
    if (table && values instanceof Int32Array) {
      // Every value present: 4 bytes each.
      for (let i = 0; i < n; i++) {
        const value = values[i] as number;
        let at = table[value] as number;
        if (at < 0) {
          at = entries.length;
          entries.push(value);
          table[value] = at;
        }
        found[i] = at;
      }
      nonNull = n;
      totalSize = 4 * n;
      dictSize = 4 * entries.length;
    } else
      for (let i = 0; i < n; i++) {
        const value = values[i];
        if (value === null || value === undefined) {
          found[i] = -1;
          continue;
        }
        nonNull++;
        const valueSize = isString ? (value as string).length : 4;
        totalSize += valueSize;
        let at = table ? (table[value as number] as number) : (index?.get(value) ?? -1);
        if (at < 0) {
          dictSize += valueSize;
          at = entries.length;
          entries.push(value);
          if (table) table[value as number] = at;
          else index?.set(value, at);
        }
        found[i] = at;
      }
    distinct = entries;
    const width = Math.ceil(Math.log2(entries.length));
    const indexSize = Math.ceil((nonNull * width) / 8);
    const plainSize = totalSize + nonNull * prefix;
    const dictionarySize = dictSize + entries.length * prefix;
    if (!(2 * (dictionarySize + indexSize) > plainSize)) {
      dictionary = entries;
      indexes = found;
    }
  }

  if (isString) {
    // The bounds of all values are those of the distinct ones (when the dictionary was tried).
    const bounded = distinct ?? values;
    for (let i = 0; i < bounded.length; i++) {
      const value = bounded[i];
      if (typeof value !== "string") continue;
      if (min === undefined || compareStrings(value, min as string) < 0) min = value;
      if (max === undefined || compareStrings(value, max as string) > 0) max = value;
    }
  }
  if (min === 0) min = -0;
  if (max === 0) max = 0;
  const statistics = {
    min_value: min,
    max_value: max,
    null_count: BigInt(nulls),
    nan_count: undefined,
  };
  const offsetStart = writer.offset;
  let uncompressedSize = 0;
  const encodings: string[] = [];
  let dictionaryPageOffset: bigint | undefined;
  let encoded: Array<Uint8Array | undefined> | undefined;
  if (isString && !dictionary) {
    encoded = new Array(n);
    for (let i = 0; i < n; i++) {
      const value = values[i];
      encoded[i] = typeof value === "string" ? encoder.encode(value) : undefined;
    }
  }
  if (dictionary) {
    dictionaryPageOffset = BigInt(writer.offset);
    const page = new ByteWriter(dictionary.length * 8 + 16);
    for (const value of dictionary) {
      if (isString) {
        const bytes = encoder.encode(value as string);
        page.u32le(bytes.length);
        page.bytes(bytes);
      } else page.u32le((value as number) >>> 0);
    }
    const bytes = page.done();
    const compressed = snappyCompress(bytes);
    const headerStart = writer.offset;
    writePageHeader(writer, {
      type: "DICTIONARY_PAGE",
      uncompressed_page_size: bytes.byteLength,
      compressed_page_size: compressed.byteLength,
      dictionary_page_header: { num_values: dictionary.length, encoding: "PLAIN" },
    } as Parameters<typeof writePageHeader>[1]);
    const headerSize = writer.offset - headerStart;
    writer.appendBytes(compressed);
    uncompressedSize += headerSize + bytes.byteLength;
    encodings.push("PLAIN");
  }
  const encoding = dictionary ? "RLE_DICTIONARY" : "PLAIN";
  encodings.push(encoding);

  // Pages of about 1 MB of (estimated) values, starting at row starts.
  const hasRepetition = repetitionLevels.length > 0;
  const boundaries: Array<[number, number]> = [];
  let start = 0;
  let accumulated = 0;
  if (nulls === 0 && (dictionary || !isString))
    // Every value 4 bytes (an index or an integer).
    for (let i = 0; i < n; i++) {
      accumulated += 4;
      if (accumulated >= PAGE_SIZE && i > start && (!hasRepetition || repetitionLevels[i] === 0)) {
        boundaries.push([start, i]);
        start = i;
        accumulated = 4;
      }
    }
  else
    for (let i = 0; i < n; i++) {
      const value = values[i];
      const valueSize =
        value === null || value === undefined
          ? 0
          : dictionary || !isString
            ? 4
            : ((encoded as Array<Uint8Array | undefined>)[i] as Uint8Array).byteLength;
      accumulated += valueSize;
      if (accumulated >= PAGE_SIZE && i > start && (!hasRepetition || repetitionLevels[i] === 0)) {
        boundaries.push([start, i]);
        start = i;
        accumulated = valueSize;
      }
    }
  if (start < n) boundaries.push([start, n]);

  const maxRepetition = schemaPath.filter((e) => e.repetition_type === "REPEATED").length;
  const offsetIndex: OffsetIndex | undefined =
    boundaries.length > 1 ? { page_locations: [] } : undefined;
  const dataPageOffset = BigInt(writer.offset);
  let firstRow = 0n;
  let previousStart = 0;
  for (const [from, to] of boundaries) {
    const pageOffset = writer.offset;
    const count = to - from;
    // Levels: repetition, then definition.
    const levels = new ByteWriter(count / 2 + 16);
    let rows = 0;
    let pageNulls = 0;
    let repetitionBytes = 0;
    let definitionBytes = 0;
    if (hasRepetition) {
      for (let i = from; i < to; i++) if (repetitionLevels[i] === 0) rows++;
    } else rows = count;
    const definitions = definitionLevels.length > 0;
    if (definitions && nulls > 0)
      for (let i = from; i < to; i++)
        if ((definitionLevels[i] as number) < maxDefinitionLevel) pageNulls++;
    if (maxRepetition)
      repetitionBytes = writeHybrid(
        levels,
        levelsPart(repetitionLevels, from, to),
        hasRepetition ? count : 0,
        bitWidthOf(maxRepetition),
      );
    if (maxDefinitionLevel) {
      const width = bitWidthOf(maxDefinitionLevel);
      if (definitions && nulls === 0 && count >= 8) {
        // No nulls: every level is the maximum, one RLE run (what the hybrid writer makes of it).
        const before = levels.length;
        levels.varint(count << 1);
        for (let j = 0; j < (width + 7) >> 3; j++)
          levels.byte((maxDefinitionLevel >> (j << 3)) & 0xff);
        definitionBytes = levels.length - before;
      } else
        definitionBytes = writeHybrid(
          levels,
          levelsPart(definitionLevels, from, to),
          definitions ? count : 0,
          width,
        );
    }
    // Values (nulls left out).
    const page = new ByteWriter(count * 4 + 16);
    if (dictionary && indexes) {
      let present: Int32Array;
      let k = 0;
      let maxIndex = 0;
      if (nulls === 0) {
        present = indexes.subarray(from, to);
        k = count;
        for (let i = 0; i < count; i++)
          if ((present[i] as number) > maxIndex) maxIndex = present[i] as number;
      } else {
        present = new Int32Array(count - pageNulls);
        for (let i = from; i < to; i++) {
          const at = indexes[i] as number;
          if (at < 0) continue;
          present[k++] = at;
          if (at > maxIndex) maxIndex = at;
        }
      }
      const width = bitWidthOf(maxIndex);
      page.byte(width);
      writeHybrid(page, present, k, width);
    } else {
      for (let i = from; i < to; i++) {
        const value = values[i];
        if (value === null || value === undefined) continue;
        if (isString) {
          const bytes = (encoded as Array<Uint8Array | undefined>)[i] as Uint8Array;
          page.u32le(bytes.length);
          page.bytes(bytes);
        } else page.u32le((value as number) >>> 0);
      }
    }
    const levelBytes = levels.done();
    const pageBytes = page.done();
    const compressed = snappyCompress(pageBytes);
    const headerStart = writer.offset;
    writePageHeader(writer, {
      type: "DATA_PAGE_V2",
      uncompressed_page_size: levelBytes.length + pageBytes.length,
      compressed_page_size: levelBytes.length + compressed.length,
      data_page_header_v2: {
        num_values: count,
        num_nulls: pageNulls,
        num_rows: rows,
        encoding,
        definition_levels_byte_length: definitionBytes,
        repetition_levels_byte_length: repetitionBytes,
        is_compressed: true,
      },
    } as Parameters<typeof writePageHeader>[1]);
    const headerSize = writer.offset - headerStart;
    writer.appendBytes(levelBytes);
    writer.appendBytes(compressed);
    uncompressedSize += headerSize + levelBytes.length + pageBytes.length;
    if (offsetIndex) {
      if (hasRepetition) {
        for (let i = previousStart + 1; i <= from; i++) if (repetitionLevels[i] === 0) firstRow++;
      } else firstRow = BigInt(from);
      offsetIndex.page_locations.push({
        offset: BigInt(pageOffset),
        compressed_page_size: writer.offset - pageOffset,
        first_row_index: firstRow,
      });
    }
    previousStart = from;
  }

  const encodingStats = [
    ...(dictionaryPageOffset === undefined
      ? []
      : [{ page_type: "DICTIONARY_PAGE", encoding: "PLAIN", count: 1 }]),
    { page_type: "DATA_PAGE_V2", encoding, count: boundaries.length },
  ];
  const chunk = {
    meta_data: {
      type: element.type,
      encodings,
      path_in_schema: schemaPath.slice(1).map((s) => s.name),
      codec: "SNAPPY",
      num_values: BigInt(n),
      total_compressed_size: BigInt(writer.offset - offsetStart),
      total_uncompressed_size: BigInt(uncompressedSize),
      data_page_offset: dataPageOffset,
      dictionary_page_offset: dictionaryPageOffset,
      statistics,
      encoding_stats: encodingStats,
      geospatial_statistics: undefined,
    },
    file_offset: BigInt(offsetStart),
  } as unknown as ColumnChunk;
  return offsetIndex ? { chunk, offsetIndex } : { chunk };
}
