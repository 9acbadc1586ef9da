/**
 * Codebook colours as CSS. The CSP forbids inline `style` attributes, so the
 * colours go into a constructable stylesheet (CSSOM, which CSP permits).
 */
import type { Label } from "../../shared/project-files";

let sheet: CSSStyleSheet | null = null;

/** CSS rules giving each label's annotations its colour via `--label-color`. */
export function labelColorRules(labels: Pick<Label, "id" | "color">[]): string[] {
  return labels
    .filter((l) => /^[A-Za-z0-9_-]+$/.test(l.id) && /^#[0-9a-fA-F]{6}$/.test(l.color))
    .map((l) => `[data-label="${l.id}"] { --label-color: ${l.color}; }`);
}

/** Installs (or replaces) the label colours of the open codebook in `doc`. */
export function applyLabelColors(doc: Document, labels: Pick<Label, "id" | "color">[]): void {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(labelColorRules(labels).join("\n"));
}
