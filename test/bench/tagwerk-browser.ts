/**
 * M1–M5 for Tagwerk itself: the built renderer behind the real `tagwerk serve`
 * in Chromium, a fresh browser context (cold page) per run, on a throwaway
 * copy of the workload project (M2 edits reach the disk like a coder's).
 */
import { cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { seededRandom } from "../../shared/dataset/splits";
import { type ServeProcess, startServe } from "../support/serve-process";
import {
  type BrowserMeasurement,
  devtools,
  domAndHeap,
  type Interaction,
  PAGE_HELPERS,
  percentiles,
  sample,
  timeInteraction,
} from "./measure";

/**
 * Watches the page from its first script on: the first mutation batch that
 * puts annotation marks into the article text marks the moment the whole
 * document with every highlight is in the DOM (ProseMirror renders it in one
 * update); the frame after it is M1. M1b is the first frame with article text.
 */
const OPEN_WATCH = `
(() => {
  let textSeen = false;
  let marksSeen = false;
  const observer = new MutationObserver(() => {
    const host = document.querySelector(".tw-article-text");
    if (!host) return;
    if (!textSeen && host.textContent.length > 0) {
      textSeen = true;
      window.__benchFrame().then((t) => { window.__benchM1b = t; });
    }
    if (!marksSeen && host.querySelector(".tw-ann")) {
      marksSeen = true;
      window.__benchFrame().then((t) => { window.__benchM1 = t; });
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
})();
`;

/** How hard to measure. */
export interface TagwerkOptions {
  runs: number;
  /** Random spots for M2–M4. */
  spots: number;
  timeoutMs: number;
}

/** Opens the article in a fresh context and waits for M1; returns the page. */
async function openArticle(
  browser: Browser,
  serve: ServeProcess,
  articleId: string,
  timeoutMs: number,
): Promise<{ page: Page; m1: number; m1b: number; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(PAGE_HELPERS + OPEN_WATCH);
  await page.goto(`${serve.url}#article=${encodeURIComponent(articleId)}`);
  // A function, not a string: the app's CSP forbids eval, which string predicates need.
  await page.waitForFunction(
    () => {
      const w = window as unknown as { __benchM1?: number; __benchM1b?: number };
      return w.__benchM1 !== undefined && w.__benchM1b !== undefined;
    },
    null,
    {
      timeout: timeoutMs,
      polling: 50,
    },
  );
  const { m1, m1b } = (await page.evaluate(
    "({ m1: window.__benchM1, m1b: window.__benchM1b })",
  )) as {
    m1: number;
    m1b: number;
  };
  return { page, m1, m1b, close: () => context.close() };
}

/** Measures Tagwerk on one article of a workload project. */
export async function measureTagwerk(
  browser: Browser,
  workload: string,
  project: string,
  articleId: string,
  options: TagwerkOptions,
): Promise<BrowserMeasurement> {
  const copy = await mkdtemp(path.join(os.tmpdir(), `tagwerk-bench-${workload}-`));
  await cp(project, copy, { recursive: true });
  const serve = await startServe(copy, [], "alice");
  const result: BrowserMeasurement = { tool: "tagwerk", workload, notes: [] };
  try {
    const m1: number[] = [];
    const m1b: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      const opened = await openArticle(browser, serve, articleId, options.timeoutMs);
      m1.push(opened.m1);
      m1b.push(opened.m1b);
      if (run < options.runs - 1) {
        await opened.close();
        continue;
      }
      result.m1 = sample(m1);
      result.m1b = sample(m1b);
      // ProseMirror renders the whole document in one update: every highlight is painted with the first.
      result.m1Full = result.m1;
      const session = await devtools(opened.page);
      result.m5 = await domAndHeap(opened.page, session);
      const interactions = await measureInteractions(opened.page, options.spots);
      Object.assign(result, interactions);
      await opened.close();
    }
  } catch (error) {
    const message = (error as Error).message;
    if (/Timeout/i.test(message)) result.timeout = { afterMs: options.timeoutMs, phase: "open" };
    else result.error = message.split("\n")[0];
  } finally {
    await serve.stop();
    await rm(copy, { recursive: true, force: true });
  }
  return result;
}

/** M2–M4 on an opened article, at seeded random spots. */
async function measureInteractions(
  page: Page,
  spots: number,
): Promise<Pick<BrowserMeasurement, "m2" | "m3" | "m4">> {
  const session = await devtools(page);
  const random = seededRandom(42);
  const add: { script: number; frame: number }[] = [];
  const relabel: { script: number; frame: number }[] = [];
  const remove: { script: number; frame: number }[] = [];
  const caret: { script: number; frame: number }[] = [];
  const jump: { script: number; frame: number }[] = [];
  for (let spot = 0; spot < spots; spot++) {
    // Add: select a word at a random place in the text and press the PER hotkey.
    await page.evaluate(`(${selectRandomWord.toString()})(${random()})`);
    add.push(
      await timeInteraction(page, session, "window.__benchNextKey()", () =>
        page.keyboard.press("p"),
      ),
    );
    // Relabel: the annotation just added is active; press the ORG hotkey.
    relabel.push(
      await timeInteraction(page, session, "window.__benchNextKey()", () =>
        page.keyboard.press("o"),
      ),
    );
    // Delete it again (Delete removes the active annotation).
    remove.push(
      await timeInteraction(page, session, "window.__benchNextKey()", () =>
        page.keyboard.press("Delete"),
      ),
    );
    // M3: move the caret one character.
    caret.push(
      await timeInteraction(page, session, "window.__benchNextKey()", () =>
        page.keyboard.press("ArrowRight"),
      ),
    );
  }
  // M4: jump from the annotation list to a random annotation.
  for (let spot = 0; spot < spots; spot++) {
    const row = page.locator(".annotation-row").nth(Math.floor(random() * 200));
    if ((await row.count()) === 0) break;
    await row.scrollIntoViewIfNeeded();
    jump.push(await timeInteraction(page, session, "window.__benchNextClick()", () => row.click()));
  }
  const interaction = (values: { script: number; frame: number }[]): Interaction => ({
    script: percentiles(values.map((v) => v.script)),
    frame: percentiles(values.map((v) => v.frame)),
  });
  return {
    m2: { add: interaction(add), relabel: interaction(relabel), delete: interaction(remove) },
    m3: interaction(caret),
    m4: jump.length > 0 ? interaction(jump) : undefined,
  };
}

/** In the page: selects a whole word near `fraction` of the article text (outside marks). */
function selectRandomWord(fraction: number): void {
  const host = document.querySelector(".tw-article-text") as HTMLElement;
  const walker = document.createTreeWalker(host, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    if (!text.parentElement?.closest(".tw-ann") && /\p{L}{4,}/u.test(text.data)) nodes.push(text);
  }
  const node = nodes[Math.floor(fraction * nodes.length)] as Text;
  const match = /\p{L}{4,}/u.exec(node.data) as RegExpExecArray;
  node.parentElement?.scrollIntoView({ block: "center" });
  const selection = window.getSelection() as Selection;
  selection.setBaseAndExtent(node, match.index, node, match.index + match[0].length);
}
