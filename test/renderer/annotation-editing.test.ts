import fc from "fast-check";
import { history, redo, undo } from "prosemirror-history";
import { EditorState, TextSelection, type Transaction } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import { describe, expect, it } from "vitest";
import {
  activate,
  addAnnotations,
  annotationEditingPlugin,
  annotationSpans,
  applyLabel,
  collectSpans,
  deleteActive,
  respanActive,
  type Span,
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

describe("span tracking", () => {
  const text = "Umjerow traf 👍 Witkoff.\nDann sprach Selenskyj lange.\n\nKiew will Garantien.";
  const length = [...text].length;
  const seed: Span[] = [
    { id: "s-1", label: "PER", start: 0, end: 7 },
    { id: "s-2", label: "STANCE", start: 0, end: 23 },
    { id: "s-3", label: "PER", start: 37, end: 46 },
  ];
  const offset = fc.integer({ min: 0, max: length });
  const label = fc.constantFrom("PER", "ORG", "STANCE");
  const pick = fc.nat();
  const operation = fc.oneof(
    fc.record({ kind: fc.constant("tag"), a: offset, b: offset, label }),
    fc.record({ kind: fc.constant("relabel"), pick, label }),
    fc.record({ kind: fc.constant("delete"), pick }),
    fc.record({ kind: fc.constant("respan"), pick, a: offset, b: offset }),
    fc.record({ kind: fc.constant("many"), a: offset, b: offset, label }),
    fc.record({ kind: fc.constant("undo") }),
    fc.record({ kind: fc.constant("redo") }),
  );

  it("keeps each span as the document marks it and reports exactly what changed (property)", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 20 }), (operations) => {
        const { doc, index, spans } = createArticleDoc(text, seed);
        // What the reports say, applied to what was stored.
        const stored = new Map(spans);
        const editing = annotationEditingPlugin({
          index,
          spans,
          onChange: (changes) => {
            for (const span of changes.upsert) stored.set(span.id, span);
            for (const id of changes.remove) stored.delete(id);
          },
        });
        let state = EditorState.create({ doc, plugins: [readOnlyPlugin(), history(), editing] });
        const view = { state } as EditorView;
        const reporter = editing.spec.view?.(view);
        const dispatch = (tr: Transaction) => {
          const before = state;
          state = state.apply(tr);
          view.state = state;
          reporter?.update?.(view, before);
        };
        let next = 0;
        for (const op of operations) {
          const ids = [...annotationSpans(state).keys()].sort();
          const id = "pick" in op ? ids[op.pick % Math.max(1, ids.length)] : undefined;
          const [a, b] = "a" in op ? [Math.min(op.a, op.b), Math.max(op.a, op.b)] : [0, 0];
          if (op.kind === "tag") {
            const from = positionOfOffset(index, a);
            const to = positionOfOffset(index, b);
            dispatch(state.tr.setSelection(TextSelection.create(state.doc, from, to)));
            applyLabel(op.label, `n-${next++}`)(state, dispatch);
          } else if (op.kind === "many" && b > a) {
            addAnnotations([{ id: `n-${next++}`, label: op.label, start: a, end: b }])(
              state,
              dispatch,
            );
          } else if (op.kind === "undo") undo(state, dispatch);
          else if (op.kind === "redo") redo(state, dispatch);
          else if (id) {
            activate(id)(state, dispatch);
            if (op.kind === "relabel") applyLabel(op.label, id)(state, dispatch);
            else if (op.kind === "delete") deleteActive(state, dispatch);
            else if (op.kind === "respan")
              respanActive(() => ({ start: a, end: b }))(state, dispatch);
          }
          const marked = collectSpans(state.doc, index);
          expect(annotationSpans(state)).toEqual(marked);
          expect(stored).toEqual(marked);
        }
      }),
    );
  });
});
