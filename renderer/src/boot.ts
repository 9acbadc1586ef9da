/**
 * The first module the page evaluates (main.tsx imports it before the app):
 * it picks the transport and sends the first requests, so that the back end
 * reads the project and the open article while React and the workbench
 * evaluate, instead of after. It then does what is slow the first time in a
 * page and would otherwise delay the first render: locale data for dates and
 * numbers, and opening the storage the app reads its settings from.
 */
import { createApiClient } from "./api-client";
import { warmUpFormats } from "./format-date";
import { startOpening } from "./opening";

/** The page's bridge to the back end. */
export const api = createApiClient();
/** The first requests, already sent. */
export const opening = startOpening(api, window.location.hash);

warmUpFormats();
void window.localStorage.length;
