import { describe, expect, it } from "vitest";
import {
  compareSpans,
  type Dataset,
  type DatasetDocument,
  type DatasetPart,
  type ExportFile,
} from "../../../shared/dataset/dataset";
import { DatasetFileError, type ImportedDocument } from "../../../shared/dataset/format-types";
import {
  labelStudioExporter,
  labelStudioImporter,
} from "../../../shared/dataset/formats/labelstudio";
import { LossReport } from "../../../shared/dataset/loss-report";
import { fixtureDataset, fixtureOptions, plainText, trickyText } from "./fixtures";

const slice = (text: string, start: number, end: number) => [...text].slice(start, end).join("");
const bytes = (text: string) => new TextEncoder().encode(text);

interface Result {
  id?: string;
  from_name: string;
  to_name: string;
  type: string;
  value: Record<string, unknown> & { start?: number; end?: number };
}
interface Task {
  id: number;
  data: Record<string, string>;
  annotations: Array<{ id: number; completed_by: { email: string }; result: Result[] }>;
}

function exportParts(dataset: Dataset, parts?: DatasetPart[]) {
  const report = new LossReport("labelstudio");
  const files = labelStudioExporter.exportParts(
    dataset,
    parts ?? [{ name: "", documents: dataset.documents }],
    fixtureOptions,
    report,
  ) as ExportFile[];
  return { files, report };
}

