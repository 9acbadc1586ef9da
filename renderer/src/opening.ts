/**
 * The first requests of a page load, sent by the entry module before React and
 * the workbench code are even loaded: the app info, the project, the recent
 * projects and — when the address names one (`#article=…`) — the open
 * article. Asking for the article only once the project had arrived and the
 * app had rendered cost a whole round of waiting on every reload.
 */
import type {
  AppInfo,
  ArticleView,
  ProjectOverview,
  RecentProject,
  WorkbenchBridge,
} from "../../shared/api";
import type { Result } from "../../shared/result";

/** The answers the workbench starts from (promises, already on their way). */
export interface Opening {
  info: Promise<Result<AppInfo>>;
  project: Promise<Result<ProjectOverview | null>>;
  recent: Promise<Result<RecentProject[]>>;
  /** The answer for the article named in the address, handed out once and only for that article. */
  takeArticle(articleId: string): Promise<Result<ArticleView>> | null;
}

/** The article named in an address's hash (`#article=…`), if any. */
export function articleFromAddress(hash: string): string | null {
  const match = /(?:^#|&)article=([^&]+)/.exec(hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/** Sends the opening requests now. */
export function startOpening(api: WorkbenchBridge, hash: string): Opening {
  const wanted = articleFromAddress(hash);
  let article = wanted ? api.getArticle({ articleId: wanted }) : null;
  return {
    info: api.getAppInfo(),
    project: api.getProject(),
    recent: api.listRecentProjects(),
    takeArticle(articleId) {
      if (articleId !== wanted || !article) return null;
      const answer = article;
      article = null;
      return answer;
    },
  };
}
