import type { ClosureReport, LayerSplit, Owner, RootfsEntry } from "@ocistage/program";
import type { SpecIssue } from "@ocistage/spec";
import { DEFAULT_MAX_LAYERS } from "./layerBudget.ts";
import type { ImageUse, LayerDefinition } from "./layoutOf.ts";

/** A layer as lowering builds it: its name, the owner of its implied folders, its entries. */
export interface LoweredLayer {
  readonly name: string;
  readonly owner: Owner;
  readonly entries: readonly RootfsEntry[];
}

interface SplitInput {
  readonly layers: readonly LoweredLayer[];
  readonly definitions: readonly LayerDefinition[];
  readonly images: readonly ImageUse[];
  readonly baseLayers?: (image: ImageUse) => number; // layers of the image's base, which count against its budget
  readonly reports: readonly ClosureReport[];
}

export interface SplitResult {
  readonly layers: readonly LoweredLayer[];
  readonly images: readonly ImageUse[];
  readonly reports: readonly ClosureReport[];
  readonly splits: readonly LayerSplit[];
  readonly definedAt: ReadonlyMap<string, string>; // member layer → the `split` field that made it
  readonly issues: readonly SpecIssue[];
}

const ROOT: Owner = { uid: 0, gid: 0 };

// A unit of a split: one file the loader maps, with the links leading to it.
interface Unit {
  readonly file: string;
  readonly size: number;
  readonly destinations: ReadonlySet<string>;
}

const unitsOf = (reports: readonly ClosureReport[]): readonly Unit[] => {
  const byFile = new Map<string, { size: number; destinations: Set<string> }>();
  for (const member of reports.flatMap((r) => r.members)) {
    const unit = byFile.get(member.file) ?? { size: member.size, destinations: new Set([member.file]) };
    for (const link of member.links) unit.destinations.add(link);
    byFile.set(member.file, unit);
  }
  // Size first (nixpkgs' buildLayeredImage gives its layers to the heaviest paths), then by path.
  return [...byFile].map(([file, u]) => ({ file, ...u })).sort((a, b) => b.size - a.size || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
};

// What a layer of one unit writes, whatever closure or spec entry brought it: its identity.
const contentKey = (entries: readonly RootfsEntry[]): string =>
  JSON.stringify(entries.map((e) => ({ ...e, at: "", closureOf: [] })).sort((a, b) => (a.destination < b.destination ? -1 : 1)));

const layerNameFor = (file: string, taken: ReadonlySet<string>): string => {
  const base = (file.split("/").pop() ?? "").toLowerCase().replace(/[^a-z0-9._-]/g, "-").replace(/^[^a-z0-9]+/, "") || "closure";
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
};

/**
 * Gives the closure members of each `split: "closure"` layer layers of their own, so images whose
 * programs share a library share its layer (one layer, one blob, whatever layer or image brought
 * it: a member layer is named after its file and defined once per content). The grouping rule,
 * size first as nixpkgs' buildLayeredImage: the layer may take the spare layers of every image
 * using it (maxLayers minus the image's layers; split layers take them in the order the spec
 * defines them); the biggest members get one each, the rest stay in the layer with the programs
 * themselves and its other entries. Member layers come before the layer they came from.
 */
export const splitClosureLayers = ({ layers, definitions, images, reports, baseLayers }: SplitInput): SplitResult => {
  const issues: SpecIssue[] = [];
  const taken = new Set([...layers.map((l) => l.name), ...definitions.map((d) => d.layer.name)]);
  const spare = new Map(images.map((i) => [i, (i.fields.maxLayers ?? DEFAULT_MAX_LAYERS) - i.layers.length - (baseLayers?.(i) ?? 0)] as const));
  const byContent = new Map<string, LoweredLayer>();
  const expansion = new Map<string, string[]>();
  const remaining = new Map(layers.map((l) => [l.name, l.entries] as const));
  const moved = new Map<string, string>(); // file → its own layer
  const definedAt = new Map<string, string>();
  const splits: LayerSplit[] = [];

  for (const { layer, at } of definitions) {
    if (layer.split !== "closure") continue;
    const own = reports.filter((r) => r.layer === layer.name);
    if (own.length === 0) {
      issues.push({ at: `${at}.split`, message: "splits the closures of a layer's closure: true entries; this layer has none" });
      continue;
    }
    const users = images.filter((i) => i.layers.includes(layer.name));
    const slots = Math.max(0, Math.min(...users.map((i) => spare.get(i) ?? 0)));
    const units = unitsOf(own);
    const chosen = units.slice(0, slots);
    const names: string[] = [];
    let entries = remaining.get(layer.name) ?? [];
    for (const unit of chosen) {
      const mine = entries.filter((e) => unit.destinations.has(e.destination) && "closureOf" in e).sort((a, b) => (a.destination < b.destination ? -1 : 1));
      entries = entries.filter((e) => !mine.includes(e));
      const key = contentKey(mine);
      const earlier = byContent.get(key);
      const member = earlier === undefined ? { name: layerNameFor(unit.file, taken), owner: ROOT, entries: mine } : { ...earlier, entries: earlier.entries.map((e, i) => mergeClosureOf(e, mine[i])) };
      taken.add(member.name);
      byContent.set(key, member);
      if (earlier === undefined) definedAt.set(member.name, `${at}.split`);
      names.push(member.name);
      moved.set(`${layer.name}\0${unit.file}`, member.name);
    }
    remaining.set(layer.name, entries);
    expansion.set(layer.name, names);
    for (const user of users) spare.set(user, (spare.get(user) ?? 0) - chosen.length);
    splits.push({
      layer: layer.name,
      at,
      slots,
      own: chosen.map((u) => ({ layer: moved.get(`${layer.name}\0${u.file}`) ?? layer.name, file: u.file, size: u.size })),
      stayed: units.slice(slots).map((u) => ({ file: u.file, size: u.size })),
    });
  }

  const final = new Map([...byContent.values()].map((l) => [l.name, l] as const));
  const emitted = new Set<string>();
  const outLayers: LoweredLayer[] = [];
  for (const l of layers) {
    for (const name of expansion.get(l.name) ?? []) {
      const member = final.get(name);
      if (member !== undefined && !emitted.has(name)) outLayers.push(member);
      emitted.add(name);
    }
    outLayers.push({ ...l, entries: remaining.get(l.name) ?? l.entries });
  }
  const outImages = images.map((i) => ({ ...i, layers: [...new Set(i.layers.flatMap((n) => [...(expansion.get(n) ?? []), n]))] }));
  const outReports = reports.map((r) => ({ ...r, members: r.members.map((m) => ({ ...m, layer: moved.get(`${r.layer}\0${m.file}`) ?? m.layer })) }));
  return { layers: outLayers, images: outImages, reports: outReports, splits, definedAt, issues };
};

// A member layer defined by one closure and reached again through another keeps one set of
// entries; their `closureOf` lists every program.
const mergeClosureOf = (kept: RootfsEntry, other: RootfsEntry | undefined): RootfsEntry => {
  if (other === undefined || (kept._tag !== "Copy" && kept._tag !== "Symlink") || (other._tag !== "Copy" && other._tag !== "Symlink")) return kept;
  const programs = [...new Set([...(kept.closureOf ?? []), ...(other.closureOf ?? [])])];
  return { ...kept, closureOf: programs };
};
