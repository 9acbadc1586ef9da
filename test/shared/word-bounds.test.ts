import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countCodePoints, sliceCodePoints } from "../../shared/text-blocks";
import {
  nextWordEnd,
  nextWordStart,
  previousWordEnd,
  previousWordStart,
  sentenceAround,
  snapToWords,
} from "../../shared/word-bounds";

const TEXT =
  "👍 Präsident Wolodymyr Selensky sagte: „Wir brauchen Garantien.“ Dann ging er.\nNeuer Absatz hier.";
const at = (word: string) => [...TEXT.slice(0, TEXT.indexOf(word))].length;
const slice = (r: { start: number; end: number } | null) =>
  r ? sliceCodePoints(TEXT, r.start, r.end) : null;

describe("word bounds", () => {
  it("snaps a rough selection to whole words, without edge spaces or punctuation, also after emoji", () => {
    expect(slice(snapToWords(TEXT, at("Präsident") + 3, at("Selensky") + 2, "de"))).toBe(
      "Präsident Wolodymyr Selensky",
    );
    expect(slice(snapToWords(TEXT, at("sagte") + 5, at("Wir") + 1, "de"))).toBe("Wir");
    expect(snapToWords(TEXT, at("sagte") + 5, at("sagte") + 8, "de")).toBeNull();
  });

  it("grows and shrinks a span by a word at either end", () => {
    const start = at("Wolodymyr");
    const end = start + [..."Wolodymyr"].length;
    expect(sliceCodePoints(TEXT, start, nextWordEnd(TEXT, end, "de"))).toBe("Wolodymyr Selensky");
    const longEnd = at("sagte") + 5;
    expect(sliceCodePoints(TEXT, start, previousWordEnd(TEXT, longEnd, start, "de"))).toBe(
      "Wolodymyr Selensky",
    );
    expect(previousWordEnd(TEXT, end, start, "de")).toBe(end);
    expect(sliceCodePoints(TEXT, previousWordStart(TEXT, start, "de"), end)).toBe(
      "Präsident Wolodymyr",
    );
    expect(
      sliceCodePoints(TEXT, nextWordStart(TEXT, at("Präsident"), longEnd, "de"), longEnd),
    ).toBe("Wolodymyr Selensky sagte");
  });

  it("finds the sentence around the caret within its paragraph", () => {
    expect(slice(sentenceAround(TEXT, at("brauchen"), "de"))).toBe(
      "👍 Präsident Wolodymyr Selensky sagte: „Wir brauchen Garantien.“",
    );
    expect(slice(sentenceAround(TEXT, at("ging"), "de"))).toBe("Dann ging er.");
    expect(slice(sentenceAround(TEXT, at("Absatz"), "de"))).toBe("Neuer Absatz hier.");
  });
});

/** Words of the whole text, segmented at once: what the line-by-line answers must agree with. */
function wholeTextWords(text: string, language: string) {
  const segmenter = new Intl.Segmenter(language === "und" ? undefined : language, {
    granularity: "word",
  });
  const words: { start: number; end: number }[] = [];
  let cp = 0;
  for (const s of segmenter.segment(text)) {
    const length = countCodePoints(s.segment);
    if (s.isWordLike) words.push({ start: cp, end: cp + length });
    cp += length;
  }
  return words;
}

describe("word bounds, line by line", () => {
  const texts = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          "Wort",
          "Selenskyj",
          "👍",
          "„Zitat“",
          " ",
          "  ",
          ".",
          ", ",
          "\n",
          "\n\n",
          "2025-12-18",
          "ß",
        ),
        fc.string({ unit: "grapheme", maxLength: 6 }),
      ),
      { minLength: 1, maxLength: 30 },
    )
    .map((parts) => parts.join(""));

  it("answers as if the whole text were segmented (property)", () => {
    fc.assert(
      fc.property(texts, fc.nat(), fc.nat(), (text, a, b) => {
        const length = countCodePoints(text);
        const x = a % (length + 1);
        const y = b % (length + 1);
        const [start, end] = x <= y ? [x, y] : [y, x];
        const words = wholeTextWords(text, "de");
        const inside = words.filter((w) => w.end > start && w.start < end);
        const first = inside[0];
        const last = inside.at(-1);
        expect(snapToWords(text, start, end, "de")).toEqual(
          first && last ? { start: first.start, end: last.end } : null,
        );
        expect(nextWordEnd(text, start, "de")).toBe(words.find((w) => w.end > start)?.end ?? start);
        expect(previousWordEnd(text, end, start, "de")).toBe(
          words.findLast((w) => w.end < end && w.end > start)?.end ?? end,
        );
        expect(previousWordStart(text, end, "de")).toBe(
          words.findLast((w) => w.start < end)?.start ?? end,
        );
        expect(nextWordStart(text, start, end, "de")).toBe(
          words.find((w) => w.start > start && w.start < end)?.start ?? start,
        );
      }),
    );
  });
});
