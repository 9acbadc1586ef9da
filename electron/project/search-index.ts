/**
 * Search across every article of a project. Texts are read and folded once and
 * kept in memory (about twice the corpus size); the index is rebuilt when
 * articles are added or a text changes on disk.
 */
import { readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { SearchHit, SearchResults } from "../../shared/api";
import {
  type CodePointIndex,
  codePointIndex,
  countInText,
  type FoldedText,
  findInText,
  foldQuery,
  foldText,
  hitContext,
} from "../../shared/text-search";
import { readProjectFileSync } from "./json-file";

interface IndexedArticle {
  id: string;
  title: string;
  date?: string;
  text: string;
  folded: FoldedText;
  textHash: string;
  /** Where the text's code points are, made for the first hit shown. */
  codePoints?: CodePointIndex;
}

/** How long building the index reads before it lets the event loop run (milliseconds). */
const READ_SLICE_MS = 15;

/** Search over one project folder. */
export class SearchIndex {
  /** The articles, newest first. */
  private articles: IndexedArticle[] | null = null;
  private loading: Promise<IndexedArticle[]> | null = null;
  private generation = 0;

  constructor(readonly root: string) {}

  /** Forgets the cached texts (after an import or a text change). */
  invalidate(): void {
    this.articles = null;
    this.loading = null;
    this.generation++;
  }

  private load(): Promise<IndexedArticle[]> {
    if (this.articles) return Promise.resolve(this.articles);
    this.loading ??= this.read();
    return this.loading;
  }

  private async read(): Promise<IndexedArticle[]> {
    const generation = this.generation;
    const dir = path.join(this.root, "articles");
    const names = (await readdir(dir).catch(() => [] as string[]))
      .filter((n) => n.endsWith(".json"))
      .sort();
    const loaded: IndexedArticle[] = [];
    // Small files, read one after the other (cheaper than the thread pool for each),
    // letting the event loop run now and then.
    let slice = performance.now();
    for (const name of names) {
      try {
        const { data: meta } = readProjectFileSync(
          path.join(dir, name),
          `articles/${name}`,
          "article",
        );
        const text = readFileSync(path.join(dir, `${meta.id}.txt`), "utf8");
        loaded.push({
          id: meta.id,
          title: meta.title,
          ...(meta.date === undefined ? {} : { date: meta.date }),
          text,
          folded: foldText(text),
          textHash: meta.textHash,
        });
      } catch {
        // Unreadable articles are reported when the project is read; search skips them.
      }
      if (performance.now() - slice > READ_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    // Newest first (a stable sort: articles of one date stay in file-name order).
    loaded.sort((a, b) => (b.date ?? "").localeCompare(a.date ?? ""));
    if (generation === this.generation) {
      this.articles = loaded;
      this.loading = null;
    }
    return loaded;
  }

  /** Finds `query` in every article; at most `limit` hits in all, newest articles first. */
  async search(query: string, limit = 200): Promise<SearchResults> {
    const folded = foldQuery(query);
    const results: SearchResults = {
      query,
      hits: [],
      totalHits: 0,
      articlesWithHits: 0,
      truncated: false,
    };
    if (folded.length === 0) return results;
    for (const article of await this.load()) {
      if (results.hits.length >= limit) {
        // The list is full: count the rest, as findInText would find them.
        const more = countInText(article.folded, folded);
        if (more > 0) {
          results.totalHits += more;
          results.articlesWithHits++;
          results.truncated = true;
        }
        continue;
      }
      const found = findInText(article.folded, folded);
      if (found.length === 0) continue;
      results.totalHits += found.length;
      results.articlesWithHits++;
      for (const hit of found) {
        if (results.hits.length >= limit) {
          results.truncated = true;
          break;
        }
        article.codePoints ??= codePointIndex(article.text);
        const entry: SearchHit = {
          articleId: article.id,
          title: article.title,
          start: hit.start,
          end: hit.end,
          ...hitContext(article.text, hit.start, hit.end, 60, article.codePoints),
        };
        results.hits.push(entry);
      }
    }
    return results;
  }
}
