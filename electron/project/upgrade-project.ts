/**
 * `tagwerk upgrade`: rewrites every file of an older schema version in the
 * current version and canonical layout, so a team can commit the upgrade once
 * instead of seeing it trickle in file by file as files are saved. Files that
 * cannot be read are reported and left untouched.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { type FileKind, formatFileData } from "../../shared/file-formats";
import { SCHEMA_VERSION } from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { writeFileDurably } from "./atomic-write";
import { readProjectFile } from "./json-file";
import { PROJECT_FILE } from "./project-folder";

/** What an upgrade did. */
export interface UpgradeReport {
  upgraded: string[];
  failed: { file: string; message: string }[];
}

/** Upgrades the project at `root` to the current schema version. */
export async function upgradeProject(root: string): Promise<UpgradeReport> {
  const report: UpgradeReport = { upgraded: [], failed: [] };
  const files: { file: string; kind: FileKind; article?: string }[] = [
    { file: PROJECT_FILE, kind: "project" },
    { file: "codebook.json", kind: "codebook" },
    { file: "entities.json", kind: "entities" },
  ];
  for (const name of (await readdir(path.join(root, "articles")).catch(() => [])).sort()) {
    if (name.endsWith(".json")) files.push({ file: `articles/${name}`, kind: "article" });
  }
  for (const article of (await readdir(path.join(root, "coding")).catch(() => [])).sort()) {
    for (const name of (await readdir(path.join(root, "coding", article)).catch(() => [])).sort()) {
      if (name.endsWith(".json"))
        files.push({ file: `coding/${article}/${name}`, kind: "coding", article });
    }
  }
  for (const { file, kind, article } of files) {
    try {
      const text = article
        ? await readFile(path.join(root, "articles", `${article}.txt`), "utf8").catch(
            () => undefined,
          )
        : undefined;
      const read = await readProjectFile(
        path.join(root, file),
        file,
        kind,
        text === undefined ? {} : { text },
      );
      if (read.version >= SCHEMA_VERSION) continue;
      await writeFileDurably(path.join(root, file), formatFileData(kind, read.data as never));
      report.upgraded.push(file);
    } catch (error) {
      if (error instanceof WorkbenchError && error.code === "not-found") continue;
      report.failed.push({ file, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
