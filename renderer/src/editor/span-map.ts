/**
 * The annotation spans of an editor state, by id, as an immutable map that is
 * cheap to change a few entries of: a shared base that is never written plus a
 * small overlay of changes, folded into a new base once it grows. Copying a
 * plain Map of 20,000 spans on every tagging keystroke costs several
 * milliseconds; this costs a copy of the overlay.
 */
import type { Span } from "./article-doc";

/** Overlay entries kept before they are folded into a new base. */
const MAX_OVERLAY = 256;

/** Spans by id; `with` returns a changed copy and leaves this one as it was. */
export class SpanMap {
  private constructor(
    private readonly base: ReadonlyMap<string, Span>,
    /** Changes on top of `base`: a span, or null where one was removed. */
    private readonly overlay: ReadonlyMap<string, Span | null>,
    /** Number of spans. */
    readonly size: number,
  ) {}

  /** A map holding `spans` (which must not be changed afterwards). */
  static from(spans: ReadonlyMap<string, Span>): SpanMap {
    return new SpanMap(spans, new Map(), spans.size);
  }

  /** The span with `id`, if any. */
  get(id: string): Span | undefined {
    const changed = this.overlay.get(id);
    if (changed !== undefined) return changed ?? undefined;
    return this.base.get(id);
  }

  /** A copy with `changes` applied: a span sets (or replaces) one, null removes one. */
  with(changes: ReadonlyMap<string, Span | null>): SpanMap {
    if (changes.size === 0) return this;
    const overlay = new Map(this.overlay);
    let size = this.size;
    for (const [id, span] of changes) {
      const had = this.get(id) !== undefined;
      size += (span ? 1 : 0) - (had ? 1 : 0);
      overlay.set(id, span);
    }
    if (overlay.size <= MAX_OVERLAY) return new SpanMap(this.base, overlay, size);
    const base = new Map(this.base);
    for (const [id, span] of overlay) {
      if (span) base.set(id, span);
      else base.delete(id);
    }
    return new SpanMap(base, new Map(), size);
  }

  /** Every span, in no particular order. */
  *values(): IterableIterator<Span> {
    for (const [id, span] of this.base) if (!this.overlay.has(id)) yield span;
    for (const span of this.overlay.values()) if (span) yield span;
  }

  /** The spans as a plain Map. */
  toMap(): Map<string, Span> {
    const map = new Map<string, Span>();
    for (const span of this.values()) map.set(span.id, span);
    return map;
  }
}
