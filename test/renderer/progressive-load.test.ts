import { history, undo } from "prosemirror-history";
import { EditorState, TextSelection, type Transaction } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { describe, expect, it } from "vitest";
import {
  annotationEditingPlugin,
  annotationSpans,
  applyLabel,
  collectSpans,
  type SpanChanges,
} from "../../renderer/src/editor/annotation-editing";
import {
  createArticleDoc,
  positionOfOffset,
  prepareArticle,
} from "../../renderer/src/editor/article-doc";
import {
  appendParagraphs,
  createInitialDoc,
  initialParagraphs,
  isFullyLoaded,
  loadThrough,
  progressiveLoadPlugin,
} from "../../renderer/src/editor/progressive-load";
import { readOnlyPlugin } from "../../renderer/src/editor/read-only";

// 60 paragraphs of ~300 characters; a span on the second sentence of each, and one span
// running over the break between paragraphs 20 and 21.
const PARAGRAPH = `${"Der Rat tagte lange. Selenskyj traf Witkoff in Berlin. ".repeat(5).trim()}`;
const TEXT = Array.from({ length: 60 }, () => PARAGRAPH).join("\n");
const LINE = PARAGRAPH.length + 1;
const SPANS = [
  ...Array.from({ length: 60 }, (_, p) => ({
    id: `a-${p}`,
    label: "PER",
    start: p * LINE + 21,
    end: p * LINE + 30,
  })),
  { id: "cross", label: "STANCE", start: 20 * LINE + 200, end: 21 * LINE + 40 },
];

function setUp(changes: SpanChanges[] = []) {
  const article = prepareArticle(TEXT, SPANS, "de");
  const initial = initialParagraphs(article, TEXT);
  const editing = annotationEditingPlugin({
    index: article.index,
    spans: article.spans,
    onChange: (c) => changes.push(c),
  });
  let state = EditorState.create({
    doc: createInitialDoc(article, initial),
    plugins: [readOnlyPlugin(), history(), editing, progressiveLoadPlugin({ article, initial })],
  });
  // The editing plugin's view reports changes; it only reads the view's state.
  const view = { state } as EditorView;
  const reporter = editing.spec.view?.(view);
  const dispatch = (tr: Transaction) => {
    const before = state;
    state = state.apply(tr);
    view.state = state;
    reporter?.update?.(view, before);
  };
  return {
    article,
    initial,
    dispatch,
    get state() {
      return state;
    },
  };
}

/** Spans wholly in the document, and spans of which only a part is. */
function spanCoverage(state: EditorState) {
  const inDoc = collectSpans(state.doc, prepareArticle(TEXT, SPANS, "de").index);
  const cut = SPANS.filter((s) => {
    const found = inDoc.get(s.id);
    return found !== undefined && (found.start !== s.start || found.end !== s.end);
  });
  return { inDoc, cut };
}

describe("progressive loading", () => {
  it("starts with the first paragraphs and appends the rest, never cutting a span", () => {
    const t = setUp();
    expect(t.initial).toBeGreaterThan(0);
    expect(t.initial).toBeLessThan(60);
    expect(t.state.doc.childCount).toBe(t.initial);
    expect(isFullyLoaded(t.state)).toBe(false);
    for (let count = t.initial + 1; !isFullyLoaded(t.state); count++) {
      appendParagraphs(count)(t.state, t.dispatch);
      expect(spanCoverage(t.state).cut).toEqual([]);
    }
    expect(t.state.doc.eq(createArticleDoc(TEXT, SPANS, "de").doc)).toBe(true);
  });

  it("loads through a far offset at once, to a boundary no span crosses", () => {
    const t = setUp();
    expect(loadThrough(20 * LINE + 5)(t.state, t.dispatch)).toBe(true);
    // Paragraph 20 holds the start of the span over the break, so 21 comes along.
    expect(t.state.doc.childCount).toBe(22);
    expect(spanCoverage(t.state).inDoc.get("cross")).toMatchObject({
      start: 20 * LINE + 200,
      end: 21 * LINE + 40,
    });
    expect(loadThrough(5)(t.state, t.dispatch)).toBe(false);
    expect(loadThrough(null)(t.state, t.dispatch)).toBe(true);
    expect(t.state.doc.childCount).toBe(60);
  });

  it("knows every span from the start, reports no change for loading, and undo leaves the text", () => {
    const changes: SpanChanges[] = [];
    const t = setUp(changes);
    expect(annotationSpans(t.state).size).toBe(SPANS.length);
    const { index } = t.article;
    const from = positionOfOffset(index, 0);
    const to = positionOfOffset(index, 3);
    t.dispatch(t.state.tr.setSelection(TextSelection.create(t.state.doc, from, to)));
    applyLabel("ORG", "me-1")(t.state, t.dispatch);
    loadThrough(null)(t.state, t.dispatch);
    expect(changes).toEqual([
      { upsert: [{ id: "me-1", label: "ORG", start: 0, end: 3 }], remove: [] },
    ]);
    undo(t.state, t.dispatch);
    expect(t.state.doc.childCount).toBe(60);
    expect(annotationSpans(t.state).has("me-1")).toBe(false);
    expect(annotationSpans(t.state).size).toBe(SPANS.length);
  });
});
