/**
 * Runtime schemas of every API method's argument. The renderer is untrusted:
 * the back end parses each argument with these before a handler sees it.
 */
import { z } from "zod";
import type { ApiInput, ApiMethod } from "./api";
import { SAFE_ID_PATTERN } from "./project-files";

const articleId = z.string().regex(SAFE_ID_PATTERN, "not a valid article id");

/** Runtime schemas of every method's argument; the keys are the list of methods. */
export const apiInputSchemas = {
  getAppInfo: z.undefined(),
  getProject: z.undefined(),
  openProject: z.strictObject({ path: z.string().min(1).max(4096) }),
  chooseProject: z.undefined(),
  listRecentProjects: z.undefined(),
  getArticle: z.strictObject({ articleId }),
} satisfies { [M in ApiMethod]: z.ZodType<ApiInput<M>> };
