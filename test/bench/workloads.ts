/**
 * Seeded workloads of PERFORMANCE.md as project folders on disk: German
 * news-like text with entity, date and stance spans, about a fifth of them
 * overlapping or nested (stance clauses around names), one or two coders.
 * Generated on demand into `.cache/workloads/<name>` (outside git) and reused.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { starterCodebook } from "../../electron/project/create-project";
import { anchorContext } from "../../shared/anchoring";
import { formatFileData } from "../../shared/file-formats";
import type { AnnotationFile, ArticleMeta, StoredAnnotation } from "../../shared/project-files";

/** The repository root. */
const REPO = path.resolve(import.meta.dirname, "..", "..");

/** A workload: how many articles of what length, how many spans each, how many coders. */
export interface WorkloadSpec {
  name: string;
  articles: number;
  /** Approximate text length per article in characters. */
  chars: number;
  spansPerArticle: number;
  coders: string[];
  /** Leave out paragraph breaks (W4). */
  oneParagraph?: boolean;
}

/** The workloads of PERFORMANCE.md that are whole projects (W1–W4 are single articles). */
export const WORKLOADS: Record<string, WorkloadSpec> = {
  W1: { name: "W1", articles: 1, chars: 1_000_000, spansPerArticle: 20_000, coders: ["alice"] },
  W2: { name: "W2", articles: 1, chars: 1_000_000, spansPerArticle: 2_000, coders: ["alice"] },
  W3: { name: "W3", articles: 1, chars: 100_000, spansPerArticle: 2_000, coders: ["alice"] },
  W4: {
    name: "W4",
    articles: 1,
    chars: 1_000_000,
    spansPerArticle: 20_000,
    coders: ["alice"],
    oneParagraph: true,
  },
  W5: { name: "W5", articles: 200, chars: 50_000, spansPerArticle: 500, coders: ["alice", "bob"] },
  W6: {
    name: "W6",
    articles: 10_000,
    chars: 3_000,
    spansPerArticle: 30,
    coders: ["alice", "bob"],
  },
};

/** Bumped whenever generated data changes, so cached workloads are rebuilt. */
const GENERATOR_VERSION = 2;

/**
 * The same workloads scaled down for `npm run bench -- --quick` (CI proves the
 * harness works; its numbers are not the benchmark).
 */
export function quickSpec(spec: WorkloadSpec): WorkloadSpec {
  return {
    ...spec,
    articles: Math.max(1, Math.ceil(spec.articles / 50)),
    chars: Math.max(3_000, Math.round(spec.chars / 10)),
    spansPerArticle: Math.max(30, Math.round(spec.spansPerArticle / 10)),
  };
}

/** Share of span sentences that also carry a stance (nesting PER, DATE and LOC). */
const STANCE_SHARE = 0.21;
/** Spans per span sentence, tuned so that the workloads get their span counts. */
const SPANS_PER_SENTENCE = 3.6 + STANCE_SHARE;

