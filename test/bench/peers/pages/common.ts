/**
 * Shared by the peer pages (bundled into each by esbuild, runs in the browser):
 * loading the workload JSON, mapping code-point offsets to DOM positions,
 * reporting phases and results to the harness, and paint timing.
 */

/** The workload as served to every page (the same JSON for every tool). */
export interface PeerDoc {
  name: string;
  text: string;
  spans: { id: string; kind: string; label: string; start: number; end: number }[];
}

/** What a page reports when the document is shown (times since navigation start, ms). */
export interface PeerLoadResult {
  m1: number;
  m1b: number;
  m1Full?: number;
  /** Spans in the document / highlights the tool reports as painted. */
  spans: number;
  painted: number;
  /** Spans in the first viewport (checked after timing) and how many of them the tool drew. */
  viewportSpans?: number;
  viewportPainted?: number;
  notes: string[];
  /** When each phase began (ms since navigation start), filled in by {@link run}. */
  marks?: Record<string, number>;
}

/** The label set and one colour per label (same colours in every tool). */
export const LABEL_COLORS: Record<string, string> = {
  PER: "#ffb300",
  ORG: "#1e88e5",
  LOC: "#43a047",
  DATE: "#8e24aa",
  STANCE: "#e53935",
};

/** The harness in the page: bindings from run-peer.ts, helpers from PAGE_HELPERS. */
interface HarnessWindow {
  __benchFrame(): Promise<number>;
  __peerPhase?(phase: string): Promise<void>;
  __peerReport?(json: string): Promise<void>;
}

const harness = window as unknown as HarnessWindow;

const marks: Record<string, number> = {};

/** Tells the harness what the page is doing (shown on a timeout) and marks the time. */
export function phase(name: string): void {
  marks[name] ??= Math.round(performance.now());
  void harness.__peerPhase?.(name);
}

/** Hands the load result (or an error message) to the harness. */
export function report(result: PeerLoadResult | { error: string }): void {
  void harness.__peerReport?.(JSON.stringify(result));
}

/** Resolves with `performance.now()` after the next frame has been painted. */
export function nextPaint(): Promise<number> {
  return harness.__benchFrame();
}

/** Fetches the workload named in the page's `?doc=` parameter. */
export async function loadDoc(): Promise<PeerDoc> {
  const name = new URLSearchParams(location.search).get("doc") ?? "";
  const response = await fetch(`/data/${encodeURIComponent(name)}.json`);
  if (!response.ok) throw new Error(`workload ${name}: HTTP ${response.status}`);
  return (await response.json()) as PeerDoc;
}

/** A position in the paragraph layout: paragraph index and UTF-16 offset inside it. */
export interface ParagraphPos {
  p: number;
  off: number;
}

/**
 * The text split into paragraphs ("\n\n") and a code point → DOM position map.
 * Code points are converted through the sorted list of astral characters
 * (UTF-16 index = code point index + astral characters before it), paragraphs
 * are found by binary search: O(log n) per offset, also for one huge paragraph.
 */
export interface TextMap {
  paragraphs: string[];
  /** Code point offset → paragraph and UTF-16 offset in it (`side` decides inside a break). */
  pos(cp: number, side: "start" | "end"): ParagraphPos;
  /** Code point offset → UTF-16 offset in the paragraphs' text concatenated (no breaks). */
  container(cp: number, side: "start" | "end"): number;
  /** The text of a code-point range. */
  slice(start: number, end: number): string;
}

/** Builds the paragraph map of a text (see {@link TextMap}). */
export function textMap(text: string): TextMap {
  const paragraphs = text.split("\n\n");
  const astral: number[] = []; // code point indexes of characters outside the BMP
  let cp = 0;
  for (let i = 0; i < text.length; i++, cp++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      astral.push(cp);
      i++;
    }
  }
  const lowerBound = (list: number[], value: number): number => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const utf16 = (at: number): number => at + lowerBound(astral, at);
  // Paragraph starts and ends in UTF-16 units of the whole text.
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const paragraph of paragraphs) {
    starts.push(at);
    ends.push(at + paragraph.length);
    at += paragraph.length + 2;
  }
  const pos = (point: number, side: "start" | "end"): ParagraphPos => {
    const u = utf16(point);
    // The last paragraph starting at or before u.
    let p = lowerBound(starts, u + 1) - 1;
    if (p < 0) p = 0;
    if (u > (ends[p] as number)) {
      // Inside a paragraph break: a start moves to the next paragraph, an end stays.
      if (side === "start" && p + 1 < paragraphs.length) return { p: p + 1, off: 0 };
      return { p, off: (ends[p] as number) - (starts[p] as number) };
    }
    return { p, off: u - (starts[p] as number) };
  };
  return {
    paragraphs,
    pos,
    container(point, side) {
      const { p, off } = pos(point, side);
      return (starts[p] as number) - 2 * p + off;
    },
    slice(start, end) {
      return text.slice(utf16(start), utf16(end));
    },
  };
}

/** Appends one `<p>` per paragraph to `parent` (no whitespace between) and returns their text nodes. */
export function renderParagraphs(parent: HTMLElement, paragraphs: string[]): (Text | null)[] {
  const nodes: (Text | null)[] = [];
  const fragment = document.createDocumentFragment();
  for (const paragraph of paragraphs) {
    const p = document.createElement("p");
    if (paragraph.length > 0) {
      const node = document.createTextNode(paragraph);
      p.appendChild(node);
      nodes.push(node);
    } else nodes.push(null);
    fragment.appendChild(p);
  }
  parent.appendChild(fragment);
  return nodes;
}

/**
 * A DOM range for a code-point span over paragraph text nodes (null if it
 * falls into an empty paragraph).
 */
export function spanRange(
  map: TextMap,
  nodes: (Text | null)[],
  start: number,
  end: number,
): Range | null {
  const a = map.pos(start, "start");
  const b = map.pos(end, "end");
  const startNode = nodes[a.p];
  const endNode = nodes[b.p];
  if (!startNode || !endNode) return null;
  const range = new Range();
  range.setStart(startNode, a.off);
  range.setEnd(endNode, b.off);
  return range;
}

/**
 * Counts the spans whose text intersects the viewport, using our own ranges
 * (ground truth for checking a tool's first-viewport paint; run after timing).
 * Spans are in document order, so the scan stops below the viewport.
 */
export function spansInViewport(doc: PeerDoc, map: TextMap, nodes: (Text | null)[]): Set<string> {
  const inside = new Set<string>();
  const height = window.innerHeight;
  const sorted = [...doc.spans].sort((x, y) => x.start - y.start);
  let below = 0;
  for (const span of sorted) {
    const range = spanRange(map, nodes, span.start, span.end);
    if (!range) continue;
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
    if (rects.some((r) => r.bottom > 0 && r.top < height)) inside.add(span.id);
    if (rects.length > 0 && rects.every((r) => r.top >= height)) {
      // Ten spans in a row starting below the viewport: everything after is below too.
      if (++below > 10) break;
    } else below = 0;
  }
  return inside;
}

/** Runs the page's loader and reports its result or its error. */
export function run(load: () => Promise<PeerLoadResult>): void {
  marks.script = Math.round(performance.now());
  const navigation = performance.getEntriesByType("navigation")[0] as
    | PerformanceNavigationTiming
    | undefined;
  if (navigation) marks.html = Math.round(navigation.responseEnd);
  load().then(
    (result) => report({ ...result, marks }),
    (error: unknown) => {
      report({
        error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error),
      });
    },
  );
}
