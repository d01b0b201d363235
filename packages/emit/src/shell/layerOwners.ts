import type { Owner, StepOf } from "@ocistage/program";

// Who owns what a layer holds. When every entry has the layer's owner, tar can force it with
// --owner/--group and nobody needs root; otherwise (owners of their own, or a copy that keeps the
// owners on disk) each node of the scratch tree gets its owner, which only root can give.
export const uniformOwner = (step: StepOf<"AssembleRootfs">): Owner | undefined =>
  step.entries.every((e) => {
    const owner = e._tag === "Whiteout" ? WHITEOUT_OWNER : e.owner;
    return owner !== "keep" && owner.uid === step.owner.uid && owner.gid === step.owner.gid;
  })
    ? step.owner
    : undefined;

// Whiteout files are root's, as the build writes them.
const WHITEOUT_OWNER: Owner = { uid: 0, gid: 0 };

export const ownerWord = (owner: Owner): string => `${owner.uid}:${owner.gid}`;

// Layers whose entries have owners of their own: the script must run as root to build them.
export const layersNeedingRoot = (steps: readonly StepOf<"AssembleRootfs">[]): readonly string[] =>
  steps.filter((s) => uniformOwner(s) === undefined).map((s) => s.layer);
