/**
 * The chosen coder's annotations grouped by label, with filters; click or
 * Enter jumps to one, arrows move between rows (one tab stop for all).
 *
 * The list is virtual: every group keeps its heading and count, but only the
 * rows near the visible part of the pane are in the DOM, with spacers of the
 * rest's height around them (rows measured once shown, estimated before). An
 * article with 20,000 annotations would otherwise put 100,000 elements into
 * the page and re-render them on every tag. The row that holds the tab stop
 * is always rendered, so focus and Tab order survive scrolling.
 */
import {
  memo,
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { CoderAnnotations } from "../../../shared/api";
import type { Codebook, StoredAnnotation } from "../../../shared/project-files";

/** Rendered beyond the visible part of the pane, above and below (px). */
const OVERSCAN = 600;
/** Height of a row not measured yet (px): one line of quote plus padding and gap. */
const ESTIMATED_ROW = 33;

type Group = [label: string, items: StoredAnnotation[]];

/** The deferred layer before its first background render. */
const PENDING = Symbol("pending");

/** The rows of one group to render: index ranges [from, to), ascending. */
function rowRanges(
  offsets: Float64Array,
  from: number,
  to: number,
  pinned: number,
): [number, number][] {
  const count = offsets.length - 1;
  let first = 0;
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((offsets[mid + 1] ?? 0) > from) hi = mid;
    else lo = mid + 1;
  }
  first = lo;
  let last = first;
  while (last < count && (offsets[last] ?? 0) < to) last++;
  const ranges: [number, number][] = first < last ? [[first, last]] : [];
  if (pinned >= 0 && (pinned < first || pinned >= last)) {
    ranges.push([pinned, pinned + 1]);
    ranges.sort((a, b) => a[0] - b[0]);
  }
  return ranges;
}

function Row({
  annotation: a,
  label,
  position,
  size,
  tabStop,
  onFocus,
  onReveal,
}: {
  annotation: StoredAnnotation;
  label: string;
  position: number;
  size: number;
  tabStop: boolean;
  onFocus(id: string): void;
  onReveal(annotation: StoredAnnotation): void;
}) {
  return (
    <li data-id={a.id} aria-posinset={position} aria-setsize={size}>
      <button
        type="button"
        className="annotation-row"
        data-label={label}
        tabIndex={tabStop ? 0 : -1}
        onFocus={() => onFocus(a.id)}
        onClick={() => onReveal(a)}
      >
        <span className="annotation-row__quote">“{a.quote}”</span>
        <span className="annotation-row__attrs">
          {a.value && <span className="attr">= {a.value}</span>}
          {a.polarity && <span className={`attr polarity-${a.polarity}`}>{a.polarity}</span>}
          {a.target && <span className="attr">{a.target}</span>}
          {a.note && (
            <span className="attr note" title={a.note}>
              note
            </span>
          )}
          <span className="offsets">
            {a.start}–{a.end}
          </span>
        </span>
      </button>
    </li>
  );
}

/** Stands in for rows not rendered (hidden from assistive technology, which gets aria-setsize). */
function Spacer({ height }: { height: number }) {
  return height > 0 ? (
    <li className="annotation-spacer" aria-hidden="true" style={{ height }} />
  ) : null;
}

