/**
 * Scraped-news cleanup proposes whole-line removals and never touches the
 * article's own prose. Checked on the example project's articles, on the raw
 * seeds in ../shared/seeds (read at test time, never copied), on hand-written
 * traps for false positives, and by property tests on the offsets.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyCleanup,
  type BoilerplateKind,
  type CleanupProposal,
  proposeCleanup,
} from "../../shared/scrape-cleanup";
import { normaliseArticleText } from "../../shared/text-article";
import { countCodePoints, sliceCodePoints } from "../../shared/text-blocks";

const REPO = path.resolve(import.meta.dirname, "..", "..");
const ARTICLES = path.join(REPO, "annotations", "articles");
const SEEDS = path.resolve(REPO, "..", "shared", "seeds");

const load = (file: string) => normaliseArticleText(readFileSync(file, "utf8"));
/** Code-point offset of the first occurrence of `part` in `text`. */
const offsetOf = (text: string, part: string) => countCodePoints(text.slice(0, text.indexOf(part)));

/** Lines longer than `min` code points that lie before the comment section (if any). */
function longLinesBeforeComments(text: string, proposals: CleanupProposal[], min: number) {
  const commentStart = proposals.find((p) => p.kind === "comments")?.start ?? Infinity;
  return text
    .split("\n")
    .filter((l) => countCodePoints(l) > min && offsetOf(text, l) < commentStart);
}

/** The lines a proposal removes (without the newline it takes along). */
const linesOf = (p: CleanupProposal) => p.text.replace(/^\n/, "").replace(/\n$/, "").split("\n");

/** [kind, first line, number of lines] per proposal. */
const summarise = (proposals: CleanupProposal[]) =>
  proposals.map((p) => [p.kind, linesOf(p)[0], linesOf(p).length] as const);

function expectWellFormed(text: string, proposals: CleanupProposal[]) {
  const total = countCodePoints(text);
  let previousEnd = 0;
  for (const p of proposals) {
    expect(p.start).toBeGreaterThanOrEqual(previousEnd);
    expect(p.end).toBeGreaterThan(p.start);
    expect(p.end).toBeLessThanOrEqual(total);
    expect(p.text).toBe(sliceCodePoints(text, p.start, p.end));
    expect(p.reason.length).toBeGreaterThan(0);
    // Whole lines: starts at a line start (or at the newline before the last line), ends at one.
    const before = sliceCodePoints(text, p.start - 1, p.start);
    expect(p.start === 0 || before === "\n" || (p.text.startsWith("\n") && p.end === total)).toBe(
      true,
    );
    expect(p.end === total || p.text.endsWith("\n")).toBe(true);
    previousEnd = p.end;
  }
}

function expectTidy(result: string) {
  expect(result).not.toMatch(/\n\n\n/);
  expect(result).not.toMatch(/^\s/);
  expect(result).not.toMatch(/\s$/);
}

type Expected = [BoilerplateKind, string, number];

