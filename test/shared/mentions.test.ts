import { describe, expect, it } from "vitest";
import { findMentions, mentionContext } from "../../shared/mentions";
import { sliceCodePoints } from "../../shared/text-blocks";

const TEXT =
  "👍 Selenskyj sagte am Mittwoch, Selenskyjs Team und Wolodymyr Selenskyj; Zelensky (EN) – Selenskyj.";

describe("findMentions", () => {
  it("finds every other whole-word mention of the names, also after emoji, skipping tagged ones", () => {
    const taken = [{ start: 2, end: 11 }];
    const found = findMentions(TEXT, ["Selenskyj", "Zelensky", "Wolodymyr Selenskyj"], taken);
    expect(found.map((m) => m.quote)).toEqual(["Wolodymyr Selenskyj", "Zelensky", "Selenskyj"]);
    for (const m of found) expect(sliceCodePoints(TEXT, m.start, m.end)).toBe(m.quote);
  });

  it("never matches inside a longer word or overlaps a longer name it already found", () => {
    const found = findMentions(TEXT, ["Selenskyj"], []);
    expect(found.map((m) => sliceCodePoints(TEXT, m.start, m.end + 1))).not.toContain("Selenskyjs");
    expect(findMentions("Nato-Soldaten und NATO", ["Nato"], []).map((m) => m.start)).toEqual([0]);
  });

  it("gives a one-line context", () => {
    const [m] = findMentions(TEXT, ["Zelensky"], []);
    expect(m && mentionContext(TEXT, m, 10)).toBe("elenskyj; Zelensky (EN) – Se");
  });
});