function fileText(files: ExportFile[], path = "labelstudio.json"): string {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in ${files.map((f) => f.path).join(", ")}`);
  return typeof file.data === "string" ? file.data : new TextDecoder().decode(file.data);
}

const tasksOf = (files: ExportFile[], path?: string) => JSON.parse(fileText(files, path)) as Task[];

function read(content: string, name = "labelstudio.json") {
  return labelStudioImporter.read([{ name, data: bytes(content) }]);
}

/** Imported documents as the project would store them: kinds from the codebook. */
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

function readError(content: string, name = "ls.json"): DatasetFileError {
  try {
    read(content, name);
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetFileError);
    return error as DatasetFileError;
  }
  throw new Error("no error thrown");
}

/** A minimal task with one labels result. */
function task(text: string, value: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify([
    {
      id: 1,
      data: { text },
      annotations: [
        {
          id: 1,
          completed_by: 10,
          result: [{ id: "r1", from_name: "label", to_name: "text", type: "labels", value }],
        },
      ],
      ...extra,
    },
  ]);
}

describe("Label Studio export", () => {
  it("writes one task per article with one annotation per annotator", () => {
    const { files } = exportParts(fixtureDataset());
    expect(files.map((f) => f.path)).toEqual(["labelstudio.json"]);
    const tasks = tasksOf(files);
    expect(tasks.map((t) => t.id)).toEqual([1, 2]);
    expect(Object.keys(tasks[0]?.data ?? {})).toEqual([
      "text",
      "article",
      "title",
      "source",
      "url",
      "date",
      "language",
    ]);
    expect(tasks[0]?.data.text).toBe(trickyText);
    expect(tasks[1]?.data.text).toBe(plainText);
    expect(tasks.map((t) => t.annotations.map((a) => [a.id, a.completed_by]))).toEqual([
      [
        [1, { email: "alice@tagwerk.local" }],
        [2, { email: "bob@tagwerk.local" }],
      ],
      [[3, { email: "alice@tagwerk.local" }]],
    ]);
  });

  it("writes start/end as code points, so emoji, NFD, Arabic and CRLF stay right", () => {
    const dataset = fixtureDataset();
    const tasks = tasksOf(exportParts(dataset).files);
    const docs = dataset.documents;
    const annotations = tasks.flatMap((t) => t.annotations.map((a) => ({ text: t.data.text, a })));
    for (const [i, { text, a }] of annotations.entries()) {
      const labels = a.result.filter((r) => r.type === "labels");
      const original = [...(docs[i]?.spans ?? [])].sort(compareSpans);
      expect(labels.map((r) => r.id)).toEqual(original.map((s) => s.id));
      for (const r of labels) {
        const { start, end } = r.value as { start: number; end: number };
        expect(slice(text ?? "", start, end)).toBe(r.value.text);
      }
    }
    const kyiv = annotations[0]?.a.result.find((r) => r.id === "a-kyiv");
    // 🇺🇦 is two code points but four UTF-16 units: JavaScript would say 5.
    expect(kyiv?.value.start).toBe(3);
    expect(trickyText.indexOf("Kyiv")).toBe(5);
  });

  it("writes span attributes as per-region results sharing the region id", () => {
    const tasks = tasksOf(exportParts(fixtureDataset()).files);
    const result = tasks[0]?.annotations[0]?.result ?? [];
    const of = (id: string) => result.filter((r) => r.id === id).map((r) => [r.from_name, r.type]);
    expect(of("a-stance")).toEqual([
      ["label", "labels"],
      ["target", "choices"],
      ["polarity", "choices"],
      ["holder", "textarea"],
    ]);
    expect(of("a-mauch")).toEqual([
      ["label", "labels"],
      ["entity", "choices"],
    ]);
    expect(of("a-date")).toEqual([
      ["label", "labels"],
      ["value", "textarea"],
    ]);
    const note = result.find((r) => r.id === "a-zel" && r.from_name === "note");
    expect(note?.value).toMatchObject({ text: ["spelling as in the source"] });
    const polarity = result.find((r) => r.id === "a-stance" && r.from_name === "polarity");
    expect(polarity?.value.choices).toEqual(["favour"]);
    expect(polarity?.value.start).toBe(result.find((r) => r.id === "a-stance")?.value.start);
  });

  it("writes document codes as region-less results in codebook order", () => {
    const tasks = tasksOf(exportParts(fixtureDataset()).files);
    const codes = tasks[0]?.annotations[0]?.result.filter((r) => r.value.start === undefined);
    expect(codes).toEqual([
      { from_name: "topic", to_name: "text", type: "choices", value: { choices: ["war"] } },
      { from_name: "actors", to_name: "text", type: "choices", value: { choices: ["eu", "ru"] } },
      {
        from_name: "summary",
        to_name: "text",
        type: "textarea",
        value: { text: ['Mayor meets "Selenskyj", talks; ceasefire'] },
      },
      { from_name: "sources", to_name: "text", type: "number", value: { number: 2 } },
    ]);
  });

  it("carries everything of the fixture, and reports span ids it had to rename", () => {
    expect(exportParts(fixtureDataset()).report.lossCount).toBe(0);
    const dataset = fixtureDataset();
    const doc = dataset.documents[2] as DatasetDocument;
    doc.spans.push({
      ...(doc.spans[4] as DatasetDocument["spans"][number]),
      start: 0,
      end: 6,
      text: "Berlin",
    });
    const { files, report } = exportParts(dataset);
    const item = report.toData().items.find((i) => i.code === "span-id-renamed");
    expect(item?.count).toBe(1);
    // Sorted by start, the new span keeps the id and the later "Paris" is renamed.
    expect(item?.examples).toEqual(['2025-12-18-merz-macron-0f0f0f0f (alice) LOC "Paris" 66–71']);
    const ids = tasksOf(files)[1]?.annotations[0]?.result.map((r) => r.id);
    expect(ids).toContain("p-paris-2");
  });

  it("writes split parts into their folders", () => {
    const dataset = fixtureDataset();
    const [a, b, c] = dataset.documents as [DatasetDocument, DatasetDocument, DatasetDocument];
    const { files } = exportParts(dataset, [
      { name: "train", documents: [a, c] },
      { name: "test", documents: [b] },
    ]);
    expect(files.map((f) => f.path)).toEqual(["train/labelstudio.json", "test/labelstudio.json"]);
    expect(tasksOf(files, "train/labelstudio.json")).toHaveLength(2);
    const test = tasksOf(files, "test/labelstudio.json");
    expect(
      test.map((t) => [t.id, t.annotations[0]?.id, t.annotations[0]?.completed_by.email]),
    ).toEqual([[1, 1, "bob@tagwerk.local"]]);
  });

  it("gives the same bytes when exported twice", () => {
    expect(exportParts(fixtureDataset()).files).toEqual(exportParts(fixtureDataset()).files);
  });
});

describe("Label Studio import", () => {
  it("reads back spans, attributes, codes and annotators, and re-exports identical bytes", () => {
    const dataset = fixtureDataset();
    const first = exportParts(dataset).files;
    const { documents, warnings } = read(fileText(first));
    expect(warnings).toEqual([]);
    expect(documents.map((d) => [d.origin, d.annotator])).toEqual([
      ["labelstudio.json task 1", "alice"],
      ["labelstudio.json task 1", "bob"],
      ["labelstudio.json task 2", "alice"],
    ]);
    const expected = dataset.documents.map((d) => ({
      ...d,
      spans: [...d.spans].sort(compareSpans),
    }));
    expect(rebuild(dataset, documents)).toEqual(expected);
    const second = exportParts({ ...dataset, documents: rebuild(dataset, documents) }).files;
    expect(second).toEqual(first);
  });

  it("detects Label Studio task lists only", () => {
    const text = fileText(exportParts(fixtureDataset()).files);
    const detect = (name: string, content: string) =>
      labelStudioImporter.detect({ name, data: bytes(content) });
    expect(detect("project-1.json", text)).toBe(true);
    expect(detect("p.json", '{"data": {"text": "x"}, "predictions": []}')).toBe(true);
    expect(detect("p.jsonl", text)).toBe(false);
    expect(detect("p.json", '[{"text": "x", "spans": []}]')).toBe(false);
    expect(detect("p.json", '[{"data": {"text": "x"}')).toBe(false);
  });

  it("maps completed_by back to annotator names", () => {
    const annotation = (by: unknown) => ({ id: 1, completed_by: by, result: [] });
    const content = JSON.stringify([
      {
        data: { text: "x" },
        annotations: [
          annotation({ id: 3, email: "jane@example.org", first_name: "Jane" }),
          annotation(10),
          annotation({ id: 4 }),
          annotation({ email: "gold@tagwerk.local" }),
        ],
      },
    ]);
    expect(read(content).documents.map((d) => d.annotator)).toEqual([
      "jane@example.org",
      "user-10",
      "user-4",
      "gold",
    ]);
  });

  it("skips predictions, cancelled annotations and HyperText regions with warnings", () => {
    const content = JSON.stringify([
      {
        data: { text: "Berlin ist groß." },
        annotations: [
          { id: 1, was_cancelled: true, result: [] },
          {
            id: 2,
            completed_by: 1,
            result: [
              {
                id: "h",
                from_name: "label",
                to_name: "html",
                type: "labels",
                value: { start: "/p[1]/text()[1]", end: "/p[1]/text()[1]", labels: ["LOC"] },
              },
            ],
          },
        ],
        predictions: [{ result: [] }, { result: [] }],
      },
      { data: { text: "Nur Text." } },
    ]);
    const { documents, warnings } = read(content, "p.json");
    expect(documents.map((d) => [d.annotator, d.spans.length])).toEqual([
      ["user-1", 0],
      [undefined, 0],
    ]);
    expect(warnings).toEqual([
      "p.json: 2 prediction(s) left out (only annotations are read)",
      "p.json: skipped (cancelled) annotations are left out",
      "p.json: HyperText regions (XPath offsets) are not read",
    ]);
  });

  it("converts UTF-16 offsets of old exports when only they match the region's text", () => {
    const text = "🙂 Kyiv";
    const { documents, warnings } = read(
      task(text, { start: 3, end: 7, text: "Kyiv", labels: ["LOC"] }),
    );
    expect(documents[0]?.spans).toEqual([
      { id: "r1", start: 2, end: 6, label: "LOC", text: "Kyiv" },
    ]);
    expect(warnings[0]).toMatch(/UTF-16 units .* converted/);
    const current = read(task(text, { start: 2, end: 6, text: "Kyiv", labels: ["LOC"] }));
    expect(current.documents[0]?.spans[0]).toMatchObject({ start: 2, end: 6 });
    expect(current.warnings).toEqual([]);
  });

  it("makes one span per label of a multi-label region and reads other data keys", () => {
    const content = JSON.stringify({
      data: { my_text: "Paris" },
      annotations: [
        {
          result: [
            {
              id: "r",
              from_name: "l",
              to_name: "t",
              type: "labels",
              value: { start: 0, end: 5, labels: ["LOC", "ORG"] },
            },
            {
              id: "r",
              from_name: "note",
              to_name: "t",
              type: "textarea",
              value: { start: 0, end: 5, text: ["city"] },
            },
            { from_name: "topic", to_name: "t", type: "choices", value: { choices: ["war"] } },
            { from_name: "stars", to_name: "t", type: "rating", value: { rating: 3 } },
          ],
        },
      ],
    });
    const { documents, warnings } = read(content);
    expect(documents[0]?.spans).toEqual([
      { id: "r", start: 0, end: 5, label: "LOC", text: "Paris", note: "city" },
      { id: "r-2", start: 0, end: 5, label: "ORG", text: "Paris", note: "city" },
    ]);
    expect(documents[0]?.codes).toEqual({ topic: "war" });
    expect(warnings).toEqual(['labelstudio.json: "rating" results are not read']);
  });

  it("names the file and the line of broken JSON", () => {
    const text = fileText(exportParts(fixtureDataset()).files);
    const error = readError(text.slice(0, 200));
    expect(error.file).toBe("ls.json");
    expect(error.line).toBeGreaterThan(1);
    expect(error.message).toMatch(/^ls\.json:\d+: not valid JSON/);
  });

  it("names the file and task of wrong types, mismatched text and offsets beyond the text", () => {
    expect(readError(task("Berlin", { start: "0", end: 6, labels: ["LOC"] })).message).toBe(
      "ls.json: task 1, annotation 1, result 1: value.start and value.end must be whole numbers",
    );
    expect(readError(task("Berlin", { start: 0, end: 6, labels: "LOC" })).message).toBe(
      "ls.json: task 1, annotation 1, result 1: value.labels must be a list of label names",
    );
    expect(
      readError(task("Berlin", { start: 0, end: 3, text: "Berlin", labels: ["LOC"] })).message,
    ).toBe(
      'ls.json: task 1, annotation 1, result 1: its text "Berlin" differs from the text at 0–3 ("Ber")',
    );
    expect(readError(task("👍🏽 ok", { start: 3, end: 7, labels: ["X"] })).message).toBe(
      "ls.json: task 1, annotation 1, result 1: offsets 3–7 are beyond the text (5 code points)",
    );
    expect(readError(JSON.stringify([{ data: { text: "a" } }, { text: "b" }])).message).toBe(
      'ls.json: task 2: must be an object with "data"',
    );
    expect(readError(JSON.stringify([{ data: { a: 1 } }])).message).toBe(
      "ls.json: task 1: data.text must be the article text",
    );
    expect(
      readError(JSON.stringify([{ data: { text: "a" }, annotations: [{ result: {} }] }])).message,
    ).toBe('ls.json: task 1, annotation 1: "result" must be a list');
  });

  it("rejects an empty file", () => {
    expect(readError("").message).toBe("ls.json: the file is empty");
    expect(readError(" \n").message).toBe("ls.json: the file is empty");
  });
});
