/**
 * The spaCy export, checked against spaCy's own DocBin layout field by field.
 * spaCy is not a dependency: the reference values below were produced with
 * spaCy 3.8.16 (`spacy.strings.hash_string`, `spacy.symbols.NAMES`, and
 * `DocBin(docs=…).to_bytes()` on the same docs), and every decoding step here
 * mirrors `spacy/tokens/_serialize.py` `DocBin.from_bytes` / `get_docs`.
 *
 * Loading an export in Python:
 *
 *   import spacy
 *   from spacy.tokens import DocBin
 *   nlp = spacy.blank("de")
 *   docs = list(DocBin().from_disk("train/data.spacy").get_docs(nlp.vocab))
 *   docs[0].text, docs[0].ents, docs[0].spans["sc"], docs[0].cats
 */
import { createHash } from "node:crypto";
import { decode, decodeMulti } from "@msgpack/msgpack";
import { unzlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { Dataset, DatasetDocument, DatasetPart } from "../../../shared/dataset/dataset";
import {
  murmurHash64A,
  SPACY_SYMBOLS,
  spacyStringHash,
  spacyStringId,
} from "../../../shared/dataset/formats/murmurhash";
import {
  DOCBIN_ATTRS,
  docBinMessage,
  type SpacyDocData,
  spacyExporter,
} from "../../../shared/dataset/formats/spacy";
import { SPACY_SYMBOL_NAMES } from "../../../shared/dataset/formats/spacy-symbols";
import { LossReport } from "../../../shared/dataset/loss-report";
import { sliceCodePoints } from "../../../shared/text-blocks";
import { codePointSpan, fixtureDataset, fixtureOptions, plainText, trickyText } from "./fixtures";

function exportSpacy(dataset: Dataset, parts?: DatasetPart[]) {
  const report = new LossReport("spacy");
  const files = spacyExporter.exportParts(
    dataset,
    parts ?? [{ name: "", documents: dataset.documents }],
    fixtureOptions,
    report,
  );
  if (files instanceof Promise) throw new Error("the spaCy export should be synchronous");
  const file = (path: string) => {
    const found = files.find((f) => f.path === path);
    if (!found) throw new Error(`no file ${path}`);
    return found.data;
  };
  return { files, report, file };
}

/** `SpanGroups.from_bytes` + `SpanGroup.from_bytes`: `{group bytes: [keys]}`, spans as ">QQQllll". */
function decodeSpanGroups(bytes: Uint8Array) {
  type Span = Record<"id" | "kbId" | "label", bigint> &
    Record<"start" | "end" | "startChar" | "endChar", number>;
  const groups = new Map<string, { attrs: unknown; spans: Span[] }>();
  if (bytes.length === 1 && bytes[0] === 0x90) return groups; // SpanGroups._EMPTY_BYTES
  // A map with bin keys, which @msgpack/msgpack cannot key on: read its entries one by one.
  expect((bytes[0] ?? 0) & 0xf0).toBe(0x80);
  const entries = [...decodeMulti(bytes.subarray(1))];
  expect(entries.length).toBe(2 * ((bytes[0] ?? 0) & 0x0f));
  for (let i = 0; i < entries.length; i += 2) {
    const group = decode(entries[i] as Uint8Array) as {
      name: string;
      attrs: unknown;
      spans: Uint8Array[];
    };
    expect(Object.keys(group)).toEqual(["name", "attrs", "spans"]);
    expect(entries[i + 1]).toEqual([group.name]);
    const spans = group.spans.map((struct): Span => {
      expect(struct.length).toBe(40);
      const view = new DataView(struct.buffer, struct.byteOffset, 40);
      return {
        id: view.getBigUint64(0),
        kbId: view.getBigUint64(8),
        label: view.getBigUint64(16),
        start: view.getInt32(24),
        end: view.getInt32(28),
        startChar: view.getInt32(32),
        endChar: view.getInt32(36),
      };
    });
    for (const key of entries[i + 1] as string[]) groups.set(key, { attrs: group.attrs, spans });
  }
  return groups;
}

/** A .spacy file decoded the way `DocBin.from_bytes` and `get_docs` read it. */
function readDocBin(data: string | Uint8Array) {
  if (typeof data === "string") throw new Error("data.spacy must be bytes");
  const raw = unzlibSync(data);
  const msg = decode(raw) as Record<string, unknown>;
  const attrs = msg.attrs as number[];
  const strings = msg.strings as string[];
  const lengthBytes = msg.lengths as Uint8Array;
  const tokenBytes = msg.tokens as Uint8Array;
  const spaceBytes = msg.spaces as Uint8Array;
  const lengths = Array.from({ length: lengthBytes.length / 4 }, (_, i) =>
    new DataView(lengthBytes.buffer, lengthBytes.byteOffset).getInt32(i * 4, true),
  );
  const rows = tokenBytes.length / 8 / attrs.length;
  const tokenView = new DataView(tokenBytes.buffer, tokenBytes.byteOffset, tokenBytes.length);
  const cell = (row: number, col: number) =>
    tokenView.getBigUint64((row * attrs.length + col) * 8, true);
  // vocab.strings: every stored string under its id, plus the symbols.
  const byId = new Map<bigint, string>();
  for (const name of SPACY_SYMBOL_NAMES) byId.set(spacyStringId(name), name);
  for (const text of strings) byId.set(spacyStringId(text), text);
  const str = (id: bigint) => {
    const text = byId.get(id);
    if (text === undefined) throw new Error(`id ${id} is not in strings`);
    return text;
  };
  const col = (name: string) => attrs.indexOf(SPACY_SYMBOLS.get(name) ?? -1);
  let row = 0;
  const docs = lengths.map((length, d) => {
    const first = row;
    row += length;
    const tokens = Array.from({ length }, (_, i) => first + i);
    const words = tokens.map((r) => str(cell(r, col("ORTH"))));
    const spaces = tokens.map((r) => spaceBytes[r] === 1);
    const text = words.map((w, i) => (spaces[i] ? `${w} ` : w)).join("");
    const spanText = (start: number, end: number) =>
      words
        .slice(start, end)
        .map((w, i) => (spaces[start + i] && start + i < end - 1 ? `${w} ` : w))
        .join("");
    // Doc.ents: B (3) opens, I (1) continues, O (2) / missing (0) closes.
    const ents: Array<[string, string, string]> = [];
    let open: { start: number; label: bigint; kb: bigint } | undefined;
    const close = (end: number) => {
      if (open) ents.push([spanText(open.start, end), str(open.label), str(open.kb)]);
      open = undefined;
    };
    tokens.forEach((r, i) => {
      const iob = cell(r, col("ENT_IOB"));
      if (iob === 1n) expect(open).toBeDefined();
      else close(i);
      if (iob === 3n)
        open = { start: i, label: cell(r, col("ENT_TYPE")), kb: cell(r, col("ENT_KB_ID")) };
    });
    close(length);
    const groups = decodeSpanGroups((msg.span_groups as Uint8Array[])[d] ?? new Uint8Array());
    return { rows: tokens, words, spaces, text, ents, groups, spanText, str };
  });
  return { raw, msg, attrs, strings, lengths, rows, cell, col, spaceBytes, docs };
}

describe("MurmurHash64A and spaCy string ids", () => {
  it("matches spaCy's hash_string (seed 1, UTF-8) for every tail length and script", () => {
    // nlp.vocab.strings["coffee"] == 3197928453018144401 is in spaCy's documentation.
    const known: Array<[string, bigint]> = [
      ["coffee", 3197928453018144401n],
      ["", 14313749767032693980n],
      ["a", 11901859001352538922n],
      ["ab", 6606101647874324205n],
      ["abcdefg", 18200195881963043692n],
      ["abcdefgh", 17751780907874141760n],
      ["abcdefghi", 13885881106499164936n],
      ["Zu\u0308rich", 3450395608850329694n],
      ["🇺🇦", 13367537433292625465n],
      ["الأمم", 5038909878364826833n],
      ["\r\n", 2933942332565701703n],
      ["PER", 4317129024397789502n],
      ["corine-mauch", 546544252825472257n],
      ["Jänner", 4861525257097356848n],
      ["𐐀", 492027492781394499n],
      ["café", 32833993555699147n],
    ];
    for (const [text, hash] of known) expect(spacyStringHash(text), text).toBe(hash);
    expect(murmurHash64A(new Uint8Array([0x63, 0x6f, 0x66, 0x66, 0x65, 0x65]), 1)).toBe(
      3197928453018144401n,
    );
  });

  it("gives reserved symbols their fixed ids, as StringStore.add does", () => {
    expect(SPACY_SYMBOL_NAMES).toHaveLength(457);
    expect(new Set(SPACY_SYMBOL_NAMES).size).toBe(457);
    const ids = Object.entries({ "": 0, IS_ALPHA: 1, FLAG19: 19, ORTH: 65, NORM: 67, LANG: 83 })
      .concat(Object.entries({ X: 101, DEPRECATED001: 104, DEPRECATED276: 379, PERSON: 380 }))
      .concat(
        Object.entries({ ORG: 383, LOC: 385, DATE: 391, relcl: 447, ENT_KB_ID: 452, _: 456 }),
      );
    for (const [name, id] of ids) expect(spacyStringId(name), name).toBe(BigInt(id));
    expect(spacyStringId("PER")).toBe(spacyStringHash("PER")); // PER is no symbol
    expect(SPACY_SYMBOLS.has("MISC")).toBe(false);
  });

  it("hashes tens of thousands of strings quickly", () => {
    const started = performance.now();
    for (let i = 0; i < 50_000; i++) spacyStringHash(`token-${i}-Zürich`);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("DocBin bytes", () => {
  /** Whitespace tokens, symbols as words, astral vs U+FF02 sort order, str16, bin32, array16. */
  function edgeDocs(): SpacyDocData[] {
    const many = Array.from({ length: 700 }, (_, i) => `w${i}`);
    const words = ["  ", "Hello", "\u00a0", "ORG", "X", "world", "\r\n", "🙂", "＂quote＂", "\t"];
    return [
      {
        words: [...words, "x".repeat(40), "y".repeat(300), "end", " "],
        spaces: [..."FTFTTFFTFFTTTF"].map((flag) => flag === "T"),
        ents: [
          { start: 1, end: 2, label: "PER" },
          { start: 3, end: 6, label: "ORG", kbId: "org-1" },
          { start: 7, end: 8, label: "EMOJI" },
        ],
        spanGroups: [
          [
            "sc",
            [
              { start: 1, end: 6, label: "STANCE" },
              { start: 3, end: 4, label: "ORG", kbId: "org-1" },
              { start: 1, end: 2, label: "PER" },
            ],
          ],
        ],
        cats: [
          ["topic=war", 1],
          ["topic=economy", 0],
          ["score", 0.5],
        ],
      },
      { words: [], spaces: [], ents: [], spanGroups: [["sc", []]], cats: [] },
      { words: ["solo"], spaces: [false], ents: [], spanGroups: [], cats: [] },
      {
        words: many,
        spaces: many.map((_, i) => i % 3 !== 0),
        ents: [{ start: 0, end: 700, label: "LOC" }],
        spanGroups: [
          ["sc", [{ start: 699, end: 700, label: "LOC" }]],
          ["other", []],
        ],
        cats: [],
      },
    ];
  }

  it("are byte for byte what spaCy 3.8.16's DocBin.to_bytes packs for the same docs", () => {
    // Python: build each Doc(Vocab(), words, spaces), set ents/spans/cats, then
    // zlib.decompress(DocBin(docs=docs).to_bytes()) → 79466 bytes with this SHA-256.
    const message = docBinMessage(edgeDocs());
    expect(message.length).toBe(79466);
    expect(createHash("sha256").update(message).digest("hex")).toBe(
      "54576d2eb477750b5e9a1af32a5b2c3359464981ff530f830655370984ba6561",
    );
  });

  it("sorts strings by code point like Python and writes cats as float64", () => {
    const message = docBinMessage(edgeDocs());
    const { strings } = decode(message) as { strings: string[] };
    expect(strings.indexOf("＂quote＂")).toBeLessThan(strings.indexOf("🙂"));
    expect(strings[0]).toBe("");
    const hex = Buffer.from(message).toString("hex");
    const key = Buffer.from("topic=war").toString("hex");
    expect(hex).toContain(`a9${key}cb3ff0000000000000`); // "topic=war": 1.0
  });
});

/** doc.ents of alice's tricky article: text, label, kb_id. */
const ALICE_ENTS = [
  ["Kyiv", "LOC", ""],
  ["Zu\u0308rich", "LOC", ""],
  ["Corine Mauch", "PER", "corine-mauch"],
  ["3. Jänner 2026", "DATE", ""],
  ["Wolodymyr Selenskyj", "PER", ""],
  ["Vereinten Nationen (UN)", "ORG", ""],
  ["الأمم المتحدة", "ORG", ""],
  ["Mauch", "PER", ""],
  ["Zu\u0308rich", "LOC", ""],
];

describe("spaCy exporter on the fixture", () => {
  const { files, report, file } = exportSpacy(fixtureDataset());
  const bin = readDocBin(file("data.spacy"));
  const [alice, bob, plain] = bin.docs;
  if (!alice || !bob || !plain) throw new Error("three docs expected");

  it("writes data.spacy and data.jsonl per part", () => {
    expect(spacyExporter.format).toBe("spacy");
    expect(spacyExporter.lossless).toBe(false);
    expect(files.map((f) => f.path)).toEqual(["data.spacy", "data.jsonl"]);
    const dataset = fixtureDataset();
    const [a, b, c] = dataset.documents as [DatasetDocument, DatasetDocument, DatasetDocument];
    const split = exportSpacy(dataset, [
      { name: "train", documents: [a, c] },
      { name: "test", documents: [b] },
    ]);
    expect(split.files.map((f) => f.path).join(" ")).toBe(
      "train/data.spacy train/data.jsonl test/data.spacy test/data.jsonl",
    );
    expect(readDocBin(split.file("test/data.spacy")).lengths).toHaveLength(1);
  });

  it("has DocBin.to_bytes' keys, version, attrs and array sizes", () => {
    expect(Object.keys(bin.msg).join(" ")).toBe(
      "version attrs tokens spaces lengths strings cats flags span_groups",
    );
    expect(bin.msg.version).toBe("0.1");
    expect(bin.attrs).toEqual([65, 67, 73, 74, 75, 76, 77, 78, 79, 80, 452, 453, 454]);
    expect(DOCBIN_ATTRS).toEqual(bin.attrs);
    expect(bin.lengths).toHaveLength(3);
    expect(bin.lengths.reduce((a, b) => a + b, 0)).toBe(bin.rows);
    expect(Number.isInteger(bin.rows)).toBe(true);
    expect(bin.spaceBytes.length).toBe(bin.rows);
    expect([...bin.spaceBytes].every((b) => b === 0 || b === 1)).toBe(true);
    expect(bin.msg.flags).toEqual([0, 1, 2].map(() => ({ has_unknown_spaces: false })));
    expect((bin.msg.span_groups as unknown[]).length).toBe(3);
  });

  it("lists every string behind an id, sorted and unique", () => {
    expect([...bin.strings]).toEqual([...new Set(bin.strings)]);
    // UTF-8 byte order is code-point order, which is Python's str order.
    const sorted = [...bin.strings].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(bin.strings).toEqual(sorted);
    for (const name of ["ORTH", "ENT_TYPE", "ENT_KB_ID"])
      for (let r = 0; r < bin.rows; r++) bin.docs[0]?.str(bin.cell(r, bin.col(name)));
    const expected = [
      "",
      "Kyiv",
      "Zu\u0308rich",
      "\r\n",
      "🇺🇦",
      "PER",
      "ORG",
      "STANCE",
      "corine-mauch",
    ];
    for (const text of expected) expect(bin.strings).toContain(text);
  });

  it("stores ORTH as the string id of each word and rebuilds every text exactly", () => {
    const texts = fixtureDataset().documents.map((d) => d.text);
    expect(bin.docs.map((d) => d.text)).toEqual(texts);
    expect(alice.text).toBe(trickyText);
    expect(plain.text).toBe(plainText);
    alice.rows.forEach((r, i) => {
      expect(bin.cell(r, bin.col("ORTH"))).toBe(spacyStringId(alice.words[i] ?? ""));
    });
    // CRLF is a whitespace token without trailing space; single spaces are flags.
    expect(alice.words.filter((w) => /^\s+$/u.test(w))).toEqual(["\r\n", "\r\n"]);
    expect(alice.words.slice(0, 3)).toEqual(["🇺🇦", "Kyiv", "🙂"]);
    expect(alice.spaces.slice(0, 3)).toEqual([true, true, true]);
  });

  it("sets ENT_IOB, ENT_TYPE and ENT_KB_ID for the outermost entity and date spans", () => {
    const iob = alice.rows.map((r) => bin.cell(r, bin.col("ENT_IOB")));
    expect(iob.every((v) => v === 1n || v === 2n || v === 3n)).toBe(true);
    expect(alice.ents).toEqual(ALICE_ENTS);
    expect(bob.ents.map((e) => e[0])).not.toContain("Wolodymyr");
    expect(plain.ents.map(([text, label]) => `${label}:${text}`)).toEqual([
      "LOC:Berlin",
      "DATE:18. Dezember 2025",
      "PER:Friedrich Merz",
      "PER:Emmanuel Macron",
      "LOC:Paris",
    ]);
    expect(bin.cell(alice.rows[1] ?? 0, bin.col("ENT_TYPE"))).toBe(385n); // LOC is a symbol
  });

  it("leaves the other attributes unset, with SENT_START 1 on each doc's first token", () => {
    for (const doc of bin.docs)
      doc.rows.forEach((r, i) => {
        for (const name of ["NORM", "LEMMA", "POS", "TAG", "DEP", "HEAD", "MORPH", "ENT_ID"])
          expect(bin.cell(r, bin.col(name))).toBe(0n);
        expect(bin.cell(r, bin.col("SENT_START"))).toBe(i === 0 ? 1n : 0n);
      });
  });

  it('keeps every span in spans["sc"], nested and stance ones included', () => {
    const sc = alice.groups.get("sc");
    expect([...alice.groups.keys()]).toEqual(["sc"]);
    expect(sc?.attrs).toEqual({});
    const spans = (sc?.spans ?? []).map((s) => {
      const text = alice.spanText(s.start, s.end);
      expect(sliceCodePoints(trickyText, s.startChar, s.endChar)).toBe(text);
      expect(s.id).toBe(0n);
      return [text, alice.str(s.label), alice.str(s.kbId)];
    });
    const stance = "„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch";
    expect(spans).toEqual([
      ...ALICE_ENTS.slice(0, 6),
      ["UN", "ORG", ""],
      ...ALICE_ENTS.slice(6, 7),
      [stance, "STANCE", ""],
      ...ALICE_ENTS.slice(7),
    ]);
    const [start] = codePointSpan(trickyText, "Kyiv");
    expect(sc?.spans[0]?.startChar).toBe(start);
    expect(bob.groups.get("sc")?.spans.map((s) => bob.spanText(s.start, s.end))).toContain(
      "Wolodymyr",
    );
  });

  it("turns single and multi choice codes into cats", () => {
    expect(bin.msg.cats).toEqual([
      { "topic=war": 1, "topic=economy": 0, "actors=eu": 1, "actors=us": 0, "actors=ru": 1 },
      { "topic=war": 1, "topic=economy": 0, "actors=eu": 1, "actors=us": 0, "actors=ru": 1 },
      { "topic=war": 0, "topic=economy": 1 },
    ]);
    const hex = Buffer.from(bin.raw).toString("hex");
    expect(hex).toContain(`a9${Buffer.from("topic=war").toString("hex")}cb3ff0000000000000`);
    expect(hex).toContain(`ad${Buffer.from("topic=economy").toString("hex")}cb0000000000000000`);
  });

  it("repeats the docs in data.jsonl with code-point offsets", () => {
    const lines = String(file("data.jsonl")).trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    const first = JSON.parse(lines[0] ?? "{}");
    expect(Object.keys(first)).toEqual(["id", "annotator", "text", "ents", "spans", "cats"]);
    expect(first.text).toBe(trickyText);
    const quote = ([start, end]: [number, number]) => sliceCodePoints(trickyText, start, end);
    expect(first.ents.map(quote)).toEqual(alice.ents.map((e) => e[0]));
    expect(first.spans.sc).toHaveLength(11);
    expect(first.spans.sc[6]).toEqual([...codePointSpan(trickyText, "UN"), "ORG"]);
    expect(first.cats).toEqual((bin.msg.cats as unknown[])[0]);
  });

  it("reports what the .spacy file does not carry", () => {
    const counts = Object.fromEntries(report.toData().items.map((item) => [item.code, item.count]));
    expect(counts).toEqual({
      "kind-stance-not-tagged": 2,
      overlap: 2, // alice's nested "UN", bob's "Wolodymyr" inside "Wolodymyr Selenskyj"
      "attribute-value-not-carried": 3,
      "attribute-note-not-carried": 2,
      "attribute-target-not-carried": 2,
      "attribute-polarity-not-carried": 2,
      "attribute-holder-not-carried": 2,
      "document-code-text-not-carried": 2,
      "document-code-number-not-carried": 2,
    });
    expect(report.toData().notes.join(" ")).toContain('doc.spans["sc"]');
  });

  it("is deterministic", () => {
    const again = exportSpacy(fixtureDataset());
    expect(again.files).toEqual(files);
  });
});

describe("spaCy exporter on whitespace and token boundaries", () => {
  function single(text: string, spans: Array<[string, string, string, number?]>): Dataset {
    const dataset = fixtureDataset();
    const doc: DatasetDocument = {
      id: "ws",
      text,
      meta: { title: "", source: "", url: "", date: "", language: "de" },
      annotator: "alice",
      spans: spans.map(([id, label, quote, nth]) => {
        const [start, end] = codePointSpan(text, quote, nth ?? 0);
        return { id, start, end, label, kind: "entity" as const, text: quote };
      }),
      codes: {},
    };
    return { ...dataset, documents: [doc] };
  }

  it("makes every whitespace but one trailing space a token, as spaCy's tokenizer does", () => {
    const text = "  Corine  Mauch\tsagt:\u00a0Ja. \r\nEnde  ";
    const { file, report } = exportSpacy(
      single(text, [
        ["name", "PER", "Corine  Mauch"],
        ["part", "PER", "Mau"],
        ["blank", "LOC", "\r\n"],
      ]),
    );
    const [doc] = readDocBin(file("data.spacy")).docs;
    expect(doc?.text).toBe(text);
    // "+" marks a trailing-space flag.
    const marked = doc?.words.map((w, i) => (doc.spaces[i] ? `${w}+` : w));
    expect(marked?.join("|")).toBe("  |Corine+| |Mauch|\t|sagt|:|\u00a0|Ja|.+|\r\n|Ende+| ");
    // The entity spans the extra-space token inside it.
    expect(doc?.ents).toEqual([["Corine  Mauch", "PER", ""]]);
    const sc = doc?.groups.get("sc")?.spans.map((s) => [s.start, s.end, s.startChar, s.endChar]);
    expect(sc).toEqual([
      [1, 4, 2, 15],
      [3, 4, 10, 15], // "Mau" widened to "Mauch"
    ]);
    const counts = Object.fromEntries(report.toData().items.map((item) => [item.code, item.count]));
    expect(counts["span-group-widened"]).toBe(1);
    expect(counts["span-group-no-token"]).toBe(1);
    expect(counts["not-on-token-boundary"]).toBe(1);
    expect(counts["no-token"]).toBe(1);
  });

  it("exports an empty text as a doc without tokens", () => {
    const { file } = exportSpacy(single("", []));
    const bin = readDocBin(file("data.spacy"));
    expect(bin.lengths).toEqual([0]);
    expect(bin.rows).toBe(0);
    expect(bin.docs[0]?.groups.get("sc")?.spans).toEqual([]);
  });
});
