/**
 * The current coder's layer of the open article and how changes reach the
 * disk: span changes from the editor (tagging, relabelling, deleting, undo,
 * redo) and attribute edits from the pane become one `saveCoding` call each,
 * sent strictly in order. Attributes of every annotation seen in this session
 * are remembered, so undoing a deletion brings its value, target or note back.
 */
import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import type {
  AnnotationInput,
  ArticleView,
  CoderAnnotations,
  CodingChanges,
  WorkbenchBridge,
} from "../../shared/api";
import type { Codebook, CodingStatus, StoredAnnotation } from "../../shared/project-files";
import type { SpanChanges } from "./editor/annotation-editing";

const ATTRIBUTES = ["value", "target", "polarity", "holder", "entity", "note"] as const;

function toInput(a: StoredAnnotation | AnnotationInput): AnnotationInput {
  const input: AnnotationInput = {
    id: a.id,
    kind: a.kind,
    label: a.label,
    start: a.start,
    end: a.end,
  };
  for (const key of ATTRIBUTES) if (a[key] !== undefined) input[key] = a[key];
  return input;
}

/** `me`'s layer of `article` as stored (an empty one when they have not coded it yet). */
function layerOf(article: ArticleView, me: string): CoderAnnotations {
  return (
    article.coders.find((c) => c.coder === me) ?? {
      coder: me,
      annotations: [],
      orphans: [],
      status: "not-started" as CodingStatus,
      codes: {},
    }
  );
}

/** Suggests attributes for a new annotation (e.g. the only stance target), at once or once loaded. */
export type NewAnnotationDefaults = (
  input: AnnotationInput,
) => Partial<AnnotationInput> | Promise<Partial<AnnotationInput>>;

type Changes = Omit<CodingChanges, "articleId">;

/** State and actions for coding the open article. */
export function useCoding(
  api: WorkbenchBridge,
  article: ArticleView | null,
  me: string | null,
  codebook: Codebook | null,
  defaults: NewAnnotationDefaults,
  onError: (message: string) => void,
) {
  const [layer, setLayer] = useState<CoderAnnotations | null>(null);
  const [layerArticle, setLayerArticle] = useState<string | null>(null);
  const known = useRef(new Map<string, AnnotationInput>());
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  // Only the newest answer may replace what is shown: an older one would undo optimistic edits made since.
  const sent = useRef(0);

  // The layer follows the article at once, while rendering, so that the reader can mount in the
  // same render as the article instead of one effect (and usually one painted frame) later.
  const [seeded, setSeeded] = useState<{ article: ArticleView | null; me: string | null }>({
    article: null,
    me: null,
  });
  if (seeded.article !== article || seeded.me !== me) {
    setSeeded({ article, me });
    setLayer(article && me ? layerOf(article, me) : null);
    setLayerArticle(article && me ? `${article.meta.id}@${article.meta.textHash}` : null);
  }
  useEffect(() => {
    known.current = new Map();
    if (!article || !me) return;
    for (const a of layerOf(article, me).annotations) known.current.set(a.id, toInput(a));
  }, [article, me]);

  /** Sends `changes` after everything sent before; `ready` completes them first (suggested values). */
  const save = useCallback(
    (changes: Changes, ready?: Promise<Changes>) => {
      if (!article) return;
      const articleId = article.meta.id;
      for (const a of changes.upsert ?? []) known.current.set(a.id, a);
      const number = ++sent.current;
      queue.current = queue.current.then(async () => {
        let complete = changes;
        if (ready) {
          complete = await ready;
          // Keep what arrived meanwhile: only entries still as they were sent get the suggestions.
          for (const a of complete.upsert ?? []) {
            const sentAs = changes.upsert?.find((b) => b.id === a.id);
            if (known.current.get(a.id) === sentAs) known.current.set(a.id, a);
          }
        }
        const result = await api.saveCoding({ articleId, ...complete });
        if (!result.ok) onError(`Not saved: ${result.error.message}`);
        // The saved layer (the list, the counts) re-renders in the background, never ahead of input.
        else if (number === sent.current) startTransition(() => setLayer(result.value));
      });
    },
    [api, article, onError],
  );

  /** Saves what the editor changed; new annotations get their kind and defaults here. */
  const saveSpans = useCallback(
    (changes: SpanChanges) => {
      const kinds = new Map((codebook?.labels ?? []).map((l) => [l.id, l.kind]));
      const bases: AnnotationInput[] = [];
      const upsert = changes.upsert.map((span) => {
        const previous = known.current.get(span.id);
        const kind = kinds.get(span.label) ?? "entity";
        const base: AnnotationInput = {
          ...(previous ?? {}),
          id: span.id,
          label: span.label,
          kind,
          start: span.start,
          end: span.end,
        };
        // Attributes of another kind do not survive a relabel across kinds.
        if (previous?.kind && previous.kind !== kind)
          for (const key of ATTRIBUTES) if (key !== "note") delete base[key];
        bases.push(base);
        if (previous && previous.kind === kind) return base;
        const suggested = defaults(base);
        return suggested instanceof Promise
          ? suggested.then(
              (more) => ({ ...base, ...more }),
              () => base,
            )
          : { ...base, ...suggested };
      });
      if (upsert.every((a) => !(a instanceof Promise))) {
        save({ upsert: upsert as AnnotationInput[], remove: changes.remove });
        return;
      }
      // A suggestion still loading: the annotations are known without it until it is there.
      save(
        { upsert: bases, remove: changes.remove },
        Promise.all(upsert).then((all) => ({ upsert: all, remove: changes.remove })),
      );
    },
    [codebook, defaults, save],
  );

  /** Changes attributes of one annotation (value, target, polarity, holder, note). */
  const updateAttributes = useCallback(
    (id: string, attributes: Partial<AnnotationInput>) => {
      const current = known.current.get(id);
      if (!current) return;
      const next: AnnotationInput = { ...current, ...attributes };
      for (const key of ATTRIBUTES)
        if (next[key] === "" || next[key] === undefined) delete next[key];
      save({ upsert: [next] });
    },
    [save],
  );

  const setCode = useCallback(
    (variable: string, value: string | number | string[] | null) =>
      save({ codes: { [variable]: value } }),
    [save],
  );
  const setStatus = useCallback((status: CodingStatus) => save({ status }), [save]);

  /** Resolves when every change so far is on disk. */
  const flushed = useCallback(() => queue.current, []);

  /** Attributes that annotations about to be created should get (e.g. the registry link of "tag all"). */
  const remember = useCallback((id: string, attributes: Partial<AnnotationInput>) => {
    known.current.set(id, attributes as AnnotationInput);
  }, []);

  return {
    layer,
    layerArticle,
    saveSpans,
    updateAttributes,
    setCode,
    setStatus,
    flushed,
    remember,
  };
}