/** The annotation list of the pane's first tab (re-rendered only when its props change). */
export const AnnotationList = memo(function AnnotationList({
  layer,
  codebook,
  onReveal,
}: {
  layer: CoderAnnotations | undefined;
  codebook: Codebook | null;
  onReveal(annotation: StoredAnnotation): void;
}) {
  const [labelFilter, setLabelFilter] = useState("");
  const [textFilter, setTextFilter] = useState("");
  // The rows render after the article (and after each save, in the background): grouping
  // 20,000 annotations is not what the first paint or a keystroke should wait for.
  const deferred = useDeferredValue<CoderAnnotations | undefined | typeof PENDING>(layer, PENDING);
  const pending = deferred === PENDING;
  const shownLayer = pending ? undefined : deferred;
  const groups = useMemo(() => {
    const byLabel = new Map<string, StoredAnnotation[]>();
    const needle = textFilter.trim().toLowerCase();
    for (const a of shownLayer?.annotations ?? []) {
      if (labelFilter && a.label !== labelFilter && a.kind !== labelFilter) continue;
      if (needle && !`${a.quote} ${a.value ?? ""} ${a.note ?? ""}`.toLowerCase().includes(needle))
        continue;
      const items = byLabel.get(a.label);
      if (items) items.push(a);
      else byLabel.set(a.label, [a]);
    }
    const order = codebook?.labels.map((l) => l.id) ?? [];
    return [...byLabel.entries()].sort(
      ([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99),
    ) as Group[];
  }, [shownLayer, codebook, labelFilter, textFilter]);
  const ordered = useMemo(() => groups.flatMap(([, items]) => items), [groups]);

  // One tab stop for all rows (the last one used); arrows move between them.
  const [focusId, setFocusId] = useState<string | null>(null);
  const tabStop =
    focusId !== null && ordered.some((a) => a.id === focusId) ? focusId : (ordered[0]?.id ?? null);
  const container = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);

  // Row heights by id once measured; where each group's rows start (px from the list's top).
  const heights = useRef(new Map<string, number>());
  const groupTops = useRef(new Map<string, number>());
  const [measured, setMeasured] = useState(0);
  // The part of the list to render (px from the list's top), the visible part plus overscan.
  const [view, setView] = useState({ top: -OVERSCAN, bottom: 1200 + OVERSCAN });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `measured` counts new row heights in the ref
  const offsets = useMemo(
    () =>
      groups.map(([, items]) => {
        const offsets = new Float64Array(items.length + 1);
        for (let i = 0; i < items.length; i++)
          offsets[i + 1] =
            (offsets[i] ?? 0) + (heights.current.get(items[i]?.id ?? "") ?? ESTIMATED_ROW);
        return offsets;
      }),
    [groups, measured],
  );

  const updateView = useCallback(() => {
    const list = container.current;
    const scroller = list?.closest(".pane__body") ?? list?.parentElement;
    if (!list || !scroller) return;
    const top = scroller.getBoundingClientRect().top - list.getBoundingClientRect().top;
    const bottom = top + scroller.clientHeight;
    setView((current) =>
      top >= current.top && bottom <= current.bottom
        ? current
        : { top: top - OVERSCAN, bottom: bottom + OVERSCAN },
    );
  }, []);

  const shown = shownLayer !== undefined && shownLayer.annotations.length > 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the list element exists only while `shown`
  useEffect(() => {
    const scroller = container.current?.closest(".pane__body");
    if (!scroller) return;
    scroller.addEventListener("scroll", updateView, { passive: true });
    const resize = new ResizeObserver(updateView);
    resize.observe(scroller);
    return () => {
      scroller.removeEventListener("scroll", updateView);
      resize.disconnect();
    };
  }, [updateView, shown]);

  // After each render: measure the rows shown and where the groups start, and follow a pending focus.
  useLayoutEffect(() => {
    const list = container.current;
    if (!list) return;
    const base = list.getBoundingClientRect().top;
    let changed = false;
    for (const area of list.querySelectorAll<HTMLElement>(".annotation-group__rows")) {
      const label = area.dataset.group ?? "";
      const top = area.getBoundingClientRect().top - base;
      const known = groupTops.current.get(label);
      if (known === undefined || Math.abs(known - top) > 1) {
        groupTops.current.set(label, top);
        changed = true;
      }
      // A row's height is the distance to the next row's top (gaps between rows included).
      const children = [...area.children] as HTMLElement[];
      let gap = 0;
      for (let i = 0; i < children.length; i++) {
        const row = children[i] as HTMLElement;
        const id = row.dataset.id;
        if (id === undefined) continue;
        const next = children[i + 1];
        const pitch =
          next?.dataset.id !== undefined
            ? next.getBoundingClientRect().top - row.getBoundingClientRect().top
            : row.offsetHeight + gap;
        if (next?.dataset.id !== undefined) gap = pitch - row.offsetHeight;
        if (Math.abs((heights.current.get(id) ?? ESTIMATED_ROW) - pitch) > 0.5) {
          heights.current.set(id, pitch);
          changed = true;
        }
      }
    }
    if (changed) setMeasured((n) => n + 1);
    updateView();
    const wanted = pendingFocus.current;
    if (wanted) {
      const row = list.querySelector<HTMLButtonElement>(
        `li[data-id="${CSS.escape(wanted)}"] .annotation-row`,
      );
      if (row) {
        pendingFocus.current = null;
        row.focus();
      }
    }
  });

  const handleKey = (event: React.KeyboardEvent<HTMLDivElement>) => {
    const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>(
      "li[data-id]",
    )?.dataset.id;
    const index = current === undefined ? -1 : ordered.findIndex((a) => a.id === current);
    if (index < 0) return;
    const next =
      event.key === "ArrowDown"
        ? index + 1
        : event.key === "ArrowUp"
          ? index - 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? ordered.length - 1
              : null;
    if (next === null) return;
    event.preventDefault();
    const target = ordered[Math.max(0, Math.min(ordered.length - 1, next))];
    if (!target) return;
    const row = container.current?.querySelector<HTMLButtonElement>(
      `li[data-id="${CSS.escape(target.id)}"] .annotation-row`,
    );
    if (row) row.focus();
    else {
      // Not rendered: make it the tab stop (always rendered) and focus it after the render.
      pendingFocus.current = target.id;
      setFocusId(target.id);
    }
  };

  const filters = (
    <div className="annotation-filter">
      <select
        aria-label="Show annotations of"
        value={labelFilter}
        onChange={(e) => setLabelFilter(e.target.value)}
      >
        <option value="">All kinds and labels</option>
        <option value="entity">All entities</option>
        <option value="date">All dates</option>
        <option value="stance">All stances</option>
        {(codebook?.labels ?? []).map((l) => (
          <option key={l.id} value={l.id}>
            {l.name} ({l.id})
          </option>
        ))}
      </select>
      <input
        type="search"
        aria-label="Filter annotations by text"
        placeholder="Filter…"
        value={textFilter}
        onChange={(e) => setTextFilter(e.target.value)}
      />
    </div>
  );

  const orphans = shownLayer?.orphans ?? [];
  const orphanList =
    orphans.length > 0 ? (
      <section className="orphans" aria-label="Annotations that wait for review">
        <h3>
          Waiting for review <span className="count">{orphans.length}</span>
        </h3>
        <p className="muted">
          The text changed and these could not be placed again. Nothing was deleted.
        </p>
        <ul>
          {orphans.map((o) => (
            <li key={o.id}>
              <span className="annotation-row__quote">“{o.quote}”</span>{" "}
              <span className="label-id">{o.label}</span>
              <span className="orphan-reason">{o.reason}</span>
            </li>
          ))}
        </ul>
      </section>
    ) : null;

  if (pending) return null;
  if (!shownLayer || shownLayer.annotations.length === 0) {
    return (
      <>
        {orphanList}
        <p className="pane-empty">
          {shownLayer
            ? `${shownLayer.coder} has not annotated this article yet.`
            : "No coder has annotated this article yet."}
        </p>
      </>
    );
  }
  let guessTop = 0;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys move between the row buttons inside
    <div className="annotation-groups" ref={container} onKeyDown={handleKey}>
      {orphanList}
      {filters}
      {groups.length === 0 && <p className="pane-empty">No annotation matches the filter.</p>}
      {groups.map(([label, items], g) => {
        const def = codebook?.labels.find((l) => l.id === label);
        const rowOffsets = offsets[g] ?? new Float64Array(1);
        const total = rowOffsets[items.length] ?? 0;
        // Until measured, a group is guessed to start below the one before it.
        const top = groupTops.current.get(label) ?? guessTop;
        guessTop = top + total + 40;
        const pinned = items.findIndex((a) => a.id === tabStop);
        const ranges = rowRanges(rowOffsets, view.top - top, view.bottom - top, pinned);
        let cursor = 0;
        return (
          <section
            key={label}
            className="annotation-group"
            aria-label={`${def?.name ?? label} annotations`}
          >
            <h3>
              <span className="swatch" data-label={label} aria-hidden="true" />
              {def?.name ?? label} <span className="label-id">{label}</span>
              <span className="count">{items.length}</span>
            </h3>
            <ul className="annotation-group__rows" data-group={label}>
              {ranges.flatMap(([from, to]) => {
                const gap = (rowOffsets[from] ?? 0) - (rowOffsets[cursor] ?? 0);
                cursor = to;
                const rows = items
                  .slice(from, to)
                  .map((a, i) => (
                    <Row
                      key={a.id}
                      annotation={a}
                      label={label}
                      position={from + i + 1}
                      size={items.length}
                      tabStop={a.id === tabStop}
                      onFocus={setFocusId}
                      onReveal={onReveal}
                    />
                  ));
                // Keyed by the row after it, so that no row moves in the DOM (a moved row loses focus).
                return gap > 0
                  ? [<Spacer key={`gap-${items[from]?.id}`} height={gap} />, ...rows]
                  : rows;
              })}
              <Spacer key="end" height={total - (rowOffsets[cursor] ?? 0)} />
            </ul>
          </section>
        );
      })}
    </div>
  );
});
