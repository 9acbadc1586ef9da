/**
 * Paragraphs off screen are neither laid out nor painted (`content-visibility:
 * auto` on `.tw-paragraph` in styles.css). Besides cheaper rendering, this is
 * what keeps a keystroke cheap in a long article: on every selection change in
 * a focused editable element, Chromium serialises the element's whole text for
 * input methods, leaving out only such skipped paragraphs — about 30 ms per
 * change in a 1 MB article, and tagging changes the selection.
 *
 * A paragraph that has never been on screen takes a height estimated from its
 * length (`--tw-chars` on the paragraph times `--tw-px-per-char`, measured on
 * the paragraphs shown), so that the scroll bar is about right from the start;
 * once shown, its real height is remembered (`contain-intrinsic-size: auto`).
 */
import { Plugin } from "prosemirror-state";
import type { EditorView } from "prosemirror-view";

/** Paragraphs shorter than this say little about the height of a line's worth of text. */
const MIN_SAMPLE_CHARS = 200;

/** Sets `--tw-px-per-char` from the paragraphs currently on screen. */
function measure(view: EditorView): void {
  const bottom = window.innerHeight;
  let chars = 0;
  let height = 0;
  for (const paragraph of view.dom.querySelectorAll<HTMLElement>(".tw-paragraph")) {
    const rect = paragraph.getBoundingClientRect();
    if (rect.top > bottom) break;
    const length = Number(paragraph.style.getPropertyValue("--tw-chars"));
    if (rect.bottom < 0 || length < MIN_SAMPLE_CHARS) continue;
    chars += length;
    height += rect.height;
  }
  if (chars > 0) view.dom.style.setProperty("--tw-px-per-char", `${(height / chars).toFixed(4)}px`);
}

/** The plugin: paragraphs carry their length, and the editor the measured height per character. */
export function offscreenParagraphsPlugin(): Plugin {
  return new Plugin({
    props: {
      nodeViews: {
        paragraph(node) {
          const dom = document.createElement("p");
          dom.className = "tw-paragraph";
          dom.style.setProperty("--tw-chars", String(node.textContent.length));
          return { dom, contentDOM: dom };
        },
      },
    },
    view(view) {
      let frame: number | null = requestAnimationFrame(() => {
        frame = null;
        measure(view);
      });
      // A new width changes how many characters fit a line.
      let width = view.dom.clientWidth;
      const resize = new ResizeObserver(() => {
        if (view.dom.clientWidth === width) return;
        width = view.dom.clientWidth;
        measure(view);
      });
      resize.observe(view.dom);
      return {
        destroy() {
          if (frame !== null) cancelAnimationFrame(frame);
          resize.disconnect();
        },
      };
    },
  });
}
