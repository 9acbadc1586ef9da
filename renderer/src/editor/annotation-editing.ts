/**
 * Tagging in the article view, in the shape of prosemirror-history: a private
 * plugin key and state (the active annotation), an options interface, a
 * factory, and the commands and queries that belong to it.
 *
 * Annotations live in the document as `annotation` marks carrying `{ id, label }`.
 * Every change to them — tagging, relabelling, deleting, undo, redo — is a mark
 * step, so prosemirror-history undoes it, and the plugin's view reports the
 * resulting differences (upserts and removals of spans) to whoever saves them.
 */

import { closeHistory } from "prosemirror-history";
import type { Mark, Node } from "prosemirror-model";
import {
  type Command,
  type EditorState,
  Plugin,
  PluginKey,
  TextSelection,
  type Transaction,
} from "prosemirror-state";
import type { EditorView } from "prosemirror-view";
import type { ChunkIndex } from "./article-doc";
import { articleSchema, offsetOfPosition, positionOfOffset } from "./article-doc";

/** A span as the document holds it: code-point offsets into the article text. */
export interface Span {
  id: string;
  label: string;
  start: number;
  end: number;
}

/** What changed between two documents. */
export interface SpanChanges {
  upsert: Span[];
  remove: string[];
}

/** Options of `annotationEditingPlugin`. */
export interface AnnotationEditingOptions {
  index: ChunkIndex;
  /** Called after every transaction that changed annotations (including undo and redo). */
  onChange(changes: SpanChanges): void;
  /** Called when the active annotation changes (click, keyboard, tagging). */
  onActivate?(id: string | null): void;
}

interface EditingState {
  active: string | null;
}

type Meta = { type: "activate"; id: string | null };

const key = new PluginKey<EditingState>("tagwerk-annotation-editing");
const indexKey = new WeakMap<EditorState, ChunkIndex>();

/** All annotation spans in `doc`, by id (a span cut by chunk or paragraph ends is joined). */
export function collectSpans(doc: Node, index: ChunkIndex): Map<string, Span> {
  const spans = new Map<string, Span>();
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    for (const mark of node.marks) {
      if (mark.type !== articleSchema.marks.annotation) continue;
      const id = mark.attrs.id as string;
      const from = offsetOfPosition(index, pos);
      const to = offsetOfPosition(index, pos + node.nodeSize);
      const known = spans.get(id);
      if (known) {
        known.start = Math.min(known.start, from);
        known.end = Math.max(known.end, to);
      } else spans.set(id, { id, label: mark.attrs.label as string, start: from, end: to });
    }
    return false;
  });
  return spans;
}

/** The differences between two span maps. */
export function diffSpans(before: Map<string, Span>, after: Map<string, Span>): SpanChanges {
  const upsert: Span[] = [];
  for (const [id, span] of after) {
    const old = before.get(id);
    if (!old || old.start !== span.start || old.end !== span.end || old.label !== span.label)
      upsert.push(span);
  }
  const remove = [...before.keys()].filter((id) => !after.has(id));
  return { upsert, remove };
}

/** The id of the active annotation (selected for relabelling, deleting, editing). */
export function activeAnnotation(state: EditorState): string | null {
  return key.getState(state)?.active ?? null;
}

function spanOf(state: EditorState, id: string): Span | undefined {
  const index = indexKey.get(state);
  return index ? collectSpans(state.doc, index).get(id) : undefined;
}

function rangeOf(state: EditorState, span: Span): { from: number; to: number } {
  const index = indexKey.get(state) as ChunkIndex;
  return { from: positionOfOffset(index, span.start), to: positionOfOffset(index, span.end) };
}

function removeAnnotationMark(tr: Transaction, id: string, from: number, to: number): void {
  tr.doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isText) return true;
    const mark = node.marks.find((m: Mark) => m.attrs.id === id);
    if (mark) tr.removeMark(Math.max(pos, from), Math.min(pos + node.nodeSize, to), mark);
    return false;
  });
}

