/**
 * The current coder's layer of the open article and how changes reach the
 * disk: span changes from the editor (tagging, relabelling, deleting, undo,
 * redo) and attribute edits from the pane become one `saveCoding` call each,
 * sent strictly in order. Attributes of every annotation seen in this session
 * are remembered, so undoing a deletion brings its value, target or note back.
 */
import { useCallback, useEffect, useRef, useState } from "react";
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

/** Suggests attributes for a new annotation (e.g. the only stance target). */
export type NewAnnotationDefaults = (input: AnnotationInput) => Partial<AnnotationInput>;

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

  useEffect(() => {
    known.current = new Map();
    if (!article || !me) {
      setLayer(null);
      setLayerArticle(null);
      return;
    }
    const mine = article.coders.find((c) => c.coder === me) ?? {
      coder: me,
      annotations: [],
      orphans: [],
      status: "not-started" as CodingStatus,
      codes: {},
    };
    for (const a of mine.annotations) known.current.set(a.id, toInput(a));
    setLayer(mine);
    setLayerArticle(`${article.meta.id}@${article.meta.textHash}`);
  }, [article, me]);

  const save = useCallback(
    (changes: Omit<CodingChanges, "articleId">) => {
      if (!article) return;
      const articleId = article.meta.id;
      for (const a of changes.upsert ?? []) known.current.set(a.id, a);
      const number = ++sent.current;
      queue.current = queue.current.then(async () => {
        const result = await api.saveCoding({ articleId, ...changes });
        if (!result.ok) onError(`Not saved: ${result.error.message}`);
        else if (number === sent.current) setLayer(result.value);
      });
    },
    [api, article, onError],
  );

  /** Saves what the editor changed; new annotations get their kind and defaults here. */
  const saveSpans = useCallback(
    (changes: SpanChanges) => {
      const kinds = new Map((codebook?.labels ?? []).map((l) => [l.id, l.kind]));
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
        return previous && previous.kind === kind ? base : { ...base, ...defaults(base) };
      });
      save({ upsert, remove: changes.remove });
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
