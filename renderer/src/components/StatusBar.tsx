/** The status bar: mode, project folder, the open article's size and annotation counts. */
import { useMemo } from "react";
import type { AppInfo, ArticleView, ProjectOverview } from "../../../shared/api";

interface Props {
  info: AppInfo | null;
  project: ProjectOverview | null;
  article: ArticleView | null;
  coder: string | null;
  message: string | null;
}

/**
 * Characters (code points: a surrogate pair is one) and paragraphs of a text,
 * counted once per text, not on every render, and by regular expression
 * rather than a loop over every character (a 1 MB article is open at once).
 */
function useTextSize(text: string | undefined): { characters: string; paragraphs: number } | null {
  return useMemo(() => {
    if (text === undefined) return null;
    const pairs = text.match(/[\uD800-\uDBFF](?=[\uDC00-\uDFFF])/g)?.length ?? 0;
    let paragraphs = 0;
    for (const line of text.split("\n")) if (/\S/.test(line)) paragraphs++;
    return { characters: (text.length - pairs).toLocaleString(), paragraphs };
  }, [text]);
}

/** Bottom bar with facts a coder glances at. */
export function StatusBar({ info, project, article, coder, message }: Props) {
  const layer = article?.coders.find((c) => c.coder === coder);
  const size = useTextSize(article?.text);
  const problems = project?.problems.length ?? 0;
  return (
    <footer className="status-bar">
      <span className={`mode mode-${info?.mode ?? "unknown"}`}>
        {info ? (info.mode === "desktop" ? "Desktop" : "Browser mode") : "…"}
      </span>
      {project && <span title={project.path}>{project.path}</span>}
      {size && (
        <span>
          {size.characters} characters · {size.paragraphs} paragraphs
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
