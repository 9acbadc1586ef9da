/**
 * Tagging in the article view, in the shape of prosemirror-history: a private
 * plugin key and state (the active annotation and every span), an options
 * interface, a factory, and the commands and queries that belong to it.
 *
 * Annotations live in the document as `annotation` marks carrying `{ id, label }`.
 * Every change to them — tagging, relabelling, deleting, undo, redo — is a mark
 * step, so prosemirror-history undoes it, and the plugin's view reports the
 * resulting differences (upserts and removals of spans) to whoever saves them.
 *
 * The plugin keeps every span by id and updates only the ids a transaction's
 * mark steps touch (mark steps never move positions, so a span's new extent
 * lies within its old one and the steps' ranges): an edit costs the same on a
 * 20,000-span article as on a short one. The spans cover the whole article,
 * also the part a progressive load has not appended yet.
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
import { AddMarkStep, RemoveMarkStep } from "prosemirror-transform";
import type { EditorView } from "prosemirror-view";
import type { ChunkIndex, Span } from "./article-doc";
import { articleSchema, offsetOfPosition, positionOfOffset } from "./article-doc";
import { isLoadTransaction } from "./progressive-load";
import { SpanMap } from "./span-map";

export type { Span } from "./article-doc";

/** What changed between two documents. */
export interface SpanChanges {
  upsert: Span[];
  remove: string[];
}

/** Options of `annotationEditingPlugin`. */
export interface AnnotationEditingOptions {
  index: ChunkIndex;
  /** Every span of the whole article (from `prepareArticle`); collected from the document when absent. */
  spans?: ReadonlyMap<string, Span>;
  /** Called after every transaction that changed annotations (including undo and redo). */
  onChange(changes: SpanChanges): void;
  /** Called when the active annotation changes (click, keyboard, tagging). */
  onActivate?(id: string | null): void;
  /** Called before an annotation is activated by a click, e.g. to load the rest of it. */
  onBeforeActivate?(span: Span): void;
}

interface EditingState {
  active: string | null;
  spans: SpanMap;
  /** What the transaction that made this state changed, and the spans it started from. */
  changes: { from: SpanMap; changes: SpanChanges } | null;
}

type Meta = { type: "activate"; id: string | null };

const key = new PluginKey<EditingState>("tagwerk-annotation-editing");
const indexKey = new WeakMap<EditorState, ChunkIndex>();
const sortedSpans = new WeakMap<SpanMap, Span[]>();

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

/**
 * The spans after a transaction of mark steps: only the ids the steps touch
 * are looked up again, within their old extent and the steps' ranges.
 */
function applyMarkSteps(
  spans: SpanMap,
  tr: Transaction,
  index: ChunkIndex,
): { spans: SpanMap; changes: SpanChanges } {
  const regions = new Map<string, { from: number; to: number }>();
  for (const step of tr.steps) {
    const { mark, from, to } = step as AddMarkStep | RemoveMarkStep;
    if (mark.type !== articleSchema.marks.annotation) continue;
    const id = mark.attrs.id as string;
    const region = regions.get(id);
    if (region) {
      region.from = Math.min(region.from, from);
      region.to = Math.max(region.to, to);
    } else regions.set(id, { from, to });
  }
  const updates = new Map<string, Span | null>();
  const changes: SpanChanges = { upsert: [], remove: [] };
  const size = tr.doc.content.size;
  for (const [id, region] of regions) {
    const old = spans.get(id);
    if (old) {
      region.from = Math.min(region.from, positionOfOffset(index, old.start));
      region.to = Math.max(region.to, positionOfOffset(index, old.end));
    }
    let found: Span | null = null;
    tr.doc.nodesBetween(Math.max(0, region.from), Math.min(size, region.to), (node, pos) => {
      if (!node.isText) return true;
      const mark = node.marks.find(
        (m) => m.type === articleSchema.marks.annotation && m.attrs.id === id,
      );
      if (!mark) return false;
      const from = offsetOfPosition(index, pos);
      const to = offsetOfPosition(index, pos + node.nodeSize);
      if (found) {
        found.start = Math.min(found.start, from);
        found.end = Math.max(found.end, to);
      } else found = { id, label: mark.attrs.label as string, start: from, end: to };
      return false;
    });
    const now = found as Span | null;
    if (!now) {
      if (old) {
        updates.set(id, null);
        changes.remove.push(id);
      }
    } else if (!old || old.start !== now.start || old.end !== now.end || old.label !== now.label) {
      updates.set(id, now);
      changes.upsert.push(now);
    }
  }
  return { spans: spans.with(updates), changes };
}

