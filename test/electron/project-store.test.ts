/**
 * The project store on a real folder: an edit writes one file, canonically and
 * durably; bursts coalesce; concurrent first edits share one file; a failed
 * write is not acknowledged and leaves memory as the disk is.
 */
import { chmod, cp, mkdtemp, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { createCoalescingWriter } from "../../electron/project/canonical-file";
import { readArticle } from "../../electron/project/project-folder";
import { ProjectStore } from "../../electron/project/project-store";
import { anchorContext } from "../../shared/anchoring";
import { formatFileData } from "../../shared/file-formats";
import { REPO } from "../support/serve-process";
import { fingerprint } from "../support/temp-project";

const ARTICLE = "2025-12-18-mainuferbote-sicherheitsgarantien";
let project: string;
let text: string;

beforeEach(async () => {
  project = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-store-")), "p");
  await cp(path.join(REPO, "annotations"), project, { recursive: true });
  text = await readFile(path.join(project, "articles", `${ARTICLE}.txt`), "utf8");
});

function annotation(id: string, start: number, end: number) {
  return {
    id,
    kind: "entity" as const,
    label: "PER",
    start,
    end,
    ...anchorContext(text, start, end),
  };
}

describe("ProjectStore", () => {
  it("writes only the edited coder's file of the edited article, canonically", async () => {
    const before = await fingerprint(project);
    const store = await ProjectStore.open(project);
    await store.updateCoding(ARTICLE, "carol", (file) => {
      file.status = "in-progress";
      file.annotations.push(annotation("carol-1", 620, 639));
    });
    const after = await fingerprint(project);
    const changed = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
    expect(changed).toEqual([path.join("coding", ARTICLE, "carol.json")]);
    const written = await readFile(path.join(project, "coding", ARTICLE, "carol.json"), "utf8");
    const view = await readArticle(project, ARTICLE);
    const carol = view.coders.find((c) => c.coder === "carol");
    expect(carol?.annotations.map((a) => a.quote)).toEqual(["Wolodymyr Selenskyj"]);
    expect(written).toBe(
      formatFileData("coding", {
        schemaVersion: 2,
        article: ARTICLE,
        coder: "carol",
        textHash: view.meta.textHash,
        status: "in-progress",
        codes: {},
        annotations: [annotation("carol-1", 620, 639)],
        orphans: [],
      }),
    );
  });

  it("writes O(article) bytes: the size of one file, not the project", async () => {
    const store = await ProjectStore.open(project);
    await store.updateCoding(ARTICLE, "alice", (file) => {
      file.annotations.push(annotation("alice-x1", 923, 937));
    });
    const fileSize = (await stat(path.join(project, "coding", ARTICLE, "alice.json"))).size;
    expect(fileSize).toBeLessThan(20_000);
  });

  it("keeps every edit of a concurrent burst, including the very first ones", async () => {
    const store = await ProjectStore.open(project);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.updateCoding(ARTICLE, "dave", (file) => {
          file.annotations.push(annotation(`dave-${i}`, 620 + (i % 10), 639));
        }),
      ),
    );
    const fresh = await ProjectStore.open(project);
    expect((await fresh.readCoding(ARTICLE, "dave")).annotations).toHaveLength(40);
  });

  it("does not acknowledge an edit that could not be saved, and forgets it", async () => {
    const store = await ProjectStore.open(project);
    await store.updateCoding(ARTICLE, "erin", (file) => {
      file.annotations.push(annotation("erin-1", 620, 639));
    });
    const dir = path.join(project, "coding", ARTICLE);
    await chmod(dir, 0o500);
    try {
      if (process.getuid?.() === 0) return; // root ignores folder permissions
      await expect(
        store.updateCoding(ARTICLE, "erin", (file) => {
          file.annotations.push(annotation("erin-2", 923, 937));
        }),
      ).rejects.toThrow(/could not be saved/);
      expect((await store.readCoding(ARTICLE, "erin")).annotations.map((a) => a.id)).toEqual([
        "erin-1",
      ]);
    } finally {
      await chmod(dir, 0o755);
    }
  });

  it("refuses ids that could escape the project", async () => {
    const store = await ProjectStore.open(project);
    await expect(store.updateCoding("../../etc", "alice", () => undefined)).rejects.toThrow(
      /not a valid article id/,
    );
    await expect(store.updateCoding(ARTICLE, "../x", () => undefined)).rejects.toThrow(
      /not a valid coder name/,
    );
  });
});

describe("createCoalescingWriter", () => {
  it("writes the first and only the newest of a burst, and resolves everyone after their data is written", async () => {
    const written: string[] = [];
    let release: () => void = () => undefined;
    const writer = createCoalescingWriter(async (text) => {
      written.push(text);
      if (text === "1") await new Promise<void>((r) => (release = r));
    });
    const resolved: string[] = [];
    const all = ["1", "2", "3", "4"].map((t) => writer.write(t).then(() => resolved.push(t)));
    await new Promise((r) => setTimeout(r, 10));
    expect(written).toEqual(["1"]);
    release();
    await Promise.all(all);
    expect(written).toEqual(["1", "4"]);
    expect(resolved.sort()).toEqual(["1", "2", "3", "4"]);
  });

  it("passes a failed write on to its callers, then keeps working", async () => {
    let fail = true;
    const writer = createCoalescingWriter(async () => {
      if (fail) throw new Error("disk full");
    });
    await expect(writer.write("a")).rejects.toThrow("disk full");
    fail = false;
    await expect(writer.write("b")).resolves.toBeUndefined();
  });
});

describe("ProjectStore.replaceArticleText", () => {
  it("writes the new text and hash, moves every coder's annotations, and orphans the rest", async () => {
    const store = await ProjectStore.open(project);
    const newText = text.split("\nKommentare")[0] ?? text;
    const summaries = await store.replaceArticleText(ARTICLE, `Eilmeldung\n${newText}`);
    expect([...summaries.keys()].sort()).toEqual(["alice", "bob"]);
    const view = await readArticle(project, ARTICLE);
    expect(view.textMatchesHash).toBe(true);
    expect(view.problems).toEqual([]);
    for (const coder of view.coders) {
      for (const a of coder.annotations)
        expect([...view.text].slice(a.start, a.end).join(""), a.id).toBe(a.quote);
      expect(coder.annotations.length + coder.orphans.length).toBe(25);
    }
  });
});
