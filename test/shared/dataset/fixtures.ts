/**
 * A small, deliberately awkward dataset shared by the exporter and importer
 * tests: emoji (astral code points) before spans, NFD combining marks, Arabic
 * (right-to-left) script, CRLF line ends, nested and overlapping spans, every
 * span kind with its attributes, document codes of every type, two annotators.
 */

import type { Dataset, DatasetDocument, DatasetSpan } from "../../../shared/dataset/dataset";
import type { ExportOptions } from "../../../shared/dataset/format-types";
import type { Codebook } from "../../../shared/project-files";

/** Code-point offsets of the `occurrence`-th `quote` in `text` (0-based). */
export function codePointSpan(text: string, quote: string, occurrence = 0): [number, number] {
  let from = -1;
  for (let i = 0; i <= occurrence; i++) {
    from = text.indexOf(quote, from + 1);
    if (from < 0) throw new Error(`"${quote}" (#${occurrence}) not in text`);
  }
  const start = [...text.slice(0, from)].length;
  return [start, start + [...quote].length];
}

function span(
  text: string,
  id: string,
  label: string,
  kind: DatasetSpan["kind"],
  quote: string,
  extra: Partial<DatasetSpan> = {},
  occurrence = 0,
): DatasetSpan {
  const [start, end] = codePointSpan(text, quote, occurrence);
  return { id, start, end, label, kind, text: quote, ...extra };
}

/** The codebook of the fixture (schema v2). */
export const fixtureCodebook: Codebook = {
  schemaVersion: 2,
  version: 3,
  labels: [
    {
      id: "PER",
      kind: "entity",
      name: "Person",
      color: "#2563eb",
      hotkey: "p",
      description: "",
      examples: [],
    },
    {
      id: "ORG",
      kind: "entity",
      name: "Organisation",
      color: "#16a34a",
      hotkey: "o",
      description: "",
      examples: [],
    },
    {
      id: "LOC",
      kind: "entity",
      name: "Place",
      color: "#ca8a04",
      hotkey: "l",
      description: "",
      examples: [],
    },
    {
      id: "DATE",
      kind: "date",
      name: "Date",
      color: "#9333ea",
      hotkey: "d",
      description: "",
      examples: [],
    },
    {
      id: "STANCE",
      kind: "stance",
      name: "Stance",
      color: "#dc2626",
      hotkey: "s",
      description: "",
      examples: [],
    },
  ],
  stanceTargets: [{ id: "ceasefire", name: "Ceasefire", description: "" }],
  stanceScale: [
    { id: "favour", name: "In favour" },
    { id: "against", name: "Against" },
    { id: "neutral", name: "Neutral" },
  ],
  documentVariables: [
    { id: "topic", name: "Topic", type: "single", options: ["war", "economy"], description: "" },
    { id: "actors", name: "Actors", type: "multi", options: ["eu", "us", "ru"], description: "" },
    { id: "summary", name: "Summary", type: "text", options: [], description: "" },
    { id: "sources", name: "Number of sources", type: "number", options: [], description: "" },
  ],
};

/** Emoji, NFD "Zürich" (u + U+0308), Arabic, CRLF. */
export const trickyText =
  "🇺🇦 Kyiv 🙂 — Der Bürgermeister von Zu\u0308rich, Corine Mauch, traf am 3. Jänner 2026 Wolodymyr Selenskyj.\r\n" +
  "Die Vereinten Nationen (UN) und الأمم المتحدة fordern eine Waffenruhe.\r\n" +
  "„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch 👍🏽 in Zu\u0308rich.";

/** A plain second article. */
export const plainText = "Berlin, 18. Dezember 2025. Friedrich Merz traf Emmanuel Macron in Paris.";

function trickyDoc(annotator: string): DatasetDocument {
  const t = trickyText;
  const spans: DatasetSpan[] = [
    span(t, "a-kyiv", "LOC", "entity", "Kyiv"),
    span(t, "a-zurich", "LOC", "entity", "Zu\u0308rich"),
    span(t, "a-mauch", "PER", "entity", "Corine Mauch", { entity: "corine-mauch" }),
    span(t, "a-date", "DATE", "date", "3. Jänner 2026", { value: "2026-01-03" }),
    span(t, "a-zel", "PER", "entity", "Wolodymyr Selenskyj", { note: "spelling as in the source" }),
    span(t, "a-un", "ORG", "entity", "Vereinten Nationen (UN)"),
    span(t, "a-un2", "ORG", "entity", "UN"),
    span(t, "a-arabic", "ORG", "entity", "الأمم المتحدة"),
    span(
      t,
      "a-stance",
      "STANCE",
      "stance",
      "„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch",
      {
        target: "ceasefire",
        polarity: "favour",
        holder: "corine-mauch",
      },
    ),
    span(t, "a-mauch2", "PER", "entity", "Mauch", {}, 1),
    span(t, "a-zurich2", "LOC", "entity", "Zu\u0308rich", {}, 1),
  ];
  if (annotator === "bob") {
    spans.splice(0, spans.length, ...spans.filter((s) => s.id !== "a-un2" && s.id !== "a-arabic"));
    spans.push(span(t, "b-part", "PER", "entity", "Wolodymyr"));
  }
  return {
    id: "2026-01-03-zurich-a1b2c3d4",
    text: t,
    meta: {
      title: "Zürich trifft Kyiv",
      source: "Tagblatt",
      url: "https://example.org/a",
      date: "2026-01-03",
      language: "de",
    },
    annotator,
    spans,
    codes: {
      topic: "war",
      actors: ["eu", "ru"],
      summary: 'Mayor meets "Selenskyj", talks; ceasefire',
      sources: 2,
    },
  };
}

/** The fixture dataset: the tricky article by alice and bob, the plain one by alice. */
export function fixtureDataset(): Dataset {
  const p = plainText;
  const plain: DatasetDocument = {
    id: "2025-12-18-merz-macron-0f0f0f0f",
    text: p,
    meta: { title: "Merz trifft Macron", source: "", url: "", date: "2025-12-18", language: "de" },
    annotator: "alice",
    spans: [
      span(p, "p-berlin", "LOC", "entity", "Berlin"),
      span(p, "p-date", "DATE", "date", "18. Dezember 2025", { value: "2025-12-18" }),
      span(p, "p-merz", "PER", "entity", "Friedrich Merz"),
      span(p, "p-macron", "PER", "entity", "Emmanuel Macron"),
      span(p, "p-paris", "LOC", "entity", "Paris"),
    ],
    codes: { topic: "economy" },
  };
  return {
    projectName: "Fixture project",
    codebook: fixtureCodebook,
    entities: [
      {
        id: "corine-mauch",
        name: "Corine Mauch",
        label: "PER",
        aliases: ["Mauch"],
        externalId: "Q119024",
      },
    ],
    documents: [trickyDoc("alice"), trickyDoc("bob"), plain],
  };
}

/** Export options with fixed values, so exports are byte-identical across runs. */
export const fixtureOptions: ExportOptions = {
  scheme: "iob2",
  tagKinds: ["entity", "date"],
  excelBom: false,
  generator: "Tagwerk test",
  exportedAt: "2026-01-01T00:00:00.000Z",
};