/** Mulberry32, seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PEOPLE = [
  "Wolodymyr Selenskyj",
  "Rustem Umjerow",
  "Steve Witkoff",
  "Dmitri Peskow",
  "Ursula von der Leyen",
  "Friedrich Merz",
  "Emmanuel Macron",
  "Kaja Kallas",
  "Jörg Müller",
  "Zoë Öztürk",
];
const ORGS = [
  "Europäische Kommission",
  "Nato",
  "Vereinte Nationen",
  "Bundesregierung",
  "Kreml",
  "OSZE",
  "Weltbank",
];
const PLACES = ["Kiew", "Berlin", "Moskau", "Genf", "Brüssel", "Washington", "Charkiw", "Zürich"];
const DATES = [
  "am Mittwoch",
  "am 3. Jänner 2026",
  "nächste Woche",
  "im Dezember",
  "am 18. Dezember 2025",
  "Anfang Januar",
];
const VERBS = ["betonte", "sagte", "erklärte", "wiederholte", "bekräftigte", "warnte"];
const CLAUSES = [
  "ohne verbindliche Garantien werde es keinen Waffenstillstand geben",
  "die Gespräche seien auf einem guten Weg",
  "eine Stationierung von Soldaten sei ausgeschlossen",
  "man stehe bereit, einen Beitrag zur Absicherung zu leisten",
  "die Vorschläge gingen nicht weit genug",
];
const FILLER =
  "Die Verhandlungen dauerten bis in den späten Abend, Diplomaten sprachen von zähen Runden und offenen Fragen 🤝 zu Sicherheitsgarantien, Grenzen und Zeitplänen.";

function pick<T>(list: readonly T[], rnd: () => number): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

/** One generated article: text and spans (code points), as one coder coded it. */
export function generateArticle(
  spec: WorkloadSpec,
  index: number,
  coder: string,
): { text: string; spans: Omit<StoredAnnotation, "prefix" | "suffix" | "quote">[] } {
  const rnd = random(index * 7919 + 17);
  const coderRnd = random(index * 104_729 + coder.length * 31 + coder.charCodeAt(0));
  const parts: string[] = [];
  const spans: Omit<StoredAnnotation, "prefix" | "suffix" | "quote">[] = [];
  let length = 0; // code points
  const push = (piece: string) => {
    parts.push(piece);
    length += [...piece].length;
  };
  let n = 0;
  const add = (
    kind: StoredAnnotation["kind"],
    label: string,
    start: number,
    end: number,
    extra: Partial<StoredAnnotation> = {},
  ) => {
    // The second coder leaves out or shifts a few spans, like a real second coder.
    if (coder !== "alice" && coderRnd() < 0.1) return;
    n++;
    spans.push({ id: `${coder}-${String(n).padStart(6, "0")}`, kind, label, start, end, ...extra });
  };
  const sentenceBudget = spec.spansPerArticle / SPANS_PER_SENTENCE;
  const spanRate = Math.min(1, sentenceBudget / (spec.chars / 150));
  let sentence = 0;
  while (length < spec.chars) {
    if (rnd() < spanRate) {
      // "<Person> <verb> <date>, <clause>." with PER, DATE and an overlapping STANCE over person + clause.
      const person = pick(PEOPLE, rnd);
      const date = pick(DATES, rnd);
      const clause = pick(CLAUSES, rnd).replace("Soldaten", `Soldaten in ${pick(PLACES, rnd)}`);
      const personStart = length;
      push(person);
      add("entity", "PER", personStart, length);
      push(` ${pick(VERBS, rnd)} `);
      const dateStart = length;
      push(date);
      add("date", "DATE", dateStart, length, { value: "2025-12-17" });
      push(", ");
      const clauseStart = length;
      push(clause);
      const place = PLACES.find((p) => clause.includes(p));
      if (place) {
        const at = clauseStart + [...clause.slice(0, clause.indexOf(place))].length;
        add("entity", "LOC", at, at + [...place].length);
      }
      // A stance over person and clause in about a fifth of the sentences, so that
      // ~20 % of all spans overlap or nest (the stance and what it contains).
      const polarity = pick(["favour", "against", "neutral"], rnd);
      if (rnd() < STANCE_SHARE)
        add("stance", "STANCE", personStart, length, { target: "security-guarantees", polarity });
      push(". ");
      const org = pick(ORGS, rnd);
      push("Auch die ");
      const orgStart = length;
      push(org);
      add("entity", "ORG", orgStart, length);
      push(" äußerte sich. ");
    } else {
      push(`${FILLER} `);
    }
    sentence++;
    if (!spec.oneParagraph && sentence % 6 === 0) {
      parts[parts.length - 1] = (parts[parts.length - 1] as string).trimEnd();
      length -= 1;
      push("\n\n");
    }
  }
  const text = parts.join("").trimEnd();
  const textLength = [...text].length;
  return { text, spans: spans.filter((s) => s.end <= textLength) };
}

