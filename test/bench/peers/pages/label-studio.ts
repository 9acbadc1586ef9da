/**
 * Label Studio frontend 1.4.0 (npm `@heartexlabs/label-studio`, UMD build,
 * global `LabelStudio`): `new LabelStudio(el, { config, interfaces, task })`
 * with a `<Labels>` + `<Text>` config and every span as one `labels` result
 * of a single annotation. 1.4.0 counts `value.start`/`value.end` in code
 * points (its `findRange` walks text nodes with `[...text].length` and
 * converts with `codePointsToChars`; each "\n" becomes a `<br/>` counted as
 * one), which is the workload's unit, so offsets pass through unchanged.
 *
 * How "painted" is detected: Label Studio wraps every region's text in
 * `<span class="htx-highlight htx-highlight-XXXXX">` elements and puts
 * `data-label` on the last span of each region, all in the DOM at once. A
 * `requestAnimationFrame` loop checks (via a live collection, cheap) until
 * `.htx-highlight[data-label]` counts one per span; the message
 * posted from that frame callback runs after the frame is painted, which is
 * M1 (= m1Full: everything is rendered at once). M1b is the same for the
 * first frame in which the text container holds text.
 */
import { LABEL_COLORS, loadDoc, phase, run, textMap } from "./common";

/** The UMD global (the module object, or the class itself). */
type LabelStudioClass = new (root: HTMLElement, options: Record<string, unknown>) => unknown;

/** Label Studio's own default interface list (src/defaultOptions.js), the UI it ships with. */
const INTERFACES = [
  "panel",
  "update",
  "submit",
  "skip",
  "controls",
  "infobar",
  "topbar",
  "instruction",
  "side-column",
  "annotations:history",
  "annotations:tabs",
  "annotations:menu",
  "annotations:current",
  "annotations:add-new",
  "annotations:delete",
  "annotations:view-all",
  "predictions:tabs",
  "predictions:menu",
  "auto-annotation",
  "edit-history",
];

/** Resolves with the time after the paint of the first frame in which `test()` holds. */
function frameWhen(test: () => boolean, onFrame?: () => void): Promise<number> {
  return new Promise((resolve) => {
    const tick = () => {
      onFrame?.();
      if (test()) {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(0);
      } else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

run(async () => {
  phase("load-json");
  const doc = await loadDoc();
  const global = (window as unknown as { LabelStudio: unknown }).LabelStudio as
    | LabelStudioClass
    | { LabelStudio: LabelStudioClass };
  const LabelStudio = "LabelStudio" in global ? global.LabelStudio : global;
  const map = textMap(doc.text);
  const labels = Object.entries(LABEL_COLORS)
    .map(([label, color]) => `<Label value="${label}" background="${color}"/>`)
    .join("");
  const config = `<View><Labels name="label" toName="text">${labels}</Labels><Text name="text" value="$text"/></View>`;
  const result = doc.spans.map((s) => ({
    id: s.id,
    from_name: "label",
    to_name: "text",
    type: "labels",
    value: { start: s.start, end: s.end, text: map.slice(s.start, s.end), labels: [s.label] },
  }));
  phase("create-label-studio");
  const root = document.getElementById("doc") as HTMLElement;
  new LabelStudio(root, {
    config,
    interfaces: INTERFACES,
    user: { id: 1, first_name: "Bench", last_name: "Mark", username: "bench" },
    task: { id: 1, data: { text: doc.text }, annotations: [{ id: 1, result }], predictions: [] },
  });

  const highlights = root.getElementsByClassName("htx-highlight");
  const expected = doc.spans.length;
  let shown = -1;
  let lastReport = 0;
  // The text container is `.lsf-htx-richtext` (BEM-prefixed) in 1.4.0; the
  // hidden `-orig` copy never gets highlights.
  const regions = () => root.querySelectorAll(".htx-highlight[data-label]").length;
  const progress = () => {
    const now = performance.now();
    if (highlights.length !== shown && now - lastReport > 500) {
      shown = highlights.length;
      lastReport = now;
      phase(`highlights: ${shown} span elements for ${expected} regions`);
    }
  };
  const m1b = frameWhen(
    () => (root.querySelector(".lsf-htx-richtext, .htx-richtext")?.textContent?.length ?? 0) > 0,
  );
  const m1 = frameWhen(() => highlights.length >= expected && regions() >= expected, progress);
  const [tText, tAll] = await Promise.all([m1b, m1]);
  return {
    m1: tAll,
    m1b: tText,
    m1Full: tAll,
    spans: expected,
    painted: regions(),
    notes: [],
  };
});
