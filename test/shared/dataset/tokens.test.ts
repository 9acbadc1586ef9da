import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DatasetDocument } from "../../../shared/dataset/dataset";
import { LossReport } from "../../../shared/dataset/loss-report";
import {
  parseSplitRatios,
  type SplitOptions,
  splitDocuments,
} from "../../../shared/dataset/splits";
import { tagNames, tagTokens } from "../../../shared/dataset/token-tags";
import { tokenize, wordRanges } from "../../../shared/dataset/tokens";
import { codePointSpan, fixtureDataset, trickyText } from "./fixtures";

const slice = (text: string, start: number, end: number) => [...text].slice(start, end).join("");

describe("tokenize", () => {
  it("gives code-point offsets that slice to the token, after emoji, NFD marks, Arabic and CRLF", () => {
    const { tokens } = tokenize(trickyText, "de");
    expect(tokens.length).toBeGreaterThan(40);
    for (const token of tokens) expect(slice(trickyText, token.start, token.end)).toBe(token.text);
    expect(tokens.map((t) => t.text)).toContain("Zu\u0308rich");
    expect(tokens.map((t) => t.text)).toContain("👍🏽");
    expect(tokens.map((t) => t.text)).toContain("الأمم");
    // Text = tokens + the whitespace after each (the leading whitespace aside).
    expect(tokens.map((t) => t.text + t.whitespaceAfter).join("")).toBe(trickyText);
  });

  it("splits punctuation off words and keeps no whitespace tokens", () => {
    const { tokens } = tokenize("Er sagte: „Nein.“  Dann\tging er.", "de");
    expect(tokens.map((t) => t.text)).toEqual([
      "Er",
      "sagte",
      ":",
      "„",
      "Nein",
      ".",
      "“",
      "Dann",
      "ging",
      "er",
      ".",
    ]);
  });

  it("ends sentences at line breaks but not after German ordinals, initials or abbreviations", () => {
    const text = "Am 3. Jänner traf Dr. Müller z. B. Herrn J. Smith.\nEr kam. Sie ging.";
    const { tokens, sentences } = tokenize(text, "de");
    const words = sentences.map(([a, b]) =>
      tokens
        .slice(a, b)
        .map((t) => t.text)
        .join(" "),
    );
    expect(words).toEqual([
      "Am 3 . Jänner traf Dr . Müller z . B . Herrn J . Smith .",
      "Er kam .",
      "Sie ging .",
    ]);
  });

  it("handles empty and whitespace-only text", () => {
    expect(tokenize("", "de")).toEqual({ tokens: [], sentences: [] });
    expect(tokenize(" \n\t ", "de").tokens).toEqual([]);
  });
});

function doc(text: string, spans: Array<[string, string, number?]>): DatasetDocument {
  return {
    id: "d",
    text,
    meta: { title: "", source: "", url: "", date: "", language: "en" },
    annotator: "a",
    codes: {},
    spans: spans.map(([label, quote, occurrence], i) => {
      const [start, end] = codePointSpan(text, quote, occurrence ?? 0);
      return {
        id: `s${i}`,
        start,
        end,
        label,
        kind: label === "STANCE" ? "stance" : "entity",
        text: quote,
      };
    }),
  };
}

function tags(d: DatasetDocument, scheme: "iob1" | "iob2" | "bioes", report = new LossReport("t")) {
  return tagTokens(d, tokenize(d.text, "en"), scheme, report).tags;
}

