/**
 * `tagwerk init`: a new, empty project folder with a starter codebook that a
 * team edits to fit its own coding scheme.
 */
import { mkdir, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { formatFileData } from "../../shared/file-formats";
import {
  type Codebook,
  type EntityRegistry,
  type ProjectFile,
  SCHEMA_VERSION,
} from "../../shared/project-files";
import { WorkbenchError } from "../../shared/result";
import { writeFileDurably } from "./atomic-write";
import { PROJECT_FILE } from "./project-folder";

/** The codebook a new project starts with. */
export function starterCodebook(): Codebook {
  const label = (
    id: string,
    kind: "entity" | "date" | "stance",
    name: string,
    color: string,
    hotkey: string,
    description: string,
  ) => ({
    id,
    kind,
    name,
    color,
    hotkey,
    description,
    examples: [],
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    labels: [
      label("PER", "entity", "Person", "#3b82f6", "p", "A named person, in any spelling."),
      label(
        "ORG",
        "entity",
        "Organisation",
        "#0d9488",
        "o",
        "A named organisation, institution, party or company.",
      ),
      label(
        "LOC",
        "entity",
        "Place",
        "#ea580c",
        "l",
        "A named place: country, city, region, building.",
      ),
      label(
        "DATE",
        "date",
        "Date",
        "#9333ea",
        "d",
        "A date or time expression; confirm its normalised value.",
      ),
      label(
        "STANCE",
        "stance",
        "Stance",
        "#db2777",
        "s",
        "A claim or quote that takes a position towards a stance target.",
      ),
    ],
    stanceTargets: [],
    stanceScale: [
      { id: "favour", name: "favour" },
      { id: "against", name: "against" },
      { id: "neutral", name: "neutral" },
    ],
    documentVariables: [],
  };
}

/** Creates a project in `dir` (made if missing); refuses a folder that already is a project. */
export async function createProject(dir: string, name?: string): Promise<string> {
  const root = path.resolve(dir);
  await mkdir(root, { recursive: true });
  if (!(await stat(root)).isDirectory())
    throw new WorkbenchError("invalid-input", `${root} is not a folder`);
  if ((await readdir(root)).includes(PROJECT_FILE)) {
    throw new WorkbenchError(
      "invalid-input",
      `${root} already is a Tagwerk project (it has ${PROJECT_FILE})`,
    );
  }
  const project: ProjectFile = {
    schemaVersion: SCHEMA_VERSION,
    name: name ?? path.basename(root),
    settings: {},
  };
  const registry: EntityRegistry = { schemaVersion: SCHEMA_VERSION, entities: [] };
  await mkdir(path.join(root, "articles"), { recursive: true });
  await mkdir(path.join(root, "coding"), { recursive: true });
  await writeFileDurably(
    path.join(root, "codebook.json"),
    formatFileData("codebook", starterCodebook()),
  );
  await writeFileDurably(path.join(root, "entities.json"), formatFileData("entities", registry));
  // The project file last: a folder is a project only once everything else is in place.
  await writeFileDurably(path.join(root, PROJECT_FILE), formatFileData("project", project));
  return root;
}
