import { describe, expect, it } from "vitest";
import {
  compareSpans,
  type Dataset,
  type DatasetDocument,
  type DatasetPart,
  type ExportFile,
} from "../../../shared/dataset/dataset";
import { DatasetFileError, type ImportedDocument } from "../../../shared/dataset/format-types";
import { jsonlExporter, jsonlImporter } from "../../../shared/dataset/formats/jsonl";
import { LossReport } from "../../../shared/dataset/loss-report";
import { fixtureDataset, fixtureOptions, plainText, trickyText } from "./fixtures";

const slice = (text: string, start: number, end: number) => [...text].slice(start, end).join("");
const bytes = (text: string) => new TextEncoder().encode(text);

function exportParts(dataset: Dataset, parts?: DatasetPart[]): ExportFile[] {
  const report = new LossReport("jsonl");
  const files = jsonlExporter.exportParts(
    dataset,
    parts ?? [{ name: "", documents: dataset.documents }],
    fixtureOptions,
    report,
  ) as ExportFile[];
  expect(report.lossCount).toBe(0);
  return files;
}

function fileText(files: ExportFile[], path: string): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(", ")}`);
  return typeof file.data === "string" ? file.data : new TextDecoder().decode(file.data);
}

/** What the project would make of imported documents: kinds from the codebook, defaults filled in. */
function rebuild(dataset: Dataset, imported: ImportedDocument[]): DatasetDocument[] {
  const kinds = new Map(dataset.codebook.labels.map((l) => [l.id, l.kind]));
  return imported.map((doc) => ({
    id: doc.id ?? "",
    text: doc.text,
    meta: { title: "", source: "", url: "", date: "", language: "", ...doc.meta },
    annotator: doc.annotator ?? "",
    spans: doc.spans.map((s) => ({
      ...s,
      id: s.id ?? "",
      kind: s.kind ?? kinds.get(s.label) ?? "entity",
      text: s.text ?? slice(doc.text, s.start, s.end),
    })),
    codes: doc.codes ?? {},
  }));
}

function readError(name: string, content: string): DatasetFileError {
  try {
    jsonlImporter.read([{ name, data: bytes(content) }]);
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetFileError);
    return error as DatasetFileError;
  }
  throw new Error("no error thrown");
}

describe("jsonl export", () => {
  it("writes one line per document, the codebook and the registry once", () => {
    const dataset = fixtureDataset();
    const files = exportParts(dataset);
    expect(files.map((f) => f.path)).toEqual(["documents.jsonl", "codebook.json", "entities.json"]);
    const text = fileText(files, "documents.jsonl");
    expect(text.endsWith("}\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => JSON.parse(l).annotator)).toEqual(["alice", "bob", "alice"]);
    expect(JSON.parse(fileText(files, "codebook.json"))).toEqual(dataset.codebook);
    expect(fileText(files, "codebook.json")).toBe(`${JSON.stringify(dataset.codebook, null, 2)}\n`);
    expect(JSON.parse(fileText(files, "entities.json"))).toEqual({ entities: dataset.entities });
  });

  it("keeps the contract's key order and writes optional attributes only when present", () => {
    const text = fileText(exportParts(fixtureDataset()), "documents.jsonl");
    const doc = JSON.parse(text.split("\n")[0] ?? "");
    expect(Object.keys(doc)).toEqual(["id", "text", "meta", "annotator", "spans", "codes"]);
    expect(Object.keys(doc.meta)).toEqual(["title", "source", "url", "date", "language"]);
    const byId = new Map(doc.spans.map((s: { id: string }) => [s.id, s]));
    const base = ["id", "start", "end", "label", "kind", "text"];
    expect(Object.keys(byId.get("a-kyiv") as object)).toEqual(base);
    expect(Object.keys(byId.get("a-date") as object)).toEqual([...base, "value"]);
    expect(Object.keys(byId.get("a-mauch") as object)).toEqual([...base, "entity"]);
    expect(Object.keys(byId.get("a-stance") as object)).toEqual([
      ...base,
      "target",
      "polarity",
      "holder",
    ]);
    expect(doc.codes).toEqual({
      topic: "war",
      actors: ["eu", "ru"],
      summary: 'Mayor meets "Selenskyj", talks; ceasefire',
      sources: 2,
    });
  });

  it("sorts spans by start, longer first, and keeps code-point offsets right", () => {
    const text = fileText(exportParts(fixtureDataset()), "documents.jsonl");
    for (const line of text.trimEnd().split("\n")) {
      const doc = JSON.parse(line) as DatasetDocument;
      expect([...doc.spans].sort(compareSpans)).toEqual(doc.spans);
      for (const span of doc.spans) expect(slice(doc.text, span.start, span.end)).toBe(span.text);
    }
    const tricky = JSON.parse(text.split("\n")[0] ?? "") as DatasetDocument;
    expect(tricky.text).toBe(trickyText);
    const quotes = tricky.spans.map((s) => slice(tricky.text, s.start, s.end));
    expect(quotes).toContain("Zu\u0308rich");
    expect(quotes).toContain("الأمم المتحدة");
    // The stance quote sits after the CRLF and the emoji of the first line.
    expect(quotes).toContain("„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch");
    const un = tricky.spans.find((s) => s.id === "a-un");
    const un2 = tricky.spans.find((s) => s.id === "a-un2");
    expect(un && un2 && tricky.spans.indexOf(un) < tricky.spans.indexOf(un2)).toBe(true);
  });

  it("writes split parts into their folders and the codebook once at the root", () => {
    const dataset = fixtureDataset();
    const [a, b, c] = dataset.documents as [DatasetDocument, DatasetDocument, DatasetDocument];
    const files = exportParts(dataset, [
      { name: "train", documents: [a, b] },
      { name: "validation", documents: [] },
      { name: "test", documents: [c] },
    ]);
    expect(files.map((f) => f.path)).toEqual([
      "train/documents.jsonl",
      "validation/documents.jsonl",
      "test/documents.jsonl",
      "codebook.json",
      "entities.json",
    ]);
    expect(fileText(files, "train/documents.jsonl").split("\n")).toHaveLength(3);
    expect(fileText(files, "validation/documents.jsonl")).toBe("");
    expect(JSON.parse(fileText(files, "test/documents.jsonl")).text).toBe(plainText);
  });

  it("escapes line separators that Python's splitlines() would cut at", () => {
    const dataset = fixtureDataset();
    const doc = dataset.documents[2] as DatasetDocument;
    doc.text = `${doc.text}\u2028next\u2029para\u0085end`;
    const text = fileText(exportParts(dataset), "documents.jsonl");
    expect(text).not.toMatch(/[\u2028\u2029\u0085]/);
    expect(text.trimEnd().split("\n")).toHaveLength(3);
    const back = jsonlImporter.read([{ name: "documents.jsonl", data: bytes(text) }]);
    expect(back.documents[2]?.text).toBe(doc.text);
  });

  it("gives the same bytes when exported twice", () => {
    const first = exportParts(fixtureDataset());
    const second = exportParts(fixtureDataset());
    expect(second).toEqual(first);
  });
});

describe("jsonl import", () => {
  it("detects its own files and not doccano's or other names", () => {
    const text = fileText(exportParts(fixtureDataset()), "documents.jsonl");
    expect(jsonlImporter.detect({ name: "documents.jsonl", data: bytes(text) })).toBe(true);
    expect(jsonlImporter.detect({ name: "x.ndjson", data: bytes(`\n${text}`) })).toBe(true);
    expect(jsonlImporter.detect({ name: "documents.json", data: bytes(text) })).toBe(false);
    const doccano = '{"text": "Berlin", "label": [[0, 6, "LOC"]]}\n';
    expect(jsonlImporter.detect({ name: "doccano.jsonl", data: bytes(doccano) })).toBe(false);
    expect(jsonlImporter.detect({ name: "broken.jsonl", data: bytes('{"text": ') })).toBe(false);
    expect(jsonlImporter.detect({ name: "empty.jsonl", data: bytes("") })).toBe(false);
  });

  it("reads back ids, kinds, attributes, annotators, meta and codes unchanged", () => {
    const dataset = fixtureDataset();
    const text = fileText(exportParts(dataset), "documents.jsonl");
    const { documents, warnings } = jsonlImporter.read([
      { name: "documents.jsonl", data: bytes(text) },
    ]);
    expect(warnings).toEqual([]);
    expect(documents.map((d) => d.origin)).toEqual([
      "documents.jsonl:1",
      "documents.jsonl:2",
      "documents.jsonl:3",
    ]);
    const expected = dataset.documents.map((d) => ({
      ...d,
      spans: [...d.spans].sort(compareSpans),
    }));
    expect(rebuild(dataset, documents)).toEqual(expected);
    expect(documents.every((d) => d.spans.every((s) => s.id && s.kind && s.text))).toBe(true);
  });

  it("round-trips to identical bytes (export → import → export)", () => {
    const dataset = fixtureDataset();
    const first = exportParts(dataset);
    const { documents } = jsonlImporter.read([
      { name: "documents.jsonl", data: bytes(fileText(first, "documents.jsonl")) },
    ]);
    const second = exportParts({ ...dataset, documents: rebuild(dataset, documents) });
    expect(second).toEqual(first);
  });

  it("accepts CRLF line ends, blank lines and a byte-order mark", () => {
    const text = fileText(exportParts(fixtureDataset()), "documents.jsonl");
    const windows = `\uFEFF${text.trimEnd().split("\n").join("\r\n\r\n")}\r\n`;
    const { documents } = jsonlImporter.read([{ name: "w.jsonl", data: bytes(windows) }]);
    expect(documents.map((d) => d.origin)).toEqual(["w.jsonl:1", "w.jsonl:3", "w.jsonl:5"]);
    expect(documents[0]?.text).toBe(trickyText);
  });

  it("names the file and line of a truncated JSON line", () => {
    const text = fileText(exportParts(fixtureDataset()), "documents.jsonl");
    const lines = text.trimEnd().split("\n");
    const broken = `${lines[0]}\n${lines[1]?.slice(0, 40)}\n${lines[2]}\n`;
    const error = readError("documents.jsonl", broken);
    expect(error.file).toBe("documents.jsonl");
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^documents\.jsonl:2: not valid JSON/);
  });

  it("rejects wrong types with the line", () => {
    const line = (doc: object) => `${JSON.stringify(doc)}\n`;
    const good = { text: "Berlin", spans: [{ start: 0, end: 6, label: "LOC" }] };
    expect(readError("a.jsonl", line(good) + line({ ...good, text: 5 })).message).toBe(
      'a.jsonl:2: "text" must be a string',
    );
    expect(readError("a.jsonl", line({ text: "Berlin", spans: {} })).message).toBe(
      'a.jsonl:1: "spans" must be a list',
    );
    expect(
      readError("a.jsonl", line({ text: "Berlin", spans: [{ start: "0", end: 6, label: "LOC" }] }))
        .message,
    ).toBe('a.jsonl:1: span 1: "start" and "end" must be whole numbers');
    expect(
      readError("a.jsonl", line({ text: "Berlin", spans: [{ start: 0, end: 6 }] })).message,
    ).toMatch(/a\.jsonl:1: span 1: "label" must be a non-empty string/);
    expect(
      readError(
        "a.jsonl",
        line({ ...good, spans: [{ start: 0, end: 6, label: "LOC", kind: "x" }] }),
      ).message,
    ).toMatch(/^a\.jsonl:1: span 1: kind "x" is not one of entity, date, stance/);
    expect(readError("a.jsonl", line({ ...good, codes: { topic: { a: 1 } } })).message).toBe(
      'a.jsonl:1: code "topic" must be a string, a number or a list of strings',
    );
    expect(readError("a.jsonl", line({ ...good, meta: { title: 3 } })).message).toBe(
      'a.jsonl:1: meta: "title" must be a string',
    );
    expect(readError("a.jsonl", "[1, 2]\n").message).toBe(
      "a.jsonl:1: each line must be a JSON object",
    );
  });

  it("rejects a span whose text differs from its code-point slice, naming line and span id", () => {
    const text = "🙂 Zu\u0308rich liegt am See";
    // UTF-16 offsets (3–10, as JavaScript counts) slice wrongly: the code-point span is 2–9.
    const doc = {
      text,
      spans: [{ id: "z1", start: 3, end: 10, label: "LOC", text: "Zu\u0308rich" }],
    };
    const error = readError(
      "b.jsonl",
      `${JSON.stringify({ text, spans: [] })}\n${JSON.stringify(doc)}\n`,
    );
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^b\.jsonl:2: span z1: its text "Zu\u0308rich" differs/);
    const good = { ...doc, spans: [{ ...doc.spans[0], start: 2, end: 9 }] };
    const { documents } = jsonlImporter.read([
      { name: "b.jsonl", data: bytes(JSON.stringify(good)) },
    ]);
    expect(documents[0]?.spans[0]?.text).toBe("Zu\u0308rich");
  });

  it("rejects offsets beyond the text and empty ranges", () => {
    const doc = (start: number, end: number) =>
      JSON.stringify({ text: "👍🏽 ok", spans: [{ id: "s", start, end, label: "X" }] });
    // 4 code points: 👍 🏽 space o k → 5; UTF-16 length is 7.
    expect(readError("c.jsonl", doc(3, 7)).message).toBe(
      "c.jsonl:1: span s: offsets 3–7 are beyond the text (5 code points)",
    );
    expect(readError("c.jsonl", doc(3, 3)).message).toBe(
      "c.jsonl:1: span s: offsets 3–3 are not a range",
    );
    expect(readError("c.jsonl", doc(-1, 2)).message).toMatch(/offsets -1–2 are not a range/);
  });

  it("rejects an empty file and invalid UTF-8", () => {
    expect(readError("empty.jsonl", "").message).toBe("empty.jsonl: the file is empty");
    expect(readError("blank.jsonl", "\n  \r\n").message).toBe("blank.jsonl: the file is empty");
    let caught: unknown;
    try {
      jsonlImporter.read([{ name: "bad.jsonl", data: new Uint8Array([0x7b, 0xff, 0x7d]) }]);
    } catch (error) {
      caught = error;
    }
    expect((caught as Error).message).toBe("bad.jsonl: is not valid UTF-8");
  });
});
