/** The report after an import: what was imported, what was skipped and why, warnings. */
import { useEffect, useRef } from "react";
import type { ImportReport } from "../../../shared/api";

/** Modal report; every skipped file comes with its reason. */
export function ImportReportDialog({
  report,
  onClose,
}: {
  report: ImportReport | null;
  onClose(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (report && !d.open) d.showModal();
    if (!report && d.open) d.close();
  }, [report]);
  return (
    <dialog ref={dialog} className="report" aria-labelledby="import-title" onClose={onClose}>
      <h2 id="import-title">Import</h2>
      {report && (
        <>
          <p className="report__summary">
            <b>{report.imported.length}</b> imported · <b>{report.skipped.length}</b> skipped ·{" "}
            <b>{report.warnings.length}</b> warnings
          </p>
          {report.imported.length > 0 && (
            <section>
              <h3>Imported</h3>
              <ul>
                {report.imported.map((i) => (
                  <li key={i.articleId}>
                    <b>{i.title}</b> <span className="muted">from {i.file}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {report.skipped.length > 0 && (
            <section>
              <h3>Skipped</h3>
              <ul className="report__skipped">
                {report.skipped.map((s) => (
                  <li key={`${s.file}:${s.reason}`}>{s.reason}</li>
                ))}
              </ul>
            </section>
          )}
          {report.warnings.length > 0 && (
            <section>
              <h3>Warnings</h3>
              <ul className="report__warnings">
                {report.warnings.map((w) => (
                  <li key={`${w.file}:${w.message}`}>{w.message}</li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
      <form method="dialog">
        <button type="submit" className="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
