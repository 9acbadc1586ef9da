/**
 * Parquet files exactly as hyparquet-writer's `parquetWriteBuffer` writes
 * them (same row groups, pages, dictionaries, statistics, indexes and
 * metadata: its own `writeColumn`, `writeIndexes` and `writeMetadata` do the
 * encoding), with two differences in how the work is done:
 *  - repetition and definition levels of flat and list columns are computed
 *    directly instead of by the general Dremel walk (the slow part);
 *  - each column chunk is encoded on its own, at offset 0, and moved to its
 *    place when the file is put together, so chunks can be encoded in
 *    parallel (`encodeChunk` may run in a worker).
 * The file layout is that of `ParquetWriter`: "PAR1", row groups of 1,000
 * and then 100,000 rows, each with its column chunks, page indexes, metadata,
 * "PAR1".
 */
import type { ColumnChunk, OffsetIndex, SchemaElement, SchemaTree } from "hyparquet";
import { ByteWriter } from "hyparquet-writer/src/bytewriter.js";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { encodeNestedValues } from "hyparquet-writer/src/dremel.js";
import { writeIndexes } from "hyparquet-writer/src/indexes.js";
import { writeMetadata } from "hyparquet-writer/src/metadata.js";
import { schemaPathResolver } from "hyparquet-writer/src/schema.js";
import { snappyCompress } from "hyparquet-writer/src/snappy.js";
import { type LeafData, writeFastColumn } from "./parquet-column";

/** The row group sizes of `ParquetWriter.write`: 1,000 rows, then 100,000 per group. */
const ROW_GROUP_SIZES = [1000, 100000];
const PAGE_SIZE = 1048576;
const MAGIC = 0x31524150; // "PAR1"

/** A column's values for every row (null for a missing value). */
export interface ParquetColumn {
  name: string;
  data: unknown[];
}

/**
 * A column in which every row has a value, or a non-empty list of values,
 * and no value is null (what most of the Hugging Face NER table is): given
 * flat, it is encoded without building a value per row.
 */
export interface DenseColumn {
  name: string;
  /** Every value, row after row (lists flattened). */
  values: DenseValues;
  /** For a list column: where each row's values end (exclusive), strictly increasing. */
  rowEnds?: Int32Array;
}

/** One column chunk encoded at offset 0: its bytes and what `writeColumn` returned. */
export interface EncodedChunk {
  bytes: Uint8Array;
  chunk: ColumnChunk;
  columnIndex?: unknown;
  offsetIndex?: OffsetIndex;
}

/**
 * Strings one after the other in one text, with where each ends (UTF-16
 * units): cheap to hand to another thread, unlike millions of small strings.
 */
export interface StringTable {
  text: string;
  ends: Int32Array;
}

/** The values of a dense column: integers, strings, or strings as a table. */
export type DenseValues = Int32Array | string[] | StringTable;

/** Number of values. */
function valueCount(values: DenseValues): number {
  return "text" in values ? values.ends.length : values.length;
}

/** Values `[from, to)`, strings as a table (to hand to a worker). */
function valuesPart(values: DenseValues, from: number, to: number): Int32Array | StringTable {
  if (values instanceof Int32Array) return values.slice(from, to);
  if (Array.isArray(values)) {
    const ends = new Int32Array(to - from);
    let at = 0;
    for (let i = from; i < to; i++) {
      at += (values[i] as string).length;
      ends[i - from] = at;
    }
    return { text: values.slice(from, to).join(""), ends };
  }
  const start = from === 0 ? 0 : (values.ends[from - 1] as number);
  const end = to === 0 ? 0 : (values.ends[to - 1] as number);
  const ends = values.ends.slice(from, to);
  for (let i = 0; i < ends.length; i++) (ends[i] as number) -= start;
  return { text: values.text.slice(start, end), ends };
}