/** Spans after any other change of the document: collected again, keeping those not loaded yet. */
function recollect(spans: SpanMap, doc: Node, index: ChunkIndex): SpanMap {
  const collected = collectSpans(doc, index);
  const loadedUpTo = offsetOfPosition(index, doc.content.size);
  for (const span of spans.values())
    if (span.start >= loadedUpTo && !collected.has(span.id)) collected.set(span.id, span);
  return SpanMap.from(collected);
}

/** The id of the active annotation (selected for relabelling, deleting, editing). */
export function activeAnnotation(state: EditorState): string | null {
  return key.getState(state)?.active ?? null;
}

/** The span of annotation `id` (also when it lies in a part not loaded yet). */
export function findSpan(state: EditorState, id: string): Span | undefined {
  return key.getState(state)?.spans.get(id);
}

/** Every annotation span the plugin knows (also those not loaded yet), by id. */
export function annotationSpans(state: EditorState): Map<string, Span> {
  return key.getState(state)?.spans.toMap() ?? new Map();
}

/** The document range of a span, or null when it is not (wholly) in the document yet. */
function rangeOf(state: EditorState, span: Span): { from: number; to: number } | null {
  const index = indexKey.get(state);
  if (!index) return null;
  const to = positionOfOffset(index, span.end);
  return to <= state.doc.content.size ? { from: positionOfOffset(index, span.start), to } : null;
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
    const span = id ? findSpan(state, id) : undefined;
    const range = span ? rangeOf(state, span) : null;
    if (id && !range) return false;
    if (dispatch) {
      const tr = state.tr.setMeta(key, { type: "activate", id } satisfies Meta);
      if (range)
        tr.setSelection(TextSelection.create(state.doc, range.from, range.to)).scrollIntoView();
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
    const activeSpan = active ? findSpan(state, active) : undefined;
    const activeRange = activeSpan ? rangeOf(state, activeSpan) : null;
    const markType = articleSchema.marks.annotation;
    if (activeSpan && activeRange && active) {
      if (
        (empty || (activeRange.from === from && activeRange.to === to)) &&
        activeSpan.label !== label
      ) {
        if (dispatch) {
          const tr = state.tr;
          removeAnnotationMark(tr, active, activeRange.from, activeRange.to);
          tr.addMark(
            activeRange.from,
            activeRange.to,
            markType.create({ id: active, label, title: label }),
          );
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
    const span = active ? findSpan(state, active) : undefined;
    const index = indexKey.get(state);
    const old = span ? rangeOf(state, span) : null;
    if (!active || !span || !index || !old) return false;
    const next = compute(span);
    if (!next || next.end <= next.start || (next.start === span.start && next.end === span.end))
      return true;
    const from = positionOfOffset(index, next.start);
    const to = positionOfOffset(index, next.end);
    if (to > state.doc.content.size) return false;
    if (dispatch) {
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
    const to = positionOfOffset(index, end);
    if (to > state.doc.content.size) return false;
    if (dispatch) {
      dispatch(
        state.tr.setSelection(TextSelection.create(state.doc, positionOfOffset(index, start), to)),
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
    if (spans.some((span) => positionOfOffset(index, span.end) > state.doc.content.size))
      return false;
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
  const span = active ? findSpan(state, active) : undefined;
  const range = span ? rangeOf(state, span) : null;
  if (!active || !range) return false;
  if (dispatch) {
    const tr = state.tr;
    removeAnnotationMark(tr, active, range.from, range.to);
    dispatch(closeHistory(tr.setMeta(key, { type: "activate", id: null } satisfies Meta)));
  }
  return true;
};

/**
 * The annotation `stepAnnotation` moves to: the next (`1`) or previous (`-1`)
 * one from the active annotation, or from the caret when none is active.
 */
export function adjacentAnnotation(
  state: EditorState,
  direction: 1 | -1,
  caretPos?: number,
): Span | undefined {
  const plugin = key.getState(state);
  const index = indexKey.get(state);
  if (!plugin || !index) return undefined;
  let spans = sortedSpans.get(plugin.spans);
  if (!spans) {
    spans = [...plugin.spans.values()].sort(
      (a, b) => a.start - b.start || b.end - a.end || a.id.localeCompare(b.id),
    );
    sortedSpans.set(plugin.spans, spans);
  }
  if (spans.length === 0) return undefined;
  const active = plugin.active;
  const at = active ? spans.findIndex((s) => s.id === active) : -1;
  if (at >= 0) return spans[(at + direction + spans.length) % spans.length];
  const caret = offsetOfPosition(index, caretPos ?? state.selection.from);
  return direction === 1
    ? (spans.find((s) => s.start >= caret) ?? spans[0])
    : (spans.findLast((s) => s.start < caret) ?? spans.at(-1));
}

/** Moves to the next (`1`) or previous (`-1`) annotation after the caret and makes it active. */
export function stepAnnotation(direction: 1 | -1, caretPos?: number): Command {
  return (state, dispatch) => {
    const next = adjacentAnnotation(state, direction, caretPos);
    return next ? activate(next.id)(state, dispatch) : false;
  };
}

/** The plugin: keeps the spans and the active annotation, reports span changes, activates on click. */
export function annotationEditingPlugin(options: AnnotationEditingOptions): Plugin<EditingState> {
  return new Plugin<EditingState>({
    key,
    state: {
      init: (_config, state) => {
        indexKey.set(state, options.index);
        return {
          active: null,
          spans: SpanMap.from(options.spans ?? collectSpans(state.doc, options.index)),
          changes: null,
        };
      },
      apply(tr, value, _old, newState) {
        indexKey.set(newState, options.index);
        let { spans } = value;
        let changes: EditingState["changes"] = null;
        if (tr.docChanged && !isLoadTransaction(tr)) {
          if (tr.steps.every((s) => s instanceof AddMarkStep || s instanceof RemoveMarkStep)) {
            const applied = applyMarkSteps(spans, tr, options.index);
            changes = { from: spans, changes: applied.changes };
            spans = applied.spans;
          } else {
            const next = recollect(spans, tr.doc, options.index);
            changes = { from: spans, changes: diffSpans(spans.toMap(), next.toMap()) };
            spans = next;
          }
        }
        const meta = tr.getMeta(key) as Meta | undefined;
        if (meta?.type === "activate") return { active: meta.id, spans, changes };
        // A selection elsewhere ends the activation.
        if (tr.selectionSet && value.active && !tr.docChanged)
          return { active: null, spans, changes };
        return { active: value.active, spans, changes };
      },
    },
    props: {
      handleClickOn(view, _pos, node) {
        if (!node.isText || !view.state.selection.empty) return false;
        const innermost = [...node.marks]
          .reverse()
          .find((m) => m.type === articleSchema.marks.annotation);
        if (!innermost) return false;
        const span = findSpan(view.state, innermost.attrs.id as string);
        if (span) options.onBeforeActivate?.(span);
        return activate(innermost.attrs.id as string)(view.state, view.dispatch);
      },
    },
    view: () => ({
      update(view, prevState) {
        const before = key.getState(prevState);
        const now = key.getState(view.state);
        if (before && now && before.spans !== now.spans) {
          // One transaction since the last update (the usual case) reported what it changed.
          const changes =
            now.changes && now.changes.from === before.spans
              ? now.changes.changes
              : diffSpans(before.spans.toMap(), now.spans.toMap());
          if (changes.upsert.length > 0 || changes.remove.length > 0) options.onChange(changes);
        }
        if (before?.active !== now?.active) options.onActivate?.(now?.active ?? null);
      },
    }),
  });
}
