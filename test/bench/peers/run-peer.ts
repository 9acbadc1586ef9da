/**
 * Measures the peers and the static-HTML floor in Chromium on one
 * single-article workload: M1/M1b/m1Full over fresh pages, M5 after the last
 * load, and M2 (add / relabel / delete through the public API) where the tool
 * has one. A tool that does not finish in time is a result, not a failure.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  type BrowserMeasurement,
  devtools,
  domAndHeap,
  PAGE_HELPERS,
  percentiles,
  sample,
  scriptTime,
  VIEWPORT,
} from "../measure";
import type { WorkloadDocument } from "../workloads";
import { buildPeerPages, LABEL_STUDIO_STATIC, type PeerTool } from "./build-pages";
import type { PeerLoadResult } from "./pages/common";
import { type PeerServer, startPeerServer } from "./server";

export { buildPeerPages, PEER_TOOLS, type PeerTool } from "./build-pages";

/** How a peer is measured: runs for M1, time limit per page load (and for M2), M2 spots. */
export interface PeerOptions {
  runs: number;
  timeoutMs: number;
  spots: number;
}

/** The browser window every tool gets (the first viewport of M1). */
export const PEER_VIEWPORT = VIEWPORT;

/** Seed of the M2 spots (the same spots for every tool and run). */
const SPOT_SEED = 0x5eed;
const LABELS = ["PER", "ORG", "LOC", "DATE", "STANCE"];

type LoadOutcome =
  | { kind: "loaded"; load: PeerLoadResult; page: Page; context: BrowserContext; errors: string[] }
  | { kind: "timeout"; afterMs: number; phase: string }
  | { kind: "error"; message: string };

/** A promise that resolves with `value` after `ms` (and its cancel function). */
function after<T>(ms: number, value: T): { promise: Promise<T>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** Closes a context without waiting long for a renderer that is still busy. */
async function closeContext(context: BrowserContext): Promise<void> {
  const limit = after(15_000, undefined);
  await Promise.race([context.close().catch(() => undefined), limit.promise]);
  limit.cancel();
}

/** Opens the tool's page in a fresh context and waits (up to the limit) for its load report. */
async function loadOnce(
  browser: Browser,
  server: PeerServer,
  tool: PeerTool,
  doc: WorkloadDocument,
  timeoutMs: number,
): Promise<LoadOutcome> {
  const context = await browser.newContext({ viewport: PEER_VIEWPORT, deviceScaleFactor: 1 });
  // The network is closed: anything not on our loopback server fails at once.
  await context.route(
    (url) => url.origin !== server.origin,
    (route) => route.abort(),
  );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => {
    if (errors.length < 5) errors.push(error.message.split("\n")[0] as string);
  });
  await page.addInitScript(PAGE_HELPERS);
  let phase = "navigate";
  await page.exposeFunction("__peerPhase", (name: string) => {
    phase = name;
  });
  let resolveReport: (json: string) => void = () => {};
  const reported = new Promise<string>((resolve) => {
    resolveReport = resolve;
  });
  await page.exposeFunction("__peerReport", (json: string) => resolveReport(json));
  const started = Date.now();
  const limit = after(timeoutMs, null);
  const url = `${server.origin}/${tool}.html?doc=${encodeURIComponent(doc.name)}`;
  try {
    const json = await Promise.race([
      page.goto(url, { waitUntil: "commit", timeout: timeoutMs }).then(() => reported),
      limit.promise,
    ]);
    if (json === null) {
      await closeContext(context);
      return { kind: "timeout", afterMs: Date.now() - started, phase };
    }
    const load = JSON.parse(json) as PeerLoadResult | { error: string };
    if ("error" in load) {
      await closeContext(context);
      return { kind: "error", message: load.error };
    }
    return { kind: "loaded", load, page, context, errors };
  } catch (error) {
    await closeContext(context);
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  } finally {
    limit.cancel();
  }
}

/** Mulberry32, seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A word to annotate at M2 (code-point offsets), its label and the label to relabel it to. */
export interface Spot {
  start: number;
  end: number;
  label: string;
  relabel: string;
}