const EXAMPLES: Record<string, { proposals: Expected[]; survivors: string[] }> = {
  "2025-12-17-harbourledger-binding-guarantees.txt": {
    proposals: [
      ["metadata-line", " date 2025-12-17", 1],
      ["breadcrumb", "Home > World > Europe", 1],
      ["repeated-title", "Zelensky presses for binding guarantees as envoys plan next round", 1],
      ["byline", "By Martin Okafor, Diplomatic Correspondent", 1],
      ["timestamp", "Published 12/17/2025 7:45 a.m. ET | Updated 9:02 a.m. ET", 1],
      ["share-buttons", "Share on Facebook | Share on X | Share via Email | Copy link", 1],
      [
        "caption",
        "Delegations take their seats before a round of talks earlier this week. Photo: AFP/Pool",
        1,
      ],
      [
        "related-links",
        "RELATED: What a ceasefire line could look like | Five questions about the peace plan",
        1,
      ],
      ["comments", "Comments (4)", 9],
    ],
    survivors: [
      "Zelensky presses for binding guarantees as envoys plan next round\n",
      "Ukrainian President Volodymyr Zelensky said on Tuesday that his government would not sign any settlement",
      "There has been no movement from the other side of the table.",
      "Negotiators are expected to meet again next Tuesday",
    ],
  },
  "2025-12-18-mainuferbote-sicherheitsgarantien.txt": {
    proposals: [
      ["metadata-line", " date 2025-12-18", 1],
      ["breadcrumb", "Startseite > Politik > Ausland", 1],
      ["repeated-title", "Kiew will Garantien schwarz auf weiß", 1],
      [
        "caption",
        "Delegationsfahrzeuge vor dem Kanzleramt in Berlin. Foto: dpa/Matthias Kornblum",
        1,
      ],
      ["byline", "Von Lena Hartwig | Donnerstag, 18.12.2025, 06:12 Uhr | Lesezeit: 4 Min.", 1],
      ["share-buttons", "Teilen · Drucken · Merken", 1],
      ["donation", "Unterstützen Sie unabhängigen Journalismus: Mit einem Digital-Abo", 1],
      ["comments", "Kommentare (3)", 7],
    ],
    survivors: [
      "Kiew will Garantien schwarz auf weiß\n",
      "📌 Umjerow schrieb später auf X:",
      "Skepsis in Moskau",
      "Der Kreml bleibt bei seiner ablehnenden Haltung.",
      "Kommende Woche sollen die Unterhändler erneut zusammenkommen",
    ],
  },
  "2025-12-20-elbhangzeitung-kommentar-garantien.txt": {
    proposals: [
      ["breadcrumb", "Elbhang-Zeitung", 3],
      ["byline", "Ein Kommentar von Jonas Brettschneider", 1],
      ["timestamp", "20.12.2025 · 07:30 Uhr", 1],
      ["share-buttons", "Teilen: Facebook | X | WhatsApp | E-Mail | Link kopieren", 1],
      ["donation", "Unterstützen Sie unabhängigen Journalismus", 4],
      ["related-links", "Das könnte dich auch interessieren", 4],
      ["share-buttons", "Teilen: Facebook | X | WhatsApp | E-Mail", 1],
    ],
    survivors: [
      "Garantien ohne Garanten\nWarum Europa jetzt Farbe bekennen muss",
      "Man kann den Verhandlungsmarathon dieser Woche auf zwei Arten lesen.",
      "Ich halte verbindliche Sicherheitsgarantien für die Ukraine für richtig und notwendig.",
      "Jonas Brettschneider ist stellvertretender Leiter des Politikressorts.",
    ],
  },
  "2025-12-22-meridianwire-guarantee-gap.txt": {
    proposals: [
      ["breadcrumb", "MERIDIAN WIRE | ANALYSIS", 1],
      ["byline", "By Priya Castellanos and Ewan Rudd", 1],
      ["timestamp", "December 22, 2025 · 6 min read", 1],
      ["breadcrumb", "Filed under: Europe · Diplomacy · Security", 1],
      ["share-buttons", "Listen to this article", 1],
      [
        "newsletter",
        "Sign up for The Meridian Brief, our daily newsletter · Follow us on X · Share this story",
        1,
      ],
    ],
    survivors: [
      'The guarantee gap: why the hardest word in the Ukraine talks is "binding"',
      "Every peace process has a word that everyone uses and nobody defines",
      "Reaction beyond Europe",
      "Correction: An earlier version of this article misspelled the name of Rustem Umerov.",
    ],
  },
  "2025-12-31-salzachtaler-jaenner-treffen.txt": {
    proposals: [
      ["metadata-line", " date 2025-12-31", 1],
      ["breadcrumb", "Home › Politik › Weltpolitik", 1],
      ["repeated-title", "Ukraine-Gespräche: Sicherheitsberater treffen sich am 3. Jänner", 1],
      [
        "caption",
        "Wolodymyr Selensky bei einem Auftritt in Kiew (Archivbild). Foto: APA/AFP/Archiv",
        1,
      ],
      ["byline", "31. Dezember 2025, 17:48 · Von Teresa Pichlmayr", 1],
      ["caption", "Foto: APA/AFP/Archiv", 2],
      ["related-links", "Mehr zum Thema", 2],
      ["comments", "Postings (4)", 13],
    ],
    survivors: [
      "Kiew/Wien – Zum Jahreswechsel kommt wieder Bewegung in die Gespräche",
      "Zurückhaltung in Wien",
      "Ein gemeinsamer Rahmentext soll nach Vorstellung der Europäer bis Ende Feber vorliegen.",
    ],
  },
  "2026-01-02-spreedepesche-interview-friedensplan.txt": {
    proposals: [
      ["breadcrumb", "Spree-Depesche", 3],
      [
        "byline",
        "Interview: Paul Michaelis | 02.01.2026, 11:15 Uhr | aktualisiert: 02.01.2026, 12:40 Uhr",
        1,
      ],
      ["caption", "Jana Wolters forscht seit Jahren zu Waffenstillstandsabkommen. Foto: privat", 1],
      ["share-buttons", "Artikel teilen: E-Mail | Facebook | X | Threads", 1],
      [
        "related-links",
        "Mehr aus dem Ressort: Was die Koalition der Willigen bisher zugesagt hat",
        1,
      ],
    ],
    survivors: [
      "„Eine Garantie ist ein Versprechen an die Zukunft“\nDie Konfliktforscherin Jana Wolters über die Treffen vom 3. bis 6. Januar",
      "Spree-Depesche: Frau Wolters, morgen beginnen die Gespräche der Sicherheitsberater",
      "Wolters: Ja, sofern sie durchsetzbar sind.",
      "Zur Person: Jana Wolters leitet die Arbeitsgruppe Waffenstillstände",
    ],
  },
  "2026-01-05-prairiecourier-oped-guarantees.txt": {
    proposals: [
      ["metadata-line", " date 2026-01-05", 1],
      ["breadcrumb", "Opinion > Columnists", 1],
      ["repeated-title", "OPINION: A promise America should think twice about", 1],
      ["byline", "By Walter Brandt | Contributing columnist", 1],
      ["timestamp", "Jan. 5, 2026, 6:00 a.m. CT", 1],
      ["donation", "Support independent journalism. The Prairie Courier is reader-funded.", 1],
      ["share-buttons", "Share: Facebook · X · Email · Print", 1],
      ["comments", "24 Comments · Sort by: Newest", 10],
    ],
    survivors: [
      "OPINION: A promise America should think twice about\nThe Prairie Courier",
      "Walter Brandt is a retired history teacher and writes a weekly column on foreign affairs.",
      "I am against an open-ended American security guarantee for Ukraine.",
      "That is how a republic is supposed to make promises.",
    ],
  },
};

