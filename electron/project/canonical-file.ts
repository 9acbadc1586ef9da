/**
 * A lowdb adapter for one project file: reads with migration and schema
 * checks, writes canonical text atomically and durably (temp file, fsync,
 * rename, fsync of the folder), and coalesces bursts — while one write is on
 * its way to disk, further writes wait and only the newest content follows.
 * Every write's promise resolves once content at least as new as it is durable.
 */
import type { Adapter } from "lowdb";
import {
  type FileData,
  type FileKind,
  formatFileData,
  type MigrationContext,
} from "../../shared/file-formats";
import { WorkbenchError } from "../../shared/result";
import { writeFileDurably } from "./atomic-write";
import { readProjectFile } from "./json-file";

/** Serialises writes of one file and lets a burst collapse into as few writes as possible. */
export function createCoalescingWriter(writeNow: (text: string) => Promise<void>) {
  let inFlight: Promise<void> | null = null;
  let queued: {
    text: string;
    promise: Promise<void>;
    resolve: () => void;
    reject: (e: unknown) => void;
  } | null = null;

  const start = (text: string): Promise<void> => {
    const running = writeNow(text);
    // Callers see a failure through `running`; the chain itself must not reject unhandled.
    inFlight = running
      .catch(() => undefined)
      .then(() => {
        const next = queued;
        queued = null;
        inFlight = null;
        if (next) start(next.text).then(next.resolve, next.reject);
      });
    return running;
  };

  return {
    /** Writes `text`; resolves when it (or newer text) is durable. */
    write(text: string): Promise<void> {
      if (!inFlight) return start(text);
      if (!queued) {
        let resolve!: () => void;
        let reject!: (e: unknown) => void;
        const promise = new Promise<void>((res, rej) => {
          resolve = res;
          reject = rej;
        });
        queued = { text, promise, resolve, reject };
      } else {
        queued.text = text;
      }
      return queued.promise;
    },
    /** Resolves when nothing is being written. */
    async idle(): Promise<void> {
      while (inFlight) await inFlight.catch(() => undefined);
    },
  };
}

/** lowdb adapter for a project file of `kind` at `path` (`file` is its project-relative name). */
export class CanonicalFile<K extends FileKind> implements Adapter<FileData<K>> {
  private readonly writer = createCoalescingWriter((text) => writeFileDurably(this.path, text));

  constructor(
    readonly path: string,
    readonly file: string,
    readonly kind: K,
    private readonly context: () => Promise<MigrationContext> = async () => ({}),
  ) {}

  /** The file's data in the current schema, or `null` when the file does not exist yet. */
  async read(): Promise<FileData<K> | null> {
    try {
      return (await readProjectFile(this.path, this.file, this.kind, await this.context())).data;
    } catch (error) {
      if (error instanceof WorkbenchError && error.code === "not-found") return null;
      throw error;
    }
  }

  /** Writes `data` canonically and durably. */
  write(data: FileData<K>): Promise<void> {
    return this.writer.write(formatFileData(this.kind, data));
  }

  /** Waits for pending writes. */
  idle(): Promise<void> {
    return this.writer.idle();
  }
}
