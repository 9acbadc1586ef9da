/**
 * @recogito/text-annotator 4.1.1 through its public API: the text as `<p>`
 * elements, `createTextAnnotator(container, { adapter: W3CTextFormat(...) })`,
 * then `setAnnotations` with W3C annotations (TextQuoteSelector +
 * TextPositionSelector, positions in UTF-16 units over the container's text
 * nodes, which is how the library counts them) and a style per label.
 *
 * How "painted" is detected: its default SPANS renderer keeps every
 * annotation's client rects in an R-tree and, on each store change or scroll
 * (debounced 10 ms), draws absolutely positioned `<span class="r6o-annotation">`
 * elements for the annotations intersecting the viewport only, inside a
 * `requestAnimationFrame` callback; from that callback it queues
 * `setTimeout(() => emit("onRedraw"), 1)`. A timer task queued in a frame
 * callback runs after that frame has been produced, so the `onRedraw`
 * event's time is "the redraw is painted" (like `__benchFrame`). M1 is the
 * first `onRedraw` after `setAnnotations` whose layer holds highlights
 * (`setAnnotations` stores W3C targets without DOM ranges; they are located
 * and indexed by the recalculation that the container's first
 * ResizeObserver callback triggers, so earlier redraws can be empty);
 * M1b the frame after the paragraphs were inserted (before the annotator is
 * created, as when annotations arrive after the text). The library never
 * paints the whole document (viewport only); all rects are computed before
 * the first paint, so m1Full is reported as M1 (run-peer.ts notes this).
 */
import {
  type Color,
  createTextAnnotator,
  type TextAnnotation,
  type TextAnnotationLike,
  type TextAnnotator,
  type W3CTextAnnotation,
  W3CTextFormat,
} from "@recogito/text-annotator";
import "@recogito/text-annotator/text-annotator.css";
import {
  LABEL_COLORS,
  loadDoc,
  nextPaint,
  phase,
  renderParagraphs,
  run,
  spansInViewport,
  type TextMap,
  textMap,
} from "./common";

const SOURCE = "urn:tagwerk-bench:doc";

let annotator: TextAnnotator<TextAnnotation, W3CTextAnnotation> | undefined;
let map: TextMap | undefined;
let paragraphElements: HTMLElement[] = [];

/** A W3C annotation for a code-point span (what an application would store). */
function w3c(id: string, start: number, end: number, label: string): W3CTextAnnotation {
  const m = map as TextMap;
  return {
    "@context": "http://www.w3.org/ns/anno.jsonld",
    type: "Annotation",
    id,
    body: [{ id: `${id}-label`, type: "TextualBody", purpose: "tagging", value: label }],
    target: {
      source: SOURCE,
      selector: [
        { type: "TextQuoteSelector", exact: m.slice(start, end) },
        {
          type: "TextPositionSelector",
          start: m.container(start, "start"),
          end: m.container(end, "end"),
        },
      ],
    },
  } as W3CTextAnnotation;
}

/** The label of an annotation (its tagging body). */
function labelOf(annotation: TextAnnotationLike): string {
  const body = annotation.bodies.find((b) => b.purpose === "tagging");
  return typeof body?.value === "string" ? body.value : "PER";
}

/** Resolves with the time of the next `onRedraw` (= redraw painted), or of a frame after `limitMs`. */
function nextRedraw(limitMs = 5_000): Promise<number> {
  const a = annotator as TextAnnotator<TextAnnotation, W3CTextAnnotation>;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      void nextPaint().then(resolve);
    }, limitMs);
    const off = a.renderer.on("onRedraw", () => {
      clearTimeout(timer);
      off();
      resolve(performance.now());
    });
  });
}

/** The highlight layer's annotation ids. */
function drawnIds(container: HTMLElement): Set<string> {
  const ids = new Set<string>();
  for (const el of container.querySelectorAll<HTMLElement>(".r6o-span-highlight-layer > *")) {
    if (el.dataset.annotation) ids.add(el.dataset.annotation);
  }
  return ids;
}

/**
 * Runs `op` in a task of its own (Chromium's ScriptDuration does not count
 * script run directly by DevTools' evaluate, only script in page tasks) and
 * resolves with the time from its start until its redraw is painted.
 */
