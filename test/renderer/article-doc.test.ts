import fc from "fast-check";
import { EditorState, TextSelection } from "prosemirror-state";
import { describe, expect, it } from "vitest";
import {
  createArticleDoc,
  offsetOfPosition,
  positionOfOffset,
} from "../../renderer/src/editor/article-doc";
import { ALLOW_TEXT_EDIT, readOnlyPlugin } from "../../renderer/src/editor/read-only";
import { sliceCodePoints } from "../../shared/text-blocks";

/** Text covered by the mark with `id`, collected from the document. */
function markedText(doc: ReturnType<typeof createArticleDoc>["doc"], id: string): string {
  let out = "";
  doc.descendants((node) => {
    if (node.isText && node.marks.some((m) => m.attrs.id === id)) out += node.text;
  });
  return out;
}

describe("createArticleDoc", () => {
  const text = " date 2025-12-18\nTitel\n\n👍 Selenskyj traf Steve Witkoff am Mittwoch.";
  const start = [...text].indexOf("S", 20);

  it("puts each annotation mark on exactly its quote, also after an emoji", () => {
    const quote = "Selenskyj";
    const witkoff = [...text].join("").indexOf("Steve");
    const spans = [
      { id: "a1", label: "PER", start, end: start + quote.length },
      {
        id: "a2",
        label: "PER",
        start: [...text.slice(0, witkoff)].length,
        end: [...text.slice(0, witkoff)].length + 13,
      },
      // A stance span around both, nested marks of another label.
      { id: "a3", label: "STANCE", start, end: [...text.slice(0, witkoff)].length + 13 },
    ];
    const { doc } = createArticleDoc(text, spans);
    expect(markedText(doc, "a1")).toBe("Selenskyj");
    expect(markedText(doc, "a2")).toBe("Steve Witkoff");
    expect(markedText(doc, "a3")).toBe("Selenskyj traf Steve Witkoff");
    expect(doc.childCount).toBe(3);
  });

  it("keeps long paragraphs in bounded chunks", () => {
    const long = "Ein Satz über Garantien. ".repeat(400);
    const { doc } = createArticleDoc(long, []);
    const paragraph = doc.child(0);
    expect(paragraph.childCount).toBeGreaterThan(5);
    paragraph.forEach((chunk) => {
      expect(chunk.textContent.length).toBeLessThanOrEqual(1200);
    });
    expect(paragraph.textContent).toBe(long);
  });

  it("maps offsets to positions and back (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: "grapheme", maxLength: 80 }), fc.constant("\n")), {
          minLength: 1,
          maxLength: 12,
        }),
        (parts) => {
          const t = parts.join("") || "x";
          const { doc, index } = createArticleDoc(t, []);
          for (let c = 0; c < index.starts.length; c++) {
            const s = index.starts[c] ?? 0;
            const e = index.ends[c] ?? 0;
            for (let off = s; off <= e; off++) {
              const pos = positionOfOffset(index, off);
              expect(offsetOfPosition(index, pos)).toBe(off);
            }
            const from = positionOfOffset(index, s);
            const to = positionOfOffset(index, e);
            expect(doc.textBetween(from, to)).toBe(sliceCodePoints(t, s, e));
          }
        },
      ),
    );
  });
});

describe("read-only article", () => {
  const { doc } = createArticleDoc("Kiew will Garantien.", []);
  const state = EditorState.create({ doc, plugins: [readOnlyPlugin()] });

  it("drops transactions that would change the text", () => {
    const next = state.apply(state.tr.insertText("X", 1));
    expect(next.doc.textContent).toBe("Kiew will Garantien.");
  });

  it("still lets the caret and selection move", () => {
    const next = state.apply(state.tr.setSelection(TextSelection.create(state.doc, 2, 6)));
    expect(next.selection.from).toBe(2);
    expect(next.selection.to).toBe(6);
  });

  it("lets an explicitly allowed edit through", () => {
    const tr = state.tr.insertText("X", 3).setMeta(ALLOW_TEXT_EDIT, true);
    expect(state.applyTransaction(tr).state.doc.textContent).toBe("KXiew will Garantien.");
  });
});
