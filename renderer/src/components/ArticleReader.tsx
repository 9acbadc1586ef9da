/**
 * Hosts the ProseMirror view of one article, imperatively: created in an
 * effect, given a fresh state when the article or coder changes, destroyed on
 * unmount. React never renders inside the editor's DOM. Tagging edits the
 * document's marks (so undo/redo come from prosemirror-history) and the
 * annotation-editing plugin reports every change for saving.
 */
import { baseKeymap } from "prosemirror-commands";
import { history, redo, undo } from "prosemirror-history";
import { keymap } from "prosemirror-keymap";
import { type Command, EditorState, TextSelection } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import type { Label, StoredAnnotation } from "../../../shared/project-files";
import {
  nextWordEnd,
  nextWordStart,
  previousWordEnd,
  previousWordStart,
  sentenceAround,
  snapToWords,
} from "../../../shared/word-bounds";
import {
  activate,
  addAnnotations,
  annotationEditingPlugin,
  applyLabel,
  currentDomSelection,
  deleteActive,
  respanActive,
  type SpanChanges,
  selectOffsets,
  stepAnnotation,
} from "../editor/annotation-editing";
import {
  type ChunkIndex,
  createArticleDoc,
  offsetOfPosition,
  positionOfOffset,
} from "../editor/article-doc";
import { readOnlyPlugin } from "../editor/read-only";

/** What the rest of the UI can ask of the reader. */
export interface ArticleReaderHandle {
  /** Selects the span between two code-point offsets, scrolls to it and focuses the text. */
  reveal(start: number, end: number): void;
  /** Makes an annotation active (selected) in the text. */
  activate(id: string): void;
  /** Relabels the active annotation (undoable like any tagging). */
  relabel(id: string, label: string): void;
  /** Deletes an annotation (undoable). */
  remove(id: string): void;
  /** Adds several annotations at once (one undo step). */
  addMany(spans: { id: string; label: string; start: number; end: number }[]): void;
  focus(): void;
}

interface Props {
  text: string;
  language: string;
  annotations: StoredAnnotation[];
  labels: Label[];
  /** The coder's own layer can be edited; other coders' layers are shown read-only. */
  editableBy: string | null;
  onChange(changes: SpanChanges): void;
  onActivate(id: string | null): void;
  /** Tells the user why a key did nothing (e.g. no selection). */
  onHint(message: string): void;
  /** Grow selections to whole words before tagging. */
  snapToWords: boolean;
}

/** A fresh annotation id for `coder`: the coder's name and 13 random base-36 digits, so coders never collide. */
export function newAnnotationId(coder: string): string {
  const random = crypto.getRandomValues(new Uint32Array(2));
  return `${coder}-${(random[0] ?? 0).toString(36)}${(random[1] ?? 0).toString(36)}`.slice(0, 128);
}

