/**
 * Reads a broken annotation file for the repair view: its raw text, and what
 * `shared/recovery.ts` can recover from it (both sides of git conflict markers,
 * the complete records of a truncated file).
 */
import { readFile } from "node:fs/promises";
import { isSafeId } from "../../shared/project-files";
import { type Recovery, recoverAnnotationFile } from "../../shared/recovery";
import { WorkbenchError } from "../../shared/result";
import { readProjectFile } from "./json-file";
import { resolveInProject } from "./project-folder";

/** The recovery proposal for `coding/<articleId>/<coder>.json`, its text and its absolute path. */
export async function readRecovery(
  root: string,
  articleId: string,
  coder: string,
): Promise<{ recovery: Recovery; text: string; file: string }> {
  if (!isSafeId(articleId) || !isSafeId(coder))
    throw new WorkbenchError("invalid-input", "not a valid article or coder name");
  const file = resolveInProject(root, "coding", articleId, `${coder}.json`);
  const text = await readFile(file, "utf8").catch(() => {
    throw new WorkbenchError("not-found", `coding/${articleId}/${coder}.json does not exist`);
  });
  const { data: meta } = await readProjectFile(
    resolveInProject(root, "articles", `${articleId}.json`),
    `articles/${articleId}.json`,
    "article",
  );
  const recovery = recoverAnnotationFile(text, {
    article: articleId,
    coder,
    textHash: meta.textHash,
  });
  if (!recovery)
    throw new WorkbenchError(
      "invalid-input",
      `coding/${articleId}/${coder}.json reads fine; there is nothing to repair`,
    );
  return { recovery, text, file };
}
