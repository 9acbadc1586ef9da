/**
 * Saving an edited codebook: the version goes up by one, and renamed or merged
 * labels are carried into every coder's annotation files, so that no
 * annotation points to a label that no longer exists. A label still in use
 * cannot simply disappear: it must be merged into another of the same kind.
 */
import { readdir } from "node:fs/promises";
import type { Codebook } from "../../shared/project-files";
import { codebookSchema } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { resolveInProject } from "./project-folder";
import type { ProjectStore } from "./project-store";

/** What a codebook change did to the annotations. */
export interface CodebookChangeReport {
  version: number;
  /** Annotation files rewritten. */
  files: number;
  /** Annotations whose label changed. */
  relabelled: number;
}

/**
 * Checks `next` against `current`, applies `relabel` (old label id → new id, for renames and
 * merges) to every annotation file, and writes the codebook with the next version.
 */
export async function changeCodebook(
  store: ProjectStore,
  current: Codebook,
  next: Codebook,
  relabel: Record<string, string>,
): Promise<CodebookChangeReport> {
  const parsed = codebookSchema.safeParse({ ...next, version: current.version + 1 });
  if (!parsed.success)
    throw new WorkbenchError(
      "invalid-input",
      `the codebook is not valid: ${parsed.error.issues[0]?.message}`,
    );
  const codebook = parsed.data;
  const ids = new Set<string>();
  const hotkeys = new Set<string>();
  for (const label of codebook.labels) {
    if (ids.has(label.id))
      throw new WorkbenchError("invalid-input", `two labels have the id ${label.id}`);
    ids.add(label.id);
    if (label.hotkey) {
      if (hotkeys.has(label.hotkey))
        throw new WorkbenchError("invalid-input", `two labels use the hotkey ${label.hotkey}`);
      hotkeys.add(label.hotkey);
    }
  }
  const kindOf = new Map(codebook.labels.map((l) => [l.id, l.kind]));
  const oldKind = new Map(current.labels.map((l) => [l.id, l.kind]));
  for (const [from, to] of Object.entries(relabel)) {
    if (!oldKind.has(from))
      throw new WorkbenchError("invalid-input", `there is no label ${from} to rename or merge`);
    if (!kindOf.has(to))
      throw new WorkbenchError(
        "invalid-input",
        `${from} cannot become ${to}: there is no such label`,
      );
    if (oldKind.get(from) !== kindOf.get(to)) {
      throw new WorkbenchError(
        "invalid-input",
        `${from} (${oldKind.get(from)}) cannot merge into ${to} (${kindOf.get(to)})`,
      );
    }
  }

  // Find every annotation file first: refuse before writing anything.
  const files: { article: string; coder: string }[] = [];
  const articles = await readdir(resolveInProject(store.root, "coding")).catch(
    () => [] as string[],
  );
  for (const article of articles) {
    for (const name of await readdir(resolveInProject(store.root, "coding", article)).catch(
      () => [] as string[],
    )) {
      if (name.endsWith(".json")) files.push({ article, coder: name.slice(0, -5) });
    }
  }
  const orphanedLabels = new Map<string, number>();
  for (const { article, coder } of files) {
    const file = await store.readCoding(article, coder);
    for (const a of [...file.annotations, ...file.orphans]) {
      const label = relabel[a.label] ?? a.label;
      if (!kindOf.has(label)) orphanedLabels.set(a.label, (orphanedLabels.get(a.label) ?? 0) + 1);
    }
  }
  if (orphanedLabels.size > 0) {
    const list = [...orphanedLabels].map(([label, n]) => `${label} (${n} annotations)`).join(", ");
    throw new WorkbenchError(
      "invalid-input",
      `still in use, so they cannot be removed: ${list}; merge them into another label instead`,
    );
  }

  let rewritten = 0;
  let relabelled = 0;
  for (const { article, coder } of files) {
    const current = await store.readCoding(article, coder);
    if (
      ![...current.annotations, ...current.orphans].some(
        (a) => relabel[a.label] && relabel[a.label] !== a.label,
      )
    )
      continue;
    let changed = 0;
    await store.updateCoding(article, coder, (file) => {
      for (const a of [...file.annotations, ...file.orphans]) {
        const to = relabel[a.label];
        if (to && to !== a.label) {
          a.label = to;
          a.codebookVersion = codebook.version;
          changed++;
        }
      }
    });
    if (changed > 0) rewritten++;
    relabelled += changed;
  }
  await store.writeProjectLevel("codebook", codebook);
  return { version: codebook.version, files: rewritten, relabelled };
}
