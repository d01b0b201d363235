import type { ClosureLayout, RootfsEntry } from "@ocistage/program";

const size = (bytes: number): string =>
  bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : bytes >= 1 << 10 ? `${(bytes / (1 << 10)).toFixed(1)} KiB` : `${bytes} B`;

/**
 * What plan and docs say about closures, one line each: per program, every file the loader
 * maps (name → where it finds it, how the host's loader found it, the layer that holds it), then
 * per split layer which members got a layer of their own and which stayed (the "what went where").
 */
export const closureLines = (closures: ClosureLayout | undefined): readonly string[] => [
  ...(closures?.programs ?? []).map(
    (p) =>
      `closure of ${p.program} (${p.at} → /${p.destination}, layer ${p.layer}${p.dlopen.length === 0 ? "" : `, dlopen ${p.dlopen.join(", ")}`}): ` +
      (p.members.length === 0 ? "none (statically linked)" : p.members.map((m) => `${m.name} → /${m.path}${m.path === m.file ? "" : ` → /${m.file}`} (${m.foundBy}, ${size(m.size)}, layer ${m.layer})`).join("; ")),
  ),
  ...(closures?.splits ?? []).map(
    (s) =>
      `layer ${s.layer} split by closure (${s.slots} spare layer${s.slots === 1 ? "" : "s"}, biggest first): ` +
      [...s.own.map((o) => `/${o.file} (${size(o.size)}) → layer ${o.layer}`), ...(s.stayed.length === 0 ? [] : [`stayed in ${s.layer}: ${s.stayed.map((o) => `/${o.file} (${size(o.size)})`).join(", ")}`])].join("; "),
  ),
];

/** "closure of A, B" for a layer holding entries that closures brought; "" when none did. */
export const closureNote = (entries: readonly RootfsEntry[]): string => {
  const programs = [...new Set(entries.flatMap((e) => (e._tag === "Copy" || e._tag === "Symlink" ? (e.closureOf ?? []) : [])))];
  return programs.length === 0 ? "" : `; closure of ${programs.join(", ")}`;
};
