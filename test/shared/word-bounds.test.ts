import { describe, expect, it } from "vitest";
import { sliceCodePoints } from "../../shared/text-blocks";
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
