/**
 * Hosts the ProseMirror view of one article, imperatively: created in an
 * effect, fed a new state when the article or coder changes, destroyed on
 * unmount. React never renders inside the editor's DOM.
 */
import { EditorState, TextSelection } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import type { StoredAnnotation } from "../../../shared/project-files";
import { type ChunkIndex, createArticleDoc, positionOfOffset } from "../editor/article-doc";
import { readOnlyPlugin } from "../editor/read-only";

/** What the rest of the UI can ask of the reader. */
export interface ArticleReaderHandle {
  /** Selects the span between two code-point offsets, scrolls to it and focuses the text. */
  reveal(start: number, end: number): void;
  focus(): void;
}

interface Props {
  text: string;
  language: string;
  annotations: StoredAnnotation[];
  labelNames: Map<string, string>;
}

/** The article text with annotation marks, read-only with a caret for keyboard selection. */
export const ArticleReader = forwardRef<ArticleReaderHandle, Props>(function ArticleReader(
  { text, language, annotations, labelNames },
  ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const index = useRef<ChunkIndex | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView(host.current, {
      state: EditorState.create({ doc: createArticleDoc("", []).doc }),
      attributes: {
        class: "tw-article-text",
        role: "document",
        "aria-label": "Article text",
        spellcheck: "false",
      },
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const spans = annotations.map((a) => ({
      id: a.id,
      label: a.label,
      start: a.start,
      end: a.end,
      title: `${labelNames.get(a.label) ?? a.label}: “${a.quote}”${a.value ? ` → ${a.value}` : ""}${
        a.polarity ? ` (${a.polarity}${a.target ? ` · ${a.target}` : ""})` : ""
      }`,
    }));
    const built = createArticleDoc(text, spans, language);
    index.current = built.index;
    editor.updateState(EditorState.create({ doc: built.doc, plugins: [readOnlyPlugin()] }));
    // A newly opened article starts at its top, not where the last one was left.
    host.current?.closest(".reader")?.scrollTo({ top: 0 });
  }, [text, language, annotations, labelNames]);

  useImperativeHandle(ref, () => ({
    reveal(start, end) {
      const editor = view.current;
      if (!editor || !index.current) return;
      const from = positionOfOffset(index.current, start);
      const to = positionOfOffset(index.current, end);
      const tr = editor.state.tr.setSelection(TextSelection.create(editor.state.doc, from, to));
      editor.dispatch(tr.scrollIntoView());
      editor.focus();
      const { node } = editor.domAtPos(from);
      (node instanceof Element ? node : node.parentElement)?.scrollIntoView({ block: "center" });
    },
    focus() {
      view.current?.focus();
    },
  }));

  return <div ref={host} className="tw-article-host" />;
});
