/**
 * The coding loop end to end, by keyboard where a coder would use it: select
 * with Shift+arrows, tag with the codebook hotkeys, nest, overlap, set stance
 * attributes and a document code, undo and redo, reload — and find everything
 * exactly, in the page and in the files on disk.
 */
import { cp, mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../support/built-app";
import { launchChromium } from "../support/chromium";
import { REPO, type ServeProcess, startServe } from "../support/serve-process";

const ARTICLE = "2025-12-31-salzachtaler-jaenner-treffen";
let project: string;
let serve: ServeProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  ensureBuilt();
  project = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-coding-")), "project");
  await cp(path.join(REPO, "annotations"), project, { recursive: true });
  serve = await startServe(project, ["--coder", "tester"]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** Puts the caret before the `occurrence`-th `quote` in the article, then selects it with Shift+→. */
async function selectByKeyboard(quote: string, occurrence = 0): Promise<void> {
  await page.locator(".tw-article-text").waitFor();
  await page.evaluate(
    ({ quote, occurrence }) => {
      const root = document.querySelector(".tw-article-text") as HTMLElement;
      root.focus();
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let seen = 0;
      let full = "";
      const nodes: { node: Text; from: number }[] = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n as Text, from: full.length });
        full += (n as Text).data;
      }
      let at = -1;
      do at = full.indexOf(quote, at + 1);
      while (at >= 0 && seen++ < occurrence);
      const hit = [...nodes].reverse().find((x) => x.from <= at);
      if (!hit) throw new Error(`not found: ${quote}`);
      const selection = window.getSelection();
      selection?.collapse(hit.node, at - hit.from);
    },
    { quote, occurrence },
  );
  await page.waitForTimeout(50);
  for (let i = 0; i < [...quote].length; i++) await page.keyboard.press("Shift+ArrowRight");
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString())).toBe(quote);
}

async function stored() {
  const text = await readFile(path.join(project, "coding", ARTICLE, "tester.json"), "utf8");
  return JSON.parse(text) as {
    status: string;
    codes: Record<string, unknown>;
    annotations: {
      id: string;
      label: string;
      quote: string;
      value?: string;
      target?: string;
      polarity?: string;
      holder?: string;
    }[];
  };
}

const quotes = () =>
  page.evaluate(() => {
    const byId = new Map<string, string>();
    for (const el of document.querySelectorAll<HTMLElement>(".tw-article-text [data-annotation]")) {
      const id = el.dataset.annotation ?? "";
      byId.set(id, (byId.get(id) ?? "") + (el.textContent ?? ""));
    }
    return [...byId.values()].sort();
  });

