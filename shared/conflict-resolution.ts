/**
 * Deciding a merge conflict the merge driver recorded in an annotation file:
 * keep ours (the file's main content already holds it) or take theirs (the
 * record, code or status is replaced; `null` on their side deletes it). The
 * conflict record goes away either way.
 */

import {
  type AnnotationFile,
  codingStatuses,
  documentCodeSchema,
  type MergeConflict,
  orphanedAnnotationSchema,
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
