import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  codePointToUtf16,
  countCodePoints,
  sliceCodePoints,
  splitIntoParagraphs,
  utf16ToCodePoint,
} from "../../shared/text-blocks";

describe("code-point offsets", () => {
  const text = "🇺🇦 Selenskyj traf 👍 Witkoff in Berlin";

  it("slices like Python even after emoji (astral characters)", () => {
    // Python: "🇺🇦 Selenskyj ..."[3:12] == "Selenskyj" (each flag half is one code point).
    expect(sliceCodePoints(text, 3, 12)).toBe("Selenskyj");
    expect(text.indexOf("Selenskyj")).toBe(5);
    expect(utf16ToCodePoint(text, 5)).toBe(3);
    expect(codePointToUtf16(text, 3)).toBe(5);
  });

  it("counts combining marks and RTL text as Python does", () => {
    expect(countCodePoints("e\u0301")).toBe(2);
    expect(countCodePoints("السلام")).toBe(6);
    expect(countCodePoints("a😀b")).toBe(3);
  });

  it("round-trips every offset of any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const n = countCodePoints(s);
        expect(n).toBe([...s].length);
        for (let cp = 0; cp <= n; cp++)
          expect(utf16ToCodePoint(s, codePointToUtf16(s, cp))).toBe(cp);
      }),
    );
  });
});

describe("splitIntoParagraphs", () => {
  it("makes one paragraph per non-empty line with offsets into the whole text", () => {
    const text = " date 2025-12-18\nTitel\n\nErster Absatz 😀.\n   \nZweiter.";
    const paragraphs = splitIntoParagraphs(text);
    expect(paragraphs.map((p) => sliceCodePoints(text, p.start, p.end))).toEqual([
      " date 2025-12-18",
      "Titel",
      "Erster Absatz 😀.",
      "Zweiter.",
    ]);
  });

  it("cuts long paragraphs at sentence ends within the bound", () => {
    const sentence = "Der Gesandte traf am Mittwoch in Berlin ein. ";
    const line = sentence.repeat(100);
    const [paragraph] = splitIntoParagraphs(line, { maxChunk: 200, language: "de" });
    expect(paragraph?.chunks.length).toBeGreaterThan(20);
    for (const chunk of paragraph?.chunks ?? []) {
      expect(chunk.end - chunk.start).toBeLessThanOrEqual(200);
      expect(chunk.text.startsWith("Der Gesandte")).toBe(true);
    }
  });

  it("cuts a single endless sentence without splitting an emoji", () => {
    const line = "wort 😀 ".repeat(500);
    const [paragraph] = splitIntoParagraphs(line, { maxChunk: 64 });
    for (const chunk of paragraph?.chunks ?? []) {
      expect(chunk.end - chunk.start).toBeLessThanOrEqual(64);
      expect(chunk.text).toBe(sliceCodePoints(line, chunk.start, chunk.end));
    }
  });

  it("covers every character exactly once, in order (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 300 }), fc.constant("\n")), {
          maxLength: 20,
        }),
        fc.integer({ min: 16, max: 120 }),
        (parts, max) => {
          const text = parts.join("");
          const paragraphs = splitIntoParagraphs(text, { maxChunk: max });
          let previousEnd = 0;
          for (const p of paragraphs) {
            expect(p.start).toBeGreaterThanOrEqual(previousEnd);
            expect(p.chunks.map((c) => c.text).join("")).toBe(
              sliceCodePoints(text, p.start, p.end),
            );
            let at = p.start;
            for (const c of p.chunks) {
              expect(c.start).toBe(at);
              expect(c.end - c.start).toBeLessThanOrEqual(max);
              at = c.end;
            }
            expect(at).toBe(p.end);
            previousEnd = p.end;
          }
          const covered = paragraphs.map((p) => sliceCodePoints(text, p.start, p.end)).join("");
          const expected = text
            .split("\n")
            .filter((l) => l.trim().length > 0)
            .join("");
          expect(covered).toBe(expected);
        },
      ),
    );
  });
});

describe("cutting an endless sentence", () => {
  it("never makes a chunk longer than the bound, even with a space right at the limit", () => {
    const line = `${"a".repeat(16)} ${"b".repeat(40)}`;
    const [paragraph] = splitIntoParagraphs(line, { maxChunk: 16 });
    for (const chunk of paragraph?.chunks ?? [])
      expect(chunk.end - chunk.start).toBeLessThanOrEqual(16);
    expect(paragraph?.chunks.map((c) => c.text).join("")).toBe(line);
  });
});
