/**
 * Turning annotations sent by the renderer into stored records: the renderer
 * is untrusted, so ids, offsets, labels and kinds are checked here, and the
 * quote and its context are taken from the text itself, never from the request.
 */

import { anchorContext } from "../../shared/anchoring";
import type { AnnotationInput } from "../../shared/api";
import type { Codebook, StoredAnnotation } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { countCodePoints } from "../../shared/text-blocks";

/** Checks `inputs` for `coder` against the article `text` and the codebook; returns complete records. */
export function prepareAnnotations(
  inputs: AnnotationInput[],
  coder: string,
  text: string,
  codebook: Codebook | null,
): StoredAnnotation[] {
  const length = countCodePoints(text);
  const labels = new Map((codebook?.labels ?? []).map((l) => [l.id, l]));
  return inputs.map((input) => {
    const where = `annotation ${input.id}`;
    if (!input.id.startsWith(`${coder}-`)) {
      throw new WorkbenchError(
        "invalid-input",
        `${where}: ids of ${coder}'s annotations start with "${coder}-"`,
      );
    }
    if (input.end <= input.start || input.end > length) {
      throw new WorkbenchError(
        "invalid-input",
        `${where}: ${input.start}–${input.end} is not a span of this text (${length} characters)`,
      );
    }
    const label = labels.get(input.label);
    if (!label)
      throw new WorkbenchError(
        "invalid-input",
        `${where}: label "${input.label}" is not in the codebook`,
      );
    if (label.kind !== input.kind) {
      throw new WorkbenchError(
        "invalid-input",
        `${where}: label "${input.label}" is for ${label.kind} annotations, not ${input.kind}`,
      );
    }
    const record: StoredAnnotation = {
      ...input,
      ...anchorContext(text, input.start, input.end),
      ...(codebook ? { codebookVersion: codebook.version } : {}),
    };
    for (const key of ["value", "target", "polarity", "holder", "entity", "note"] as const) {
      if (record[key] === "") delete record[key];
    }
    return record;
  });
}
