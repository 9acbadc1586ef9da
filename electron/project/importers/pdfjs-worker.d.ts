/** pdf.js ships no types for its worker module; we only hand it back to pdf.js (see pdf.ts). */
declare module "pdfjs-dist/legacy/build/pdf.worker.mjs" {
  /** The handler pdf.js looks for on `globalThis.pdfjsWorker` when it runs without a real worker. */
  export const WorkerMessageHandler: unknown;
}
