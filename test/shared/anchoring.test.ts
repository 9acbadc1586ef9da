import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Anchorable,
  anchorContext,
  CONTEXT_LENGTH,
  findQuote,
  findQuotes,
  type ReanchorResult,
  reanchor,
} from "../../shared/anchoring";
import { countCodePoints, sliceCodePoints } from "../../shared/text-blocks";

interface Note extends Anchorable {
  label: string;
}

/** An annotation on the `nth` occurrence (0-based) of `quote` in `text`, with offsets in code points. */
function annotate(text: string, quote: string, id: string, nth = 0): Note {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    at = text.indexOf(quote, at + 1);
    if (at < 0) throw new Error(`"${quote}" does not occur ${nth + 1} times`);
  }
  const start = countCodePoints(text.slice(0, at));
  return { id, label: "PER", start, end: start + countCodePoints(quote), quote };
}

/** Code-point offset of the `nth` occurrence of `quote` in `text`. */
function offsetOf(text: string, quote: string, nth = 0): number {
  return annotate(text, quote, "x", nth).start;
}

function onlyPlaced<T>(result: ReanchorResult<T>) {
  expect(result.orphaned).toEqual([]);
  return result.placed;
}

const article = [
  "🇺🇦 Berlin, 18. Dezember 2025",
  "Der US-Sondergesandte Kickoff traf am Mittwoch Präsident Selenskyj in Berlin.",
  "Bundeskanzler Merz sprach von Fortschritten bei den Sicherheitsgarantien 👍.",
  "Kommende Woche soll in Washington weiterverhandelt werden.",
].join("\n");

describe("anchorContext", () => {
  it("keeps CONTEXT_LENGTH code points of prefix and suffix, counting emoji once", () => {
    const filler = "😀".repeat(40);
    const text = `${filler}Merz${filler}`;
    const context = anchorContext(text, 40, 44);
    expect(context.quote).toBe("Merz");
    expect(context.prefix).toBe("😀".repeat(CONTEXT_LENGTH));
    expect(context.suffix).toBe("😀".repeat(CONTEXT_LENGTH));
  });

  it("cuts the context short at the edges of the text", () => {
    const text = "😀Merz👍";
    expect(anchorContext(text, 1, 5)).toEqual({ quote: "Merz", prefix: "😀", suffix: "👍" });
    expect(anchorContext(text, 0, 6)).toEqual({ quote: text, prefix: "", suffix: "" });
    expect(anchorContext(text, 0, 1)).toEqual({ quote: "😀", prefix: "", suffix: "Merz👍" });
    expect(anchorContext(text, 5, 6)).toEqual({ quote: "👍", prefix: "😀Merz", suffix: "" });
  });

  it("clamps offsets outside the text", () => {
    expect(anchorContext("abc", 2, 99)).toEqual({ quote: "c", prefix: "ab", suffix: "" });
  });
});

