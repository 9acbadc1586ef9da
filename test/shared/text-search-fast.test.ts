/**
 * The fast folding and context of text-search.ts against the plain
 * definitions they replaced: fold one code point at a time, slice context
 * from the text spread into code points.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  codePointIndex,
  countInText,
  findInText,
  foldText,
  hitContext,
} from "../../shared/text-search";

function referenceFold(text: string) {
  let folded = "";
  const origin: number[] = [];
  let cp = 0;
  for (const char of text) {
    const piece = char.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ß/g, "ss");
    folded += piece;
    for (let i = 0; i < piece.length; i++) origin.push(cp);
    cp++;
  }
  origin.push(cp);
  return { folded, origin: Uint32Array.from(origin) };
}

function referenceContext(text: string, start: number, end: number, size = 60) {
  const chars = [...text];
  const clean = (s: string) => s.replace(/\s+/g, " ");
  let before = chars.slice(Math.max(0, start - size), start).join("");
  let after = chars.slice(end, end + size).join("");
  if (start - size > 0) before = `…${before.replace(/^\S*\s/, "")}`;
  if (end + size < chars.length) after = `${after.replace(/\s\S*$/, "")}…`;
  return {
    before: clean(before),
    match: clean(chars.slice(start, end).join("")),
    after: clean(after),
  };
}

/** Text with ASCII, umlauts, ligatures, emoji, Greek, combining marks and lone surrogates. */
const text = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom(
        "Zürich",
        "Öztürk",
        "Straße",
        "ﬁ",
        "🤝",
        "ΣΑΣ",
        "e\u0301",
        "\ud800",
        "\udc00",
        "İ",
        "\n",
        " ",
      ),
      fc.string({ unit: "grapheme", maxLength: 4 }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));

describe("fast text search", () => {
  it("folds exactly as one code point at a time", () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(foldText(t)).toEqual(referenceFold(t));
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the same context as slicing code points", () => {
    fc.assert(
      fc.property(
        text,
        fc.nat(80),
        fc.nat(20),
        fc.integer({ min: 0, max: 70 }),
        (t, start, length, size) => {
          const end = start + length;
          const index = codePointIndex(t);
          expect(hitContext(t, start, end, size, index)).toEqual(
            referenceContext(t, start, end, size),
          );
          expect(hitContext(t, start, end, size)).toEqual(referenceContext(t, start, end, size));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("counting hits", () => {
  it("counts what findInText finds", () => {
    fc.assert(
      fc.property(text, fc.string({ maxLength: 3 }), (t, q) => {
        const folded = foldText(t);
        const query = foldText(q).folded;
        expect(countInText(folded, query)).toBe(findInText(folded, query).length);
      }),
      { numRuns: 1000 },
    );
  });
});