/** The values as an array (strings of a table cut out of its text). */
function valueArray(values: DenseValues): Int32Array | string[] {
  if (!("text" in values)) return values;
  const out: string[] = new Array(values.ends.length);
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    const end = values.ends[i] as number;
    out[i] = values.text.slice(start, end);
    start = end;
  }
  return out;
}

/** A column chunk to encode: the file's schema, the column and its rows of one row group. */
export interface ChunkTask {
  schema: SchemaElement[];
  name: string;
  /** The rows' values, or the group's part of a dense column (row ends relative to its values). */
  rows: unknown[] | { values: Int32Array | StringTable; rowEnds?: Int32Array };
}

/** `[start, size)` of each row group of a file with `rows` rows. */
export function rowGroups(rows: number): Array<{ start: number; size: number }> {
  const groups: Array<{ start: number; size: number }> = [];
  for (let start = 0, i = 0; start < rows; i++) {
    const size = ROW_GROUP_SIZES[Math.min(i, ROW_GROUP_SIZES.length - 1)] as number;
    groups.push({ start, size: Math.min(size, rows - start) });
    start += size;
  }
  return groups;
}

/** Leaf schema paths under a column (as `ParquetWriter` finds them). */
function leafPaths(path: SchemaTree[]): SchemaTree[][] {
  const node = path[path.length - 1] as SchemaTree;
  if (node.children.length === 0) return [path];
  return node.children.flatMap((child) => leafPaths([...path, child]));
}

type PageData = ReturnType<typeof encodeNestedValues>;

/**
 * Levels and values of `rows` for a flat optional column or an optional
 * 3-level list of optional elements, exactly as `encodeNestedValues` gives
 * them; other shapes go to `encodeNestedValues` itself.
 */
function levels(path: SchemaTree[], rows: unknown[]): PageData {
  const elements = path.map((node) => node.element);
  const optional = (element: SchemaElement | undefined) => element?.repetition_type === "OPTIONAL";
  if (path.length === 2 && optional(elements[1])) {
    const definitionLevels: number[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++)
      definitionLevels[i] = rows[i] === null || rows[i] === undefined ? 0 : 1;
    return {
      values: rows,
      definitionLevels,
      repetitionLevels: [],
      maxDefinitionLevel: 1,
    } as PageData;
  }
  const list = path[1];
  if (
    path.length === 4 &&
    optional(elements[1]) &&
    elements[1]?.converted_type === "LIST" &&
    list?.children.length === 1 &&
    elements[2]?.repetition_type === "REPEATED" &&
    path[2]?.children.length === 1 &&
    optional(elements[3]) &&
    elements[3]?.type !== undefined
  ) {
    let length = 0;
    for (const row of rows) {
      if (row !== null && row !== undefined && !Array.isArray(row))
        return encodeNestedValues(path, rows);
      length += Array.isArray(row) && row.length > 0 ? row.length : 1;
    }
    const values: unknown[] = new Array(length);
    const definitionLevels: number[] = new Array(length);
    const repetitionLevels: number[] = new Array(length);
    let at = 0;
    for (const row of rows) {
      if (row === null || row === undefined || (row as unknown[]).length === 0) {
        values[at] = undefined;
        definitionLevels[at] = row === null || row === undefined ? 0 : 1;
        repetitionLevels[at++] = 0;
        continue;
      }
      const list = row as unknown[];
      for (let i = 0; i < list.length; i++) {
        const value = list[i];
        values[at] = value;
        definitionLevels[at] = value === null || value === undefined ? 2 : 3;
        repetitionLevels[at++] = i === 0 ? 0 : 1;
      }
    }
    return { values, definitionLevels, repetitionLevels, maxDefinitionLevel: 3 } as PageData;
  }
  return encodeNestedValues(path, rows);
}