/** Makes `id` the active annotation (or none), selecting its text. */
export function activate(id: string | null): Command {
  return (state, dispatch) => {
    const span = id ? spanOf(state, id) : undefined;
    if (id && !span) return false;
    if (dispatch) {
      const tr = state.tr.setMeta(key, { type: "activate", id } satisfies Meta);
      if (span) {
        const { from, to } = rangeOf(state, span);
        tr.setSelection(TextSelection.create(state.doc, from, to)).scrollIntoView();
      }
      dispatch(tr);
    }
    return true;
  };
}

/**
 * Applies `label` to the selection as a new annotation with `newId`; when the
 * selection is exactly the active annotation, relabels that one instead.
 */
export function applyLabel(
  label: string,
  newId: string,
  range?: { from: number; to: number },
): Command {
  return (state, dispatch) => {
    const { from, to } = range ?? state.selection;
    const empty = from === to;
    const active = activeAnnotation(state);
    const activeSpan = active ? spanOf(state, active) : undefined;
    const markType = articleSchema.marks.annotation;
    if (activeSpan && active) {
      const range = rangeOf(state, activeSpan);
      if ((empty || (range.from === from && range.to === to)) && activeSpan.label !== label) {
        if (dispatch) {
          const tr = state.tr;
          removeAnnotationMark(tr, active, range.from, range.to);
          tr.addMark(range.from, range.to, markType.create({ id: active, label, title: label }));
          dispatch(closeHistory(tr.setMeta(key, { type: "activate", id: active } satisfies Meta)));
        }
        return true;
      }
    }
    if (empty) return false;
    if (dispatch) {
      const tr = state.tr.addMark(from, to, markType.create({ id: newId, label, title: label }));
      tr.setSelection(TextSelection.create(tr.doc, from, to));
      dispatch(closeHistory(tr.setMeta(key, { type: "activate", id: newId } satisfies Meta)));
    }
    return true;
  };
}

/**
 * The selection as the browser has it right now. Keyboard selection (Shift+arrows)
 * reaches ProseMirror through the asynchronous `selectionchange` event, so a
 * hotkey pressed right after may find the editor's selection a step behind.
 */
export function currentDomSelection(view: EditorView): { from: number; to: number } | null {
  const selection = view.dom.ownerDocument.getSelection();
  if (!selection || selection.rangeCount === 0 || !selection.anchorNode || !selection.focusNode)
    return null;
  if (!view.dom.contains(selection.anchorNode) || !view.dom.contains(selection.focusNode))
    return null;
  try {
    const anchor = view.posAtDOM(selection.anchorNode, selection.anchorOffset);
    const head = view.posAtDOM(selection.focusNode, selection.focusOffset);
    return { from: Math.min(anchor, head), to: Math.max(anchor, head) };
  } catch {
    return null;
  }
}

/** Moves the active annotation's boundaries to [start, end) (code points); one undoable step. */
export function respanActive(
  compute: (span: Span) => { start: number; end: number } | null,
): Command {
  return (state, dispatch) => {
    const active = activeAnnotation(state);
    const span = active ? spanOf(state, active) : undefined;
    const index = indexKey.get(state);
    if (!active || !span || !index) return false;
    const next = compute(span);
    if (!next || next.end <= next.start || (next.start === span.start && next.end === span.end))
      return true;
    if (dispatch) {
      const old = rangeOf(state, span);
      const from = positionOfOffset(index, next.start);
      const to = positionOfOffset(index, next.end);
      const tr = state.tr;
      removeAnnotationMark(tr, active, old.from, old.to);
      tr.addMark(
        from,
        to,
        articleSchema.marks.annotation.create({ id: active, label: span.label, title: span.label }),
      );
      tr.setSelection(TextSelection.create(tr.doc, from, to));
      dispatch(closeHistory(tr.setMeta(key, { type: "activate", id: active } satisfies Meta)));
    }
    return true;
  };
}