describe("reanchor: worked examples", () => {
  const kickoff = annotate(article, "Kickoff", "a1");
  const selenskyj = annotate(article, "Selenskyj", "a2");
  const merz = annotate(article, "Merz", "a3");
  const all = [kickoff, selenskyj, merz];

  it("leaves everything unchanged when the text is the same", () => {
    const placed = onlyPlaced(reanchor(article, article, all));
    expect(placed.map((p) => [p.start, p.end, p.how])).toEqual(
      all.map((a) => [a.start, a.end, "unchanged"]),
    );
    expect(placed[0]?.context).toEqual(anchorContext(article, kickoff.start, kickoff.end));
  });

  it("shifts spans after an insertion", () => {
    const changed = article.replace("Der US-Sondergesandte", "Der neue US-Sondergesandte");
    const placed = onlyPlaced(reanchor(article, changed, all));
    expect(placed.map((p) => p.how)).toEqual(["shifted", "shifted", "shifted"]);
    expect(placed.map((p) => p.start)).toEqual(all.map((a) => a.start + 5));
    for (const p of placed)
      expect(sliceCodePoints(changed, p.start, p.end)).toBe(p.annotation.quote);
  });

  it("shifts spans after a deletion", () => {
    const changed = article.replace("am Mittwoch ", "");
    const placed = onlyPlaced(reanchor(article, changed, all));
    expect(placed.map((p) => [p.how, p.start])).toEqual([
      ["unchanged", kickoff.start],
      ["shifted", selenskyj.start - 12],
      ["shifted", merz.start - 12],
    ]);
  });

  it("leaves spans alone when another paragraph is edited", () => {
    const changed = article.replace("Kommende Woche", "Schon nächste Woche");
    const placed = onlyPlaced(reanchor(article, changed, all));
    expect(placed.map((p) => p.how)).toEqual(["unchanged", "unchanged", "unchanged"]);
  });

  it("orphans a span whose own text was edited, and places the rest", () => {
    const changed = article.replace("Kickoff", "Witkoff");
    const result = reanchor(article, changed, all);
    expect(result.orphaned).toEqual([
      { annotation: kickoff, reason: "the quoted text was changed or deleted" },
    ]);
    expect(result.orphaned[0]?.annotation).toBe(kickoff);
    expect(result.placed.map((p) => p.annotation)).toEqual([selenskyj, merz]);
  });

  it("orphans a span whose text was deleted", () => {
    const changed = article.replace("Bundeskanzler Merz sprach", "Man sprach");
    const result = reanchor(article, changed, all);
    expect(result.orphaned.map((o) => [o.annotation.id, o.reason])).toEqual([
      ["a3", "the quoted text was changed or deleted"],
    ]);
    expect(result.placed).toHaveLength(2);
  });

  it("does not move a span onto another mention of its name when its own was changed", () => {
    const text = `${article}\nSelenskyj dankte den Verbündeten für ihre Unterstützung.`;
    const first = annotate(text, "Selenskyj", "a1");
    const changed = text.replace("Präsident Selenskyj", "Präsident Selenskyy");
    const result = reanchor(text, changed, [first]);
    expect(result.placed).toEqual([]);
    expect(result.orphaned[0]?.reason).toMatch(/^the quoted text was changed or deleted/);
  });

  it("finds a moved paragraph by its quote and context", () => {
    const text = [
      "Selenskyj traf Merz in Berlin.",
      "Die Gespräche dauerten bis in die Nacht.",
      "Am Ende sprach Selenskyj von einem guten Tag für die Ukraine.",
      "Witkoff flog am Donnerstag zurück nach Washington.",
      "Ein Sprecher des Kremls wollte das nicht kommentieren.",
    ].join("\n");
    const lines = text.split("\n");
    const moved = [lines[0], lines[3], lines[4], lines[1], lines[2]].join("\n");
    const second = annotate(text, "Selenskyj", "a1", 1);
    const placed = onlyPlaced(reanchor(text, moved, [second]));
    expect(placed[0]?.how).toBe("search");
    expect(placed[0]?.start).toBe(offsetOf(moved, "Selenskyj", 1));
    expect(placed[0]?.context.prefix.endsWith("Am Ende sprach ")).toBe(true);
  });

  it("tells duplicated quotes apart by their context", () => {
    const text = [
      "Kommentar: Merz will mehr Geld für die Verteidigung ausgeben als bisher geplant.",
      "Anderes Thema: Die Bahn streikt erneut, Pendler müssen sich auf Ausfälle einstellen.",
      "Bericht: Merz sagte am Mittwoch in Brüssel, Europa müsse geschlossen auftreten.",
    ].join("\n");
    const lines = text.split("\n");
    const swapped = [lines[2], lines[1], lines[0]].join("\n");
    const second = annotate(text, "Merz", "a1", 1);
    const placed = onlyPlaced(reanchor(text, swapped, [second]));
    expect(placed[0]).toMatchObject({ start: offsetOf(swapped, "Merz sagte"), how: "search" });
  });

  it("orphans a quote that occurs several times in identical context", () => {
    const block =
      "Die Waffenruhe hält nach Angaben beider Seiten seit Montag. Selenskyj sprach von einem ersten Schritt, dem weitere folgen müssten.";
    const text = [
      "Liveblog zum Krieg in der Ukraine",
      block,
      "10:15 Uhr: Neue Meldungen aus Kiew.",
      block,
      "11:30 Uhr: Reaktionen aus Moskau.",
      block,
      "Ende des Liveblogs.",
    ].join("\n");
    const first = annotate(text, "Selenskyj", "a1");
    const changed = text.replace(`${block}\n10:15`, "10:15");
    const result = reanchor(text, changed, [first]);
    expect(result.placed).toEqual([]);
    expect(result.orphaned).toEqual([
      {
        annotation: first,
        reason: "the quote occurs 2 times and its context does not say which",
      },
    ]);
  });

  it("counts an inserted emoji as code points", () => {
    const changed = `👩‍👩‍👧 ${article}`;
    const placed = onlyPlaced(reanchor(article, changed, all));
    // The family emoji is five code points (three people, two joiners), then a space.
    expect(placed.map((p) => p.start)).toEqual(all.map((a) => a.start + 6));
    expect(placed.map((p) => p.how)).toEqual(["shifted", "shifted", "shifted"]);
  });

  it("keeps emoji inside and right after a span", () => {
    const text = "Er sagte 👍🏽 gut 😀 und ging.";
    const span = annotate(text, "👍🏽 gut 😀", "a1");
    const changed = `Heute: ${text.replace("und ging", "und ging nach 🇺🇦")}`;
    const placed = onlyPlaced(reanchor(text, changed, [span]));
    expect(placed[0]).toMatchObject({ start: span.start + 7, end: span.end + 7, how: "shifted" });
    expect(sliceCodePoints(changed, placed[0]?.start ?? 0, placed[0]?.end ?? 0)).toBe(span.quote);
  });

  it("follows right-to-left text and combining marks", () => {
    const text = "قال الرئيس: السلام ممكن. Cafe\u0301 Zo\u0308e.";
    const arabic = annotate(text, "السلام", "a1");
    const cafe = annotate(text, "Cafe\u0301", "a2");
    const changed = `עדכון: ${text.replace("Zo\u0308e", "Zoë")}`;
    const placed = onlyPlaced(reanchor(text, changed, [arabic, cafe]));
    expect(placed.map((p) => p.start)).toEqual([arabic.start + 7, cafe.start + 7]);
    expect(placed.map((p) => sliceCodePoints(changed, p.start, p.end))).toEqual([
      "السلام",
      "Cafe\u0301",
    ]);
  });

  it("keeps a name whose sentence was rewritten around it", () => {
    const text = "Laut AFP sagte Merz am Abend, er sei zufrieden.";
    const changed = "Wie Reuters meldet, lobte Merz nach dem Treffen die Gespräche.";
    const placed = onlyPlaced(reanchor(text, changed, [annotate(text, "Merz", "a1")]));
    expect(placed[0]).toMatchObject({ start: offsetOf(changed, "Merz"), end: 30, how: "diff" });
  });

  it("never splits an emoji when the diff does", () => {
    // 😀 and 😁 share their first UTF-16 unit, so a UTF-16 diff keeps that half "unchanged".
    const text = "😀Merz😀 und 😀";
    const changed = "😁Merz😁 und 😀😀";
    const notes = [annotate(text, "Merz", "a1"), annotate(text, "😀 und 😀", "a2")];
    const result = reanchor(text, changed, notes);
    expect(result.placed.map((p) => [p.annotation.id, p.start, p.end, p.how])).toEqual([
      ["a1", 1, 5, "unchanged"],
    ]);
    expect(result.orphaned.map((o) => o.annotation.id)).toEqual(["a2"]);
  });

  it("places a span after an insertion that begins like the span", () => {
    const text = "der Präsident sagte";
    const span = annotate(text, "der Präsident", "a1");
    const changed = "der Sprecher der Präsident sagte";
    const placed = onlyPlaced(reanchor(text, changed, [span]));
    expect(placed[0]).toMatchObject({ start: 13, end: 26 });
  });

  it("re-finds a span whose stored offsets are stale", () => {
    const stale = { ...merz, start: merz.start + 3, end: merz.end + 3 };
    const placed = onlyPlaced(reanchor(article, article, [stale]));
    expect(placed[0]).toMatchObject({ start: merz.start, end: merz.end, how: "search" });
  });

  it("keeps input order and passes orphans through untouched", () => {
    const changed = article.replace("Kickoff", "Witkoff").replace("Merz", "Friedrich Merz");
    const notes = [merz, kickoff, selenskyj];
    const frozen = notes.map((n) => Object.freeze({ ...n }));
    const result = reanchor(article, changed, frozen);
    expect(result.placed.map((p) => p.annotation.id)).toEqual(["a3", "a2"]);
    expect(result.orphaned.map((o) => o.annotation)).toEqual([frozen[1]]);
    expect(result.orphaned[0]?.annotation).toBe(frozen[1]);
  });
});

