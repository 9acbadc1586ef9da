/**
 * Reading a small file quickly without blocking. `fs/promises` `readFile`
 * goes through a FileHandle with several round trips to the thread pool per
 * file; the callback API reads a file in one request and is several times
 * faster. Errors are Node's own (`code` ENOENT, EACCES …), as with `fs/promises`.
 */
import { readFile as readFileCallback } from "node:fs";

/** The file at `path` as UTF-8 text. */
export function readText(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    readFileCallback(path, "utf8", (error, text) => (error ? reject(error) : resolve(text)));
  });
}
