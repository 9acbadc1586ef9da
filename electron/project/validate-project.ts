/**
 * `tagwerk validate`: checks a whole project the way a careful reviewer would —
 * every file parses and matches its schema, every annotation's offsets lie in
 * its article and its quote matches the text, labels exist in the codebook, ids
 * are unique across coders, nothing carries git conflict markers. Each problem
 * names the file and line in plain language. Reading only; nothing is written.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { FileKind } from "../../shared/file-formats";
import type {
  AnnotationFile,
  ArticleMeta,
  Codebook,
  EntityRegistry,
} from "../../shared/project-files";
import { isSafeId, SCHEMA_VERSION } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { countCodePoints, sliceCodePoints } from "../../shared/text-blocks";
import { lineAndColumn, locateJsonPath, type ProjectFileRead, parseProjectFile } from "./json-file";
import { hashText, PROJECT_FILE } from "./project-folder";

/** One finding: errors make `validate` fail, warnings do not. */
export interface ValidationProblem {
  file: string;
  line?: number;
  severity: "error" | "warning";
  message: string;
}

/** What `validateProject` found. */
export interface ValidationReport {
  problems: ValidationProblem[];
  articles: number;
  codingFiles: number;
  annotations: number;
}

async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** Validates the project at `root`. */
export async function validateProject(root: string): Promise<ValidationReport> {
  const problems: ValidationProblem[] = [];
  const report: ValidationReport = { problems, articles: 0, codingFiles: 0, annotations: 0 };
  const add = (
    file: string,
    message: string,
    line?: number,
    severity: "error" | "warning" = "error",
  ) =>
    problems.push(
      line === undefined ? { file, severity, message } : { file, line, severity, message },
    );

  async function read<K extends FileKind>(
    file: string,
    kind: K,
    text?: string,
  ): Promise<ProjectFileRead<K> | null> {
    let raw: string;
    try {
      raw = await readFile(path.join(root, file), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      add(file, `cannot be read (${(error as NodeJS.ErrnoException).code})`);
      return null;
    }
    try {
      const read = parseProjectFile(raw, file, kind, text === undefined ? {} : { text });
      if (read.version < SCHEMA_VERSION) {
        add(
          file,
          `written in schema version ${read.version}; Tagwerk reads it and upgrades it to ${SCHEMA_VERSION} when it is next saved`,
          1,
          "warning",
        );
      }
      return read;
    } catch (error) {
      if (!(error instanceof WorkbenchError)) throw error;
      const match = /^(?:[^:]+): (?:line (\d+)(?:, column \d+)?: )?(.*)$/s.exec(error.message);
      add(file, match?.[2] ?? error.message, match?.[1] ? Number(match[1]) : undefined);
      return null;
    }
  }

  const project = await read(PROJECT_FILE, "project");
  if (!project && !problems.some((p) => p.file === PROJECT_FILE)) {
    add(PROJECT_FILE, "missing: this folder is not a Tagwerk project");
    return report;
  }
  const codebookRead = await read("codebook.json", "codebook");
  if (!codebookRead && !problems.some((p) => p.file === "codebook.json"))
    add("codebook.json", "missing: annotations cannot be checked against labels");
  const codebook: Codebook | undefined = codebookRead?.data;
  const registry: EntityRegistry | undefined = (await read("entities.json", "entities"))?.data;
  for (const [file, conflicts] of [
    ["codebook.json", codebook?.conflicts],
    ["entities.json", registry?.conflicts],
  ] as const) {
    if (conflicts && conflicts.length > 0)
      add(
        file,
        `${conflicts.length} merge conflict(s) (${conflicts.map((c) => `${c.kind} ${c.key}`).join(", ")}) were recorded by the merge driver; the file keeps this clone's version: edit it and remove the "conflicts" list once decided`,
        undefined,
        "warning",
      );
  }

  const texts = new Map<string, string>();
  const metas = new Map<string, ArticleMeta>();
  for (const name of await listDir(path.join(root, "articles"))) {
    if (!name.endsWith(".json")) continue;
    const id = name.slice(0, -5);
    const file = `articles/${name}`;
    if (!isSafeId(id)) {
      add(file, "the file name is not a valid article id (letters, digits, - and _ only)");
      continue;
    }
    const meta = await read(file, "article");
    if (!meta) continue;
    report.articles++;
    if (meta.data.id !== id)
      add(
        file,
        `its id "${meta.data.id}" differs from the file name`,
        locateJsonPath(meta.text, ["id"])?.line,
      );
    let text: string;
    try {
      text = await readFile(path.join(root, "articles", `${id}.txt`), "utf8");
    } catch {
      add(file, `the article text articles/${id}.txt is missing`);
      continue;
    }
    if (hashText(text) !== meta.data.textHash) {
      add(
        `articles/${id}.txt`,
        "the text differs from the textHash in its metadata (edited outside Tagwerk?); annotations may need re-anchoring",
      );
    }
    if (text.includes("\r"))
      add(
        `articles/${id}.txt`,
        "contains carriage returns; article text must use LF line ends",
        lineAndColumn(text, text.indexOf("\r")).line,
      );
    if (text !== text.normalize("NFC"))
      add(`articles/${id}.txt`, "is not in Unicode NFC; offsets would differ between tools");
    texts.set(id, text);
    metas.set(id, meta.data);
  }

  const labels = new Map((codebook?.labels ?? []).map((l) => [l.id, l]));
  const entityIds = new Set((registry?.entities ?? []).map((e) => e.id));
  for (const articleId of await listDir(path.join(root, "coding"))) {
    // Annotation ids must be unique within an article across all its coders (curation and merges key on them).
    const seenIds = new Map<string, string>();
    const dir = `coding/${articleId}`;
    const text = texts.get(articleId);
    if (!metas.has(articleId))
      add(dir, `annotations for an article that is not in the project ("${articleId}")`);
    for (const name of await listDir(path.join(root, "coding", articleId))) {
      if (!name.endsWith(".json")) continue;
      const file = `${dir}/${name}`;
      const coding = await read(file, "coding", text);
      if (!coding) continue;
      report.codingFiles++;
      checkCoding(coding.data, coding.text, file, name.slice(0, -5), articleId, seenIds);
    }
  }

  function checkCoding(
    data: AnnotationFile,
    raw: string,
    file: string,
    coder: string,
    articleId: string,
    seenIds: Map<string, string>,
  ) {
    const at = (p: (string | number)[]) => locateJsonPath(raw, p)?.line;
    if (data.coder !== coder)
      add(file, `says coder "${data.coder}" but the file is named for "${coder}"`, at(["coder"]));
    if (data.article !== articleId)
      add(file, `says article "${data.article}" but lies in coding/${articleId}/`, at(["article"]));
    const text = texts.get(articleId);
    const meta = metas.get(articleId);
    if (meta && data.textHash !== meta.textHash) {
      add(
        file,
        "was made for an earlier version of the article text; open the article to re-anchor its annotations",
        at(["textHash"]),
      );
    }
    const length = text === undefined ? undefined : countCodePoints(text);
    const own = new Set(data.annotations.map((a) => a.id));
    data.annotations.forEach((a, i) => {
      report.annotations++;
      const line = at(["annotations", i]);
      const where = `annotation ${a.id}`;
      const earlier = seenIds.get(a.id);
      if (earlier)
        add(
          file,
          `${where}: the id is also used in ${earlier}; ids must be unique within an article`,
          line,
        );
      else seenIds.set(a.id, file);
      if (length !== undefined && a.end > length)
        add(
          file,
          `${where}: ends at ${a.end}, after the end of the text (${length} characters)`,
          line,
        );
      else if (text !== undefined && data.textHash === meta?.textHash) {
        const actual = sliceCodePoints(text, a.start, a.end);
        if (actual !== a.quote)
          add(
            file,
            `${where}: the quote "${a.quote}" does not match the text at ${a.start}–${a.end} ("${actual}")`,
            line,
          );
      }
      const label = labels.get(a.label);
      if (codebook && !label)
        add(file, `${where}: label "${a.label}" is not in the codebook`, line);
      else if (label && label.kind !== a.kind)
        add(
          file,
          `${where}: is a ${a.kind} but label "${a.label}" is for ${label.kind} annotations`,
          line,
        );
      if (a.holder && !own.has(a.holder) && !entityIds.has(a.holder)) {
        add(
          file,
          `${where}: its holder "${a.holder}" is neither an annotation in this file nor a registry entity`,
          line,
          "warning",
        );
      }
      if (a.entity && !entityIds.has(a.entity))
        add(file, `${where}: entity "${a.entity}" is not in entities.json`, line);
    });
    if (data.orphans.length > 0) {
      add(
        file,
        `${data.orphans.length} annotation(s) could not be re-anchored after a text change and wait for review`,
        at(["orphans"]),
        "warning",
      );
    }
    if (data.conflicts && data.conflicts.length > 0) {
      add(
        file,
        `${data.conflicts.length} merge conflict(s) (${data.conflicts.map((c) => `${c.kind} ${c.key}`).join(", ")}) wait for a decision in the app`,
        at(["conflicts"]),
        "warning",
      );
    }
  }

  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return report;
}
