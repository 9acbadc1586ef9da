/** The file formats Tagwerk imports articles from, shared by the importers, dialogs and file pickers. */

/** File endings that can be imported, with their dot, in lower case. */
export const IMPORTABLE_EXTENSIONS: readonly string[] = [
  ".txt",
  ".text",
  ".md",
  ".markdown",
  ".html",
  ".htm",
  ".docx",
  ".pdf",
  ".csv",
  ".tsv",
  ".jsonl",
  ".ndjson",
];