/** The article text with annotation marks; tagging by hotkey when the layer is editable. */
export const ArticleReader = forwardRef<ArticleReaderHandle, Props>(function ArticleReader(
  {
    text,
    language,
    annotations,
    labels,
    editableBy,
    onChange,
    onActivate,
    onHint,
    snapToWords: snap,
  },
  ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const index = useRef<ChunkIndex | null>(null);
  // Callbacks change every render; the editor keeps calling the latest ones.
  const callbacks = useRef({ onChange, onActivate, onHint, snap });
  callbacks.current = { onChange, onActivate, onHint, snap };

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

  // A new state only for a new article text, layer or codebook — never for the layer's own saves.
  // biome-ignore lint/correctness/useExhaustiveDependencies: annotations seed the document; later changes come from the editor itself
  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const labelById = new Map(labels.map((l) => [l.id, l]));
    const spans = annotations.map((a) => ({
      id: a.id,
      label: a.label,
      start: a.start,
      end: a.end,
      title: `${labelById.get(a.label)?.name ?? a.label}: “${a.quote}”${a.value ? ` → ${a.value}` : ""}${
        a.polarity ? ` (${a.polarity}${a.target ? ` · ${a.target}` : ""})` : ""
      }`,
    }));
    const built = createArticleDoc(text, spans, language);
    index.current = built.index;
    const tagKeys: Record<string, Command> = {};
    if (editableBy) {
      for (const label of labels) {
        if (!label.hotkey) continue;
        tagKeys[label.hotkey] = (state, dispatch, editorView) => {
          let range = (editorView && currentDomSelection(editorView)) ?? undefined;
          if (range && range.from !== range.to && callbacks.current.snap) {
            const snapped = snapToWords(
              text,
              offsetOfPosition(built.index, range.from),
              offsetOfPosition(built.index, range.to),
              language,
            );
            if (snapped)
              range = {
                from: positionOfOffset(built.index, snapped.start),
                to: positionOfOffset(built.index, snapped.end),
              };
          }
          const done = applyLabel(label.id, newAnnotationId(editableBy), range)(state, dispatch);
          if (!done)
            callbacks.current.onHint(
              `Select text first, then press ${label.hotkey} for ${label.name}.`,
            );
          return true;
        };
      }
    }
    const editing: Record<string, Command> = editableBy
      ? {
          "Mod-z": undo,
          "Mod-Shift-z": redo,
          "Mod-y": redo,
          Delete: deleteActive,
          Backspace: deleteActive,
          "Alt-Shift-ArrowRight": respanActive((s) => ({
            start: s.start,
            end: nextWordEnd(text, s.end, language),
          })),
          "Alt-Shift-ArrowLeft": respanActive((s) => ({
            start: s.start,
            end: previousWordEnd(text, s.end, s.start, language),
          })),
          "Alt-Shift-ArrowUp": respanActive((s) => ({
            start: previousWordStart(text, s.start, language),
            end: s.end,
          })),
          "Alt-Shift-ArrowDown": respanActive((s) => ({
            start: nextWordStart(text, s.start, s.end, language),
            end: s.end,
          })),
        }
      : {};
    const caretOffset = (v: EditorView | undefined, state: EditorState) =>
      offsetOfPosition(built.index, (v && currentDomSelection(v))?.from ?? state.selection.from);
    const selectionKeys: Record<string, Command> = {
      // Alt+W: grow the selection to whole words; Alt+S: select the sentence around the caret.
      "Alt-w": (state, dispatch, v) => {
        const range = (v && currentDomSelection(v)) ?? {
          from: state.selection.from,
          to: state.selection.to,
        };
        const snapped = snapToWords(
          text,
          offsetOfPosition(built.index, range.from),
          offsetOfPosition(built.index, range.to),
          language,
        );
        return snapped ? selectOffsets(snapped.start, snapped.end)(state, dispatch) : false;
      },
      "Alt-s": (state, dispatch, v) => {
        const sentence = sentenceAround(text, caretOffset(v, state), language);
        return selectOffsets(sentence.start, sentence.end)(state, dispatch);
      },
    };
    editor.updateState(
      EditorState.create({
        doc: built.doc,
        plugins: [
          readOnlyPlugin(),
          history(),
          keymap({
            ...tagKeys,
            ...editing,
            ...selectionKeys,
            "Alt-ArrowRight": (state, dispatch, v) =>
              stepAnnotation(1, (v && currentDomSelection(v)?.from) ?? undefined)(state, dispatch),
            "Alt-ArrowLeft": (state, dispatch, v) =>
              stepAnnotation(-1, (v && currentDomSelection(v)?.from) ?? undefined)(state, dispatch),
            Escape: (state, dispatch) => activate(null)(state, dispatch),
          }),
          keymap(baseKeymap),
          annotationEditingPlugin({
            index: built.index,
            onChange: (changes) => callbacks.current.onChange(changes),
            onActivate: (id) => callbacks.current.onActivate(id),
          }),
        ],
      }),
    );
    // A newly opened article starts at its top, not where the last one was left.
    host.current?.closest(".reader")?.scrollTo({ top: 0 });
  }, [text, language, labels, editableBy]);

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
    activate(id) {
      const editor = view.current;
      if (editor && activate(id)(editor.state, editor.dispatch)) {
        editor.focus();
        const { node } = editor.domAtPos(editor.state.selection.from);
        (node instanceof Element ? node : node.parentElement)?.scrollIntoView({ block: "center" });
      }
    },
    relabel(id, label) {
      const editor = view.current;
      if (!editor) return;
      activate(id)(editor.state, editor.dispatch);
      applyLabel(label, id)(editor.state, editor.dispatch);
    },
    remove(id) {
      const editor = view.current;
      if (!editor) return;
      activate(id)(editor.state, editor.dispatch);
      deleteActive(editor.state, editor.dispatch);
    },
    addMany(spans) {
      const editor = view.current;
      if (editor) addAnnotations(spans)(editor.state, editor.dispatch);
    },
    focus() {
      view.current?.focus();
    },
  }));

  return <div ref={host} className="tw-article-host" />;
});
