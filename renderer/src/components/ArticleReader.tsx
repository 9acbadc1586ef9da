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
import { forwardRef, memo, useEffect, useImperativeHandle, useRef } from "react";
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
  activeAnnotation,
  addAnnotations,
  adjacentAnnotation,
  annotationEditingPlugin,
  applyLabel,
  currentDomSelection,
  deleteActive,
  findSpan,
  respanActive,
  type Span,
  type SpanChanges,
  selectOffsets,
  stepAnnotation,
} from "../editor/annotation-editing";
import {
  type ChunkIndex,
  offsetOfPosition,
  positionOfOffset,
  prepareArticle,
} from "../editor/article-doc";
import { offscreenParagraphsPlugin } from "../editor/offscreen-paragraphs";
import {
  createInitialDoc,
  initialParagraphs,
  isFullyLoaded,
  loadThrough,
  progressiveLoadPlugin,
} from "../editor/progressive-load";
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

/** Loads the article through annotation `id`, wherever it is. */
function loadAnnotation(editor: EditorView, id: string): void {
  const span = findSpan(editor.state, id);
  if (span) loadThrough(span.end)(editor.state, editor.dispatch);
}

/**
 * The article text with annotation marks; tagging by hotkey when the layer is
 * editable. Memoised: the editor updates itself, so the app's re-renders
 * (e.g. for the pane) need not visit it.
 */
export const ArticleReader = memo(
  forwardRef<ArticleReaderHandle, Props>(function ArticleReader(
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
        state: EditorState.create({ doc: createInitialDoc(prepareArticle("", []), 1) }),
        attributes: {
          class: "tw-article-text",
          role: "document",
          "aria-label": "Article text",
          spellcheck: "false",
        },
      });
      // Before every commit, React reads the selection of a focused `contentEditable === "true"`
      // element by walking all of its DOM, to restore it should the commit move focus: about 3 ms
      // per commit in a 1 MB article, on every tag. The editor restores its own selection, so
      // React is not shown the flag (the browser and ProseMirror go by the attribute instead).
      Object.defineProperty(editor.dom, "contentEditable", {
        configurable: true,
        get: () => "inherit",
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
      const titleOf = (a: StoredAnnotation) =>
        `${labelById.get(a.label)?.name ?? a.label}: “${a.quote}”${a.value ? ` → ${a.value}` : ""}${
          a.polarity ? ` (${a.polarity}${a.target ? ` · ${a.target}` : ""})` : ""
        }`;
      const built = prepareArticle(text, annotations, language, titleOf);
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
      // Moves a boundary of the active annotation, first loading the text it may grow into.
      const respan =
        (compute: (span: Span) => { start: number; end: number }): Command =>
        (state, dispatch, v) => {
          const active = activeAnnotation(state);
          const span = active ? findSpan(state, active) : undefined;
          if (!v || !span) return respanActive(compute)(state, dispatch);
          loadThrough(compute(span).end)(v.state, v.dispatch);
          return respanActive(compute)(v.state, v.dispatch);
        };
      const editing: Record<string, Command> = editableBy
        ? {
            "Mod-z": undo,
            "Mod-Shift-z": redo,
            "Mod-y": redo,
            Delete: deleteActive,
            Backspace: deleteActive,
            "Alt-Shift-ArrowRight": respan((s) => ({
              start: s.start,
              end: nextWordEnd(text, s.end, language),
            })),
            "Alt-Shift-ArrowLeft": respan((s) => ({
              start: s.start,
              end: previousWordEnd(text, s.end, s.start, language),
            })),
            "Alt-Shift-ArrowUp": respan((s) => ({
              start: previousWordStart(text, s.start, language),
              end: s.end,
            })),
            "Alt-Shift-ArrowDown": respan((s) => ({
              start: nextWordStart(text, s.start, s.end, language),
              end: s.end,
            })),
          }
        : {};
      // Steps to the next or previous annotation, first loading the text it is in.
      const step =
        (direction: 1 | -1): Command =>
        (state, dispatch, v) => {
          const caret = (v && currentDomSelection(v)?.from) ?? undefined;
          const next = adjacentAnnotation(state, direction, caret);
          if (!v || !next) return stepAnnotation(direction, caret)(state, dispatch);
          loadThrough(next.end)(v.state, v.dispatch);
          return stepAnnotation(direction, caret)(v.state, v.dispatch);
        };
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
      const initial = initialParagraphs(built, text);
      editor.updateState(
        EditorState.create({
          doc: createInitialDoc(built, initial),
          plugins: [
            readOnlyPlugin(),
            history(),
            keymap({
              ...tagKeys,
              ...editing,
              ...selectionKeys,
              "Alt-ArrowRight": step(1),
              "Alt-ArrowLeft": step(-1),
              Escape: (state, dispatch) => activate(null)(state, dispatch),
            }),
            keymap(baseKeymap),
            annotationEditingPlugin({
              index: built.index,
              spans: built.spans,
              onChange: (changes) => callbacks.current.onChange(changes),
              onActivate: (id) => callbacks.current.onActivate(id),
              onBeforeActivate: (span) => loadThrough(span.end)(editor.state, editor.dispatch),
            }),
            progressiveLoadPlugin({ article: built, initial }),
            offscreenParagraphsPlugin(),
          ],
        }),
      );
      // A newly opened article starts at its top, not where the last one was left.
      const reader = host.current?.closest(".reader");
      reader?.scrollTo({ top: 0 });
      // The first screen is whole before it is painted: load on while the text ends above the reader's bottom.
      const bottom = reader?.getBoundingClientRect().bottom ?? 0;
      while (!isFullyLoaded(editor.state) && editor.dom.getBoundingClientRect().bottom <= bottom) {
        const loaded = offsetOfPosition(built.index, editor.state.doc.content.size);
        if (!loadThrough(loaded + 2_000)(editor.state, editor.dispatch)) break;
      }
    }, [text, language, labels, editableBy]);

    useImperativeHandle(ref, () => ({
      reveal(start, end) {
        const editor = view.current;
        if (!editor || !index.current) return;
        loadThrough(end)(editor.state, editor.dispatch);
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
        if (editor) loadAnnotation(editor, id);
        if (editor && activate(id)(editor.state, editor.dispatch)) {
          editor.focus();
          const { node } = editor.domAtPos(editor.state.selection.from);
          (node instanceof Element ? node : node.parentElement)?.scrollIntoView({
            block: "center",
          });
        }
      },
      relabel(id, label) {
        const editor = view.current;
        if (!editor) return;
        loadAnnotation(editor, id);
        activate(id)(editor.state, editor.dispatch);
        applyLabel(label, id)(editor.state, editor.dispatch);
      },
      remove(id) {
        const editor = view.current;
        if (!editor) return;
        loadAnnotation(editor, id);
        activate(id)(editor.state, editor.dispatch);
        deleteActive(editor.state, editor.dispatch);
      },
      addMany(spans) {
        const editor = view.current;
        if (!editor) return;
        loadThrough(Math.max(...spans.map((s) => s.end)))(editor.state, editor.dispatch);
        addAnnotations(spans)(editor.state, editor.dispatch);
      },
      focus() {
        view.current?.focus();
      },
    }));

    return <div ref={host} className="tw-article-host" />;
  }),
);
