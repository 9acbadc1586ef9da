/**
 * Takes screenshots of the real app on the example project (for the README and
 * for looking at the UI): `npx tsx test/tools/screenshot.ts [out-dir]`.
 */
import path from "node:path";
import { launchChromium } from "../support/chromium";
import { REPO, startServe } from "../support/serve-process";

const outDir = path.resolve(process.argv[2] ?? path.join(REPO, "docs", "images"));
const serve = await startServe(path.join(REPO, "annotations"));
const browser = await launchChromium();
try {
  for (const scheme of ["light", "dark"] as const) {
    const page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
      colorScheme: scheme,
      deviceScaleFactor: 1,
    });
    await page.goto(serve.url);
    await page
      .getByRole("option", { name: /Kiew will Garantien/ })
      .first()
      .click();
    await page.locator(".tw-ann").first().waitFor();
    await page.screenshot({ path: path.join(outDir, `tagwerk-${scheme}.png`) });
    await page.close();
  }
} finally {
  await browser.close();
  await serve.stop();
}
console.log(`screenshots in ${outDir}`);
