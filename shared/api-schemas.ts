/**
 * Runtime schemas of every API method's argument. The renderer is untrusted:
 * the back end parses each argument with these before a handler sees it.
 */
import { z } from "zod";
import type { ApiInput, ApiMethod } from "./api";
import { exportFormatIds, importFormatIds } from "./dataset/format-list";
import {
  codebookSchema,
  codingStatuses,
  documentCodeSchema,
  labelKinds,
  mergeConflictSchema,
  SAFE_ID_PATTERN,
} from "./project-files";

/** Largest file the renderer may send for import (base64 characters, about 30 MB of bytes). */
export const MAX_IMPORT_BASE64 = 40 * 1024 * 1024;

const articleId = z.string().regex(SAFE_ID_PATTERN, "not a valid article id");
const importFiles = z
  .array(
    z.strictObject({
      name: z.string().min(1).max(255),
      base64: z.base64().max(MAX_IMPORT_BASE64),
    }),
  )
  .min(1)
  .max(1000);
const percent = z.number().min(0).max(100);

/** Runtime schemas of every method's argument; the keys are the list of methods. */
export const apiInputSchemas = {
  getAppInfo: z.undefined(),
  getProject: z.undefined(),
  openProject: z.strictObject({ path: z.string().min(1).max(4096) }),
  chooseProject: z.undefined(),
  listRecentProjects: z.undefined(),
  getArticle: z.strictObject({ articleId }),
  importArticles: z.strictObject({ files: importFiles }),
  chooseAndImportArticles: z.undefined(),
  searchArticles: z.strictObject({
    query: z.string().min(1).max(200),
    limit: z.number().int().min(1).max(1000).optional(),
  }),
  previewCleanup: z.strictObject({ articleId }),
  applyCleanup: z.strictObject({
    articleId,
    accepted: z
      .array(
        z.strictObject({
          start: z.number().int().nonnegative(),
          end: z.number().int().nonnegative(),
        }),
      )
      .min(1)
      .max(10_000),
  }),
  saveCodebook: z.strictObject({
    codebook: codebookSchema,
    relabel: z
      .record(z.string().regex(SAFE_ID_PATTERN), z.string().regex(SAFE_ID_PATTERN))
      .optional(),
  }),
  saveEntity: z.strictObject({
    entity: z.strictObject({
      id: z.string().regex(SAFE_ID_PATTERN),
      name: z.string().min(1).max(300),
      label: z.string().regex(SAFE_ID_PATTERN).optional(),
      aliases: z.array(z.string().min(1).max(300)).max(200),
      externalId: z.string().max(100).optional(),
      note: z.string().max(5000).optional(),
    }),
  }),
  setCoder: z.strictObject({
    name: z.string().regex(SAFE_ID_PATTERN, "a coder name is letters, digits, - and _"),
  }),
  saveCoding: z.strictObject({
    articleId,
    layer: z.literal("gold").optional(),
    upsert: z
      .array(
        z.strictObject({
          id: z.string().regex(SAFE_ID_PATTERN),
          kind: z.enum(labelKinds),
          label: z.string().regex(SAFE_ID_PATTERN),
          start: z.number().int().nonnegative(),
          end: z.number().int().positive(),
          value: z.string().max(100).optional(),
          target: z.string().max(128).optional(),
          polarity: z.string().max(128).optional(),
          holder: z.string().max(128).optional(),
          entity: z.string().max(128).optional(),
          note: z.string().max(20_000).optional(),
        }),
      )
      .max(10_000)
      .optional(),
    remove: z.array(z.string().regex(SAFE_ID_PATTERN)).max(10_000).optional(),
    status: z.enum(codingStatuses).optional(),
    codes: z.record(z.string().regex(SAFE_ID_PATTERN), documentCodeSchema.nullable()).optional(),
    reject: z.array(z.string().max(300)).max(10_000).optional(),
    unreject: z.array(z.string().max(300)).max(10_000).optional(),
  }),
  exportDataset: z.strictObject({
    format: z.enum(exportFormatIds),
    out: z.string().min(1).max(4096),
    scope: z.strictObject({
      annotator: z.string().regex(SAFE_ID_PATTERN).optional(),
      articles: z.array(articleId).min(1).max(100_000).optional(),
      doneOnly: z.boolean().optional(),
    }),
    split: z
      .strictObject({
        ratios: z
          .tuple([percent, percent, percent])
          .refine(
            (r) => Math.abs(r[0] + r[1] + r[2] - 100) < 1e-9,
            "the split percentages must add up to 100",
          ),
        seed: z.number().int(),
        stratifyBy: z.string().regex(SAFE_ID_PATTERN).optional(),
      })
      .optional(),
    scheme: z.enum(["iob1", "iob2", "bioes"]).optional(),
    tagKinds: z.array(z.enum(labelKinds)).min(1).max(3).optional(),
    excelBom: z.boolean().optional(),
  }),
  getExportProgress: z.undefined(),
  chooseExportFolder: z.undefined(),
  openExportFolder: z.strictObject({ path: z.string().min(1).max(4096) }),
  importDataset: z.strictObject({
    files: importFiles,
    format: z.enum(importFormatIds).optional(),
    annotator: z.string().regex(SAFE_ID_PATTERN).optional(),
  }),
  setDoubleCoding: z.strictObject({
    percent: z.number().min(0).max(100),
    seed: z.number().int(),
  }),
  getAgreement: z.strictObject({
    coders: z.array(z.string().regex(SAFE_ID_PATTERN)).min(2).max(50).optional(),
    labels: z.array(z.string().regex(SAFE_ID_PATTERN)).min(1).max(500).optional(),
    seed: z.number().int().optional(),
    bootstrap: z.number().int().min(0).max(10_000).optional(),
  }),
  gitStatus: z.undefined(),
  gitCommit: z.strictObject({
    message: z.string().trim().min(1, "a commit needs a message").max(5000),
  }),
  gitPull: z.undefined(),
  gitPush: z.undefined(),
  resolveConflict: z.strictObject({
    articleId,
    coder: z.string().regex(SAFE_ID_PATTERN),
    kind: mergeConflictSchema.shape.kind,
    key: z.string().min(1).max(300),
    choice: z.enum(["ours", "theirs"]),
  }),
  getRecovery: z.strictObject({ articleId, coder: z.string().regex(SAFE_ID_PATTERN) }),
  applyRecovery: z.strictObject({
    articleId,
    coder: z.string().regex(SAFE_ID_PATTERN),
    picks: z.record(
      z.string().regex(SAFE_ID_PATTERN),
      z.union([z.number().int().nonnegative(), z.literal("drop")]),
    ),
  }),
  resolveProjectConflict: z.strictObject({
    file: z.enum(["codebook.json", "entities.json"]),
    kind: mergeConflictSchema.shape.kind,
    key: z.string().min(1).max(300),
    choice: z.enum(["ours", "theirs"]),
  }),
  createProject: z.strictObject({
    path: z.string().min(1).max(4096),
    name: z.string().min(1).max(200).optional(),
  }),
} satisfies { [M in ApiMethod]: z.ZodType<ApiInput<M>> };
