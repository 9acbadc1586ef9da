/**
 * Deciding a merge conflict the merge driver recorded in an annotation file:
 * keep ours (the file's main content already holds it) or take theirs (the
 * record, code or status is replaced; `null` on their side deletes it). The
 * conflict record goes away either way.
 */

import {
  type AnnotationFile,
  type Codebook,
  codebookSchema,
  codingStatuses,
  documentCodeSchema,
  type EntityRegistry,
  type MergeConflict,
  orphanedAnnotationSchema,
  registryEntitySchema,
  storedAnnotationSchema,
} from "./project-files";
import { WorkbenchError } from "./result";

/** Applies `choice` for the conflict `kind`/`key` to `file` in place; throws when there is no such conflict. */
export function resolveCodingConflict(
  file: AnnotationFile,
  kind: MergeConflict["kind"],
  key: string,
  choice: "ours" | "theirs",
): void {
  const conflict = file.conflicts?.find((c) => c.kind === kind && c.key === key);
  if (!conflict)
    throw new WorkbenchError(
      "not-found",
      `there is no ${kind} conflict "${key}" in this file (decided already?)`,
    );
  if (choice === "theirs") {
    const theirs = conflict.theirs ?? null;
    if (kind === "annotation" && key.startsWith("orphan:")) {
      // Orphans (annotations waiting for review after a text change) conflict under "orphan:<id>".
      const id = key.slice("orphan:".length);
      file.orphans = file.orphans.filter((a) => a.id !== id);
      if (theirs !== null) file.orphans.push(orphanedAnnotationSchema.parse(theirs));
    } else if (kind === "annotation") {
      file.annotations = file.annotations.filter((a) => a.id !== key);
      if (theirs !== null) file.annotations.push(storedAnnotationSchema.parse(theirs));
    } else if (kind === "code") {
      if (theirs === null) delete file.codes[key];
      else file.codes[key] = documentCodeSchema.parse(theirs);
    } else if (kind === "status") {
      const status = codingStatuses.find((s) => s === theirs);
      if (status) file.status = status;
    } else {
      throw new WorkbenchError(
        "invalid-input",
        `${kind} conflicts live in the codebook or registry, not here`,
      );
    }
  }
  file.conflicts = (file.conflicts ?? []).filter((c) => c !== conflict);
  if (file.conflicts.length === 0) delete file.conflicts;
}

const CODEBOOK_PARTS = {
  label: "labels",
  stanceTarget: "stanceTargets",
  stancePolarity: "stanceScale",
  documentVariable: "documentVariables",
} as const;

/** Applies `choice` for a codebook conflict (label, stance target or polarity, document variable) in place. */
export function resolveCodebookConflict(
  codebook: Codebook,
  kind: MergeConflict["kind"],
  key: string,
  choice: "ours" | "theirs",
): void {
  const conflict = codebook.conflicts?.find((c) => c.kind === kind && c.key === key);
  if (!conflict)
    throw new WorkbenchError("not-found", `there is no ${kind} conflict "${key}" in the codebook`);
  if (choice === "theirs") {
    if (!(kind in CODEBOOK_PARTS))
      throw new WorkbenchError("invalid-input", `${kind} conflicts are not codebook conflicts`);
    const part = CODEBOOK_PARTS[kind as keyof typeof CODEBOOK_PARTS];
    const candidate = JSON.parse(JSON.stringify(codebook)) as Record<string, unknown> & Codebook;
    const list = [...(candidate[part] as unknown[])] as { id: string }[];
    const at = list.findIndex((r) => r.id === key);
    if (conflict.theirs === null || conflict.theirs === undefined) {
      if (at >= 0) list.splice(at, 1);
    } else if (at >= 0) list[at] = conflict.theirs as { id: string };
    else list.push(conflict.theirs as { id: string });
    (candidate as Record<string, unknown>)[part] = list;
    // The whole codebook is parsed again, so defaults apply and nothing invalid gets in.
    Object.assign(codebook, codebookSchema.parse(candidate));
  }
  codebook.conflicts = (codebook.conflicts ?? []).filter((c) => c.kind !== kind || c.key !== key);
  if (codebook.conflicts.length === 0) delete codebook.conflicts;
}

/** Applies `choice` for an entity conflict of the registry in place. */
export function resolveRegistryConflict(
  registry: EntityRegistry,
  key: string,
  choice: "ours" | "theirs",
): void {
  const conflict = registry.conflicts?.find((c) => c.kind === "entity" && c.key === key);
  if (!conflict)
    throw new WorkbenchError("not-found", `there is no entity conflict "${key}" in the registry`);
  if (choice === "theirs") {
    const at = registry.entities.findIndex((e) => e.id === key);
    if (conflict.theirs === null || conflict.theirs === undefined) {
      if (at >= 0) registry.entities.splice(at, 1);
    } else {
      const entity = registryEntitySchema.parse(conflict.theirs);
      if (at >= 0) registry.entities[at] = entity;
      else registry.entities.push(entity);
    }
  }
  registry.conflicts = (registry.conflicts ?? []).filter(
    (c) => c.kind !== "entity" || c.key !== key,
  );
  if (registry.conflicts.length === 0) delete registry.conflicts;
}