/** `count` random words of the text (seeded, the same for every tool), as code-point spans. */
export function spots(text: string, count: number, seed = SPOT_SEED): Spot[] {
  const rnd = random(seed);
  const word = /\p{L}{4,}/gu;
  const result: Spot[] = [];
  for (let tries = 0; result.length < count && tries < count * 20; tries++) {
    word.lastIndex = Math.floor(rnd() * text.length);
    const match = word.exec(text);
    if (!match) continue;
    const start = [...text.slice(0, match.index)].length;
    const end = start + [...match[0]].length;
    const label = LABELS[Math.floor(rnd() * LABELS.length)] as string;
    const relabel = LABELS[(LABELS.indexOf(label) + 1) % LABELS.length] as string;
    result.push({ start, end, label, relabel });
  }
  return result;
}

/**
 * M2 on text-annotator: at each spot, scroll it into view (not timed), then
 * add, relabel and delete one annotation through the public API. The page
 * runs each call in a task of its own (ScriptDuration ignores script run by
 * DevTools' evaluate itself); script time is Chromium's ScriptDuration (CPU
 * time of the main thread) from before the call until its redraw is painted,
 * frame the page's time from the call to that paint.
 */
async function textAnnotatorM2(page: Page, text: string, count: number) {
  const session = await devtools(page);
  const times = { add: [[], []], relabel: [[], []], delete: [[], []] } as Record<
    "add" | "relabel" | "delete",
    [number[], number[]]
  >;
  const timed = async (op: "add" | "relabel" | "delete", call: string) => {
    const before = await scriptTime(session);
    const frame = (await page.evaluate(call)) as number;
    const scripted = (await scriptTime(session)) - before;
    times[op][0].push(scripted);
    times[op][1].push(frame);
  };
  let n = 0;
  for (const spot of spots(text, count)) {
    const id = JSON.stringify(`m2-${++n}`);
    await page.evaluate(`window.__peerEdit.show(${spot.start})`);
    const args = `${id}, ${spot.start}, ${spot.end}`;
    await timed("add", `window.__peerEdit.add(${args}, "${spot.label}")`);
    await timed("relabel", `window.__peerEdit.relabel(${id}, "${spot.relabel}")`);
    await timed("delete", `window.__peerEdit.remove(${id})`);
  }
  await session.detach();
  const interaction = ([script, frame]: [number[], number[]]) => ({
    script: percentiles(script),
    frame: percentiles(frame),
  });
  return {
    add: interaction(times.add),
    relabel: interaction(times.relabel),
    delete: interaction(times.delete),
  };
}

/** Why a tool has no M2 (or no whole-document paint), as recorded in `notes`. */
const TOOL_NOTES: Record<PeerTool, string[]> = {
  floor: [
    "floor: static <p> text with CSS Custom Highlights, no editing, so no M2; text and every highlight appear in the same frame (M1 = M1b = m1Full)",
  ],
  "text-annotator": [
    "text-annotator: paints only the annotations intersecting the viewport (positioned spans, redrawn on scroll); it computes every annotation's rects before the first paint, so m1Full is reported equal to M1",
    "text-annotator: delete costs O(document): removeAnnotation returns the removed annotation as W3C, and the serializer computes its prefix/suffix by cloning the container's whole text before and after it (Range.cloneContents) and splitting both into graphemes (Intl.Segmenter)",
    "text-annotator: relabel through state.store.updateBody (as Annotorious' editors do): updateAnnotation(w3c) stores a target without a DOM range, after which removeAnnotation throws (TypeError reading startContainer in serialize)",
  ],
  "label-studio": [
    "label-studio: no M2: the 1.4.0 embedding API (constructor options and events) has no call to add, relabel or delete a region; it would take the internal MobX-State-Tree store or synthetic mouse selections, which is not comparable",
    "label-studio: renders text and every region at once (M1 = m1Full); UI with Label Studio's default interface list (region list in the side column)",
  ],
};

/**
 * Measures one tool on one workload document: `runs` fresh pages (fresh
 * browser contexts) for M1, M1b and m1Full (medians), M5 after the last
 * load, M2 on text-annotator. A tool that does not finish a load within
 * `timeoutMs` is returned as `{ timeout }`; a failure as `{ error }`.
 */