describe("findQuote", () => {
  const text = "Merz sagte: Wir helfen. Später sagte Merz: Wir helfen weiter.";
  const second = anchorContext(text, offsetOf(text, "Merz", 1), offsetOf(text, "Merz", 1) + 4);

  it("uses the context to pick an occurrence", () => {
    expect(findQuote(text, second, 0)).toEqual({ start: 37, end: 41 });
  });

  it("finds the quote after the text around it changed", () => {
    const changed = `Update 😀: ${text.replace("Später", "Viel später")}`;
    const at = offsetOf(changed, "Merz", 1);
    expect(findQuote(changed, second, 37)).toEqual({ start: at, end: at + 4 });
  });

  it("returns null when the quote is gone or the context cannot decide", () => {
    expect(findQuote(text, { quote: "Scholz", prefix: "", suffix: "" }, 0)).toBeNull();
    expect(findQuote("ab ab", { quote: "ab", prefix: "", suffix: "" }, 1)).toBeNull();
    expect(findQuote("ab ab", { quote: "ab", prefix: "", suffix: "" }, 3)).toEqual({
      start: 3,
      end: 5,
    });
  });
});

describe("many searches in a long text", () => {
  // Long enough (and with enough quotes to look for) that quotes are looked up in an index.
  const names = ["Selenskyj", "Merz", "Witkoff", "Umerow", "Macron", "Tusk", "Meloni", "Starmer"];
  const paragraphs = Array.from(
    { length: 240 },
    (_, i) =>
      `${i + 1}. ${names[i % names.length]} 😀 sprach am Tag ${i * 7} über Runde ${i % 13} der Gespräche.`,
  );
  const text = paragraphs.join("\n");
  const notes = paragraphs.map((p, i) => annotate(text, p.slice(p.indexOf(" ") + 1), `p${i}`));

  it("finds every paragraph again after their order was reversed", () => {
    const reversed = [...paragraphs].reverse().join("\n");
    const placed = onlyPlaced(reanchor(text, reversed, notes));
    // The diff keeps one run of paragraphs in place; all others are found by search.
    expect(placed.filter((p) => p.how === "search").length).toBeGreaterThan(200);
    for (const p of placed) expect(p.start).toBe(offsetOf(reversed, p.annotation.quote));
  });

  it("answers many anchors at once as it answers them one by one", () => {
    const changed = `Vorspann 🇺🇦\n${[...paragraphs].reverse().join("\n")}`;
    const requests = notes.map((n) => ({
      anchor: anchorContext(text, n.start, n.end),
      hint: n.start,
    }));
    const together = findQuotes(changed, requests);
    expect(together).toEqual(requests.map((r) => findQuote(changed, r.anchor, r.hint)));
    expect(together.map((f) => f && sliceCodePoints(changed, f.start, f.end))).toEqual(
      notes.map((n) => n.quote),
    );
  });
});

