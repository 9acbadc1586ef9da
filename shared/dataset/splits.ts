/**
 * Train / validation / test splits: by article (every annotator's version of an
 * article lands in the same part), deterministic for a seed (the same seed gives
 * byte-identical exports), optionally stratified by a document code so that each
 * part has the same mix of, say, outlets or topics.
 */
import type { DatasetDocument, DatasetPart } from "./dataset";

/** Names of the split parts, in order (Hugging Face's names). */
export const SPLIT_NAMES = ["train", "validation", "test"] as const;

/** How to split: percentages for train/validation/test, a seed, and an optional code to stratify by. */
export interface SplitOptions {
  ratios: [number, number, number];
  seed: number;
  stratifyBy?: string;
}

/** Parses `80/10/10` (or `80/20`, meaning no test part) into three percentages that sum to 100. */
export function parseSplitRatios(text: string): [number, number, number] {
  const parts = text.split("/").map((part) => Number(part.trim()));
  if (parts.length < 2 || parts.length > 3 || parts.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new Error(`--split must look like 80/10/10 (train/validation/test), not "${text}"`);
  }
  const [train = 0, validation = 0, test = 0] = parts;
  const sum = train + validation + test;
  if (Math.abs(sum - 100) > 1e-9) throw new Error(`--split parts must add up to 100, not ${sum}`);
  return [train, validation, test];
}

/** Mulberry32: a small, well-known 32-bit seeded generator; plenty for shuffling article ids. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A copy of `items` in a random order drawn from `random` (Fisher–Yates). */
export function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Part sizes for `count` items: largest remainders, so sizes always add up to `count`. */
function partSizes(count: number, ratios: readonly number[]): number[] {
  const exact = ratios.map((ratio) => (count * ratio) / 100);
  const sizes = exact.map(Math.floor);
  let left = count - sizes.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left === 0) break;
    sizes[index] = (sizes[index] ?? 0) + 1;
    left--;
  }
  return sizes;
}

/** What splitting needs of a document: its article and its codes. */
type Splittable = Pick<DatasetDocument, "id" | "codes">;

function stratumOf(documents: Splittable[], variable: string | undefined): string {
  if (!variable) return "";
  for (const doc of documents) {
    const value = doc.codes[variable];
    if (value !== undefined) return Array.isArray(value) ? value.join("|") : String(value);
  }
  return "(none)";
}

/** Splits `documents` by article into the three parts; empty parts are kept (named, no documents). */
export function splitDocuments<D extends Splittable = DatasetDocument>(
  documents: D[],
  options: SplitOptions,
): Array<{ name: DatasetPart["name"]; documents: D[] }> {
  const byArticle = new Map<string, D[]>();
  for (const doc of documents) {
    const list = byArticle.get(doc.id);
    if (list) list.push(doc);
    else byArticle.set(doc.id, [doc]);
  }
  const strata = new Map<string, string[]>();
  for (const id of [...byArticle.keys()].sort()) {
    const key = stratumOf(byArticle.get(id) ?? [], options.stratifyBy);
    const list = strata.get(key);
    if (list) list.push(id);
    else strata.set(key, [id]);
  }
  const random = seededRandom(options.seed);
  const assigned = new Map<string, number>();
  for (const key of [...strata.keys()].sort()) {
    const ids = shuffled(strata.get(key) ?? [], random);
    const sizes = partSizes(ids.length, options.ratios);
    let at = 0;
    sizes.forEach((size, part) => {
      for (const id of ids.slice(at, at + size)) assigned.set(id, part);
      at += size;
    });
  }
  return SPLIT_NAMES.map((name, part) => ({
    name,
    documents: documents.filter((doc) => assigned.get(doc.id) === part),
  }));
}

/** A seeded sample of `percent` % of `ids` (at least one when `percent` > 0), sorted. */
export function drawSample(ids: readonly string[], percent: number, seed: number): string[] {
  const sorted = [...ids].sort();
  const size = percent <= 0 ? 0 : Math.max(1, Math.round((sorted.length * percent) / 100));
  return shuffled(sorted, seededRandom(seed)).slice(0, size).sort();
}
