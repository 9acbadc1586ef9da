/**
 * Search across every article of a project. Texts are read and folded once and
 * kept in memory (about twice the corpus size); the index is rebuilt when
 * articles are added or a text changes on disk.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SearchHit, SearchResults } from "../../shared/api";
import {
  type FoldedText,
  findInText,
  foldQuery,
  foldText,
  hitContext,
} from "../../shared/text-search";
import { readProjectFile } from "./json-file";

interface IndexedArticle {
  id: string;
  title: string;
  date?: string;
  text: string;
  folded: FoldedText;
  textHash: string;
}

/** Search over one project folder. */
export class SearchIndex {
  private articles: IndexedArticle[] | null = null;

  constructor(readonly root: string) {}

  /** Forgets the cached texts (after an import or a text change). */
  invalidate(): void {
    this.articles = null;
  }

  private async load(): Promise<IndexedArticle[]> {
    if (this.articles) return this.articles;
    const dir = path.join(this.root, "articles");
    const names = (await readdir(dir).catch(() => [] as string[]))
      .filter((n) => n.endsWith(".json"))
      .sort();
    const loaded: IndexedArticle[] = [];
    for (const name of names) {
      try {
        const { data: meta } = await readProjectFile(
          path.join(dir, name),
          `articles/${name}`,
          "article",
        );
        const text = await readFile(path.join(dir, `${meta.id}.txt`), "utf8");
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
    }
    this.articles = loaded;
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
    const articles = [...(await this.load())].sort((a, b) =>
      (b.date ?? "").localeCompare(a.date ?? ""),
    );
    for (const article of articles) {
      const found = findInText(article.folded, folded);
      if (found.length === 0) continue;
      results.totalHits += found.length;
      results.articlesWithHits++;
      for (const hit of found) {
        if (results.hits.length >= limit) {
          results.truncated = true;
          break;
        }
        const entry: SearchHit = {
          articleId: article.id,
          title: article.title,
          start: hit.start,
          end: hit.end,
          ...hitContext(article.text, hit.start, hit.end),
        };
        results.hits.push(entry);
      }
    }
    return results;
  }
}
