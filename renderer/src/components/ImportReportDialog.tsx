/** The report after an import: what was imported, what was skipped and why, warnings. */

import type { ImportReport } from "../../../shared/api";
import { Modal } from "./Modal";

function ReportSection({
  title,
  className,
  lines,
}: {
  title: string;
  className?: string;
  lines: string[];
}) {
  if (lines.length === 0) return null;
  return (
    <section>
      <h3>{title}</h3>
      <ul className={className}>
        {lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </section>
  );
}

/** Modal report; every skipped file comes with its reason. */
export function ImportReportDialog({
  report,
  onClose,
}: {
  report: ImportReport | null;
  onClose(): void;
}) {
  return (
    <Modal open={report !== null} title="Import" onClose={onClose}>
      {report && (
        <>
          <p className="report__summary">
            <b>{report.imported.length}</b> imported · <b>{report.skipped.length}</b> skipped ·{" "}
            <b>{report.warnings.length}</b> warnings
          </p>
          <ReportSection
            title="Imported"
            lines={report.imported.map((i) => `${i.title} (from ${i.file})`)}
          />
          <ReportSection
            title="Skipped"
            className="report__skipped"
            lines={report.skipped.map((s) => s.reason)}
          />
          <ReportSection
            title="Warnings"
            className="report__warnings"
            lines={report.warnings.map((w) => w.message)}
          />
        </>
      )}
    </Modal>
  );
}
