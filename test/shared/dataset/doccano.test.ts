import { describe, expect, it } from "vitest";
import type {
  Dataset,
  DatasetDocument,
  DatasetPart,
  ExportFile,
} from "../../../shared/dataset/dataset";
import { DatasetFileError, type ImportedDocument } from "../../../shared/dataset/format-types";
import { doccanoExporter, doccanoImporter } from "../../../shared/dataset/formats/doccano";
import { LossReport } from "../../../shared/dataset/loss-report";
import { fixtureDataset, fixtureOptions, trickyText } from "./fixtures";

const slice = (text: string, start: number, end: number) => [...text].slice(start, end).join("");
const bytes = (text: string) => new TextEncoder().encode(text);

function exportParts(dataset: Dataset, parts?: DatasetPart[]) {
  const report = new LossReport("doccano");
  const files = doccanoExporter.exportParts(
    dataset,
    parts ?? [{ name: "", documents: dataset.documents }],
    fixtureOptions,
    report,
  ) as ExportFile[];
  return { files, report };
}

function fileText(files: ExportFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(", ")}`);
  return typeof file.data === "string" ? file.data : new TextDecoder().decode(file.data);
}

function lines(text: string): Array<Record<string, unknown>> {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
}

/** Imported documents as the project would store them: kinds from the codebook, fresh span ids. */
function rebuild(dataset: Dataset, imported: ImportedDocument[]): DatasetDocument[] {
  const kinds = new Map(dataset.codebook.labels.map((l) => [l.id, l.kind]));
  return imported.map((doc) => ({
    id: doc.id ?? "",
    text: doc.text,
    meta: { title: "", source: "", url: "", date: "", language: "", ...doc.meta },
    annotator: doc.annotator ?? "",
    spans: doc.spans.map((s, i) => ({
      ...s,
      id: s.id ?? `s${i}`,
      kind: s.kind ?? kinds.get(s.label) ?? "entity",
      text: s.text ?? slice(doc.text, s.start, s.end),
    })),
    codes: doc.codes ?? {},
  }));
}

function readError(name: string, content: string): DatasetFileError {
  try {
    doccanoImporter.read([{ name, data: bytes(content) }]);
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetFileError);
    return error as DatasetFileError;
  }
  throw new Error("no error thrown");
}

const spanKey = (s: { start: number; end: number; label: string }) =>
  `${s.start}-${s.end}-${s.label}`;

describe("doccano export", () => {
  it("writes text, [start, end, label] spans and the article's metadata as extra keys", () => {
    const dataset = fixtureDataset();
    const { files } = exportParts(dataset);
    expect(files.map((f) => f.path)).toEqual(["doccano.jsonl"]);
    const text = fileText(files, "doccano.jsonl");
    expect(text.endsWith("\n")).toBe(true);
    const docs = lines(text);
    expect(docs).toHaveLength(3);
    expect(Object.keys(docs[0] ?? {})).toEqual([
      "text",
      "label",
      "article",
      "annotator",
      "title",
      "source",
      "url",
      "date",
      "language",
    ]);
    expect(docs.map((d) => [d.article, d.annotator])).toEqual([
      ["2026-01-03-zurich-a1b2c3d4", "alice"],
      ["2026-01-03-zurich-a1b2c3d4", "bob"],
      ["2025-12-18-merz-macron-0f0f0f0f", "alice"],
    ]);
    expect(docs[0]?.title).toBe("Zürich trifft Kyiv");
    expect(docs[0]?.text).toBe(trickyText);
  });

  it("keeps code-point offsets right after emoji, NFD marks, Arabic and CRLF", () => {
    const dataset = fixtureDataset();
    const docs = lines(fileText(exportParts(dataset).files, "doccano.jsonl"));
    for (const [i, doc] of docs.entries()) {
      const original = dataset.documents[i] as DatasetDocument;
      const labels = doc.label as Array<[number, number, string]>;
      expect(labels).toHaveLength(original.spans.length);
      const quotes = new Map(original.spans.map((s) => [spanKey(s), s.text]));
      for (const [start, end, label] of labels)
        expect(slice(doc.text as string, start, end)).toBe(
          quotes.get(spanKey({ start, end, label })),
        );
      // Sorted by start, longer spans first.
      const starts = labels.map((l) => l[0]);
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    }
    const tricky = docs[0]?.label as Array<[number, number, string]>;
    const texts = tricky.map(([s, e]) => slice(trickyText, s, e));
    expect(texts).toEqual(expect.arrayContaining(["Zu\u0308rich", "الأمم المتحدة", "Kyiv"]));
  });

  it("reports every span attribute and document code it cannot carry", () => {
    const { report } = exportParts(fixtureDataset());
    const items = new Map(report.toData().items.map((i) => [i.code, i]));
    const counts = Object.fromEntries([...items].map(([code, item]) => [code, item.count]));
    expect(counts).toEqual({
      "attribute-entity-not-carried": 2,
      "attribute-value-not-carried": 3,
      "attribute-note-not-carried": 2,
      "attribute-target-not-carried": 2,
      "attribute-polarity-not-carried": 2,
      "attribute-holder-not-carried": 2,
      "document-code-not-carried": 9,
    });
    expect(items.get("attribute-entity-not-carried")?.examples[0]).toContain(
      '2026-01-03-zurich-a1b2c3d4 (alice) PER "Corine Mauch"',
    );
    expect(items.get("attribute-value-not-carried")?.examples).toContain(
      '2025-12-18-merz-macron-0f0f0f0f (alice) DATE "18. Dezember 2025" 8–25 value="2025-12-18"',
    );
    expect(items.get("document-code-not-carried")?.examples[0]).toContain("topic");
    expect(report.toData().notes.join(" ")).toMatch(/code points/);
  });

  it("writes split parts into their folders", () => {
    const dataset = fixtureDataset();
    const [a, b, c] = dataset.documents as [DatasetDocument, DatasetDocument, DatasetDocument];
    const { files } = exportParts(dataset, [
      { name: "train", documents: [a, c] },
      { name: "test", documents: [b] },
    ]);
    expect(files.map((f) => f.path)).toEqual(["train/doccano.jsonl", "test/doccano.jsonl"]);
    expect(lines(fileText(files, "train/doccano.jsonl"))).toHaveLength(2);
    expect(lines(fileText(files, "test/doccano.jsonl"))[0]?.annotator).toBe("bob");
  });

  it("gives the same bytes when exported twice", () => {
    expect(exportParts(fixtureDataset()).files).toEqual(exportParts(fixtureDataset()).files);
  });
});

describe("doccano import", () => {
  it("round-trips offsets and labels to identical bytes", () => {
    const dataset = fixtureDataset();
    const first = exportParts(dataset).files;
    const text = fileText(first, "doccano.jsonl");
    const { documents, warnings } = doccanoImporter.read([
      { name: "doccano.jsonl", data: bytes(text) },
    ]);
    expect(warnings).toEqual([]);
    expect(documents.map((d) => d.origin)).toEqual([
      "doccano.jsonl:1",
      "doccano.jsonl:2",
      "doccano.jsonl:3",
    ]);
    for (const [i, doc] of documents.entries()) {
      const original = dataset.documents[i] as DatasetDocument;
      expect(doc.id).toBe(original.id);
      expect(doc.annotator).toBe(original.annotator);
      expect(doc.meta).toEqual(original.meta);
      expect(doc.spans.map((s) => `${spanKey(s)} ${s.text}`).sort()).toEqual(
        original.spans.map((s) => `${spanKey(s)} ${s.text}`).sort(),
      );
    }
    const second = exportParts({ ...dataset, documents: rebuild(dataset, documents) }).files;
    expect(second).toEqual(first);
  });

  it("detects doccano lines and not Tagwerk JSONL or text classification", () => {
    const detect = (name: string, content: string) =>
      doccanoImporter.detect({ name, data: bytes(content) });
    expect(detect("all.jsonl", '{"id": 1, "text": "Berlin", "label": [[0, 6, "LOC"]]}\n')).toBe(
      true,
    );
    expect(detect("all.jsonl", '{"text": "Berlin", "label": []}')).toBe(true);
    expect(
      detect(
        "admin.jsonl",
        '{"text": "Berlin", "entities": [{"id": 3, "label": "LOC", "start_offset": 0, "end_offset": 6}], "relations": []}',
      ),
    ).toBe(true);
    expect(detect("all.jsonl", '{"text": "Berlin", "label": ["positive"]}')).toBe(false);
    expect(detect("all.jsonl", '{"text": "Berlin", "spans": [], "label": []}')).toBe(false);
    expect(detect("all.json", '{"text": "Berlin", "label": [[0, 6, "LOC"]]}')).toBe(false);
    expect(detect("all.jsonl", '{"text": "Ber')).toBe(false);
  });

  it("reads doccano's own exports: entities objects, labels, numeric ids, metadata", () => {
    const content = [
      JSON.stringify({
        id: 7,
        text: "Merz traf Macron.",
        entities: [
          { id: 1, label: "PER", start_offset: 10, end_offset: 16 },
          { id: 2, label: "PER", start_offset: 0, end_offset: 4 },
        ],
        relations: [{ id: 1, from_id: 2, to_id: 1, type: "met" }],
        Comments: [],
        title: "Treffen",
      }),
      JSON.stringify({ text: "In Paris.", labels: [[3, 8, "LOC"]], meta: { source: "AFP" } }),
      JSON.stringify({ text: "Nichts.", label: [] }),
    ].join("\r\n");
    const { documents, warnings } = doccanoImporter.read([
      { name: "admin.jsonl", data: bytes(content) },
    ]);
    expect(documents).toHaveLength(3);
    expect(documents[0]?.id).toBe("7");
    expect(documents[0]?.meta).toEqual({ title: "Treffen" });
    expect(documents[0]?.spans.map((s) => [s.label, s.text])).toEqual([
      ["PER", "Macron"],
      ["PER", "Merz"],
    ]);
    expect(documents[1]?.spans).toEqual([{ start: 3, end: 8, label: "LOC", text: "Paris" }]);
    expect(documents[1]?.meta).toEqual({ source: "AFP" });
    expect(documents[2]?.spans).toEqual([]);
    expect(warnings).toEqual(["admin.jsonl: 1 relation(s) left out (Tagwerk has no relations)"]);
  });

  it("warns when a foreign file has spans after emoji (doccano may count UTF-16 units)", () => {
    const content = JSON.stringify({ text: "🙂 Kyiv", label: [[2, 6, "LOC"]] });
    const { documents, warnings } = doccanoImporter.read([
      { name: "u.jsonl", data: bytes(content) },
    ]);
    expect(documents[0]?.spans[0]?.text).toBe("Kyiv");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^u\.jsonl: 1 document\(s\) have spans after emoji.*doccano#2290/);
  });

  it("names the file and line of broken input", () => {
    const good = JSON.stringify({ text: "Berlin", label: [[0, 6, "LOC"]] });
    const truncated = readError("d.jsonl", `${good}\n${good.slice(0, 20)}\n`);
    expect(truncated.line).toBe(2);
    expect(truncated.message).toMatch(/^d\.jsonl:2: not valid JSON/);
    expect(readError("d.jsonl", `${good}\n\n{"text": 3, "label": []}`).message).toBe(
      'd.jsonl:3: "text" must be a string',
    );
    expect(readError("d.jsonl", '{"text": "Berlin", "label": [["0", 6, "LOC"]]}').message).toBe(
      'd.jsonl:1: span 1: start and end must be whole numbers, not ["0",6,"LOC"]',
    );
    expect(readError("d.jsonl", '{"text": "Berlin", "label": [[0, 6, 5]]}').message).toBe(
      "d.jsonl:1: span 1: the label must be a non-empty string",
    );
    expect(readError("d.jsonl", '{"text": "Berlin", "label": ["positive"]}').message).toMatch(
      /^d\.jsonl:1: span 1 must be \[start, end, "label"\]/,
    );
    expect(readError("d.jsonl", '{"text": "Berlin", "label": "LOC"}').message).toBe(
      'd.jsonl:1: "label" must be a list of [start, end, "label"] spans',
    );
    expect(readError("d.jsonl", "[]").message).toBe("d.jsonl:1: each line must be a JSON object");
  });

  it("rejects offsets beyond the text in code points, and empty files", () => {
    // "👍🏽 ok" has 5 code points (7 UTF-16 units): 3–7 would fit JavaScript's count only.
    const error = readError("e.jsonl", JSON.stringify({ text: "👍🏽 ok", label: [[3, 7, "X"]] }));
    expect(error.message).toBe(
      "e.jsonl:1: span 1: offsets 3–7 are beyond the text (5 code points)",
    );
    expect(readError("e.jsonl", JSON.stringify({ text: "ok", label: [[1, 1, "X"]] })).message).toBe(
      "e.jsonl:1: span 1: offsets 1–1 are not a range",
    );
    expect(readError("empty.jsonl", "").message).toBe("empty.jsonl: the file is empty");
    expect(readError("empty.jsonl", "\r\n\r\n").message).toBe("empty.jsonl: the file is empty");
  });
});
