/**
 * The files of a project folder and their schemas (schema version 1).
 *
 * A project is a plain folder shared through git (docs/format.md is the spec):
 *   tagwerk.json                      project file
 *   codebook.json                     labels, stance targets and scale, document variables
 *   entities.json                     the entity registry (canonical entities and aliases)
 *   articles/<article>.txt            normalised article text (offsets point into it)
 *   articles/<article>.json           article metadata and the text's hash
 *   coding/<article>/<coder>.json     one coder's annotations, codes and status for one article
 * Ids become file names, so they are restricted to a safe alphabet: no id can
 * name a path outside the project (see `isSafeId`).
 */
import { z } from "zod";

/** Current schema version written into every project file; older files are migrated on read. */
export const SCHEMA_VERSION = 2;

/** Ids of articles, coders and labels: lowercase-safe file-name characters, no dots at the start. */
export const SAFE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** The coder name of the adjudicated gold layer (`coding/<article>/gold.json`); no person may use it. */
export const GOLD_CODER = "gold";

/** True when `id` can be used as a file name inside the project without escaping it. */
export function isSafeId(id: string): boolean {
  return SAFE_ID_PATTERN.test(id);
}

const safeId = z.string().regex(SAFE_ID_PATTERN, "must be letters, digits, '-' or '_' (max 128)");
const isoDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "must be an ISO date such as 2025-12-18 or 2025-12");

/**
 * A conflict the merge driver could not decide: both sides changed the same
 * record differently (e.g. both relabelled one span). The file keeps "ours" in
 * its main content and lists the alternatives here until someone decides in the
 * app. `null` for a side means the record does not exist there (deleted or not
 * yet added).
 */
export const mergeConflictSchema = z.object({
  /** What kind of record: an annotation, a document code, the status, a codebook part, an entity. */
  kind: z.enum([
    "annotation",
    "code",
    "status",
    "label",
    "stanceTarget",
    "stancePolarity",
    "documentVariable",
    "entity",
  ]),
  /** The record's id (annotation, label, entity …) or the variable's id. */
  key: z.string(),
  base: z.unknown(),
  ours: z.unknown(),
  theirs: z.unknown(),
});
/** A recorded merge conflict. */
export type MergeConflict = z.infer<typeof mergeConflictSchema>;

/** `tagwerk.json`: the project's name and settings. */
export const projectFileSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  name: z.string().min(1),
  description: z.string().optional(),
  settings: z
    .object({
      /** Language assumed for imported articles whose language cannot be told. */
      defaultLanguage: z.string().min(2).optional(),
      /** The articles every coder codes (for agreement), drawn once by seed and kept fixed. */
      doubleCoding: z
        .object({
          seed: z.number().int(),
          percent: z.number().min(0).max(100),
          articles: z.array(safeId),
        })
        .optional(),
    })
    .default({}),
});
/** Contents of `tagwerk.json`. */
export type ProjectFile = z.infer<typeof projectFileSchema>;

/** The kinds of annotation a label can produce. */
export const labelKinds = ["entity", "date", "stance"] as const;
/** One of `labelKinds`. */
export type LabelKind = (typeof labelKinds)[number];

const labelSchema = z.object({
  id: safeId,
  kind: z.enum(labelKinds),
  name: z.string().min(1),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour such as #3b82f6"),
  hotkey: z
    .string()
    .regex(/^[a-z0-9]$/, "must be one lowercase letter or digit")
    .optional(),
  description: z.string().default(""),
  examples: z.array(z.string()).default([]),
});
/** A codebook label: what coders apply to a span. */
export type Label = z.infer<typeof labelSchema>;

const stanceTargetSchema = z.object({
  id: safeId,
  name: z.string().min(1),
  description: z.string().default(""),
});
/** An issue that actors take a stance towards, e.g. "security guarantees for Ukraine". */
export type StanceTarget = z.infer<typeof stanceTargetSchema>;

const stancePolaritySchema = z.object({ id: safeId, name: z.string().min(1) });
/** One step of the stance scale, e.g. favour / against / neutral. */
export type StancePolarity = z.infer<typeof stancePolaritySchema>;

const documentVariableSchema = z.object({
  id: safeId,
  name: z.string().min(1),
  type: z.enum(["single", "multi", "text", "number"]),
  options: z.array(z.string()).default([]),
  description: z.string().default(""),
});
/** An article-level variable, coded once per article. */
export type DocumentVariable = z.infer<typeof documentVariableSchema>;

/** `codebook.json`: the coding scheme. `version` counts edits; annotations record it. */
export const codebookSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  version: z.number().int().positive(),
  labels: z.array(labelSchema),
  stanceTargets: z.array(stanceTargetSchema).default([]),
  stanceScale: z.array(stancePolaritySchema).default([]),
  documentVariables: z.array(documentVariableSchema).default([]),
  /** Merge conflicts waiting for a decision. */
  conflicts: z.array(mergeConflictSchema).optional(),
});
/** Contents of `codebook.json`. */
export type Codebook = z.infer<typeof codebookSchema>;

