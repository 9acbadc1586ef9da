/**
 * Word documents (.docx) through mammoth. We ask mammoth for HTML rather than
 * raw text: its raw text glues a manual line break to the next word ("Zeile" +
 * "nach Umbruch" → "Zeilenach Umbruch") and spreads table cells over separate
 * paragraphs, while the HTML keeps both and is read with the web-page rules.
 * Images are never converted, so pictures embedded in the document cost nothing.
 */
import mammoth from "mammoth";
import { WorkbenchError } from "../../../shared/result";
import { readOneLine } from "./article-fields";
import type { ExtractResult } from "./extract-articles";
import { getPageLines, parsePage } from "./page-text";

/** Extracts the text of a Word document, one paragraph per line; the first Heading 1 becomes the title. */
export async function extractWordArticle(bytes: Uint8Array, name: string): Promise<ExtractResult> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer },
      { convertImage: mammoth.images.imgElement(async () => ({ src: "" })) },
    );
    html = result.value;
  } catch {
    throw new WorkbenchError(
      "invalid-input",
      `${name}: is not a Word document (.docx) or it is damaged. Old .doc files must be saved as .docx first.`,
      name,
    );
  }
  const page = parsePage(`<!doctype html><html><body>${html}</body></html>`);
  const lines = getPageLines(page.body);
  if (lines.length === 0)
    throw new WorkbenchError("invalid-input", `${name}: the document holds no text`, name);
  const heading = page.body.querySelector("h1");
  const title = heading ? readOneLine(getPageLines(heading).join(" ")) : undefined;
  return {
    articles: [{ text: lines.join("\n"), ...(title === undefined ? {} : { title }) }],
    warnings: [],
    skipped: [],
  };
}
