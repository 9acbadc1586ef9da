/**
 * Dates as the workbench shows them ("18 Dec 2025" in the page's locale).
 * The browser loads its locale data on the first formatter it builds, which
 * takes tens of milliseconds in a fresh page: the entry module warms it up
 * while the app's code is still downloading (`warmUpFormats`), and formatters
 * are built once, not on every call.
 */

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string | undefined): Intl.DateTimeFormat {
  let format = dateFormats.get(locale ?? "");
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      day: "numeric",
      month: "short",
      year: "numeric",
      timeZone: "UTC",
    });
    dateFormats.set(locale ?? "", format);
  }
  return format;
}

/** Formats an ISO date for the list, keeping partial dates as they are. */
export function formatDate(date: string | undefined, locale?: string): string {
  if (!date) return "no date";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const [y, m, d] = date.split("-").map(Number);
  return dateFormat(locale).format(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)));
}

/** Builds the page's date and number formatters ahead of their first use. */
export function warmUpFormats(): void {
  dateFormat(undefined);
  (0).toLocaleString();
}
