import { history, undo } from "prosemirror-history";
import { EditorState, TextSelection } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import {
  activate,
  annotationEditingPlugin,
  applyLabel,
  collectSpans,
  deleteActive,
  respanActive,
} from "../../renderer/src/editor/annotation-editing";
import { createArticleDoc, positionOfOffset } from "../../renderer/src/editor/article-doc";
import { readOnlyPlugin } from "../../renderer/src/editor/read-only";

const TEXT = "Sicherheitsratssekretär Rustem Umerow teilte mit.";

function setUp() {
  const { doc, index } = createArticleDoc(TEXT, []);
  let state = EditorState.create({
    doc,
    plugins: [
      readOnlyPlugin(),
      history(),
      annotationEditingPlugin({ index, onChange: () => undefined }),
    ],
  });
  const run = (
    command: (s: EditorState, d: (tr: import("prosemirror-state").Transaction) => void) => boolean,
  ) =>
    command(state, (tr) => {
      state = state.apply(tr);
    });
  const spans = () =>
    [...collectSpans(state.doc, index).values()].map((s) => TEXT.slice(s.start, s.end));
  const select = (from: number, to: number) => {
    state = state.apply(
      state.tr.setSelection(
        TextSelection.create(state.doc, positionOfOffset(index, from), positionOfOffset(index, to)),
      ),
    );
  };
  return {
    run,
    spans,
    select,
    get state() {
      return state;
    },
  };
}

describe("tagging commands", () => {
  it("tag, respan and delete are each one undo step", () => {
    const t = setUp();
    t.select(0, 37);
    expect(t.run(applyLabel("ORG", "me-1"))).toBe(true);
    expect(t.spans()).toEqual(["Sicherheitsratssekretär Rustem Umerow"]);
    t.run(respanActive((s) => ({ start: s.start, end: 30 })));
    expect(t.spans()).toEqual(["Sicherheitsratssekretär Rustem"]);
    t.run(respanActive((s) => ({ start: 24, end: s.end })));
    expect(t.spans()).toEqual(["Rustem"]);
    t.run(undo);
    expect(t.spans()).toEqual(["Sicherheitsratssekretär Rustem"]);
    t.run(activate("me-1"));
    t.run(deleteActive);
    expect(t.spans()).toEqual([]);
    t.run(undo);
    expect(t.spans()).toEqual(["Sicherheitsratssekretär Rustem"]);
  });
});
