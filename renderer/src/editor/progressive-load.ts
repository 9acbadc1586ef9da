/**
 * Shows a long article from its first paragraphs and appends the rest in short
 * slices while the page stays responsive, in the shape of prosemirror-history:
 * a private plugin key and state (how many paragraphs are in the document), an
 * options interface, a factory, and its commands and queries.
 *
 * ProseMirror renders a document in one update, so a 1 MB article with 20,000
 * marks would keep the page blank for most of a second. The document starts
 * with enough paragraphs to fill the first screens; each slice appends the
 * next paragraphs at the end of the document, so positions already shown never
 * move. The offset index and the spans always cover the whole text, and a load
 * boundary never cuts a span in two, so any span is either whole in the
 * document or not yet there. Whatever reaches a place that may not be loaded
 * yet (search hits, the annotation list, stepping, respanning, tagging every
 * mention) calls `loadThrough` first.
 * Appends are not undoable, change no annotation, and pass the read-only filter.
 */
import {
  type Command,
  type EditorState,
  Plugin,
  PluginKey,
  type Transaction,
} from "prosemirror-state";
import { createPartialDoc, type PreparedArticle } from "./article-doc";
import { ALLOW_TEXT_EDIT } from "./read-only";

interface LoadState {
  article: PreparedArticle;
  /** Paragraphs in the document. */
  loaded: number;
  /** Paragraphs in the article. */
  total: number;
}

type Meta = { type: "loaded"; count: number };

const key = new PluginKey<LoadState>("tagwerk-progressive-load");

/** Code points the first document holds at least (more than a tall screen shows). */
const INITIAL_CODE_POINTS = 3_000;
/** An article this much longer than the first part is loaded in one go. */
const SMALL_REST = 4_000;
/** Main-thread time one slice may take before it yields to input and painting. */
const SLICE_MS = 8;
/** Code points appended by one transaction (a slice may run several). */
const BATCH_CODE_POINTS = 3_000;

/** Options of `progressiveLoadPlugin`. */
export interface ProgressiveLoadOptions {
  article: PreparedArticle;
  /** Paragraphs in the document the state starts with (see `createInitialDoc`). */
  initial: number;
}

/** How many paragraphs the first document of `article` gets (all of a short article). */
export function initialParagraphs(article: PreparedArticle, text: string): number {
  const count = article.wholeSpansBoundary(article.paragraphOf(INITIAL_CODE_POINTS) + 1);
  if (count >= article.paragraphCount) return article.paragraphCount;
  // Code units are close enough to code points for a size estimate.
  const rest = text.length - INITIAL_CODE_POINTS;
  return rest < SMALL_REST ? article.paragraphCount : count;
}

/** The first document of `article`: its first `count` paragraphs. */
export const createInitialDoc = createPartialDoc;

/** True for the transactions that append paragraphs (they change no annotation). */
export function isLoadTransaction(tr: Transaction): boolean {
  return tr.getMeta(key) !== undefined;
}

/** True when the whole article is in the document (or the plugin is not used). */
export function isFullyLoaded(state: EditorState): boolean {
  const load = key.getState(state);
  return !load || load.loaded >= load.total;
}

/**
 * Appends the paragraphs up to paragraph `count` (exclusive), or further to the
 * next boundary no span crosses. False when they are all in the document.
 */
export function appendParagraphs(count: number): Command {
  return (state, dispatch) => {
    const load = key.getState(state);
    if (!load || count <= load.loaded || load.loaded >= load.total) return false;
    if (dispatch) {
      const to = Math.min(load.total, load.article.wholeSpansBoundary(count));
      const tr = state.tr
        .insert(state.doc.content.size, load.article.buildParagraphs(load.loaded, to))
        .setMeta(key, { type: "loaded", count: to } satisfies Meta)
        .setMeta(ALLOW_TEXT_EDIT, true)
        .setMeta("addToHistory", false);
      dispatch(tr);
    }
    return true;
  };
}

/** Appends every paragraph up to the one holding code-point `offset` (`null`: all). */
export function loadThrough(offset: number | null): Command {
  return (state, dispatch) => {
    const load = key.getState(state);
    if (!load) return false;
    const count = offset === null ? load.total : load.article.paragraphOf(offset) + 1;
    return appendParagraphs(count)(state, dispatch);
  };
}

/** Runs `task` soon, after pending input and painting, at background priority where supported. */
function schedule(task: () => void): () => void {
  const scheduler = (
    globalThis as {
      scheduler?: {
        postTask(
          task: () => void,
          options: { priority: string; signal: AbortSignal },
        ): Promise<void>;
      };
    }
  ).scheduler;
  if (scheduler) {
    const controller = new AbortController();
    scheduler
      .postTask(task, { priority: "background", signal: controller.signal })
      .catch(() => undefined);
    return () => controller.abort();
  }
  const timer = setTimeout(task, 0);
  return () => clearTimeout(timer);
}

/** The plugin: holds the loaded count, marks the text busy while loading, appends the rest in slices. */
export function progressiveLoadPlugin(options: ProgressiveLoadOptions): Plugin<LoadState> {
  const { article } = options;
  return new Plugin<LoadState>({
    key,
    state: {
      init: () => ({ article, loaded: options.initial, total: article.paragraphCount }),
      apply(tr, value) {
        const meta = tr.getMeta(key) as Meta | undefined;
        return meta?.type === "loaded" ? { ...value, loaded: meta.count } : value;
      },
    },
    props: {
      attributes: (state): Record<string, string> =>
        isFullyLoaded(state) ? {} : { "aria-busy": "true" },
    },
    view(view) {
      let cancel: (() => void) | null = null;
      const step = () => {
        cancel = null;
        const until = performance.now() + SLICE_MS;
        // A few thousand code points per transaction until the slice is used up (at least one).
        do {
          const load = key.getState(view.state);
          if (!load || load.loaded >= load.total) break;
          const ends = article.paragraphEnds;
          const from = load.loaded > 0 ? (ends[load.loaded - 1] ?? 0) : 0;
          let to = load.loaded + 1;
          while (to < load.total && (ends[to - 1] ?? 0) - from < BATCH_CODE_POINTS) to++;
          appendParagraphs(to)(view.state, view.dispatch);
        } while (performance.now() < until);
        next();
      };
      const next = () => {
        if (!cancel && !isFullyLoaded(view.state)) cancel = schedule(step);
      };
      // The first screen is painted before anything more is loaded.
      let frame: number | null = requestAnimationFrame(() => {
        frame = null;
        next();
      });
      return {
        update: () => {
          if (frame === null) next();
        },
        destroy() {
          if (frame !== null) cancelAnimationFrame(frame);
          cancel?.();
          cancel = null;
        },
      };
    },
  });
}
