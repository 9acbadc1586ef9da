/**
 * Expected failures travel as values, not exceptions: Electron keeps only an
 * error's message across IPC, and HTTP would turn a throw into a bare 500.
 */

/** Machine-readable reason for an expected failure, shown to the user through `message`. */
export type ErrorCode =
  | "invalid-input"
  | "unauthorized"
  | "not-found"
  | "no-project"
  | "no-coder"
  | "not-a-project"
  | "broken-file"
  | "unsupported"
  | "cancelled"
  | "io-error"
  | "internal";

/** What went wrong, in words a coder can act on; `file` names the file at fault when there is one. */
export interface ApiError {
  code: ErrorCode;
  message: string;
  file?: string;
}

/** The outcome of every API call: a value, or an expected failure. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Wraps a value as a successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps an expected failure. */
export function fail<T = never>(code: ErrorCode, message: string, file?: string): Result<T> {
  return { ok: false, error: file === undefined ? { code, message } : { code, message, file } };
}

/** An expected failure thrown inside the back end and turned into a `Result` at the API boundary. */
export class WorkbenchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = "WorkbenchError";
  }
}