/** A single-article workload (W1–W4) as plain data for any tool: text and spans. */
export interface WorkloadDocument {
  name: string;
  text: string;
  /** Offsets in code points, like Tagwerk's files; `kind` is entity, date or stance. */
  spans: { id: string; kind: string; label: string; start: number; end: number }[];
}

/** The first article of a workload as text and spans (the first coder's), as every tool gets it. */
export function workloadDocument(name: string, quick = false): WorkloadDocument {
  const base = WORKLOADS[name] as WorkloadSpec;
  const spec = quick ? quickSpec(base) : base;
  const coder = spec.coders[0] as string;
  const article = generateArticle(spec, 0, coder);
  return {
    name,
    text: article.text,
    spans: article.spans.map((s) => ({
      id: s.id,
      kind: s.kind,
      label: s.label,
      start: s.start,
      end: s.end,
    })),
  };
}

/**
 * Writes the workload as a project folder (once) and returns its path;
 * `quick` gives the scaled-down version in its own folder.
 */
export async function workloadProject(
  name: keyof typeof WORKLOADS,
  quick = false,
): Promise<string> {
  const base = WORKLOADS[name] as WorkloadSpec;
  const spec = quick ? quickSpec(base) : base;
  const root = path.join(REPO, ".cache", "workloads", quick ? "quick" : "full", spec.name);
  const stamp = JSON.stringify({ version: GENERATOR_VERSION, spec });
  const marker = path.join(root, ".complete");
  if (existsSync(marker) && (await readFile(marker, "utf8")) === stamp) return root;
  // Built in a folder of its own and renamed into place, so that two benchmark
  // processes generating the same workload at once do not write into each other.
  const build = `${root}.building-${process.pid}`;
  await rm(build, { recursive: true, force: true });
  await mkdir(path.join(build, "articles"), { recursive: true });
  await writeFile(
    path.join(build, "tagwerk.json"),
    formatFileData("project", {
      schemaVersion: 2,
      name: `Workload ${spec.name}`,
      settings: { defaultLanguage: "de" },
    }),
  );
  await writeFile(path.join(build, "codebook.json"), formatFileData("codebook", starterCodebook()));
  for (let i = 0; i < spec.articles; i++) {
    const id = `${spec.name.toLowerCase()}-${String(i).padStart(5, "0")}`;
    let text = "";
    const files: AnnotationFile[] = [];
    for (const coder of spec.coders) {
      const article = generateArticle(spec, i, coder);
      text = article.text;
      const hash = `sha256:${createHash("sha256").update(text).digest("hex")}`;
      files.push({
        schemaVersion: 2,
        article: id,
        coder,
        textHash: hash,
        status: "done",
        codes: {},
        annotations: article.spans.map((s) => ({ ...s, ...anchorContext(text, s.start, s.end) })),
        orphans: [],
      });
    }
    const meta: ArticleMeta = {
      schemaVersion: 2,
      id,
      title: `Artikel ${i + 1}`,
      source: "Generator",
      url: "",
      date: "2025-12-18",
      language: "de",
      importedAt: "2026-01-01T00:00:00.000Z",
      textHash: `sha256:${createHash("sha256").update(text).digest("hex")}`,
    };
    await writeFile(path.join(build, "articles", `${id}.txt`), text);
    await writeFile(path.join(build, "articles", `${id}.json`), formatFileData("article", meta));
    await mkdir(path.join(build, "coding", id), { recursive: true });
    for (const file of files)
      await writeFile(
        path.join(build, "coding", id, `${file.coder}.json`),
        formatFileData("coding", file),
      );
  }
  await writeFile(path.join(build, ".complete"), stamp);
  if (existsSync(marker) && (await readFile(marker, "utf8")) === stamp) {
    await rm(build, { recursive: true, force: true }); // someone else finished first
    return root;
  }
  await rm(root, { recursive: true, force: true });
  await rename(build, root);
  return root;
}