/** `articles/<id>.json`: where the article came from and which text its offsets refer to. */
export const articleMetaSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: safeId,
  title: z.string(),
  source: z.string().default(""),
  url: z.string().default(""),
  date: isoDate.optional(),
  language: z.string().default("und"),
  importedAt: z.string(),
  textHash: z.string().regex(/^sha256:[0-9a-f]{64}$/, "must be sha256:<64 hex digits>"),
  /** The file (and row) the article was imported from. */
  origin: z.string().optional(),
});
/** Contents of `articles/<id>.json`. */
export type ArticleMeta = z.infer<typeof articleMetaSchema>;

const annotationFields = {
  id: safeId,
  kind: z.enum(labelKinds),
  label: safeId,
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  quote: z.string(),
  /** Up to 32 code points before and after the quote, for re-anchoring. */
  prefix: z.string().default(""),
  suffix: z.string().default(""),
  value: z.string().optional(),
  target: z.string().optional(),
  polarity: z.string().optional(),
  holder: z.string().optional(),
  /** Id of an entity in the project's registry. */
  entity: z.string().optional(),
  note: z.string().optional(),
  /** Codebook version the annotation was made or last changed under. */
  codebookVersion: z.number().int().positive().optional(),
};

/**
 * One annotation as stored. Offsets are Unicode code points into the normalised
 * text, end-exclusive, so Python's `text[start:end]` equals `quote`.
 */
export const storedAnnotationSchema = z
  .object(annotationFields)
  .refine((a) => a.end > a.start, { message: "end must be greater than start" });
/** An annotation record inside a coder's annotation file. */
export type StoredAnnotation = z.infer<typeof storedAnnotationSchema>;

/** An annotation that re-anchoring could not place after the text changed; kept for review. */
export const orphanedAnnotationSchema = z.object({ ...annotationFields, reason: z.string() });
/** An orphaned annotation with the reason it could not be placed. */
export type OrphanedAnnotation = z.infer<typeof orphanedAnnotationSchema>;

/** Where a coder stands with an article. */
export const codingStatuses = ["not-started", "in-progress", "done"] as const;
/** One of `codingStatuses`. */
export type CodingStatus = (typeof codingStatuses)[number];

/** A document code's value: one choice, several choices, text or a number. */
export const documentCodeSchema = z.union([z.string(), z.number(), z.array(z.string())]);
/** A document code's value. */
export type DocumentCodeValue = z.infer<typeof documentCodeSchema>;

/** `coding/<article>/<coder>.json`: one coder's annotations, codes and status for one article. */
export const annotationFileSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  article: safeId,
  coder: safeId,
  /** Hash of the text the offsets refer to; differs from the article's after a text change until re-anchored. */
  textHash: z.string(),
  status: z.enum(codingStatuses).default("in-progress"),
  codes: z.record(z.string(), documentCodeSchema).default({}),
  annotations: z.array(storedAnnotationSchema),
  orphans: z.array(orphanedAnnotationSchema).default([]),
  /** Gold layer only: disagreements the adjudicator rejected (keys of the curation view). */
  rejected: z.array(z.string()).optional(),
  /** Merge conflicts waiting for a decision (written by `tagwerk merge-driver`). */
  conflicts: z.array(mergeConflictSchema).optional(),
});
/** Contents of a coder's annotation file. */
export type AnnotationFile = z.infer<typeof annotationFileSchema>;

/** One canonical entity of the registry, e.g. Volodymyr Zelensky with his spellings. */
export const registryEntitySchema = z.object({
  id: safeId,
  name: z.string().min(1),
  /** The entity label it belongs to (PER, ORG, …). */
  label: z.string().optional(),
  aliases: z.array(z.string()).default([]),
  /** An external identifier such as a Wikidata QID (Q3882523). */
  externalId: z.string().optional(),
  note: z.string().optional(),
});
/** A registry entity. */
export type RegistryEntity = z.infer<typeof registryEntitySchema>;

/** `entities.json`: the project's entity registry. */
export const entityRegistrySchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  entities: z.array(registryEntitySchema),
  /** Merge conflicts waiting for a decision. */
  conflicts: z.array(mergeConflictSchema).optional(),
});
/** Contents of `entities.json`. */
export type EntityRegistry = z.infer<typeof entityRegistrySchema>;

/** Turns a zod error into one readable line naming the field at fault. */
export function describeSchemaError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "does not match the expected format";
  const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)";
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problems)` : "";
  return `${where}: ${issue.message}${more}`;
}