function timedTask(op: () => void): Promise<number> {
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      const t0 = performance.now();
      const painted = nextRedraw();
      try {
        op();
      } catch (error) {
        reject(error);
        return;
      }
      painted.then((t) => resolve(t - t0));
    }, 0);
  });
}

/** M2 operations for the harness: each resolves with the time until the change is painted. */
const edits = {
  /** Scrolls the paragraph holding a code-point offset to mid-viewport and waits until quiet. */
  async show(cp: number): Promise<void> {
    const { p } = (map as TextMap).pos(cp, "start");
    const redrawn = nextRedraw(1_000);
    paragraphElements[p]?.scrollIntoView({ block: "center" });
    await redrawn;
    await nextPaint();
    await nextPaint();
  },
  add(id: string, start: number, end: number, label: string): Promise<number> {
    const annotation = w3c(id, start, end, label);
    return timedTask(() => annotator?.addAnnotation(annotation));
  },
  /**
   * Relabels through the store's `updateBody`, the way Annotorious' own editors
   * change a tag: `updateAnnotation(w3c)` would replace the stored target by
   * one without a DOM range, after which `removeAnnotation` throws.
   */
  relabel(id: string, label: string): Promise<number> {
    const store = (annotator as TextAnnotator<TextAnnotation, W3CTextAnnotation>).state.store;
    const old = store.getAnnotation(id)?.bodies.find((b) => b.purpose === "tagging");
    if (!old) throw new Error(`relabel: no annotation ${id}`);
    return timedTask(() => store.updateBody(old, { ...old, value: label, updated: new Date() }));
  },
  remove(id: string): Promise<number> {
    return timedTask(() => annotator?.removeAnnotation(id));
  },
};
(window as unknown as { __peerEdit: typeof edits }).__peerEdit = edits;

run(async () => {
  phase("load-json");
  const doc = await loadDoc();
  phase("render-text");
  const container = document.getElementById("doc") as HTMLElement;
  map = textMap(doc.text);
  const nodes = renderParagraphs(container, map.paragraphs);
  paragraphElements = Array.from(container.children) as HTMLElement[];
  const m1b = await nextPaint();

  phase("create-annotator");
  const a = createTextAnnotator<TextAnnotation, W3CTextAnnotation>(container, {
    adapter: W3CTextFormat<TextAnnotation, W3CTextAnnotation>(SOURCE, container),
    style: (annotation) => ({
      fill: (LABEL_COLORS[labelOf(annotation)] ?? "#888888") as Color,
      fillOpacity: 0.33,
    }),
  });
  annotator = a;
  // The first redraw that shows the indexed annotations: highlights in the
  // layer, or, if nothing was drawn, everything indexed and (checked against
  // our own ranges, only in that case) no span in the first viewport.
  const store = a.state.store;
  const ends = [doc.spans[0]?.id, doc.spans.at(-1)?.id].filter((id) => id !== undefined);
  const indexed = () => ends.every((id) => store.getAnnotationRects(id).length > 0);
  let viewportEmpty: boolean | undefined;
  const firstPaint = new Promise<number>((resolve) => {
    const off = a.renderer.on("onRedraw", () => {
      const t = performance.now();
      if (!container.querySelector(".r6o-span-highlight-layer > *")) {
        if (!indexed()) return;
        viewportEmpty ??= spansInViewport(doc, map as TextMap, nodes).size === 0;
        if (!viewportEmpty) return;
      }
      off();
      resolve(t);
    });
  });
  phase("set-annotations");
  const m = map;
  a.setAnnotations(doc.spans.map((s) => w3c(s.id, s.start, s.end, s.label)));
  phase("paint-highlights");
  const m1 = await firstPaint;

  // Checks after timing: every annotation located and indexed, and the
  // viewport's highlights drawn (against our own ranges over the same text).
  let painted = 0;
  for (const span of doc.spans) if (a.state.store.getAnnotationRects(span.id).length > 0) painted++;
  const truth = spansInViewport(doc, m, nodes);
  const drawn = drawnIds(container);
  let viewportPainted = 0;
  for (const id of truth) if (drawn.has(id)) viewportPainted++;
  return {
    m1,
    m1b,
    m1Full: m1,
    spans: doc.spans.length,
    painted,
    viewportSpans: truth.size,
    viewportPainted,
    notes: [],
  };
});
