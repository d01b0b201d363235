import type { Platform } from "@ocistage/program";
import type { SpecIssue } from "@ocistage/spec";
import type { ImageUse } from "./layoutOf.ts";

/** An image with its platform and the id its steps carry. */
export interface PlacedImage {
  readonly use: ImageUse;
  readonly id: string;
  readonly platform: Platform;
}

/** Images that share a name and tag: one reference, one platform each (several: an image index). */
export interface ImageGroup {
  readonly id: string;
  readonly images: readonly PlacedImage[];
}

export const platformOf = (use: ImageUse): Platform => ({
  architecture: use.fields.architecture ?? "amd64",
  os: use.fields.os ?? "linux",
  ...(use.fields.variant === undefined ? {} : { variant: use.fields.variant }),
});

const platformKey = (p: Platform): string => `${p.os}/${p.architecture}${p.variant === undefined ? "" : `/${p.variant}`}`;
const platformId = (p: Platform): string => `${p.os === "linux" ? "" : `${p.os}-`}${p.architecture}${p.variant === undefined ? "" : `-${p.variant}`}`;
const safe = (s: string): string => s.toLowerCase().replace(/[^a-z0-9._-]/g, "-");

/**
 * Groups images by name and tag, in order of first appearance, and gives every image and group
 * an id unique in the program: the name where it is unique, then the name and tag, then the
 * platform too. Two images with one name, tag and platform are an error naming both.
 */
export const imageGroups = (uses: readonly ImageUse[]): { readonly groups: readonly ImageGroup[]; readonly issues: readonly SpecIssue[] } => {
  const issues: SpecIssue[] = [];
  const byReference = new Map<string, ImageUse[]>();
  for (const use of uses) {
    const key = `${use.name}\u0000${use.tag ?? ""}`;
    const members = byReference.get(key) ?? [];
    const platform = platformKey(platformOf(use));
    const twin = members.find((m) => platformKey(platformOf(m)) === platform);
    if (twin !== undefined)
      issues.push({ at: use.at, message: `same name, tag and platform as ${twin.at} (${use.name}:${use.tag ?? "<digest>"}, ${platform}); give one another tag or platform` });
    else members.push(use);
    byReference.set(key, members);
  }
  const names = [...byReference.values()].map((m) => m[0]?.name ?? "");
  const groups = [...byReference.values()].map((members): ImageGroup => {
    const head = members[0] as ImageUse;
    const groupId = safe(names.filter((n) => n === head.name).length === 1 ? head.name : `${head.name}-${head.tag ?? "digest"}`);
    return {
      id: groupId,
      images: members.map((use) => ({ use, platform: platformOf(use), id: members.length === 1 ? groupId : `${groupId}-${safe(platformId(platformOf(use)))}` })),
    };
  });
  // Ids made of names, tags and platforms could still meet ("a-b" + "c" and "a" + "b-c"): number those.
  const seen = new Set<string>();
  const unique = (id: string, i: number): string => {
    const chosen = seen.has(id) ? `${id}-${i + 1}` : id;
    seen.add(chosen);
    return chosen;
  };
  let n = 0;
  return {
    groups: groups.map((g, gi): ImageGroup => {
      const id = unique(g.id, gi);
      return { id, images: g.images.map((img) => ({ ...img, id: g.images.length === 1 ? id : unique(img.id, n++) })) };
    }),
    issues,
  };
};