/** Levels of a dense column's part: every value present, rows starting where `rowEnds` say. */
function denseLevels(
  path: SchemaTree[],
  values: Int32Array | string[],
  rowEnds: Int32Array | undefined,
): LeafData {
  const maxDefinitionLevel = path
    .slice(1)
    .filter((n) => n.element.repetition_type !== "REQUIRED").length;
  const definitionLevels = new Uint8Array(values.length).fill(maxDefinitionLevel);
  let repetitionLevels: Uint8Array | number[] = [];
  if (rowEnds) {
    repetitionLevels = new Uint8Array(values.length).fill(1);
    let start = 0;
    for (const end of rowEnds) {
      repetitionLevels[start] = 0;
      start = end;
    }
  }
  return { values, definitionLevels, repetitionLevels, maxDefinitionLevel };
}

/** A dense part as rows (for the library's own encoder). */
function denseRows(values: Int32Array | string[], rowEnds: Int32Array | undefined): unknown[] {
  if (!rowEnds) return Array.from(values as ArrayLike<unknown>);
  const rows: unknown[] = [];
  let start = 0;
  for (const end of rowEnds) {
    rows.push(Array.from(values.slice(start, end) as ArrayLike<unknown>));
    start = end;
  }
  return rows;
}

/** Encodes one column chunk at offset 0 (what `ParquetWriter.write` does for it, SNAPPY, statistics). */
export function encodeChunk({ schema, name, rows }: ChunkTask): EncodedChunk[] {
  const columnPath = schemaPathResolver(schema)([name]);
  const leaves = leafPaths(columnPath);
  const dense =
    !Array.isArray(rows) && leaves.length === 1
      ? { values: valueArray(rows.values), rowEnds: rows.rowEnds }
      : undefined;
  const rowList = Array.isArray(rows) ? rows : undefined;
  return leaves.map((leafPath) => {
    const schemaPath = leafPath.map((node) => node.element);
    const writer = new ByteWriter();
    const column = {
      columnName: schemaPath
        .slice(1)
        .map((s) => s.name)
        .join("."),
      element: schemaPath[schemaPath.length - 1] as SchemaElement,
      schemaPath,
      codec: "SNAPPY" as const,
      compressors: { SNAPPY: snappyCompress },
      stats: true,
      statisticsTruncateLength: undefined,
      pageSize: PAGE_SIZE,
      dictionarySize: undefined,
      columnIndex: false,
      offsetIndex: true,
      encoding: undefined,
      bloomFilter: undefined,
    };
    let result = dense
      ? writeFastColumn(writer, schemaPath, denseLevels(leafPath, dense.values, dense.rowEnds))
      : undefined;
    if (!result) {
      const pageData = levels(
        leafPath,
        rowList ??
          denseRows(
            valueArray((rows as DenseColumn).values),
            (rows as { rowEnds?: Int32Array }).rowEnds,
          ),
      );
      result =
        writeFastColumn(writer, schemaPath, pageData as LeafData) ??
        writeColumn({ writer, column, pageData });
    }
    return { bytes: writer.getBytes().slice(), ...result };
  });
}

/** Rows of a column. */
export function rowCount(column: ParquetColumn | DenseColumn): number {
  if ("data" in column) return column.data.length;
  return column.rowEnds ? column.rowEnds.length : valueCount(column.values);
}

/** Rows `[start, start + size)` of a column, as a chunk task's rows. */
function groupRows(
  column: ParquetColumn | DenseColumn,
  start: number,
  size: number,
): ChunkTask["rows"] {
  if ("data" in column) return column.data.slice(start, start + size);
  const { values, rowEnds } = column;
  if (!rowEnds) return { values: valuesPart(values, start, start + size) };
  const from = start === 0 ? 0 : (rowEnds[start - 1] as number);
  const ends = rowEnds.slice(start, start + size);
  for (let i = 0; i < ends.length; i++) (ends[i] as number) -= from;
  const to = start + size === 0 ? 0 : (rowEnds[start + size - 1] as number);
  return { values: valuesPart(values, from, to), rowEnds: ends };
}

