/**
 * The export's own writers give the bytes of the libraries they stand in for:
 * Parquet files as hyparquet-writer's `parquetWriteBuffer` writes them (rows
 * or dense columns, nulls, empty lists, long pages, dictionaries or not), and
 * ZIP archives as fflate's `zipSync` writes them.
 */
import fc from "fast-check";
import { zipSync } from "fflate";
import type { SchemaElement } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { type DenseColumn, parquetFile } from "../../../shared/dataset/formats/parquet";
import { deflateEntry, zipDeflated } from "../../../shared/dataset/formats/zip";
import { concatBytes } from "../../../shared/dataset/pieces";

const LEAF: Record<string, SchemaElement> = {
  string: { name: "", type: "BYTE_ARRAY", converted_type: "UTF8" },
  int32: { name: "", type: "INT32" },
  float64: { name: "", type: "DOUBLE" },
};

/** Nullable columns and 3-level lists, as the Hugging Face export writes them. */
function schemaOf(columns: Array<[string, string]>): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: "schema", num_children: columns.length }];
  for (const [name, type] of columns) {
    const leaf = type.startsWith("list<") ? type.slice(5, -1) : type;
    const element = { ...LEAF[leaf], repetition_type: "OPTIONAL" } as SchemaElement;
    if (leaf === type) schema.push({ ...element, name });
    else
      schema.push(
        { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { ...element, name: "element" },
      );
  }
  return schema;
}

function library(schema: SchemaElement[], columnData: Array<{ name: string; data: unknown[] }>) {
  return new Uint8Array(
    parquetWriteBuffer({ columnData, schema, codec: "SNAPPY", createdBy: "test" }),
  );
}

const COLUMNS: Array<[string, string]> = [
  ["id", "string"],
  ["n", "int32"],
  ["x", "float64"],
  ["words", "list<string>"],
  ["tags", "list<int32>"],
];
const word = fc.constantFrom("a", "Zürich", "👍🏽", "\ud800", "", "x".repeat(40), "Wort", null);

describe("parquetFile", () => {
  it("writes the bytes of parquetWriteBuffer for rows with nulls and empty lists", () => {
    const row = fc.record({
      id: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
      n: fc.option(fc.integer({ min: -5, max: 3000 }), { nil: null }),
      x: fc.option(fc.double({ noNaN: true }), { nil: null }),
      words: fc.option(fc.array(word, { maxLength: 6 }), { nil: null }),
      tags: fc.option(fc.array(fc.option(fc.nat(9), { nil: null }), { maxLength: 6 }), {
        nil: null,
      }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 1300 }), (rows) => {
        const schema = schemaOf(COLUMNS);
        const columns = COLUMNS.map(([name]) => ({
          name,
          data: rows.map((r) => (r as Record<string, unknown>)[name] ?? null),
        }));
        const ours = concatBytes(parquetFile(schema, columns, { createdBy: "test" }));
        expect(ours).toEqual(library(schema, columns));
      }),
      { numRuns: 40 },
    );
  });

  it("writes dense columns as the same rows, over several row groups and pages", () => {
    const rows = 2600;
    const ids = Array.from({ length: rows }, (_, i) => `doc-${i % 37}-${i}`);
    const lengths = Array.from({ length: rows }, (_, i) => 1 + ((i * 7) % 400));
    const words: string[] = [];
    const tags: number[] = [];
    const rowEnds = new Int32Array(rows);
    lengths.forEach((length, r) => {
      for (let k = 0; k < length; k++) {
        words.push(["die", "Straße", "ü", "🙂", `w${(r * k) % 5000}`][k % 5] as string);
        tags.push((r + k) % 9);
      }
      rowEnds[r] = words.length;
    });
    const schema = schemaOf([
      ["id", "string"],
      ["n", "int32"],
      ["words", "list<string>"],
      ["tags", "list<int32>"],
    ]);
    const dense: DenseColumn[] = [
      { name: "id", values: ids },
      { name: "n", values: Int32Array.from(lengths) },
      { name: "words", values: words, rowEnds },
      { name: "tags", values: Int32Array.from(tags), rowEnds },
    ];
    const listed = (values: unknown[]) => {
      let start = 0;
      return Array.from(rowEnds, (end) => {
        const row = values.slice(start, end);
        start = end;
        return row;
      });
    };
    const columns = [
      { name: "id", data: ids },
      { name: "n", data: lengths },
      { name: "words", data: listed(words) },
      { name: "tags", data: listed(tags) },
    ];
    expect(concatBytes(parquetFile(schema, dense, { createdBy: "test" }))).toEqual(
      library(schema, columns),
    );
  });
});

describe("zipDeflated", () => {
  it("writes the bytes of zipSync", () => {
    const file = fc.uint8Array({ maxLength: 5000 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("a.txt", "sources/ü.txt", "x/y.qde"), file), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.date({ min: new Date(1981, 0, 1), max: new Date(2090, 0, 1), noInvalidDate: true }),
        (entries, mtime) => {
          const files = Object.fromEntries(
            entries.map(([name, data], i) => [`${i}-${name}`, data]),
          );
          const ours = zipDeflated(
            Object.entries(files).map(([name, data]) =>
              deflateEntry(name, data, { level: 1, mtime }),
            ),
            mtime,
          );
          expect(ours).toEqual(zipSync(files, { level: 1, mtime }));
        },
      ),
      { numRuns: 60 },
    );
  });
});
