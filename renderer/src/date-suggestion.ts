/**
 * The value suggested for a new date annotation: the date normaliser's reading
 * of the quote relative to the article's publication date. The coder confirms
 * or corrects it in the pane.
 */
import { normaliseDate } from "../../shared/date-normalise";

/** An ISO value for `quote`, or undefined when it cannot be read as a date. */
export function suggestDateValue(
  quote: string,
  language: string,
  publicationDate: string | undefined,
): string | undefined {
  return normaliseDate(quote, { language, ...(publicationDate ? { publicationDate } : {}) })?.value;
}