/** Selects [start, end) given in code points. */
export function selectOffsets(start: number, end: number): Command {
  return (state, dispatch) => {
    const index = indexKey.get(state);
    if (!index) return false;
    if (dispatch) {
      dispatch(
        state.tr.setSelection(
          TextSelection.create(
            state.doc,
            positionOfOffset(index, start),
            positionOfOffset(index, end),
          ),
        ),
      );
    }
    return true;
  };
}

/** Adds several annotations in one step (one undo undoes them all). */
export function addAnnotations(spans: Span[]): Command {
  return (state, dispatch) => {
    const index = indexKey.get(state);
    if (!index || spans.length === 0) return false;
    if (dispatch) {
      const tr = state.tr;
      for (const span of spans) {
        tr.addMark(
          positionOfOffset(index, span.start),
          positionOfOffset(index, span.end),
          articleSchema.marks.annotation.create({
            id: span.id,
            label: span.label,
            title: span.label,
          }),
        );
      }
      dispatch(tr);
    }
    return true;
  };
}

/** Deletes the active annotation. */
export const deleteActive: Command = (state, dispatch) => {
  const active = activeAnnotation(state);
  const span = active ? spanOf(state, active) : undefined;
  if (!active || !span) return false;
  if (dispatch) {
    const { from, to } = rangeOf(state, span);
    const tr = state.tr;
    removeAnnotationMark(tr, active, from, to);
    dispatch(closeHistory(tr.setMeta(key, { type: "activate", id: null } satisfies Meta)));
  }
  return true;
};

/** Moves to the next (`1`) or previous (`-1`) annotation after the caret and makes it active. */
export function stepAnnotation(direction: 1 | -1, caretPos?: number): Command {
  return (state, dispatch) => {
    const index = indexKey.get(state);
    if (!index) return false;
    const spans = [...collectSpans(state.doc, index).values()].sort(
      (a, b) => a.start - b.start || b.end - a.end || a.id.localeCompare(b.id),
    );
    if (spans.length === 0) return false;
    const active = activeAnnotation(state);
    const at = active ? spans.findIndex((s) => s.id === active) : -1;
    let next: Span | undefined;
    if (at >= 0) next = spans[(at + direction + spans.length) % spans.length];
    else {
      const caret = offsetOfPosition(index, caretPos ?? state.selection.from);
      next =
        direction === 1
          ? (spans.find((s) => s.start >= caret) ?? spans[0])
          : ([...spans].reverse().find((s) => s.start < caret) ?? spans.at(-1));
    }
    return next ? activate(next.id)(state, dispatch) : false;
  };
}

/** The plugin: keeps the active annotation, reports span changes, activates an annotation on click. */
export function annotationEditingPlugin(options: AnnotationEditingOptions): Plugin<EditingState> {
  return new Plugin<EditingState>({
    key,
    state: {
      init: (_config, state) => {
        indexKey.set(state, options.index);
        return { active: null };
      },
      apply(tr, value, _old, newState) {
        indexKey.set(newState, options.index);
        const meta = tr.getMeta(key) as Meta | undefined;
        if (meta?.type === "activate") return { active: meta.id };
        // A selection elsewhere ends the activation.
        if (tr.selectionSet && value.active && !tr.docChanged) return { active: null };
        return value;
      },
    },
    props: {
      handleClickOn(view, _pos, node, nodePos, event) {
        if (!node.isText || !view.state.selection.empty) return false;
        const innermost = [...node.marks]
          .reverse()
          .find((m) => m.type === articleSchema.marks.annotation);
        void nodePos;
        void event;
        if (!innermost) return false;
        return activate(innermost.attrs.id as string)(view.state, view.dispatch);
      },
    },
    view: () => ({
      update(view, prevState) {
        const prevActive = activeAnnotation(prevState);
        const active = activeAnnotation(view.state);
        if (view.state.doc !== prevState.doc) {
          const changes = diffSpans(
            collectSpans(prevState.doc, options.index),
            collectSpans(view.state.doc, options.index),
          );
          if (changes.upsert.length > 0 || changes.remove.length > 0) options.onChange(changes);
        }
        if (prevActive !== active) options.onActivate?.(active);
      },
    }),
  });
}
