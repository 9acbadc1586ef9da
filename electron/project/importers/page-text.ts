/**
 * Turning parsed HTML into article text: one line per block (paragraph,
 * heading, list item, quote, caption, table row), `<br>` as a line break,
 * whitespace collapsed inside a line, code blocks kept line by line. Nothing
 * of scripts, styles, templates, embedded objects or form controls ever
 * becomes text, and attributes (event handlers, links) are never read.
 *
 * Pages are parsed with jsdom and its defaults: scripts do not run and nothing
 * is fetched. The walk is iterative, so deeply nested hostile markup cannot
 * overflow the stack.
 */
import { JSDOM, VirtualConsole } from "jsdom";

const NEVER_TEXT = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "svg",
  "math",
  "canvas",
  "head",
  "title",
  "meta",
  "link",
  "base",
  "img",
  "picture",
  "audio",
  "video",
  "source",
  "track",
  "map",
  "button",
  "input",
  "select",
  "option",
  "datalist",
  "textarea",
]);

const BLOCKS = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "body",
  "caption",
  "center",
  "dd",
  "details",
  "dialog",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "hr",
  "legend",
  "li",
  "main",
  "nav",
  "ol",
  "p",
  "section",
  "summary",
  "table",
  "tbody",
  "tfoot",
  "thead",
  "tr",
  "ul",
]);

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const DOCUMENT_NODE = 9;
const DOCUMENT_FRAGMENT_NODE = 11;
/** Marks a boundary between table cells until the line is finished. */
const CELL_BREAK = Symbol("cell break");

/** Parses HTML into a document without running scripts, loading resources or printing parser complaints. */
export function parsePage(html: string): Document {
  return new JSDOM(html, { virtualConsole: new VirtualConsole() }).window.document;
}

function isHidden(element: Element): boolean {
  return (
    element.hasAttribute("hidden") ||
    /display\s*:\s*none|visibility\s*:\s*hidden/i.test(element.getAttribute("style") ?? "")
  );
}

/** Collects the lines of a page; `pre` keeps its own line breaks, table cells share their row's line. */
class LineCollector {
  readonly lines: string[] = [];
  private parts: (string | typeof CELL_BREAK)[] = [];
  private preDepth = 0;
  private cellDepth = 0;

  text(value: string): void {
    this.parts.push(value);
  }

  lineBreak(): void {
    if (this.preDepth > 0) this.parts.push("\n");
    else if (this.cellDepth > 0) this.parts.push(" ");
    else this.finishLine();
  }

  enter(name: string): void {
    if (name === "pre") {
      this.finishLine();
      this.preDepth += 1;
    } else if (name === "td" || name === "th") {
      this.cellDepth += 1;
      this.parts.push(CELL_BREAK);
    } else if (name === "tr") {
      this.finishLine();
    } else if (BLOCKS.has(name)) {
      this.lineBreak();
    }
  }

  leave(name: string): void {
    if (name === "pre") {
      this.preDepth -= 1;
      if (this.preDepth === 0) this.finishCode();
    } else if (name === "td" || name === "th") {
      this.cellDepth -= 1;
      this.parts.push(CELL_BREAK);
    } else if (name === "tr") {
      this.finishLine();
    } else if (BLOCKS.has(name)) {
      this.lineBreak();
    }
  }

  finishLine(): void {
    if (this.parts.length === 0) return;
    const cells: string[] = [""];
    for (const part of this.parts) {
      if (part === CELL_BREAK) cells.push("");
      else cells[cells.length - 1] += part;
    }
    this.parts = [];
    const line = cells
      .map((cell) => cell.replace(/[ \t\n\r\f]+/g, " ").trim())
      .filter((cell) => cell.length > 0)
      .join("\t");
    if (line.length > 0) this.lines.push(line);
  }

  private finishCode(): void {
    const code = this.parts.map((part) => (part === CELL_BREAK ? "\t" : part)).join("");
    this.parts = [];
    for (const line of code.split(/\r\n?|\n/)) {
      if (line.trim().length > 0) this.lines.push(line.trimEnd());
    }
  }
}

/**
 * The text of a page or part of one, one block per line. `root` may be a
 * document, a fragment or an element; hidden elements (`hidden`, inline
 * `display: none`) are left out like the never-text ones.
 */
export function getPageLines(root: Node): string[] {
  const collector = new LineCollector();
  const stack: { node: Node; leaving: boolean }[] = [{ node: root, leaving: false }];
  while (stack.length > 0) {
    const { node, leaving } = stack.pop() as { node: Node; leaving: boolean };
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
      collector.text(node.nodeValue ?? "");
      continue;
    }
    if (node.nodeType === ELEMENT_NODE) {
      const element = node as Element;
      const name = element.localName;
      if (leaving) {
        collector.leave(name);
        continue;
      }
      if (NEVER_TEXT.has(name) || isHidden(element)) continue;
      if (name === "br") {
        collector.lineBreak();
        continue;
      }
      collector.enter(name);
      stack.push({ node, leaving: true });
    } else if (node.nodeType !== DOCUMENT_NODE && node.nodeType !== DOCUMENT_FRAGMENT_NODE) {
      continue;
    }
    for (let child = node.lastChild; child !== null; child = child.previousSibling) {
      stack.push({ node: child, leaving: false });
    }
  }
  collector.finishLine();
  return collector.lines;
}
