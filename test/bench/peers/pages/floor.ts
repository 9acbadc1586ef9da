/**
 * The static-HTML floor: the text as plain `<p>` elements and every span as a
 * range in a CSS Custom Highlight (one `Highlight` per label), built in one
 * task. "Painted" is the frame after that task (`__benchFrame`): the text
 * and all highlights of the whole document appear in the same frame, so
 * M1 = M1b = m1Full.
 */
import {
  LABEL_COLORS,
  loadDoc,
  nextPaint,
  phase,
  renderParagraphs,
  run,
  spanRange,
  spansInViewport,
  textMap,
} from "./common";

run(async () => {
  phase("load-json");
  const doc = await loadDoc();
  phase("render");
  const style = document.createElement("style");
  style.textContent = Object.entries(LABEL_COLORS)
    .map(([label, color]) => `::highlight(${label}) { background-color: ${color}55; }`)
    .join("\n");
  document.head.appendChild(style);
  const root = document.getElementById("doc") as HTMLElement;
  const map = textMap(doc.text);
  const nodes = renderParagraphs(root, map.paragraphs);
  const highlights = new Map<string, Highlight>();
  let painted = 0;
  for (const span of doc.spans) {
    const range = spanRange(map, nodes, span.start, span.end);
    if (!range) continue;
    let highlight = highlights.get(span.label);
    if (!highlight) {
      highlight = new Highlight();
      highlights.set(span.label, highlight);
      CSS.highlights.set(span.label, highlight);
    }
    highlight.add(range);
    painted++;
  }
  phase("paint");
  const m1 = await nextPaint();
  const inViewport = spansInViewport(doc, map, nodes);
  return {
    m1,
    m1b: m1,
    m1Full: m1,
    spans: doc.spans.length,
    painted,
    viewportSpans: inViewport.size,
    viewportPainted: inViewport.size,
    notes: [],
  };
});