describe("tagTokens", () => {
  const adjacent = doc("Merz Macron met Olaf Scholz in Paris", [
    ["PER", "Merz"],
    ["PER", "Macron"],
    ["PER", "Olaf Scholz"],
    ["LOC", "Paris"],
  ]);

  it("writes IOB2, IOB1 and BIOES as their definitions say", () => {
    expect(tags(adjacent, "iob2")).toEqual(["B-PER", "B-PER", "O", "B-PER", "I-PER", "O", "B-LOC"]);
    // IOB1: B- only where a chunk directly follows one of the same type.
    expect(tags(adjacent, "iob1")).toEqual(["I-PER", "B-PER", "O", "I-PER", "I-PER", "O", "I-LOC"]);
    expect(tags(adjacent, "bioes")).toEqual([
      "S-PER",
      "S-PER",
      "O",
      "B-PER",
      "E-PER",
      "O",
      "S-LOC",
    ]);
  });

  it("keeps the outermost of nested spans and reports the rest with an example", () => {
    const report = new LossReport("t");
    const nested = doc("The Bank of America said", [
      ["ORG", "Bank of America"],
      ["LOC", "America"],
    ]);
    expect(tags(nested, "bioes", report)).toEqual(["O", "B-ORG", "I-ORG", "E-ORG", "O"]);
    const item = report.toData().items.find((i) => i.code === "overlap");
    expect(item?.count).toBe(1);
    expect(item?.examples[0]).toContain('LOC "America"');
  });

  it("widens spans that cut into a token and reports them", () => {
    const report = new LossReport("t");
    const d = doc("Selenskyjs Rede", [["PER", "Selenskyj"]]);
    expect(tags(d, "iob2", report)).toEqual(["B-PER", "O"]);
    expect(report.toData().items.map((i) => i.code)).toEqual(["not-on-token-boundary"]);
  });

  it("leaves kinds that were not asked for out, and says so", () => {
    const report = new LossReport("t");
    const d = doc("Merz says no to Paris", [
      ["STANCE", "Merz says no"],
      ["PER", "Merz"],
    ]);
    expect(tags(d, "iob2", report)).toEqual(["B-PER", "O", "O", "O", "O"]);
    expect(report.toData().items[0]?.code).toBe("kind-stance-not-tagged");
  });

  it("cuts a span crossing a sentence boundary into one chunk per sentence", () => {
    const report = new LossReport("t");
    const d = doc("It was Anna.\nMaria came.", [["PER", "Anna.\nMaria"]]);
    expect(tags(d, "bioes", report)).toEqual(["O", "O", "B-PER", "E-PER", "S-PER", "O", "O"]);
    expect(report.toData().items[0]?.code).toBe("crosses-sentence");
  });

  it("names tags O first, then each label's prefixes", () => {
    expect(tagNames(["PER", "LOC"], "iob2")).toEqual(["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]);
    expect(tagNames(["PER"], "bioes")).toEqual(["O", "B-PER", "I-PER", "E-PER", "S-PER"]);
  });
});

describe("splitDocuments", () => {
  const many = (): DatasetDocument[] => {
    const base = fixtureDataset().documents[2] as DatasetDocument;
    const out: DatasetDocument[] = [];
    for (let i = 0; i < 50; i++) {
      for (const annotator of ["alice", "bob"]) {
        out.push({
          ...base,
          id: `a${String(i).padStart(2, "0")}`,
          annotator,
          codes: { topic: i % 5 === 0 ? "war" : "economy" },
        });
      }
    }
    return out;
  };
  const options: SplitOptions = { ratios: [80, 10, 10], seed: 7 };

  it("splits by article with the asked sizes, every annotator's version in the same part", () => {
    const parts = splitDocuments(many(), options);
    expect(parts.map((p) => p.name)).toEqual(["train", "validation", "test"]);
    expect(parts.map((p) => new Set(p.documents.map((d) => d.id)).size)).toEqual([40, 5, 5]);
    const partOf = new Map<string, string>();
    for (const part of parts)
      for (const d of part.documents) {
        expect(partOf.get(d.id) ?? part.name).toBe(part.name);
        partOf.set(d.id, part.name);
      }
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const ids = (seed: number) =>
      splitDocuments(many(), { ...options, seed }).map((p) => p.documents.map((d) => d.id).join());
    expect(ids(7)).toEqual(ids(7));
    expect(ids(7)).not.toEqual(ids(8));
  });

  it("stratifies by a document code", () => {
    const parts = splitDocuments(many(), { ...options, stratifyBy: "topic" });
    const war = (p: { documents: DatasetDocument[] }) =>
      new Set(p.documents.filter((d) => d.codes.topic === "war").map((d) => d.id)).size;
    expect(parts.map(war)).toEqual([8, 1, 1]);
  });

  it("reads ratios and refuses nonsense", () => {
    expect(parseSplitRatios("80/10/10")).toEqual([80, 10, 10]);
    expect(parseSplitRatios("90/10")).toEqual([90, 10, 0]);
    expect(() => parseSplitRatios("80/30/10")).toThrow(/add up to 100/);
    expect(() => parseSplitRatios("eighty")).toThrow(/80\/10\/10/);
  });
});

describe("wordRanges fast path", () => {
  const pool = [
    ..."aäbcZüßé0189 ,.;:!?-–—„“\"'’()[]/%€$_@#&*+",
    "\u0301",
    "\u0308",
    "\u00ad",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00a0",
    "\u202f",
    " \u202f ",
    " \ufeff ",
    " \u0301 ",
    " \u0085 ",
    " – ",
    " 🤝 ",
    " \ud83e ",
    " \udd1d ",
    "\t",
    "\n",
    "\r\n",
    "\u0085",
    "\u2028",
    "🙂",
    "👍🏽",
    "🇺🇦",
    "👩‍💻",
    "©",
    "北京",
    "東京タワー",
    "ไทย",
    "שלום",
    "ש'",
    "الأمم",
    "٣",
    "Ж",
    "ω",
    "ﬁ",
    "Ａ",
    "²",
    "½",
    "U.S.",
    "3.5",
    "Nato-Soldaten",
    "Witkoff's",
    "e.g.",
    "z. B.",
    "www.example.org",
  ];
  it("splits exactly like Intl.Segmenter on random text", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        expect(wordRanges(text, "de")).toEqual(wordRanges(text, "de", false));
      }),
      { numRuns: 3000 },
    );
  });

  it("agrees on the fixture text and on real article text", () => {
    expect(wordRanges(trickyText, "de")).toEqual(wordRanges(trickyText, "de", false));
    const text =
      "„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch (SPD) am 3. Jänner 2026 – und: 50 % mehr!";
    expect(wordRanges(text, "de")).toEqual(wordRanges(text, "de", false));
  });
});