describe("proposeCleanup on the example project's articles", () => {
  it("covers every example article", () => {
    const files = readdirSync(ARTICLES).filter((f) => f.endsWith(".txt"));
    expect(files.sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  for (const [file, expected] of Object.entries(EXAMPLES)) {
    describe(file, () => {
      const text = load(path.join(ARTICLES, file));
      const proposals = proposeCleanup(text);

      it("proposes the scraped furniture it contains, kind by kind", () => {
        const found = summarise(proposals);
        expect(found.map(([kind]) => kind)).toEqual(expected.proposals.map(([kind]) => kind));
        for (const [i, [kind, first, lines]] of expected.proposals.entries()) {
          expect(found[i]?.[1]?.startsWith(first), `${kind} starts with “${first}”`).toBe(true);
          expect(found[i]?.[2], `${kind} “${first}” line count`).toBe(lines);
        }
        expectWellFormed(text, proposals);
      });

      it("keeps the headline and the article's own paragraphs", () => {
        const cleaned = applyCleanup(text, proposals);
        for (const sentence of expected.survivors) expect(cleaned).toContain(sentence);
        const body = longLinesBeforeComments(text, proposals, 200);
        expect(body.length).toBeGreaterThan(0);
        for (const paragraph of body) expect(cleaned).toContain(paragraph);
        expectTidy(cleaned);
      });
    });
  }
});

describe.skipIf(!existsSync(SEEDS))("proposeCleanup on the raw seeds in ../shared/seeds", () => {
  const seed = (name: string) => {
    const text = load(path.join(SEEDS, name));
    const lines = text.split("\n");
    const proposals = proposeCleanup(text, "de");
    const kindOf = (line: string | undefined) => {
      expect(line, "the seed still has this line").toBeDefined();
      const start = offsetOf(text, `${line}`);
      return proposals.find((p) => p.start <= start && start < p.end)?.kind;
    };
    return { text, lines, proposals, kindOf };
  };

  /** Every long line before the comment section survives, and so do its first sentences. */
  function expectProseSurvives(text: string, proposals: CleanupProposal[]) {
    const cleaned = applyCleanup(text, proposals);
    const long = longLinesBeforeComments(text, proposals, 300);
    expect(long.length).toBeGreaterThanOrEqual(3);
    for (const paragraph of long) expect(cleaned).toContain(paragraph);
    const sentences = long.slice(0, 3).map((l) => l.split(/(?<=[.!?])\s+(?=\p{Lu})/u)[0] ?? "");
    for (const sentence of sentences) {
      expect(sentence.length).toBeGreaterThan(20);
      expect(cleaned).toContain(sentence);
    }
    expectTidy(cleaned);
    return cleaned;
  }

  it("APA/AFP: date line, timestamp, photo caption with agency credit, byline", () => {
    const { text, lines, proposals, kindOf } = seed("apa-afp-2025-12-18-raw.txt");
    expectWellFormed(text, proposals);
    expect(kindOf(lines[0])).toBe("metadata-line");
    expect(
      kindOf(lines.find((l) => /^\p{L}+, \d{1,2}\. \p{L}+ \d{4} \| \d\d:\d\d Uhr$/u.test(l))),
    ).toBe("timestamp");
    expect(kindOf(lines.find((l) => l.includes("(Archivbild)")))).toBe("caption");
    expect(kindOf(lines.find((l) => /^[A-Z]+(?:\/[A-Z ]+)+$/.test(l)))).toBe("caption");
    expect(kindOf(lines.find((l) => l.startsWith("Von:")))).toBe("byline");
    const cleaned = expectProseSurvives(text, proposals);
    // The headline is the second line of the raw file and stays first.
    expect(cleaned.split("\n")[0]).toBe(lines[1]);
    expect(proposals.some((p) => p.kind === "comments")).toBe(false);
  });

  it("watson: section labels, captions, timestamp, donation prompt, teasers, comments to the end", () => {
    const { text, lines, proposals, kindOf } = seed("watson-2025-12-31-raw.txt");
    expectWellFormed(text, proposals);
    expect(kindOf(lines[0])).toBe("breadcrumb");
    expect(kindOf(lines.find((l) => /^epa\d+ /.test(l)))).toBe("caption");
    expect(kindOf(lines.find((l) => /Bild: \S+$/.test(l)))).toBe("caption");
    expect(kindOf(lines.find((l) => /^\d\d\.\d\d\.\d{4}, \d\d:\d\d/.test(l)))).toBe("timestamp");
    expect(kindOf(lines.find((l) => /unterstützen\?/.test(l)))).toBe("donation");
    expect(kindOf(lines.find((l) => /^\d+ CHF$/.test(l)))).toBe("donation");
    expect(kindOf(lines.find((l) => /interessieren:$/.test(l)))).toBe("related-links");
    const comments = proposals.find((p) => p.kind === "comments");
    expect(linesOf(comments as CleanupProposal)[0]).toMatch(/^\d+ Kommentare$/);
    expect(comments?.end).toBe(countCodePoints(text));
    expect(comments?.reason).toMatch(/^reader comments from “\d+ Kommentare” to the end$/);
    const cleaned = expectProseSurvives(text, proposals);
    // The headline and the deck under it stay.
    expect(cleaned.split("\n")[0]).toBe(lines.find((l) => l.split(" ").length >= 3));
    expect(cleaned).not.toMatch(/^\d+ Kommentare$/mu);
  });
});

describe("conservative: article text that merely looks like furniture stays", () => {
  const para = (s: string) =>
    `${s} ${"Die Verhandlungen dauerten bis in die Nacht. ".repeat(4)}`.trim();

  it("does not read an opinion label or a 'Kommentare' breadcrumb as a comment section", () => {
    const text = [
      "Meinung › Kommentare",
      "KOMMENTAR",
      "Garantien ohne Garanten",
      "",
      para("Europa muss jetzt Farbe bekennen."),
      "",
      "Kommentare",
      "",
      para("Ein zweiter Absatz folgt."),
    ].join("\n");
    const proposals = proposeCleanup(text, "de");
    expect(proposals.map((p) => p.kind)).toEqual(["breadcrumb"]);
    expect(linesOf(proposals[0] as CleanupProposal)).toEqual(["Meinung › Kommentare", "KOMMENTAR"]);
  });

  it("needs the article's prose before a comment header", () => {
    expect(proposeCleanup("Kommentare (3)\nAnna · 19:02\nGut so.")).toEqual([]);
  });

  it("leaves prose that mentions journalism, membership, bylines or sharing", () => {
    const lines = [
      "Die Stiftung will unabhängigen Journalismus unterstützen, sagte die Ministerin.",
      "He said Ukraine would one day become a member of NATO.",
      "Von den 27 Mitgliedstaaten haben bisher nur zwölf zugestimmt.",
      "By Tuesday, negotiators had agreed on a first draft.",
      "Teilen wollen die Europäer die Kosten nicht.",
      "Mehr zum Thema Sicherheitsgarantien sagte der Kanzler nichts.",
      `Related: ${"The talks in Geneva were long and difficult, officials said. ".repeat(5)}`,
    ];
    // Once in the head (where bylines are looked for) and once in the body.
    const text = ["Titel der Meldung hier", ...lines, "", para("Einleitung."), "", ...lines].join(
      "\n",
    );
    expect(proposeCleanup(text)).toEqual([]);
  });

  it("never proposes long running prose outside a comment section", () => {
    const long = `Anzeige ${"Das ist ein langer Satz über Garantien. ".repeat(8)}`;
    const text = ["Titel der Meldung hier", "", long, "", "Foto: dpa"].join("\n");
    const proposals = proposeCleanup(text);
    expect(proposals.map((p) => p.kind)).toEqual(["caption"]);
    expect(applyCleanup(text, proposals)).toContain(long.trim());
  });

  it("recognises English widgets, ads and a conversation header", () => {
    const text = [
      "Envoys meet again in Geneva today",
      "Home > World",
      "",
      "Advertisement",
      "",
      para("Negotiators met again on Friday."),
      "",
      "Sign up for our morning newsletter",
      "",
      "You might also like",
      "Five questions about the peace plan",
      "What a ceasefire line could look like",
      "",
      "Become a member for $5 a month",
      "",
      "Join the conversation",
      "jdoe · 2h ago",
      "Great piece.",
    ].join("\n");
    expect(summarise(proposeCleanup(text, "en"))).toEqual([
      ["breadcrumb", "Home > World", 1],
      ["advertisement", "Advertisement", 1],
      ["newsletter", "Sign up for our morning newsletter", 1],
      ["related-links", "You might also like", 3],
      ["donation", "Become a member for $5 a month", 1],
      ["comments", "Join the conversation", 3],
    ]);
  });
});

describe("comment sections", () => {
  const body =
    "Negotiators met again on Friday in Geneva. They agreed to meet again next week, officials said.";

  it("run to the end of the text as one proposal with a plain reason", () => {
    const text = load(path.join(ARTICLES, "2025-12-18-mainuferbote-sicherheitsgarantien.txt"));
    const comments = proposeCleanup(text).filter((p) => p.kind === "comments");
    expect(comments).toHaveLength(1);
    expect(comments[0]?.reason).toBe("reader comments from “Kommentare (3)” to the end");
    expect(comments[0]?.end).toBe(countCodePoints(text));
  });

  it("stop at a clear end marker and leave what follows to the other rules", () => {
    const text = [
      "Envoys meet again in Geneva",
      "",
      body,
      "",
      "12 comments",
      "jdoe · Jan 5, 2026 7:12 AM",
      "Good.",
      "Load more comments",
      "",
      "Most read",
      "Five questions about the peace plan",
      "",
      "Copyright notice: all rights reserved by the publisher and its partners.",
    ].join("\n");
    expect(summarise(proposeCleanup(text, "en"))).toEqual([
      ["comments", "12 comments", 4],
      ["related-links", "Most read", 2],
    ]);
    expect(proposeCleanup(text, "en")[0]?.reason).toBe(
      "reader comments from “12 comments” (4 lines)",
    );
  });
});

describe("applyCleanup", () => {
  const text = load(path.join(ARTICLES, "2025-12-18-mainuferbote-sicherheitsgarantien.txt"));
  const proposals = proposeCleanup(text);

  it("returns the text unchanged when nothing is accepted", () => {
    expect(applyCleanup(text, [])).toBe(text);
  });

  it("removes exactly the accepted proposals, in any order", () => {
    const share = proposals.find((p) => p.kind === "share-buttons") as CleanupProposal;
    const comments = proposals.find((p) => p.kind === "comments") as CleanupProposal;
    const cleaned = applyCleanup(text, [comments, share]);
    expect(cleaned).not.toContain("Teilen · Drucken · Merken");
    expect(cleaned).not.toContain("Kommentare (3)");
    expect(cleaned).toContain("Unterstützen Sie unabhängigen Journalismus");
    expect(cleaned.endsWith("Jetzt abonnieren")).toBe(true);
  });

  it("leaves no double blank lines for any accepted subset", () => {
    fc.assert(
      fc.property(fc.subarray(proposals), (accepted) => {
        const cleaned = applyCleanup(text, accepted);
        expect(cleaned).not.toMatch(/^\n|\n\n\n|\s$/);
        if (accepted.length === 0) expect(cleaned).toBe(text);
      }),
    );
  });

  it("refuses proposals that do not belong to the text", () => {
    const [first] = proposals;
    expect(() => applyCleanup(`x${text}`, [first as CleanupProposal])).toThrow(/does not match/);
    expect(() => applyCleanup(text, [first as CleanupProposal, first as CleanupProposal])).toThrow(
      /overlaps/,
    );
  });
});

describe("offsets", () => {
  it("counts code points, so emoji before a proposal do not shift it", () => {
    const head = "🇺🇦 Kiew 👍 verhandelt weiter 🤝";
    const body = `📌 ${"Selenskyj traf Witkoff in Berlin, beide sprachen von Fortschritten. ".repeat(3)}`;
    const text = `${head}\n\n${body}\n\nTeilen · Drucken · Merken\n\n😡 Ende.`;
    const [share] = proposeCleanup(text);
    const prefix = `${head}\n\n${body}\n\n`;
    expect(share?.kind).toBe("share-buttons");
    expect(share?.start).toBe(countCodePoints(prefix));
    expect(share?.start).not.toBe(prefix.length);
    expect(share?.text).toBe("Teilen · Drucken · Merken\n");
    expect(applyCleanup(text, share ? [share] : [])).toBe(`${prefix}😡 Ende.`);
  });

  it("takes the newline before a last line so no empty line remains", () => {
    const text = `Titel der Meldung hier\n\n${"Ein Satz über Garantien. ".repeat(10)}\nTeilen · Drucken`;
    const [share] = proposeCleanup(text);
    expect(share?.text).toBe("\nTeilen · Drucken");
    expect(applyCleanup(text, share ? [share] : [])).toBe(text.slice(0, text.lastIndexOf("\n")));
  });

  it("keeps proposals sorted, disjoint, whole-line and exact on random scraped-looking text", () => {
    const pieces = fc.oneof(
      fc.constantFrom(
        " date 2025-12-18",
        "Startseite > Politik > Ausland",
        "Kommentare (3)",
        "14 Kommentare",
        "Gerd_K. · 18.12.2025, 08:41",
        "Teilen · Drucken · Merken",
        "Share: Facebook · X · Email",
        "Foto: dpa/Matthias Kornblum",
        "Das könnte dich auch interessieren",
        "Unterstützen Sie unabhängigen Journalismus",
        "5 CHF",
        "Anzeige",
        "31.12.2025, 19:53",
        "Von Lena Hartwig | 18.12.2025",
        "Kiew will Garantien schwarz auf weiß",
        "🇺🇦👍 Emoji 😡",
        "",
        "",
        `${"Der Präsident sagte, die Ukraine brauche Garantien. ".repeat(5)}`,
      ),
      fc.string({ unit: "grapheme", maxLength: 40 }),
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
        const text = parts.join("\n");
        const proposals = proposeCleanup(text);
        expectWellFormed(text, proposals);
        expect(applyCleanup(text, [])).toBe(text);
        const cleaned = applyCleanup(text, proposals);
        if (!/^\n|\n\n\n|\n$/.test(text)) expect(cleaned).not.toMatch(/^\n|\n\n\n|\n$/);
      }),
      { numRuns: 300 },
    );
  });
});
