import { tableFromIPC } from "apache-arrow";
import * as pw from "parquet-wasm";
import { describe, expect, it } from "vitest";
import type {
  Dataset,
  DatasetDocument,
  DatasetPart,
  ExportFile,
} from "../../../shared/dataset/dataset";
import type { ExportOptions } from "../../../shared/dataset/format-types";
import { hfExporter } from "../../../shared/dataset/formats/hf";
import { LossReport } from "../../../shared/dataset/loss-report";
import { type TagScheme, tagNames, tagTokens } from "../../../shared/dataset/token-tags";
import { tokenize } from "../../../shared/dataset/tokens";
import { fixtureDataset, fixtureOptions } from "./fixtures";

type Row = Record<string, unknown>;

async function exportHf(
  dataset: Dataset,
  options: Partial<ExportOptions> = {},
  parts: DatasetPart[] = [{ name: "", documents: dataset.documents }],
): Promise<{ files: ExportFile[]; report: LossReport }> {
  const report = new LossReport("hf");
  const files = await hfExporter.exportParts(
    dataset,
    parts,
    { ...fixtureOptions, ...options },
    report,
  );
  return { files, report };
}

/** The paths of the files, `data/` left out. */
const paths = (files: ExportFile[]) => files.map((f) => f.path.replace(/^data\//, "")).join(" ");

function get(files: ExportFile[], path: string): string | Uint8Array {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no file ${path} in ${files.map((f) => f.path).join(", ")}`);
  return file.data;
}

function jsonl(files: ExportFile[], path: string): Row[] {
  const text = get(files, path);
  if (typeof text !== "string") throw new Error(`${path} is not text`);
  return text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
}

/** Reads Parquet with arrow-rs (parquet-wasm) and apache-arrow: an independent reader. */
function readParquet(files: ExportFile[], path: string) {
  const data = get(files, path);
  if (!(data instanceof Uint8Array)) throw new Error(`${path} is not binary`);
  const table = tableFromIPC(pw.readParquet(data).intoIPCStream());
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
  const plain = (value: unknown) =>
    value !== null && typeof value === "object" && "toArray" in value
      ? Array.from(value as unknown as Iterable<unknown>)
      : value;
  const rows = table.toArray().map((row) => {
    const json = row.toJSON() as Row;
    return Object.fromEntries(Object.entries(json).map(([key, value]) => [key, plain(value)]));
  });
  return {
    types,
    rows,
    columns: table.schema.fields.map((f) => f.name),
    metadata: table.schema.metadata,
  };
}

/** Python's `text[start:end]`. */
function slice(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join("");
}

/**
 * A small reader for the YAML subset of the card (block mappings and
 * sequences, plain, single- and double-quoted scalars, integers).
 */
function parseYaml(text: string): unknown {
  const lines = text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => ({ indent: line.length - line.trimStart().length, text: line.trim() }));
  let at = 0;
  const scalar = (raw: string): unknown => {
    if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
    if (raw.startsWith('"')) return JSON.parse(raw);
    if (raw === "true" || raw === "false") return raw === "true";
    return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  };
  const splitKey = (line: string): [string, string] => {
    const quoted = line.match(/^('(?:[^']|'')*'|"(?:[^"\\]|\\.)*")\s*:(?:\s+(.*))?$/);
    if (quoted) return [String(scalar(quoted[1] ?? "")), quoted[2] ?? ""];
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  };
  const block = (indent: number): unknown => {
    const first = lines[at];
    if (!first || first.indent < indent) return null;
    if (first.text.startsWith("- ")) {
      const list: unknown[] = [];
      while (lines[at]?.indent === indent && lines[at]?.text.startsWith("- ")) {
        const item = lines[at] as { indent: number; text: string };
        const rest = item.text.slice(2);
        if (!/^('[^']*'|"[^"]*"|[^'"\s][^:]*):(\s|$)/.test(rest)) {
          list.push(scalar(rest));
          at++;
        } else {
          lines[at] = { indent: indent + 2, text: rest };
          list.push(block(indent + 2));
        }
      }
      return list;
    }
    const map: Record<string, unknown> = {};
    while (lines[at]?.indent === indent && !lines[at]?.text.startsWith("- ")) {
      const [key, value] = splitKey(lines[at]?.text ?? "");
      at++;
      const next = lines[at];
      if (value !== "") map[key] = scalar(value);
      else if (
        next &&
        (next.indent > indent || (next.indent === indent && next.text.startsWith("- ")))
      )
        map[key] = block(next.indent);
      else map[key] = null;
    }
    return map;
  };
  return block(0);
}

interface Card {
  configs: Array<{
    config_name: string;
    data_files: Array<{ split: string; path: string }>;
    default?: boolean;
  }>;
  dataset_info: Array<{
    config_name: string;
    features: Array<Record<string, unknown>>;
    splits: Array<{ name: string; num_examples: number }>;
  }>;
  [key: string]: unknown;
}

function card(files: ExportFile[]): { yaml: Card; body: string; text: string } {
  const text = get(files, "README.md") as string;
  const match = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
  if (!match) throw new Error("README.md has no YAML front matter");
  return { yaml: parseYaml(match[1] ?? "") as Card, body: match[2] ?? "", text };
}

function classNames(yaml: Card): string[] {
  const ner = yaml.dataset_info.find((info) => info.config_name === "ner");
  const feature = ner?.features.find((f) => f.name === "ner_tags") as {
    sequence: { class_label: { names: Record<string, string> } };
  };
  const names = feature.sequence.class_label.names;
  return Object.keys(names).map((key, i) => {
    expect(key).toBe(String(i));
    return names[key] as string;
  });
}

const FIXTURE_LABELS = ["PER", "ORG", "LOC", "DATE"];

describe("Hugging Face export files and Parquet", async () => {
  const dataset = fixtureDataset();
  const { files } = await exportHf(dataset);

  it("writes Parquet and JSONL per table for an unsplit export (called train), then the card", () => {
    expect(paths(files)).toBe(
      "train.parquet train.jsonl stance-train.parquet stance-train.jsonl codes-train.parquet " +
        "codes-train.jsonl README.md",
    );
  });

  it("has the column types HF expects (list<int32> ner_tags, list<utf8> tokens)", () => {
    const types = (path: string) =>
      Object.entries(readParquet(files, path).types)
        .map(([name, type]) => `${name}:${type}`)
        .join(" ");
    expect(types("data/train.parquet")).toBe(
      "id:Utf8 article:Utf8 annotator:Utf8 sentence:Int32 tokens:List<Utf8> ner_tags:List<Int32> " +
        "token_starts:List<Int32> token_ends:List<Int32>",
    );
    expect(types("data/stance-train.parquet")).toBe(
      "article:Utf8 annotator:Utf8 span_id:Utf8 label:Utf8 start:Int32 end:Int32 text:Utf8 " +
        "target:Utf8 polarity:Utf8 holder:Utf8",
    );
    expect(types("data/codes-train.parquet")).toBe(
      "article:Utf8 annotator:Utf8 topic:Utf8 actors:List<Utf8> summary:Utf8 sources:Float64",
    );
  });

  it("has the same rows in Parquet and JSONL", () => {
    for (const base of ["data/train", "data/stance-train", "data/codes-train"]) {
      const parquet = readParquet(files, `${base}.parquet`);
      const rows = jsonl(files, `${base}.jsonl`);
      expect(parquet.rows).toEqual(rows);
      expect(parquet.columns).toEqual(Object.keys(rows[0] ?? {}));
    }
  });

  it("has one row per sentence whose tags decode to tagTokens' tags and whose offsets slice the text", () => {
    const names = classNames(card(files).yaml);
    const rows = readParquet(files, "data/train.parquet").rows;
    let expected = 0;
    for (const doc of dataset.documents) {
      const tokenized = tokenize(doc.text, doc.meta.language);
      const { tags } = tagTokens(doc, tokenized, "iob2", new LossReport("x"), ["entity", "date"]);
      tokenized.sentences.forEach(([first, last], s) => {
        expected++;
        const row = rows.find((r) => r.id === `${doc.id}-${doc.annotator}-${s}`);
        expect(row).toMatchObject({ article: doc.id, annotator: doc.annotator, sentence: s });
        const tokens = row?.tokens as string[];
        const starts = row?.token_starts as number[];
        const ends = row?.token_ends as number[];
        expect((row?.ner_tags as number[] | undefined)?.map((i) => names[i])).toEqual(
          tags.slice(first, last),
        );
        tokens.forEach((token, i) => {
          expect(slice(doc.text, starts[i] ?? -1, ends[i] ?? -1)).toBe(token);
        });
      });
    }
    expect(rows).toHaveLength(expected);
    const emoji = rows.find((r) => r.id === "2026-01-03-zurich-a1b2c3d4-bob-2");
    expect(emoji?.tokens).toContain("👍🏽");
    expect(emoji?.tokens).toContain("Zu\u0308rich");
  });

  it("keeps stance attributes and document codes in their tables", () => {
    const stance = readParquet(files, "data/stance-train.parquet").rows;
    expect(stance).toHaveLength(2);
    expect(stance[0]).toMatchObject({
      article: "2026-01-03-zurich-a1b2c3d4",
      annotator: "alice",
      span_id: "a-stance",
      label: "STANCE",
      target: "ceasefire",
      polarity: "favour",
      holder: "corine-mauch",
    });
    const doc = dataset.documents[0] as DatasetDocument;
    expect(slice(doc.text, stance[0]?.start as number, stance[0]?.end as number)).toBe(
      stance[0]?.text,
    );
    const codes = readParquet(files, "data/codes-train.parquet").rows;
    expect(codes).toEqual([
      {
        ...codes[0],
        article: doc.id,
        annotator: "alice",
        topic: "war",
        actors: ["eu", "ru"],
        sources: 2,
      },
      { ...codes[1], annotator: "bob" },
      {
        article: "2025-12-18-merz-macron-0f0f0f0f",
        annotator: "alice",
        topic: "economy",
        actors: null,
        summary: null,
        sources: null,
      },
    ]);
    expect(codes[0]?.summary).toBe('Mayor meets "Selenskyj", talks; ceasefire');
  });

  it("stores the datasets features in the Parquet metadata", () => {
    const meta = readParquet(files, "data/train.parquet").metadata.get("huggingface");
    const features = JSON.parse(meta ?? "{}").info.features;
    expect(features.ner_tags).toEqual({
      feature: { names: tagNames(FIXTURE_LABELS, "iob2"), _type: "ClassLabel" },
      _type: "Sequence",
    });
    expect(features.tokens).toEqual({
      feature: { dtype: "string", _type: "Value" },
      _type: "Sequence",
    });
    expect(features.sentence).toEqual({ dtype: "int32", _type: "Value" });
  });
});

describe("Hugging Face dataset card", async () => {
  for (const scheme of ["iob1", "iob2", "bioes"] as TagScheme[]) {
    it(`lists the ClassLabel names in tagNames order (${scheme})`, async () => {
      const { files } = await exportHf(fixtureDataset(), { scheme });
      expect(classNames(card(files).yaml)).toEqual(tagNames(FIXTURE_LABELS, scheme));
    });
  }

  const dataset = fixtureDataset();
  const { files, report } = await exportHf(dataset);
  const { yaml, body, text } = card(files);

  it("writes the features in datasets' YAML syntax", () => {
    expect(text).toContain(
      "  - name: tokens\n    sequence: string\n  - name: ner_tags\n    sequence:\n      class_label:\n" +
        "        names:\n          '0': O\n          '1': B-PER\n          '2': I-PER\n",
    );
    const ner = yaml.dataset_info.find((info) => info.config_name === "ner");
    expect(ner?.features.map((f) => f.name)).toEqual(
      readParquet(files, "data/train.parquet").columns,
    );
    expect(ner?.features.find((f) => f.name === "sentence")).toEqual({
      name: "sentence",
      dtype: "int32",
    });
    expect(ner?.features.find((f) => f.name === "token_starts")).toEqual({
      name: "token_starts",
      sequence: "int32",
    });
    const codes = yaml.dataset_info.find((info) => info.config_name === "codes");
    expect(codes?.features).toContainEqual({ name: "actors", sequence: "string" });
    expect(codes?.features).toContainEqual({ name: "sources", dtype: "float64" });
    expect(yaml.pretty_name).toBe("Fixture project");
    expect(yaml.language).toEqual(["de"]);
  });

  it("declares configs with data files and split sizes that match the files", () => {
    expect(yaml.configs).toEqual([
      {
        config_name: "ner",
        data_files: [{ split: "train", path: "data/train.parquet" }],
        default: true,
      },
      {
        config_name: "stance",
        data_files: [{ split: "train", path: "data/stance-train.parquet" }],
      },
      { config_name: "codes", data_files: [{ split: "train", path: "data/codes-train.parquet" }] },
    ]);
    for (const info of yaml.dataset_info) {
      const config = yaml.configs.find((c) => c.config_name === info.config_name);
      for (const split of info.splits) {
        const path = config?.data_files.find((f) => f.split === split.name)?.path ?? "";
        expect(split.num_examples).toBe(readParquet(files, path).rows.length);
      }
    }
  });

  it("describes the project, labels, tokenizer, counts and losses", () => {
    expect(body).toMatch(/^# Fixture project\n/);
    expect(body).toContain("| `PER` | Person | entity |  |");
    expect(body).toContain("| `DATE` | Date | date |  |");
    expect(body).toContain("UAX #29");
    expect(body).toContain("outermost span wins");
    const sentences = jsonl(files, "data/train.jsonl");
    const tokens = sentences.reduce((n, row) => n + (row.tokens as string[]).length, 0);
    expect(body).toContain(`| train | 3 | ${sentences.length} | ${tokens} | 2 | 3 |`);
    for (const item of report.toData().items)
      expect(body).toContain(`- ${item.description}: ${item.count}`);
  });
});

describe("Hugging Face splits, losses and edge cases", () => {
  it("writes files per split and leaves out empty splits", async () => {
    const dataset = fixtureDataset();
    const parts = [
      { name: "train", documents: dataset.documents.slice(0, 2) },
      { name: "validation", documents: [] },
      { name: "test", documents: dataset.documents.slice(2) },
    ];
    const { files } = await exportHf(dataset, {}, parts);
    expect(paths(files)).toBe(
      "train.parquet train.jsonl test.parquet test.jsonl stance-train.parquet stance-train.jsonl " +
        "codes-train.parquet codes-train.jsonl codes-test.parquet codes-test.jsonl README.md",
    );
    const { yaml, text } = card(files);
    expect(text).not.toContain("validation");
    const ner = yaml.dataset_info.find((info) => info.config_name === "ner");
    expect(ner?.splits).toEqual([
      { name: "train", num_examples: 6 },
      { name: "test", num_examples: 2 },
    ]);
    expect(yaml.configs.find((c) => c.config_name === "stance")?.data_files).toEqual([
      { split: "train", path: "data/stance-train.parquet" },
    ]);
    expect(readParquet(files, "data/test.parquet").rows.map((r) => r.article)).toEqual([
      "2025-12-18-merz-macron-0f0f0f0f",
      "2025-12-18-merz-macron-0f0f0f0f",
    ]);
  });

  it("is deterministic: two exports are byte-identical", async () => {
    const first = await exportHf(fixtureDataset(), { scheme: "bioes" });
    const second = await exportHf(fixtureDataset(), { scheme: "bioes" });
    expect(second.files).toEqual(first.files);
    const parquet = get(first.files, "data/train.parquet") as Uint8Array;
    expect(new TextDecoder().decode(parquet)).toContain("Tagwerk test");
  });

  it("reports what it cannot carry, but not the stance spans and codes it keeps in tables", async () => {
    const { report } = await exportHf(fixtureDataset());
    const codes = report.toData().items.map((item) => [item.code, item.count]);
    expect(codes).toEqual([
      ["overlap", 2],
      ["attribute-entity-not-carried", 2],
      ["attribute-value-not-carried", 3],
      ["attribute-note-not-carried", 2],
    ]);
    expect(report.toData().notes[0]).toMatch(/UAX #29/);
  });

  it("leaves untagged kinds out of the names and reports them", async () => {
    const { files, report } = await exportHf(fixtureDataset(), { tagKinds: ["entity"] });
    expect(classNames(card(files).yaml)).toEqual(tagNames(["PER", "ORG", "LOC"], "iob2"));
    expect(report.toData().items.find((item) => item.code === "kind-date-not-tagged")?.count).toBe(
      3,
    );
  });

  it("tags stance spans when asked and keeps them in the stance table too", async () => {
    const { files, report } = await exportHf(fixtureDataset(), {
      tagKinds: ["entity", "date", "stance"],
    });
    expect(classNames(card(files).yaml)).toEqual(tagNames([...FIXTURE_LABELS, "STANCE"], "iob2"));
    expect(readParquet(files, "data/stance-train.parquet").rows).toHaveLength(2);
    expect(report.toData().items.find((item) => item.code === "overlap")?.count).toBe(4);
  });

  it("adds labels missing from the codebook, renames clashing code columns, checks numbers", async () => {
    const dataset = fixtureDataset();
    dataset.codebook = {
      ...dataset.codebook,
      documentVariables: [
        {
          id: "article",
          name: "Article type",
          type: "single",
          options: [],
          description: "News | opinion",
        },
        { id: "on", name: "On page", type: "number", options: [], description: "" },
      ],
    };
    const doc = dataset.documents[2] as DatasetDocument;
    doc.spans.push({
      id: "x",
      start: 27,
      end: 36,
      label: "MISC",
      kind: "entity",
      text: "Friedrich",
    });
    doc.spans = doc.spans.filter((span) => span.id !== "p-merz");
    dataset.documents[0] = {
      ...(dataset.documents[0] as DatasetDocument),
      codes: { article: "news", on: "3" },
    };
    dataset.documents[1] = {
      ...(dataset.documents[1] as DatasetDocument),
      codes: { on: "page three", x: "y" },
    };
    const { files, report } = await exportHf(dataset);
    const { yaml, text, body } = card(files);
    expect(classNames(yaml)).toEqual(tagNames([...FIXTURE_LABELS, "MISC"], "iob2"));
    expect(report.toData().notes).toContain(
      "Labels not in the codebook added to the tag names: MISC.",
    );
    expect(body).toContain("| `MISC` | MISC | | not in the codebook |");
    const merz = readParquet(files, "data/train.parquet").rows.find(
      (r) => r.id === "2025-12-18-merz-macron-0f0f0f0f-alice-1",
    );
    expect(merz?.ner_tags).toEqual([9, 0, 0, 1, 2, 0, 5, 0]);
    const codes = readParquet(files, "data/codes-train.parquet");
    expect(codes.types).toEqual({
      article: "Utf8",
      annotator: "Utf8",
      code_article: "Utf8",
      on: "Float64",
    });
    expect(codes.rows.map((r) => [r.code_article, r.on])).toEqual([
      ["news", 3],
      [null, null],
      [null, null],
    ]);
    expect(text).toContain('  - name: "on"\n    dtype: float64');
    expect(body).toContain("News \\| opinion");
    const items = report.toData().items;
    expect(items.find((item) => item.code === "code-not-a-number")?.count).toBe(1);
    expect(items.find((item) => item.code === "document-code-not-carried")?.examples).toEqual([
      '2026-01-03-zurich-a1b2c3d4 (bob) x="y"',
      '2025-12-18-merz-macron-0f0f0f0f (alice) topic="economy"',
    ]);
  });

  it("writes no stance or codes config when there is nothing for them", async () => {
    const dataset = fixtureDataset();
    dataset.codebook = { ...dataset.codebook, documentVariables: [] };
    dataset.documents = dataset.documents.slice(2);
    const { files } = await exportHf(dataset);
    expect(paths(files)).toBe("train.parquet train.jsonl README.md");
    const { yaml, body } = card(files);
    expect(yaml.configs.map((c) => c.config_name)).toEqual(["ner"]);
    expect(body).toContain("`stance`: not written");
    expect(body).toContain("`codes`: not written");
  });
});
