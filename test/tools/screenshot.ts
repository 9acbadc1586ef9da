/**
 * Takes screenshots of the real app on the example project (for the README and
 * for looking at the UI): `npx tsx test/tools/screenshot.ts [out-dir]`.
 */
import { cp, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../support/chromium";
import { REPO, startServe } from "../support/serve-process";

const outDir = path.resolve(process.argv[2] ?? path.join(REPO, "docs", "images"));
// A copy, so that nothing the screenshots do can touch the example project.
const project = path.join(await mkdtemp(path.join(os.tmpdir(), "tagwerk-shots-")), "annotations");
await cp(path.join(REPO, "annotations"), project, { recursive: true });
const serve = await startServe(project, [], "alice");
const browser = await launchChromium();
try {
  for (const scheme of ["light", "dark"] as const) {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
      colorScheme: scheme,
    });
    await page.goto(serve.url);
    await page.getByRole("option", { name: /Kiew will Garantien/ }).click();
    await page.locator(".tw-ann").first().waitFor();
    await page.screenshot({ path: path.join(outDir, `tagwerk-${scheme}.png`) });
    if (scheme === "light") {
      // The annotating screen: a stance annotation selected, its card open in the pane.
      await page
        .getByRole("button", { name: /Umjerow betonte, ohne rechtlich bindende/ })
        .first()
        .click();
      await page.getByRole("region", { name: "Selected annotation" }).waitFor();
      await page.screenshot({ path: path.join(outDir, "tagwerk-annotating.png") });
      // The export dialog after a CoNLL export with splits: the loss report.
      await page.getByRole("button", { name: "Export…" }).click();
      const dialog = page.getByRole("dialog", { name: "Export dataset" });
      await dialog.getByLabel("Format").selectOption("conll");
      await dialog.getByLabel("Split into train / validation / test").check();
      await dialog.getByLabel("Folder").fill(path.join(path.dirname(project), "export", "conll"));
      await dialog.getByRole("button", { name: "Export", exact: true }).click();
      await dialog.getByRole("region", { name: "Export result" }).waitFor();
      await page.screenshot({ path: path.join(outDir, "tagwerk-export.png") });
      await page.keyboard.press("Escape");
      // The agreement dashboard and the curation view of the double-coded article.
      await page.getByRole("button", { name: "Agreement" }).click();
      await page.getByTestId("f1-exact").waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(outDir, "tagwerk-agreement.png") });
      await page
        .getByRole("row", { name: /Kiew will Garantien/ })
        .getByRole("button", { name: "Adjudicate" })
        .click();
      await page.getByRole("region", { name: "Adjudication" }).getByRole("status").waitFor();
      await page.keyboard.press("b");
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(outDir, "tagwerk-adjudication.png") });
    }
    await page.close();
  }
} finally {
  await browser.close();
  await serve.stop();
}
console.log(`screenshots in ${outDir}`);
