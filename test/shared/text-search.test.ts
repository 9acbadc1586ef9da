import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sliceCodePoints } from "../../shared/text-blocks";
import { findInText, foldQuery, foldText, hitContext } from "../../shared/text-search";

describe("text search", () => {
  const text = "👍 Präsident Selenskyj traf in Zürich Wolodymyr SELENSKYJ; Straße";

  it("finds names regardless of case and accents, with code-point offsets into the original", () => {
    const hits = findInText(foldText(text), foldQuery("selenskyj"));
    expect(hits.map((h) => sliceCodePoints(text, h.start, h.end))).toEqual([
      "Selenskyj",
      "SELENSKYJ",
    ]);
    expect(
      findInText(foldText(text), foldQuery("zurich")).map((h) =>
        sliceCodePoints(text, h.start, h.end),
      ),
    ).toEqual(["Zürich"]);
    expect(
      findInText(foldText(text), foldQuery("strasse")).map((h) =>
        sliceCodePoints(text, h.start, h.end),
      ),
    ).toEqual(["Straße"]);
  });

  it("gives context cut at word boundaries", () => {
    const long = `${"Wort ".repeat(30)}Umjerow sagte ${"etwas ".repeat(30)}`;
    const [hit] = findInText(foldText(long), foldQuery("Umjerow"));
    const context = hitContext(long, hit?.start ?? 0, hit?.end ?? 0, 20);
    expect(context.match).toBe("Umjerow");
    expect(context.before.startsWith("…")).toBe(true);
    expect(context.after.endsWith("…")).toBe(true);
  });

  it("every hit's original text folds to the query (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 200 }),
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 4 }),
        (body, needle) => {
          const hay = `${body}${needle}${body}`;
          const query = foldQuery(needle);
          if (query.length === 0) return;
          for (const hit of findInText(foldText(hay), query)) {
            expect(foldText(sliceCodePoints(hay, hit.start, hit.end)).folded).toContain(query);
          }
        },
      ),
    );
  });
});
