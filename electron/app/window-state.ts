/**
 * Restoring the main window where the user left it, but never off-screen (the
 * monitor it was on may be gone).
 */
import type { WindowState } from "../settings/app-settings";

/** A screen's usable area. */
export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Size of the first window on a new machine. */
export const DEFAULT_WINDOW: WindowState = { width: 1440, height: 900, maximized: false };

/** Smallest window the layout works in. */
export const MIN_WINDOW = { width: 900, height: 560 };

/**
 * The window state to open with: the saved one when it overlaps a screen by a
 * usable amount, else the default size centred by the window manager.
 */
export function fitWindowState(saved: WindowState | undefined, screens: Area[]): WindowState {
  // The settings file can be edited by hand: treat anything odd as "nothing saved".
  if (!saved || !Number.isFinite(saved.width) || !Number.isFinite(saved.height))
    return DEFAULT_WINDOW;
  const width = Math.max(MIN_WINDOW.width, Math.round(saved.width));
  const height = Math.max(MIN_WINDOW.height, Math.round(saved.height));
  const maximized = saved.maximized === true;
  if (
    !Number.isFinite(saved.x) ||
    !Number.isFinite(saved.y) ||
    saved.x === undefined ||
    saved.y === undefined
  ) {
    return { width, height, maximized };
  }
  const { x, y } = saved;
  const visible = screens.some((s) => {
    const overlapX = Math.min(x + width, s.x + s.width) - Math.max(x, s.x);
    const overlapY = Math.min(y + height, s.y + s.height) - Math.max(y, s.y);
    return overlapX >= 100 && overlapY >= 50;
  });
  return visible ? { x, y, width, height, maximized } : { width, height, maximized };
}
