/**
 * Shown when no project is open: recent projects, the native folder dialog in
 * the desktop app, or a folder path in browser mode (which has no dialog).
 */
import { useState } from "react";
import type { AppMode, RecentProject } from "../../../shared/api";

interface Props {
  mode: AppMode;
  recent: RecentProject[];
  error: string | null;
  onOpenPath(path: string): void;
  onCreate(path: string): void;
  onChoose(): void;
}

/** The start screen. */
export function WelcomeScreen({ mode, recent, error, onOpenPath, onCreate, onChoose }: Props) {
  const [path, setPath] = useState("");
  return (
    <main className="welcome">
      <div className="welcome__card">
        <h1>Tagwerk</h1>
        <p className="muted">Open a project folder to start coding.</p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {mode === "desktop" ? (
          <>
            <button type="button" className="primary" onClick={onChoose}>
              Open Project…
            </button>
            <p className="muted">New project: File ▸ New Project… (Ctrl+Shift+N).</p>
          </>
        ) : (
          <form
            className="welcome__path"
            onSubmit={(e) => {
              e.preventDefault();
              if (path.trim()) onOpenPath(path.trim());
            }}
          >
            <label htmlFor="project-path">Project folder (absolute path)</label>
            <div className="row">
              <input
                id="project-path"
                value={path}
                onChange={(e) => setPath(e.target.value)}
                placeholder="/home/me/coding/ukraine-2025"
              />
              <button type="submit" className="primary">
                Open
              </button>
              <button
                type="button"
                className="ghost"
                onClick={() => {
                  if (path.trim()) onCreate(path.trim());
                }}
              >
                Create new project here
              </button>
            </div>
          </form>
        )}
        {recent.length > 0 && (
          <>
            <h2>Recent projects</h2>
            <ul className="recent">
              {recent.map((p) => (
                <li key={p.path}>
                  <button type="button" onClick={() => onOpenPath(p.path)}>
                    <b>{p.name}</b>
                    <span className="muted">{p.path}</span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </main>
  );
}
