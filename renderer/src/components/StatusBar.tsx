/** The status bar: mode, project folder, the open article's size and annotation counts. */
import type { AppInfo, ArticleView, ProjectOverview } from "../../../shared/api";

interface Props {
  info: AppInfo | null;
  project: ProjectOverview | null;
  article: ArticleView | null;
  coder: string | null;
  message: string | null;
}

/** Bottom bar with facts a coder glances at. */
export function StatusBar({ info, project, article, coder, message }: Props) {
  const layer = article?.coders.find((c) => c.coder === coder);
  const problems = project?.problems.length ?? 0;
  return (
    <footer className="status-bar">
      <span className={`mode mode-${info?.mode ?? "unknown"}`}>
        {info ? (info.mode === "desktop" ? "Desktop" : "Browser mode") : "…"}
      </span>
      {project && <span title={project.path}>{project.path}</span>}
      {article && (
        <span>
          {[...article.text].length.toLocaleString()} characters ·{" "}
          {article.text.split("\n").filter((l) => l.trim()).length} paragraphs
        </span>
      )}
      {layer && (
        <span>
          {coder}: {layer.annotations.length} annotations
        </span>
      )}
      {problems > 0 && (
        <span className="warn" title={project?.problems.map((p) => p.message).join("\n")}>
          {problems} file{problems === 1 ? "" : "s"} could not be read
        </span>
      )}
      <span className="status-bar__message" role="status" aria-live="polite">
        {message}
      </span>
      <span className="spacer" />
      <span>
        <kbd>?</kbd> shortcuts
      </span>
      {info && <span>Tagwerk {info.version}</span>}
    </footer>
  );
}
