/**
 * Reading and writing every kind of project file: the canonical layout of
 * each (see canonical-json.ts), its schema, and the ordered migrations that
 * bring files of older schema versions up to date on read. A file is written
 * back in the current version only when it is next saved, so opening a project
 * never rewrites anything by itself.
 */
import type { z } from "zod";
import { anchorContext } from "./anchoring";
import { type FileLayout, formatCanonical } from "./canonical-json";
import {
  annotationFileSchema,
  articleMetaSchema,
  codebookSchema,
  entityRegistrySchema,
  projectFileSchema,
  SCHEMA_VERSION,
} from "./project-files";
import { sliceCodePoints } from "./text-blocks";

/** The kinds of file a project holds. */
export type FileKind = "project" | "codebook" | "entities" | "article" | "coding";

const byNumber = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Number(a[key]) - Number(b[key]);
const byString = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a[key]) < String(b[key]) ? -1 : String(a[key]) > String(b[key]) ? 1 : 0;
const byStart = byNumber("start");
const byEnd = byNumber("end");
const byId = byString("id");
const byOffsetsThenId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  byStart(a, b) || byEnd(a, b) || byId(a, b);

const ANNOTATION_KEYS = [
  "id",
  "kind",
  "label",
  "start",
  "end",
  "quote",
  "prefix",
  "suffix",
  "value",
  "target",
  "polarity",
  "holder",
  "entity",
  "note",
  "codebookVersion",
  "reason",
] as const;

const CONFLICTS = {
  keys: ["kind", "key", "base", "ours", "theirs"],
  compare: (a: Record<string, unknown>, b: Record<string, unknown>) =>
    `${a.kind}\u0000${a.key}` < `${b.kind}\u0000${b.key}`
      ? -1
      : `${a.kind}\u0000${a.key}` > `${b.kind}\u0000${b.key}`
        ? 1
        : 0,
} as const;

/** The canonical layout of each kind of file. */
export const fileLayouts: Record<FileKind, FileLayout> = {
  project: { keys: ["schemaVersion", "name", "description", "settings"] },
  codebook: {
    keys: [
      "schemaVersion",
      "version",
      "labels",
      "stanceTargets",
      "stanceScale",
      "documentVariables",
      "conflicts",
    ],
    records: {
      conflicts: CONFLICTS,
      labels: { keys: ["id", "kind", "name", "color", "hotkey", "description", "examples"] },
      stanceTargets: { keys: ["id", "name", "description"] },
      stanceScale: { keys: ["id", "name"] },
      documentVariables: { keys: ["id", "name", "type", "options", "description"] },
    },
  },
  entities: {
    keys: ["schemaVersion", "entities", "conflicts"],
    records: {
      conflicts: CONFLICTS,
      entities: {
        keys: ["id", "name", "label", "aliases", "externalId", "note"],
        compare: byString("id"),
      },
    },
  },
  article: {
    keys: [
      "schemaVersion",
      "id",
      "title",
      "source",
      "url",
      "date",
      "language",
      "importedAt",
      "textHash",
      "origin",
    ],
  },
  coding: {
    keys: [
      "schemaVersion",
      "article",
      "coder",
      "textHash",
      "status",
      "codes",
      "annotations",
      "orphans",
      "rejected",
      "conflicts",
    ],
    records: {
      conflicts: CONFLICTS,
      annotations: { keys: ANNOTATION_KEYS, compare: byOffsetsThenId },
      orphans: { keys: ANNOTATION_KEYS, compare: byOffsetsThenId },
    },
  },
};

/** The schema of each kind of file, in the current version. */
export const fileSchemas = {
  project: projectFileSchema,
  codebook: codebookSchema,
  entities: entityRegistrySchema,
  article: articleMetaSchema,
  coding: annotationFileSchema,
} satisfies Record<FileKind, z.ZodType>;

/** The data of each kind of file, in the current version. */
export type FileData<K extends FileKind> = z.infer<(typeof fileSchemas)[K]>;

/** What a migration may need besides the file itself. */
export interface MigrationContext {
  /** The article's current text, for migrating annotation files. */
  text?: string;
}

type Data = Record<string, unknown>;

/** One step from schema version `from` to `from + 1` for one kind of file. */
export interface Migration {
  kind: FileKind;
  from: number;
  /** What the step changes, in a sentence. */
  change: string;
  up(data: Data, context: MigrationContext): Data;
}

/** All migrations, in order. */
export const migrations: readonly Migration[] = [
  {
    kind: "project",
    from: 1,
    change: "defaultLanguage moves into settings",
    up: ({ defaultLanguage, ...rest }) => ({
      ...rest,
      schemaVersion: 2,
      settings: defaultLanguage === undefined ? {} : { defaultLanguage },
    }),
  },
  {
    kind: "codebook",
    from: 1,
    change: "no change in content",
    up: (d) => ({ ...d, schemaVersion: 2 }),
  },
  {
    kind: "entities",
    from: 1,
    change: "no change in content",
    up: (d) => ({ ...d, schemaVersion: 2 }),
  },
  {
    kind: "article",
    from: 1,
    change: "no change in content",
    up: (d) => ({ ...d, schemaVersion: 2 }),
  },
  {
    kind: "coding",
    from: 1,
    change:
      "annotations gain prefix/suffix context for re-anchoring; files gain status, codes and orphans",
    up: (d, { text }) => {
      const annotations = Array.isArray(d.annotations) ? (d.annotations as Data[]) : [];
      return {
        ...d,
        schemaVersion: 2,
        status: annotations.length > 0 ? "in-progress" : "not-started",
        codes: {},
        annotations: annotations.map((a) => {
          const start = Number(a.start);
          const end = Number(a.end);
          if (text === undefined || sliceCodePoints(text, start, end) !== a.quote) return a;
          const { prefix, suffix } = anchorContext(text, start, end);
          return { ...a, prefix, suffix };
        }),
        orphans: [],
      };
    },
  },
];

/** Why a file cannot be read as data of its kind. */
export class FileFormatError extends Error {}

/**
 * Brings parsed JSON of `kind` up to the current schema version. Throws a
 * `FileFormatError` for files without a version or from a newer Tagwerk.
 */
export function migrateFileData(
  kind: FileKind,
  raw: unknown,
  context: MigrationContext = {},
): Data {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new FileFormatError("must be a JSON object");
  }
  let data = raw as Data;
  const version = data.schemaVersion;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new FileFormatError("schemaVersion: missing or not a whole number");
  }
  if (version > SCHEMA_VERSION) {
    throw new FileFormatError(
      `written by a newer Tagwerk (schema version ${version}; this one reads up to ${SCHEMA_VERSION}): update Tagwerk`,
    );
  }
  for (let from = version; from < SCHEMA_VERSION; from++) {
    const step = migrations.find((m) => m.kind === kind && m.from === from);
    if (!step)
      throw new FileFormatError(`no migration for ${kind} files from schema version ${from}`);
    data = step.up(data, context);
  }
  return data;
}

/** Writes data of `kind` as its canonical file text. */
export function formatFileData<K extends FileKind>(kind: K, data: FileData<K>): string {
  return formatCanonical(data as Data, fileLayouts[kind]);
}
