/**
 * Reading one article for a dataset export the quick way: synchronous reads
 * (no thread-pool round trips for thousands of small files), `JSON.parse` and
 * the fast schema checks of `shared/fast-schemas.ts` instead of zod. It only
 * handles the plain case: every file present, valid, in the current schema
 * version, annotation files matching the article's text hash. For anything
 * else it gives `undefined`, and the caller reads the article with
 * `readArticle`, which reports each problem with its file and cause exactly as
 * before.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fastAnnotationFile, fastArticleMeta } from "../../shared/fast-schemas";
import { type AnnotationFile, type ArticleMeta, isSafeId } from "../../shared/project-files";

/** An article read the quick way: metadata, text and every coder's file, sorted by file name. */
export interface QuickArticle {
  meta: ArticleMeta;
  text: string;
  coders: AnnotationFile[];
}

// U+2028 and U+2029 may stand raw inside JSON strings and count as line starts for the
// conflict-marker check of the full reader; files holding them are left to that reader.
const LINE_SEPARATORS = /[\u2028\u2029]/;

function parsed(file: string): unknown {
  const text = readFileSync(file, "utf8");
  if (LINE_SEPARATORS.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The article `articleId` of the project at `root` (an absolute path), or
 * `undefined` when it needs the full reader (a missing, broken or outdated
 * file, a text changed outside Tagwerk …). Never throws.
 */
export function readArticleQuick(root: string, articleId: string): QuickArticle | undefined {
  try {
    if (!isSafeId(articleId)) return undefined;
    const articles = path.join(root, "articles");
    const meta = fastArticleMeta(parsed(path.join(articles, `${articleId}.json`)));
    if (!meta || meta.id !== articleId) return undefined;
    const text = readFileSync(path.join(articles, `${articleId}.txt`), "utf8");
    const dir = path.join(root, "coding", articleId);
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return undefined;
      names = [];
    }
    const coders: AnnotationFile[] = [];
    for (const name of names) {
      if (!name.endsWith(".json")) continue;
      const coder = name.slice(0, -".json".length);
      if (!isSafeId(coder)) return undefined;
      const coding = fastAnnotationFile(parsed(path.join(dir, name)));
      if (!coding || coding.coder !== coder || coding.article !== articleId) return undefined;
      if (coding.textHash !== meta.textHash) return undefined;
      coders.push(coding);
    }
    return { meta, text, coders };
  } catch {
    return undefined;
  }
}