// Property tests. Texts are built from a small alphabet (so quotes repeat) that
// includes astral characters, a combining mark, a skin-tone sequence and RTL
// letters. Insertions stay short: many inserted copies of a span's own
// surroundings would make the original indistinguishable from the copies, and
// then the library rightly orphans instead of guessing (the second property
// covers that case).
const pieces = ["a", "b", "c", " ", "\n", "é", "e\u0301", "😀", "👍🏽", "ש", "ل", "🇺🇦", "x"];
const textArb = fc
  .array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 60 })
  .map((p) => [...p.join("")]);
const insertArb = fc
  .array(fc.constantFrom(...pieces), { maxLength: 6 })
  .map((p) => [...p.join("")]);
const editArb = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.nat({ max: 6 }),
  insert: insertArb,
});

interface Span {
  start: number;
  end: number;
}

function spansIn(length: number, raw: [number, number][]): Span[] {
  return raw.map(([a, b]) => {
    const start = a % length;
    return { start, end: start + 1 + (b % Math.max(1, Math.min(12, length - start))) };
  });
}

function notesFor(chars: string[], spans: Span[]): Note[] {
  return spans.map((s, i) => ({
    id: `n${i}`,
    label: "ORG",
    start: s.start,
    end: s.end,
    quote: chars.slice(s.start, s.end).join(""),
  }));
}