describe("coding an article", () => {
  it("tags nested and overlapping spans by keyboard, undoes and redoes, and keeps it all through a reload", async () => {
    await page.goto(serve.url);
    await page.getByRole("option", { name: /Sicherheitsberater treffen sich/ }).click();
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toContain("Sicherheitsberater");

    // An entity, and a nested entity inside it.
    await selectByKeyboard("Präsident Wolodymyr Selensky");
    await page.keyboard.press("p");
    await selectByKeyboard("Wolodymyr Selensky", 1);
    await page.keyboard.press("p");
    // A stance span overlapping both.
    await selectByKeyboard(
      "Selensky kündigte am Mittwoch an, dass sich die nationalen Sicherheitsberater",
    );
    await page.keyboard.press("s");
    const editor = page.getByRole("region", { name: "Selected annotation" });
    await editor.getByLabel("Target").selectOption("security-guarantees");
    await editor.getByRole("button", { name: "favour" }).click();
    await expect
      .poll(() => editor.getByRole("button", { name: "favour" }).getAttribute("aria-pressed"))
      .toBe("true");
    await expect.poll(async () => (await stored()).annotations.length).toBe(3);
    const holderId =
      (await stored()).annotations.find((a) => a.quote === "Wolodymyr Selensky")?.id ?? "";
    await editor.getByLabel("Holder").selectOption(holderId);
    // A date whose value comes from the publication date (31 Dec 2025).
    await selectByKeyboard("3. Jänner", 2);
    await page.keyboard.press("d");
    await expect.poll(() => editor.getByLabel("Date value (ISO)").inputValue()).toBe("2026-01-03");
    // A document code.
    await page.getByRole("tab", { name: "Codes" }).click();
    await page.getByLabel("Genre").selectOption("news");
    await page.getByRole("tab", { name: /Annotations/ }).click();

    await expect.poll(async () => (await stored()).annotations.length).toBe(4);
    await expect.poll(async () => (await stored()).codes).toEqual({ genre: "news" });
    let file = await stored();
    expect(file.annotations.map((a) => [a.label, a.quote]).sort()).toEqual(
      [
        ["DATE", "3. Jänner"],
        ["PER", "Präsident Wolodymyr Selensky"],
        ["PER", "Wolodymyr Selensky"],
        ["STANCE", "Selensky kündigte am Mittwoch an, dass sich die nationalen Sicherheitsberater"],
      ].sort(),
    );
    const nested = file.annotations.find((a) => a.quote === "Wolodymyr Selensky");
    const stance = file.annotations.find((a) => a.label === "STANCE");
    expect(stance).toMatchObject({
      target: "security-guarantees",
      polarity: "favour",
      holder: nested?.id,
    });
    expect(file.annotations.find((a) => a.label === "DATE")?.value).toBe("2026-01-03");
    expect(file.codes).toEqual({ genre: "news" });
    expect(file.status).toBe("in-progress");

    // Undo removes the date, redo brings it back with its value.
    await page.locator(".tw-article-text").focus();
    await page.keyboard.press("Control+z");
    await expect
      .poll(async () => (await stored()).annotations.some((a) => a.label === "DATE"))
      .toBe(false);
    await page.keyboard.press("Control+Shift+z");
    await expect
      .poll(async () => (await stored()).annotations.find((a) => a.label === "DATE")?.value)
      .toBe("2026-01-03");

    // Relabel by keyboard: step to an annotation with Alt+→, press another hotkey.
    file = await stored();
    const before = await quotes();
    await page.reload();
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toContain("Sicherheitsberater");
    await expect.poll(() => quotes()).toEqual(before);
    await page.getByRole("tab", { name: "Codes" }).click();
    expect(await page.getByLabel("Genre").inputValue()).toBe("news");
    expect(await stored()).toEqual(file);
  });

  it("deletes the active annotation with Delete and relabels with a hotkey", async () => {
    await page.getByRole("tab", { name: /Annotations/ }).click();
    await page.locator(".tw-article-text").focus();
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("Alt+ArrowRight");
    await expect
      .poll(() => page.getByRole("region", { name: "Selected annotation" }).count())
      .toBe(1);
    const first = await page
      .getByRole("region", { name: "Selected annotation" })
      .locator(".annotation-editor__quote")
      .textContent();
    expect(first).toBe("“Präsident Wolodymyr Selensky”");
    await page.keyboard.press("o");
    await expect
      .poll(
        async () =>
          (await stored()).annotations.find((a) => a.quote === "Präsident Wolodymyr Selensky")
            ?.label,
      )
      .toBe("ORG");
    await page.keyboard.press("Delete");
    await expect
      .poll(async () =>
        (await stored()).annotations.some((a) => a.quote === "Präsident Wolodymyr Selensky"),
      )
      .toBe(false);
    await page.keyboard.press("Control+z");
    await expect
      .poll(
        async () =>
          (await stored()).annotations.find((a) => a.quote === "Präsident Wolodymyr Selensky")
            ?.label,
      )
      .toBe("ORG");
  });

  it("shows other coders' layers read-only", async () => {
    await page.getByRole("option", { name: /Kiew will Garantien/ }).click();
    await page.getByRole("radio", { name: /alice/ }).check({ force: true });
    await expect.poll(() => page.locator(".read-only-note").count()).toBe(1);
    await selectByKeyboard("Startseite");
    await page.keyboard.press("p");
    expect(await page.locator('[data-annotation^="tester-"]').count()).toBe(0);
  });
});

