import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import type { Dataset, DatasetDocument, ExportFile } from "../../../shared/dataset/dataset";
import { DatasetFileError, type ImportedData } from "../../../shared/dataset/format-types";
import { normaliseLineEnds } from "../../../shared/dataset/formats/brat";
import {
  refiQdaExporter,
  refiQdaImporter,
  stableGuid,
} from "../../../shared/dataset/formats/refi-qda";
import { LossReport } from "../../../shared/dataset/loss-report";
import { fixtureDataset, fixtureOptions } from "./fixtures";

const XSD = resolve(__dirname, "../../fixtures/refi-qda/Project.xsd");
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRICKY = "2026-01-03-zurich-a1b2c3d4";
const tmp = mkdtempSync(join(tmpdir(), "tagwerk-refi-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function exportQdpx(dataset: Dataset): { file: ExportFile; report: LossReport } {
  const report = new LossReport("refi-qda");
  const parts = [{ name: "", documents: dataset.documents }];
  const files = refiQdaExporter.exportParts(dataset, parts, fixtureOptions, report) as ExportFile[];
  expect(files.map((f) => f.path)).toEqual(["project.qdpx"]);
  return { file: files[0] as ExportFile, report };
}

function bytes(file: ExportFile): Uint8Array {
  return typeof file.data === "string" ? strToU8(file.data) : file.data;
}

/** Validates `qde` against the published Project.xsd with xmllint; returns its messages on failure. */
function validate(qde: string): void {
  const path = join(tmp, `p${Math.random().toString(36).slice(2)}.qde`);
  writeFileSync(path, qde);
  execFileSync("xmllint", ["--noout", "--schema", XSD, path], { stdio: "pipe" });
}

type XNode = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  isArray: (name) =>
    [
      "User",
      "Code",
      "CodeRef",
      "Variable",
      "TextSource",
      "PlainTextSelection",
      "Coding",
      "VariableValue",
    ].includes(name),
});

function all(node: unknown, name: string): XNode[] {
  if (Array.isArray(node)) return node.flatMap((n) => all(n, name));
  if (typeof node !== "object" || node === null) return [];
  const own = (node as XNode)[name];
  const here = Array.isArray(own) ? (own as XNode[]) : [];
  return [...here, ...Object.values(node as XNode).flatMap((v) => all(v, name))];
}

function toDataset(base: Dataset, data: ImportedData): Dataset {
  const documents: DatasetDocument[] = data.documents.map((d) => ({
    id: d.id ?? "unknown",
    text: d.text,
    meta: { title: "", source: "", url: "", date: "", language: "", ...d.meta },
    annotator: d.annotator ?? "nobody",
    spans: d.spans.map((s, i) => ({
      ...s,
      id: s.id ?? `s${i}`,
      kind: s.kind ?? "entity",
      text: s.text ?? Array.from(d.text).slice(s.start, s.end).join(""),
    })),
    codes: d.codes ?? {},
  }));
  return { ...base, documents };
}