function checkInvariants(newText: string, notes: Note[], result: ReanchorResult<Note>) {
  expect(result.placed.length + result.orphaned.length).toBe(notes.length);
  const seen = [
    ...result.placed.map((p) => p.annotation),
    ...result.orphaned.map((o) => o.annotation),
  ];
  expect(new Set(seen).size).toBe(notes.length);
  for (const n of notes) expect(seen).toContain(n);
  for (const p of result.placed) {
    expect(sliceCodePoints(newText, p.start, p.end)).toBe(p.annotation.quote);
    expect(p.context).toEqual(anchorContext(newText, p.start, p.end));
  }
  // Both lists keep input order.
  const order = (list: Note[]) => list.map((n) => notes.indexOf(n));
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  expect(order(result.placed.map((p) => p.annotation))).toEqual(
    sorted(order(result.placed.map((p) => p.annotation))),
  );
  expect(order(result.orphaned.map((o) => o.annotation))).toEqual(
    sorted(order(result.orphaned.map((o) => o.annotation))),
  );
}

describe("reanchor: properties", () => {
  it("places every span when edits stay outside all spans", () => {
    fc.assert(
      fc.property(
        textArb,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }),
        fc.array(editArb, { minLength: 1, maxLength: 6 }),
        (chars, rawSpans, edits) => {
          const spans = spansIn(chars.length, rawSpans);
          const notes = notesFor(chars, spans);
          const next = [...chars];
          const moved = spans.map((s) => ({ ...s }));
          for (const edit of edits) {
            const at = Math.min(next.length, Math.floor(edit.at * (next.length + 1)));
            if (moved.some((s) => at > s.start && at < s.end)) continue;
            // Shrink a deletion so that it stops where the next span begins.
            let remove = Math.min(edit.remove, next.length - at);
            for (const s of moved) if (at <= s.start) remove = Math.min(remove, s.start - at);
            next.splice(at, remove, ...edit.insert);
            for (const s of moved) {
              if (s.start < at) continue;
              s.start += edit.insert.length - remove;
              s.end += edit.insert.length - remove;
            }
          }
          const oldText = chars.join("");
          const newText = next.join("");
          const result = reanchor(oldText, newText, notes);
          checkInvariants(newText, notes, result);
          expect(result.orphaned).toEqual([]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never loses an annotation and never places one on other text, whatever the edits", () => {
    fc.assert(
      fc.property(
        textArb,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
        fc.array(editArb, { minLength: 1, maxLength: 8 }),
        (chars, rawSpans, edits) => {
          const notes = notesFor(chars, spansIn(chars.length, rawSpans));
          const next = [...chars];
          for (const edit of edits) {
            const at = Math.floor(edit.at * (next.length + 1));
            next.splice(at, edit.remove, ...edit.insert);
          }
          const newText = next.join("");
          checkInvariants(newText, notes, reanchor(chars.join(""), newText, notes));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("places what it can find after a text has been rewritten from scratch", () => {
    fc.assert(
      fc.property(
        textArb,
        textArb,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 8 }),
        (a, b, rawSpans) => {
          const notes = notesFor(a, spansIn(a.length, rawSpans));
          const newText = b.join("");
          checkInvariants(newText, notes, reanchor(a.join(""), newText, notes));
        },
      ),
    );
  });

  it("finds a span by quote and context alone, or declines", () => {
    fc.assert(
      fc.property(textArb, fc.nat(), fc.nat(), (chars, a, b) => {
        const span = spansIn(chars.length, [[a, b]])[0] as Span;
        const text = chars.join("");
        const context = anchorContext(text, span.start, span.end);
        // At its own offsets a quote is always found again.
        expect(findQuote(text, context, span.start)).toEqual(span);
        // Without a useful hint it is found when its context is unique, and never on other text.
        const found = findQuote(text, context, -1);
        if (found) expect(sliceCodePoints(text, found.start, found.end)).toBe(context.quote);
        const whole = context.prefix + context.quote + context.suffix;
        if (text.indexOf(whole) === text.lastIndexOf(whole)) expect(found).toEqual(span);
      }),
    );
  });
});
