/**
 * Debian's Chromium driven by playwright-core, with the flags this kind of
 * machine needs (no sandbox as root, no background networking: the network is
 * closed and Chromium otherwise hangs on refused connections).
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Path of the Chromium binary to drive. */
export function chromiumPath(): string {
  const candidates = [
    process.env.TAGWERK_CHROMIUM,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ];
  const found = candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
  if (!found) {
    throw new Error(
      "Chromium not found: install Debian's chromium (apt-get install chromium) or set TAGWERK_CHROMIUM",
    );
  }
  return found;
}

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}