describe("REFI-QDA export", () => {
  const dataset = fixtureDataset();
  const { file, report } = exportQdpx(dataset);
  const entries = unzipSync(bytes(file));
  const qde = strFromU8(entries["project.qde"] ?? new Uint8Array());
  const project = parser.parse(qde).Project as XNode;

  it("zips project.qde and one plain text per article under sources/", () => {
    const names = Object.keys(entries);
    expect(names[0]).toBe("project.qde");
    expect(names.slice(1).every((n) => /^sources\/[0-9a-f-]{36}\.txt$/.test(n))).toBe(true);
    expect(names).toHaveLength(3);
    expect(
      qde.startsWith(
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0"',
      ),
    ).toBe(true);
  });

  it("is valid against the REFI-QDA Project.xsd", () => {
    expect(() => validate(qde)).not.toThrow();
    // The check has teeth: a selection without its required endPosition fails.
    expect(() => validate(qde.replace(/ endPosition="\d+"/, ""))).toThrow();
  });

  it("places every selection on the code points of its source text", () => {
    const sources = all(project, "TextSource");
    expect(sources.map((s) => s.name)).toEqual(["Merz trifft Macron", "Zürich trifft Kyiv"]);
    let checked = 0;
    for (const source of sources) {
      const path = String(source.plainTextPath);
      expect(path).toMatch(/^internal:\/\/[0-9a-f-]{36}\.txt$/);
      const text = strFromU8(entries[`sources/${path.slice(11)}`] ?? new Uint8Array());
      expect(text).not.toContain("\r");
      const cps = Array.from(text);
      const docs = dataset.documents.filter((d) => d.meta.title === source.name);
      const expected = docs.flatMap((d) => {
        const { at } = normaliseLineEnds(d.text);
        return d.spans.map((s) => `${at(s.start)}-${at(s.end)}:${s.text.replace(/\r\n/g, "\n")}`);
      });
      const found = all(source, "PlainTextSelection").map((sel) => {
        const [start, end] = [Number(sel.startPosition), Number(sel.endPosition)];
        expect(end).toBeLessThanOrEqual(cps.length);
        checked++;
        return `${start}-${end}:${cps.slice(start, end).join("")}`;
      });
      expect(found.sort()).toEqual(expected.sort());
    }
    expect(checked).toBe(11 + 10 + 5);
  });

  it("refers only to codes and users it defines, with GUIDs of the standard's pattern", () => {
    const codes = new Set(all(project, "Code").map((c) => String(c.guid)));
    const users = new Set(all(project, "User").map((u) => String(u.guid)));
    expect(all(project, "User").map((u) => u.name)).toEqual(["alice", "bob"]);
    const refs = all(project, "CodeRef").map((r) => String(r.targetGUID));
    expect(refs).toHaveLength(26);
    for (const ref of refs) expect(codes.has(ref)).toBe(true);
    for (const sel of all(project, "PlainTextSelection"))
      expect(users.has(String(sel.creatingUser))).toBe(true);
    for (const guid of qde.match(/(guid|GUID|User)="[^"]*"/g) ?? [])
      expect(guid.slice(guid.indexOf('"') + 1, -1)).toMatch(GUID);
  });

  it("builds the code system: labels, entity sub-codes, stance target › polarity", () => {
    const top = (project.CodeBook as XNode).Codes as XNode;
    const names = (top.Code as XNode[]).map((c) => c.name);
    expect(names).toEqual(["Person", "Organisation", "Place", "Date", "Stance"]);
    const person = (top.Code as XNode[])[0] as XNode;
    expect(person).toMatchObject({ isCodable: "true", color: "#2563eb" });
    expect((person.Code as XNode[]).map((c) => c.name)).toEqual(["Corine Mauch"]);
    const stance = (top.Code as XNode[])[4] as XNode;
    const target = (stance.Code as XNode[])[0] as XNode;
    expect(target.name).toBe("Ceasefire");
    expect((target.Code as XNode[]).map((c) => c.name)).toEqual([
      "In favour",
      "Against",
      "Neutral",
    ]);
    expect(qde).toContain("[tagwerk:label=PER kind=entity]");
  });

  it("keeps values, holders and notes in selection descriptions and codes as variables", () => {
    expect(qde).toContain("<Description>Value: 2026-01-03</Description>");
    expect(qde).toContain(
      "<Description>Holder: Corine Mauch [tagwerk:holder=corine-mauch]</Description>",
    );
    expect(qde).toContain("<Description>Note: spelling as in the source</Description>");
    const variables = all(project, "Variable").map((v) => `${v.name}:${v.typeOfVariable}`);
    expect(variables).toEqual([
      "Topic:Text",
      "Actors:Text",
      "Summary:Text",
      "Number of sources:Float",
    ]);
    expect(qde).toContain("<TextValue>eu; ru</TextValue>");
    expect(qde).toContain("<FloatValue>2</FloatValue>");
    expect(qde).toContain(
      "<TextValue>Mayor meets &quot;Selenskyj&quot;, talks; ceasefire</TextValue>".replace(
        /&quot;/g,
        '"',
      ),
    );
    expect(report.toData().items).toEqual([]);
  });

  it("is byte-identical across runs and reports disagreeing document codes", () => {
    expect(bytes(exportQdpx(fixtureDataset()).file)).toEqual(bytes(file));
    const changed = fixtureDataset();
    const bob = changed.documents.find((d) => d.annotator === "bob") as DatasetDocument;
    bob.codes.topic = "economy";
    const item = exportQdpx(changed).report.toData().items[0];
    expect(item?.code).toBe("document-code-conflict");
    expect(item?.examples).toEqual([`${TRICKY} (bob) topic="economy"`]);
  });
});

describe("REFI-QDA import", () => {
  it("round-trips: export → import → export gives the same bytes", () => {
    const dataset = fixtureDataset();
    const { file } = exportQdpx(dataset);
    const imported = refiQdaImporter.read([{ name: "project.qdpx", data: bytes(file) }]);
    expect(imported.warnings).toEqual([]);
    expect(imported.documents.map((d) => `${d.id} ${d.annotator}`)).toEqual([
      "2025-12-18-merz-macron-0f0f0f0f alice",
      `${TRICKY} alice`,
      `${TRICKY} bob`,
    ]);
    const alice = imported.documents[1];
    expect(alice?.meta).toEqual({
      title: "Zürich trifft Kyiv",
      source: "Tagblatt",
      url: "https://example.org/a",
      date: "2026-01-03",
      language: "de",
    });
    expect(alice?.codes).toEqual(dataset.documents[0]?.codes);
    const byText = (t: string) => alice?.spans.find((s) => s.text === t);
    expect(byText("Corine Mauch")).toMatchObject({
      label: "PER",
      kind: "entity",
      entity: "corine-mauch",
    });
    expect(byText("3. Jänner 2026")).toMatchObject({
      label: "DATE",
      kind: "date",
      value: "2026-01-03",
    });
    expect(byText("Wolodymyr Selenskyj")).toMatchObject({ note: "spelling as in the source" });
    expect(byText("„Wir brauchen jetzt einen Waffenstillstand“, sagte Mauch")).toMatchObject({
      label: "STANCE",
      kind: "stance",
      target: "ceasefire",
      polarity: "favour",
      holder: "corine-mauch",
    });
    expect(bytes(exportQdpx(toDataset(dataset, imported)).file)).toEqual(bytes(file));
  });

  it("links a holder span through its selection", () => {
    const dataset = fixtureDataset();
    const stance = dataset.documents[0]?.spans.find((s) => s.id === "a-stance");
    if (stance) stance.holder = "a-mauch2";
    const { file } = exportQdpx(dataset);
    expect(strFromU8(unzipSync(bytes(file))["project.qde"] as Uint8Array)).toContain(
      "Holder: Mauch [tagwerk:holder-selection=",
    );
    const imported = refiQdaImporter.read([{ name: "p.qdpx", data: bytes(file) }]);
    const spans = imported.documents[1]?.spans ?? [];
    const holder = spans.find((s) => s.label === "STANCE")?.holder;
    expect(spans.find((s) => s.id === holder)?.text).toBe("Mauch");
    expect(bytes(exportQdpx(toDataset(dataset, imported)).file)).toEqual(bytes(file));
  });

  it("reads projects from other programs: code names, users, inline text", () => {
    const qde = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x" origin="Other QDA 1.0">
  <Users><User guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="Ann Smith"/></Users>
  <CodeBook><Codes>
    <Code guid="BBBBBBBB-0000-0000-0000-000000000001" name="Emotionen" isCodable="true">
      <Code guid="BBBBBBBB-0000-0000-0000-000000000002" name="Ärger &amp; Wut" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="CCCCCCCC-0000-0000-0000-000000000001" name="Interview 1">
      <PlainTextContent>Ich bin 😀 wütend.</PlainTextContent>
      <PlainTextSelection guid="DDDDDDDD-0000-0000-0000-000000000001" startPosition="10" endPosition="16" creatingUser="aaaaaaaa-0000-0000-0000-000000000001">
        <Description>sehr deutlich</Description>
        <Coding guid="EEEEEEEE-0000-0000-0000-000000000001"><CodeRef targetGUID="bbbbbbbb-0000-0000-0000-000000000002"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="CCCCCCCC-0000-0000-0000-000000000002" path="internal://x.png"/>
  </Sources>
  <Notes><Note guid="FFFFFFFF-0000-0000-0000-000000000001"/></Notes>
</Project>`;
    expect(() => validate(qde)).not.toThrow();
    const { documents, warnings } = refiQdaImporter.read([
      { name: "other.qde", data: strToU8(qde) },
    ]);
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      text: "Ich bin 😀 wütend.",
      annotator: "Ann Smith",
      meta: { title: "Interview 1" },
    });
    expect(documents[0]?.spans).toEqual([
      {
        id: "dddddddd-0000-0000-0000-000000000001",
        start: 10,
        end: 16,
        text: "wütend",
        label: "arger-wut",
        note: "sehr deutlich",
      },
    ]);
    expect(warnings.join("\n")).toContain("Notes not imported");
    expect(warnings.join("\n")).toContain("1 PictureSource not imported");
  });

  it("stays valid and round-trips with labels, targets and codes the codebook lacks", () => {
    const dataset = fixtureDataset();
    const doc = dataset.documents[2] as DatasetDocument;
    doc.spans.push(
      {
        id: "x1",
        start: 0,
        end: 6,
        label: "GPE",
        kind: "entity",
        text: "Berlin",
        entity: "berlin",
      },
      {
        id: "x2",
        start: 27,
        end: 41,
        label: "STANCE",
        kind: "stance",
        text: "",
        polarity: "against",
      },
      { id: "x3", start: 47, end: 62, label: "STANCE", kind: "stance", text: "", target: "nato" },
    );
    const tricky = dataset.documents[0]?.spans.find((s) => s.id === "a-zel");
    if (tricky) tricky.note = 'two\nlines & <tags> "quoted"\u0007';
    doc.codes = { topic: "economy", extra: ["a", "b"], score: 1.5 };
    const { file } = exportQdpx(dataset);
    const qde = strFromU8(unzipSync(bytes(file))["project.qde"] as Uint8Array);
    expect(() => validate(qde)).not.toThrow();
    expect(qde).toContain('name="(no target)"');
    expect(qde).toContain('name="nato"');
    expect(qde).toContain("[tagwerk:variable=extra type=multi]");
    const imported = refiQdaImporter.read([{ name: "p.qdpx", data: bytes(file) }]);
    const plain = imported.documents.find((d) => d.annotator === "alice" && d.text === doc.text);
    expect(plain?.codes).toEqual(doc.codes);
    expect(plain?.spans.find((s) => s.label === "GPE")).toMatchObject({ entity: "berlin" });
    const zel = imported.documents[1]?.spans.find((s) => s.text === "Wolodymyr Selenskyj");
    expect(zel?.note).toBe('two\nlines & <tags> "quoted"\uFFFD');
    const again = exportQdpx(toDataset(dataset, imported)).file;
    expect(strFromU8(unzipSync(bytes(again))["project.qde"] as Uint8Array)).toBe(qde);
  });

  it("writes a valid, empty project for an empty part and one archive per part", () => {
    const dataset = fixtureDataset();
    const parts = [
      { name: "train", documents: dataset.documents.slice(0, 1) },
      { name: "test", documents: [] },
    ];
    const files = refiQdaExporter.exportParts(dataset, parts, fixtureOptions, new LossReport("x"));
    const list = files as ExportFile[];
    expect(list.map((f) => f.path)).toEqual(["train/project.qdpx", "test/project.qdpx"]);
    const empty = strFromU8(unzipSync(bytes(list[1] as ExportFile))["project.qde"] as Uint8Array);
    expect(() => validate(empty)).not.toThrow();
    expect(empty).not.toContain("<Sources>");
    const data = bytes(list[1] as ExportFile);
    expect(refiQdaImporter.read([{ name: "t.qdpx", data }]).documents).toEqual([]);
  });

  it("detects .qdpx archives", () => {
    const { file } = exportQdpx(fixtureDataset());
    expect(refiQdaImporter.detect({ name: "x.qdpx", data: bytes(file) })).toBe(true);
    expect(refiQdaImporter.detect({ name: "x.qdpx", data: strToU8("not a zip") })).toBe(false);
    expect(refiQdaImporter.detect({ name: "x.zip", data: bytes(file) })).toBe(false);
  });

  it("rejects broken input with DatasetFileError", () => {
    const fail = (data: Uint8Array): DatasetFileError => {
      try {
        refiQdaImporter.read([{ name: "p.qdpx", data }]);
      } catch (error) {
        expect(error).toBeInstanceOf(DatasetFileError);
        return error as DatasetFileError;
      }
      throw new Error("no error");
    };
    expect(fail(strToU8("plain text")).message).toMatch(/^p\.qdpx: is not a zip archive/);
    expect(fail(zipSync({ "readme.txt": strToU8("hi") })).message).toBe(
      "p.qdpx: holds no project.qde",
    );
    const broken = fail(
      zipSync({
        "project.qde": strToU8('<?xml version="1.0"?>\n<Project name="x">\n<Users>\n</Project>'),
      }),
    );
    expect([broken.file, broken.line]).toEqual(["p.qdpx/project.qde", 4]);
    expect(broken.problem).toMatch(/^is not well-formed XML/);
    const { file } = exportQdpx(fixtureDataset());
    const entries = unzipSync(bytes(file));
    const qde = strFromU8(entries["project.qde"] as Uint8Array);
    const beyond = fail(
      zipSync({
        ...entries,
        "project.qde": strToU8(qde.replace(/endPosition="6"/, 'endPosition="600"')),
      }),
    );
    expect(beyond.problem).toMatch(
      /^selection [0-9a-f-]{36} \(0–600\) is outside the text of "Merz trifft Macron" \(72 characters\)$/,
    );
    expect(beyond.line).toBe(qde.slice(0, qde.indexOf('endPosition="6"')).split("\n").length);
    const source = Object.keys(entries).find((n) => n.startsWith("sources/")) as string;
    const { [source]: _, ...missing } = entries;
    expect(fail(zipSync(missing)).problem).toMatch(
      /^source ".*": internal:\/\/.*\.txt is not in the archive$/,
    );
  });
});

describe("stableGuid", () => {
  it("is deterministic, distinct and matches the GUID pattern", () => {
    const guids = new Set(
      Array.from({ length: 2000 }, (_, i) => stableGuid("selection", TRICKY, "alice", String(i))),
    );
    expect(guids.size).toBe(2000);
    for (const guid of guids) expect(guid).toMatch(GUID);
    expect(stableGuid("user", "alice")).toBe(stableGuid("user", "alice"));
    expect(stableGuid("a", "bc")).not.toBe(stableGuid("ab", "c"));
  });
});