export async function measurePeer(
  browser: Browser,
  tool: PeerTool,
  doc: WorkloadDocument,
  opts: PeerOptions,
): Promise<BrowserMeasurement> {
  const dir = await buildPeerPages();
  const server = await startPeerServer({ "/": dir, "/assets/": dir, "/ls/": LABEL_STUDIO_STATIC });
  server.setDocument(doc.name, JSON.stringify(doc));
  const result: BrowserMeasurement = { tool, workload: doc.name };
  const notes = [...TOOL_NOTES[tool]];
  const m1: number[] = [];
  const m1b: number[] = [];
  const m1Full: number[] = [];
  try {
    for (let run = 0; run < opts.runs; run++) {
      const outcome = await loadOnce(browser, server, tool, doc, opts.timeoutMs);
      if (outcome.kind === "timeout") {
        return {
          tool,
          workload: doc.name,
          timeout: { afterMs: outcome.afterMs, phase: outcome.phase },
          notes,
        };
      }
      if (outcome.kind === "error")
        return { tool, workload: doc.name, error: outcome.message, notes };
      const { load, page, context, errors } = outcome;
      try {
        m1.push(load.m1);
        m1b.push(load.m1b);
        if (load.m1Full !== undefined) m1Full.push(load.m1Full);
        if (run === 0) {
          // Checks on the first run: the tool drew what it was given.
          if (load.painted < load.spans)
            notes.push(`${tool}: only ${load.painted} of ${load.spans} spans located/painted`);
          if (load.viewportSpans !== undefined && load.viewportPainted !== load.viewportSpans)
            notes.push(
              `${tool}: ${load.viewportPainted} of ${load.viewportSpans} spans in the first viewport drawn`,
            );
          for (const message of errors) notes.push(`${tool}: page error: ${message}`);
          if (load.marks) {
            const phases = Object.entries(load.marks)
              .sort((a, b) => a[1] - b[1])
              .map(([name, ms]) => `${name} ${ms}`);
            notes.push(
              `${tool}: first run, ms since navigation start: ${phases.join(", ")}, painted ${Math.round(load.m1)}`,
            );
          }
          notes.push(...load.notes);
        }
      } finally {
        if (run < opts.runs - 1) await closeContext(context);
      }
      if (run === opts.runs - 1) {
        try {
          const session = await devtools(page);
          result.m5 = await domAndHeap(page, session);
          await session.detach();
          if (tool === "text-annotator" && opts.spots > 0) {
            const limit = after(opts.timeoutMs, null);
            const m2 = await Promise.race([
              textAnnotatorM2(page, doc.text, opts.spots),
              limit.promise,
            ]);
            limit.cancel();
            if (m2) result.m2 = m2;
            else notes.push(`${tool}: M2 did not finish within ${opts.timeoutMs} ms`);
          }
        } catch (error) {
          notes.push(
            `${tool}: M2/M5 failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        } finally {
          await closeContext(context);
        }
      }
    }
    result.m1 = sample(m1);
    result.m1b = sample(m1b);
    if (m1Full.length === m1.length) result.m1Full = sample(m1Full);
    result.notes = notes;
    return result;
  } catch (error) {
    return {
      tool,
      workload: doc.name,
      error: error instanceof Error ? error.message : String(error),
      notes,
    };
  } finally {
    await server.close();
  }
}

/**
 * Loads the tool's page once and saves a screenshot of the first viewport to
 * `file` (to check by eye that the highlights show); a timeout or error is returned as text.
 */
export async function screenshotPeer(
  browser: Browser,
  tool: PeerTool,
  doc: WorkloadDocument,
  file: string,
  timeoutMs: number,
): Promise<string> {
  const dir = await buildPeerPages();
  const server = await startPeerServer({ "/": dir, "/assets/": dir, "/ls/": LABEL_STUDIO_STATIC });
  server.setDocument(doc.name, JSON.stringify(doc));
  try {
    const outcome = await loadOnce(browser, server, tool, doc, timeoutMs);
    if (outcome.kind === "timeout")
      return `timeout after ${outcome.afterMs} ms in ${outcome.phase}`;
    if (outcome.kind === "error") return `error: ${outcome.message}`;
    await outcome.page.screenshot({ path: file });
    await closeContext(outcome.context);
    return `saved ${file}: ${JSON.stringify(outcome.load)}`;
  } finally {
    await server.close();
  }
}
