/**
 * "Tag every other mention of this": finds further occurrences of an entity's
 * names (the quote and, when linked, the registry entity's name and aliases)
 * as whole words, skipping places that already carry the same label.
 */
import { codePointToUtf16, countCodePoints } from "./text-blocks";

/** A place in the text where a name occurs. Offsets are code points. */
export interface Mention {
  start: number;
  end: number;
  quote: string;
}

const LETTER = /[\p{L}\p{N}]/u;

/** Whole-word occurrences of any of `names` in `text` that `taken` does not already cover, sorted, not overlapping. */
export function findMentions(
  text: string,
  names: string[],
  taken: { start: number; end: number }[],
): Mention[] {
  const unique = [...new Set(names.map((n) => n.trim()).filter((n) => n.length > 0))].sort(
    (a, b) => b.length - a.length,
  );
  const found: Mention[] = [];
  const covered = (start: number, end: number) =>
    taken.some((t) => t.start === start && t.end === end) ||
    found.some((f) => f.start < end && start < f.end);
  for (const name of unique) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(name, from);
      if (at < 0) break;
      from = at + name.length;
      const before = text.slice(Math.max(0, at - 2), at);
      const after = text.slice(at + name.length, at + name.length + 2);
      if (
        (before && LETTER.test([...before].pop() ?? "")) ||
        (after && LETTER.test([...after][0] ?? ""))
      )
        continue;
      const start = countCodePoints(text.slice(0, at));
      const end = start + countCodePoints(name);
      if (!covered(start, end)) found.push({ start, end, quote: name });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Some text around a mention, for a preview line. */
export function mentionContext(text: string, mention: Mention, size = 40): string {
  const from = codePointToUtf16(text, Math.max(0, mention.start - size));
  const to = codePointToUtf16(text, mention.end + size);
  return text.slice(from, to).replace(/\s+/g, " ").trim();
}
