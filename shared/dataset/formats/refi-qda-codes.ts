/**
 * The code system of the REFI-QDA export: one code per label, entity
 * sub-codes, stance target › polarity sub-codes, from how the documents use
 * each label (summed up article by article).
 */
import type { DatasetSpan } from "../dataset";
import type { ExportContext } from "../format-types";
import { described, type El, el, marker, sortedUnique, stableGuid } from "./refi-qda-xml";

/** What the code system needs of a label's spans. */
export interface LabelUse {
  /** The kind of its first span. */
  kind: string;
  entities: string[];
  targets: string[];
  polarities: string[];
  /** Some span has a target or a polarity. */
  stanceAttributes: boolean;
  /** Some span has a polarity without a target. */
  polarityWithoutTarget: boolean;
}

/** How `spans` use each label, labels in the order of their first span. */
export function labelUses(spans: readonly DatasetSpan[]): Array<[string, LabelUse]> {
  const uses = new Map<string, LabelUse>();
  for (const s of spans) {
    let use = uses.get(s.label);
    if (!use) {
      use = {
        kind: s.kind,
        entities: [],
        targets: [],
        polarities: [],
        stanceAttributes: false,
        polarityWithoutTarget: false,
      };
      uses.set(s.label, use);
    }
    if (s.entity) use.entities.push(s.entity);
    if (s.target) use.targets.push(s.target);
    if (s.polarity) use.polarities.push(s.polarity);
    if (s.target || s.polarity) use.stanceAttributes = true;
    if (s.polarity && !s.target) use.polarityWithoutTarget = true;
  }
  for (const use of uses.values())
    for (const key of ["entities", "targets", "polarities"] as const)
      use[key] = [...new Set(use[key])];
  return [...uses];
}

/** Label uses of several documents taken together (the first span's kind wins). */
export function mergeLabelUses(
  all: ReadonlyArray<Array<[string, LabelUse]>>,
): Map<string, LabelUse> {
  const merged = new Map<string, LabelUse>();
  for (const uses of all)
    for (const [label, use] of uses) {
      const known = merged.get(label);
      if (!known) merged.set(label, { ...use });
      else {
        known.entities = [...known.entities, ...use.entities];
        known.targets = [...known.targets, ...use.targets];
        known.polarities = [...known.polarities, ...use.polarities];
        known.stanceAttributes ||= use.stanceAttributes;
        known.polarityWithoutTarget ||= use.polarityWithoutTarget;
      }
    }
  return merged;
}

/** The code system: labels, entity sub-codes, target › polarity sub-codes. */
export function codeSystem(
  { codebook, entities }: ExportContext,
  uses: Map<string, LabelUse>,
): El[] {
  type LabelLike = { id: string; kind: string; name: string; color: string; description: string };
  const labels: LabelLike[] = [...codebook.labels];
  for (const id of [...uses.keys()].sort()) {
    const kind = uses.get(id)?.kind ?? "entity";
    if (!labels.some((l) => l.id === id))
      labels.push({ id, kind, name: id, color: "#7c3aed", description: "" });
  }
  const named = (list: Array<{ id: string; name: string }>, id: string) =>
    list.find((x) => x.id === id)?.name ?? id;
  return labels.map((label) => {
    const own = uses.get(label.id);
    const code = (parts: string[], name: string, about: string[], kids: El[] = []) => {
      const attrs = { guid: stableGuid("code", label.id, ...parts), name, isCodable: "true" };
      return el("Code", { ...attrs, color: label.color }, [...described(...about), ...kids]);
    };
    const kids = sortedUnique(own?.entities ?? []).map((id) => {
      const entity = entities.find((e) => e.id === id);
      const about = entity?.externalId && `Wikidata: ${entity.externalId}`;
      return code(["entity", id], entity?.name ?? id, [about || "", marker({ entity: id })]);
    });
    const stance = label.kind === "stance";
    if (stance || own?.stanceAttributes) {
      const scale = stance ? codebook.stanceScale.map((p) => p.id) : [];
      const known = stance ? codebook.stanceTargets.map((t) => t.id) : [];
      const polarities = sortedUnique(own?.polarities ?? [], scale);
      const targets = sortedUnique(own?.targets ?? [], known);
      if (own?.polarityWithoutTarget) targets.push("");
      for (const t of targets) {
        const leaves = polarities.map((p) => {
          const name = named(codebook.stanceScale, p);
          return code(["target", t, "polarity", p], name, [marker({ polarity: p })]);
        });
        const name = t ? named(codebook.stanceTargets, t) : "(no target)";
        kids.push(code(["target", t], name, [marker({ target: t })], leaves));
      }
    }
    return code(
      [],
      label.name,
      [label.description, marker({ label: label.id, kind: label.kind })],
      kids,
    );
  });
}