describe("the first run on a machine", () => {
  it("asks who is coding, remembers it, and then tags under that name", async () => {
    const fresh = await startServe(project, [], null);
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await p.goto(fresh.url);
      const dialog = p.getByRole("dialog", { name: "Who is coding?" });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await p.getByLabel("Coder name").fill("maria");
      await p.keyboard.press("Enter");
      await expect.poll(() => dialog.isVisible()).toBe(false);
      await p.reload();
      await p.getByRole("option").first().waitFor();
      expect(await p.getByRole("dialog", { name: "Who is coding?" }).isVisible()).toBe(false);
      await expect.poll(() => p.getByRole("radio", { name: /maria \(you\)/ }).count()).toBe(1);
    } finally {
      await p.close();
      await fresh.stop();
    }
  });
});

describe("the entity registry", () => {
  it("registers a mention, then tags every other mention of it in one undoable step", async () => {
    await page.getByRole("option", { name: /Sicherheitsberater treffen sich/ }).click();
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toContain("Sicherheitsberater");
    await page.getByRole("radio", { name: /tester \(you\)/ }).check({ force: true });
    await selectByKeyboard("Selensky", 2);
    await page.keyboard.press("p");
    const editor = page.getByRole("region", { name: "Selected annotation" });
    await editor.getByRole("button", { name: "New entity" }).click();
    await expect.poll(() => editor.getByLabel("Registry entity").inputValue()).toBe("selensky");
    const registry = JSON.parse(await readFile(path.join(project, "entities.json"), "utf8")) as {
      entities: { id: string }[];
    };
    expect(registry.entities.map((e) => e.id)).toContain("selensky");
    await editor.getByRole("button", { name: "Tag other mentions…" }).click();
    const preview = editor.getByRole("region", { name: "Other mentions" });
    const others = await preview.getByRole("checkbox").count();
    expect(others).toBeGreaterThan(0);
    await preview.getByRole("button", { name: new RegExp(`Tag ${others} as PER`) }).click();
    await expect
      .poll(async () => (await stored()).annotations.filter((a) => a.quote === "Selensky").length)
      .toBe(others + 1);
    const tagged = (await stored()).annotations.filter((a) => a.quote === "Selensky") as {
      entity?: string;
    }[];
    expect(tagged.every((a) => a.entity === "selensky")).toBe(true);
    await page.locator(".tw-article-text").focus();
    await page.keyboard.press("Control+z");
    await expect
      .poll(async () => (await stored()).annotations.filter((a) => a.quote === "Selensky").length)
      .toBe(1);
  });
});