/** The column chunk tasks of a file, row group by row group, column by column. */
export function chunkTasks(
  schema: SchemaElement[],
  columns: Array<ParquetColumn | DenseColumn>,
): ChunkTask[] {
  const rows = columns[0] ? rowCount(columns[0]) : 0;
  for (const column of columns)
    if (rowCount(column) !== rows) throw new Error("parquet columns must have the same length");
  return rowGroups(rows).flatMap(({ start, size }) =>
    columns.map((column) => ({ schema, name: column.name, rows: groupRows(column, start, size) })),
  );
}

const shift = (offset: bigint | undefined, by: bigint) =>
  offset === undefined ? undefined : offset + by;

/**
 * The file's bytes from its encoded chunks (in the order of `chunkTasks`),
 * as `ParquetWriter.finish` lays them out.
 */
export function parquetFromChunks(
  schema: SchemaElement[],
  columns: Array<ParquetColumn | DenseColumn>,
  encoded: EncodedChunk[][],
  options: { createdBy: string; kvMetadata?: Array<{ key: string; value: string }> },
): Uint8Array[] {
  const rows = columns[0] ? rowCount(columns[0]) : 0;
  const out: Uint8Array[] = [];
  const head = new ByteWriter(8);
  head.appendUint32(MAGIC);
  out.push(head.getBytes().slice());
  let offset = 4;
  const rowGroupsMeta: Array<Record<string, unknown>> = [];
  const pending: Array<{ chunk: ColumnChunk; columnIndex?: unknown; offsetIndex?: OffsetIndex }> =
    [];
  let task = 0;
  for (const { size } of rowGroups(rows)) {
    const groupStart = offset;
    const chunks: ColumnChunk[] = [];
    for (let c = 0; c < columns.length; c++) {
      for (const piece of encoded[task++] ?? []) {
        const by = BigInt(offset);
        const meta = piece.chunk.meta_data;
        const chunk: ColumnChunk = {
          ...piece.chunk,
          file_offset: piece.chunk.file_offset + by,
          ...(meta
            ? {
                meta_data: {
                  ...meta,
                  data_page_offset: meta.data_page_offset + by,
                  dictionary_page_offset: shift(meta.dictionary_page_offset, by),
                },
              }
            : {}),
        };
        const offsetIndex = piece.offsetIndex && {
          ...piece.offsetIndex,
          page_locations: piece.offsetIndex.page_locations.map((p) => ({
            ...p,
            offset: p.offset + by,
          })),
        };
        chunks.push(chunk);
        pending.push({ chunk, columnIndex: piece.columnIndex, offsetIndex });
        out.push(piece.bytes);
        offset += piece.bytes.length;
      }
    }
    let totalByteSize = 0n;
    for (const { meta_data } of chunks) totalByteSize += meta_data?.total_uncompressed_size ?? 0n;
    rowGroupsMeta.push({
      columns: chunks,
      total_byte_size: totalByteSize,
      num_rows: BigInt(size),
      total_compressed_size: BigInt(offset - groupStart),
    });
  }
  // Indexes, metadata and the closing magic, written at their place in the file.
  const tail = new ByteWriter();
  tail.offset = offset;
  writeIndexes(tail, pending as Parameters<typeof writeIndexes>[1]);
  writeMetadata(
    tail,
    {
      version: 2,
      created_by: options.createdBy,
      schema,
      num_rows: BigInt(rows),
      row_groups: rowGroupsMeta,
      key_value_metadata: options.kvMetadata,
    } as unknown as Parameters<typeof writeMetadata>[1],
    undefined,
  );
  tail.appendUint32(MAGIC);
  out.push(tail.getBytes().slice());
  return out;
}

/** A whole Parquet file, as `parquetWriteBuffer` with SNAPPY, this schema and metadata writes it. */
export function parquetFile(
  schema: SchemaElement[],
  columns: Array<ParquetColumn | DenseColumn>,
  options: { createdBy: string; kvMetadata?: Array<{ key: string; value: string }> },
): Uint8Array[] {
  const encoded = chunkTasks(schema, columns).map((task) => encodeChunk(task));
  return parquetFromChunks(schema, columns, encoded, options);
}
