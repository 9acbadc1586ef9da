/**
 * Git in the app: the branch and how it stands to the remote, the articles that
 * changed, a commit message, and Commit / Pull / Push — with git's failures in
 * plain words (no repository, no remote, login refused, remote ahead,
 * detached head, conflicts to decide).
 */
import { useCallback, useEffect, useState } from "react";
import type { GitResult, GitStatus, ProjectOverview, WorkbenchApi } from "../../../shared/api";
import type { Result } from "../../../shared/result";
import { Modal } from "./Modal";

interface Props {
  api: WorkbenchApi;
  open: boolean;
  project: ProjectOverview;
  onClose(): void;
  /** After a pull the project may have changed on disk. */
  onPulled(): void;
}

/** Modal with the repository's state and the three git actions. */
export function GitDialog({ api, open, project, onClose, onPulled }: Props) {
  const [status, setStatus] = useState<GitStatus | null>(null);
  const [message, setMessage] = useState("");
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    const result = await api.gitStatus();
    if (result.ok) setStatus(result.value);
    else setOutcome({ ok: false, text: result.error.message });
  }, [api]);

  useEffect(() => {
    if (open) {
      setOutcome(null);
      void refresh();
    }
  }, [open, refresh]);

  const act = async (name: string, action: () => Promise<Result<GitResult>>) => {
    setBusy(name);
    const result = await action();
    setBusy(null);
    if (result.ok) {
      setStatus(result.value.status);
      setOutcome({ ok: true, text: result.value.message });
      if (name === "commit") setMessage("");
      if (name === "pull") onPulled();
    } else {
      setOutcome({ ok: false, text: result.error.message });
      if (name === "pull") onPulled();
      void refresh();
    }
  };

  const title = (id: string) => project.articles.find((a) => a.id === id)?.title ?? id;
  return (
    <Modal open={open} title="Git" className="git-dialog" onClose={onClose}>
      {status && !status.repo ? (
        <p className="warn">
          This project folder is not a git repository yet. Run <code>tagwerk git-setup</code> on it
          to share it through git with Tagwerk's merge driver.
        </p>
      ) : status ? (
        <>
          <p className="git-branch">
            {status.detached ? (
              <span className="warn">No branch (detached HEAD)</span>
            ) : (
              <>
                Branch <b>{status.branch}</b>
              </>
            )}
            {status.upstream ? (
              <span className="muted">
                {" "}
                · follows {status.upstream} · {status.ahead} to push, {status.behind} to pull
              </span>
            ) : (
              <span className="muted">
                {" "}
                · {status.remotes.length === 0 ? "no remote" : "not pushed yet"}
              </span>
            )}
          </p>
          {status.conflicted.length > 0 && (
            <p className="warn" role="alert">
              {status.conflicted.length} file(s) with conflicts to decide:{" "}
              {status.conflicted.join(", ")}
            </p>
          )}
          <h3>Changed ({status.changed.length} files)</h3>
          {status.changedArticles.length === 0 ? (
            <p className="muted">No article changed since the last commit.</p>
          ) : (
            <ul className="git-changed">
              {status.changedArticles.map((id) => (
                <li key={id}>{title(id)}</li>
              ))}
            </ul>
          )}
          <form
            className="git-commit"
            onSubmit={(e) => {
              e.preventDefault();
              void act("commit", () => api.gitCommit({ message }));
            }}
          >
            <label>
              <span>Commit message</span>
              <textarea
                value={message}
                onChange={(e) => setMessage(e.target.value)}
                rows={2}
                placeholder="e.g. Coded the Mainufer-Bote articles"
              />
            </label>
            <div className="git-actions">
              <button
                type="submit"
                className="primary"
                disabled={busy !== null || message.trim() === ""}
              >
                {busy === "commit" ? "Committing…" : "Commit"}
              </button>
              <button
                type="button"
                disabled={busy !== null}
                onClick={() => void act("pull", () => api.gitPull())}
              >
                {busy === "pull" ? "Pulling…" : "Pull"}
              </button>
              <button
                type="button"
                disabled={busy !== null}
                onClick={() => void act("push", () => api.gitPush())}
              >
                {busy === "push" ? "Pushing…" : "Push"}
              </button>
            </div>
          </form>
        </>
      ) : (
        <p className="muted">Reading the repository…</p>
      )}
      {outcome && (
        <p className={outcome.ok ? "git-outcome" : "warn"} role={outcome.ok ? "status" : "alert"}>
          {outcome.text}
        </p>
      )}
    </Modal>
  );
}