describe("editing the codebook", () => {
  it("renames a label in the app; the next version is saved and every coder's annotations follow", async () => {
    const dir = path.join(
      await mkdtemp(path.join(os.tmpdir(), "tagwerk-e2e-codebook-")),
      "project",
    );
    await cp(path.join(REPO, "annotations"), dir, { recursive: true });
    const server = await startServe(dir, [], "alice");
    const p = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await p.goto(server.url);
      await p.getByRole("option", { name: /Kiew will Garantien/ }).click();
      await p.getByRole("tab", { name: "Codebook" }).click();
      await p.getByRole("button", { name: "Edit codebook…" }).click();
      const location = p.getByRole("group", { name: /Location/ });
      await location.getByLabel("Id", { exact: true }).fill("PLACE");
      await location.getByLabel("Name", { exact: true }).fill("Place");
      await p.getByRole("button", { name: "Save as version 2" }).click();
      await expect
        .poll(() => p.locator(".status-bar__message").textContent())
        .toMatch(/Codebook version 2 saved; \d+ annotation\(s\) relabelled in 3 file\(s\)/);
      const codebook = JSON.parse(await readFile(path.join(dir, "codebook.json"), "utf8")) as {
        version: number;
        labels: { id: string }[];
      };
      expect(codebook.version).toBe(2);
      expect(codebook.labels.map((l) => l.id)).toContain("PLACE");
      for (const coder of ["alice", "bob"]) {
        const file = JSON.parse(
          await readFile(
            path.join(
              dir,
              "coding",
              "2025-12-18-mainuferbote-sicherheitsgarantien",
              `${coder}.json`,
            ),
            "utf8",
          ),
        ) as { annotations: { label: string }[] };
        expect(file.annotations.some((a) => a.label === "LOC")).toBe(false);
      }
      await expect
        .poll(() => p.locator('.tw-article-text [data-label="PLACE"]').count())
        .toBeGreaterThan(0);
      expect(await p.locator('.tw-article-text [data-label="LOC"]').count()).toBe(0);
    } finally {
      await p.close();
      await server.stop();
    }
  });
});

describe("precise spans by keyboard", () => {
  it("snaps a rough selection to words, then moves either boundary by a word", async () => {
    await page.goto(serve.url);
    await page.getByRole("option", { name: /Sicherheitsberater treffen sich/ }).click();
    await expect
      .poll(() => page.locator(".reader__title").textContent())
      .toContain("Sicherheitsberater");
    await selectByKeyboard("icherheitsratssekretär Rustem Ume");
    await page.keyboard.press("o");
    const find = async (quote: string) =>
      (await stored()).annotations.find((a) => a.quote === quote);
    await expect.poll(() => find("Sicherheitsratssekretär Rustem Umerow")).toBeTruthy();
    await page.keyboard.press("Alt+Shift+ArrowLeft");
    await expect.poll(() => find("Sicherheitsratssekretär Rustem")).toBeTruthy();
    await page.keyboard.press("Alt+Shift+ArrowDown");
    await expect.poll(() => find("Rustem")).toBeTruthy();
    // Undoing a boundary move is covered in test/renderer/annotation-editing.test.ts.
    expect(await find("Sicherheitsratssekretär Rustem")).toBeUndefined();
  });
});

describe("the pane's filters and the registry panel", () => {
  it("filters annotations by kind and text, and edits a registry entity's spellings and QID", async () => {
    await page.goto(serve.url);
    await page.getByRole("option", { name: /Sicherheitsberater treffen sich/ }).click();
    await page.getByLabel("Show annotations of").selectOption("date");
    await expect.poll(() => page.locator(".annotation-group").count()).toBe(1);
    expect(await page.locator(".annotation-group h3").textContent()).toContain("Date");
    await page.getByLabel("Show annotations of").selectOption("");
    await page.getByLabel("Filter annotations by text").fill("selensky");
    await expect.poll(() => page.locator(".annotation-row").count()).toBeGreaterThan(1);
    for (const quote of await page.locator(".annotation-row__quote").allTextContents())
      expect(quote.toLowerCase()).toContain("selensky");

    await page.getByRole("tab", { name: "Entities" }).click();
    await page.getByLabel("Find an entity").fill("zelensky");
    await page.getByRole("button", { name: /Volodymyr Zelensky/ }).click();
    const form = page.locator(".entity-form");
    const aliases = form.getByLabel("Other spellings (comma-separated)");
    await aliases.fill(`${await aliases.inputValue()}, Zelenskyj`);
    await form.getByRole("button", { name: "Save entity" }).click();
    await expect
      .poll(async () => {
        const registry = JSON.parse(
          await readFile(path.join(project, "entities.json"), "utf8"),
        ) as { entities: { id: string; aliases: string[] }[] };
        return registry.entities.find((e) => e.id === "zelensky")?.aliases.includes("Zelenskyj");
      })
      .toBe(true);
  });
});
