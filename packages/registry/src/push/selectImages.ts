import * as E from "fp-ts/lib/Either.js";
import type { Layout, LayoutNode } from "@ocistage/layout";
import { refNameOf } from "@ocistage/oci";
import type { Reference } from "../Reference.ts";
import { formatReference, isValidRepository, isValidTag } from "../Reference.ts";

/** One `index.json` entry and where it goes. */
export interface PushTarget {
  readonly entry: LayoutNode;
  /** With a tag (or, pushed by digest only, a digest). */
  readonly reference: Reference;
}

/** A `ref.name` split as ocistage writes it: `NAME:TAG` for a layout of several images, `TAG` for one. */
export const splitRefName = (refName: string): { readonly name?: string; readonly tag: string } => {
  const colon = refName.lastIndexOf(":");
  return colon > refName.lastIndexOf("/") && colon > 0 ? { name: refName.slice(0, colon), tag: refName.slice(colon + 1) } : { tag: refName };
};

const names = (layout: Layout): string => layout.manifests.map((m) => refNameOf(m.descriptor) ?? m.descriptor.digest).join(", ");

const lastComponent = (repository: string): string => repository.slice(repository.lastIndexOf("/") + 1);

/**
 * The entry `push DIR REF` sends: the one named by `image` (its `ref.name`), else the only entry,
 * else the one whose `ref.name` is REF's tag or `REPO:TAG` (REPO: the last component of REF's
 * repository). REF without a tag takes the entry's tag (`latest` if it has none); REF with a
 * digest must name the entry's digest.
 */
export const selectForReference = (layout: Layout, ref: Reference, image: string | undefined): E.Either<string, PushTarget> => {
  const byName = (name: string): readonly LayoutNode[] => layout.manifests.filter((m) => refNameOf(m.descriptor) === name);
  const candidates =
    image !== undefined
      ? byName(image)
      : layout.manifests.length === 1
        ? layout.manifests
        : ref.tag === undefined
          ? []
          : [...byName(ref.tag), ...byName(`${lastComponent(ref.repository)}:${ref.tag}`)];
  const [entry, ...more] = candidates;
  if (entry === undefined || more.length > 0) {
    const why = image !== undefined ? `has no image named ${JSON.stringify(image)}` : `holds ${layout.manifests.length} images and ${formatReference(ref)} does not name one of them`;
    return E.left(`${layout.dir} ${why} (its images: ${names(layout)}); choose one with --image NAME, or push them all with --all`);
  }
  if (ref.digest !== undefined && ref.digest !== entry.descriptor.digest)
    return E.left(`${formatReference(ref)} names digest ${ref.digest}, but the image in ${layout.dir} is ${entry.descriptor.digest}`);
  const refName = refNameOf(entry.descriptor);
  const tag = ref.tag ?? (ref.digest !== undefined ? undefined : refName === undefined ? "latest" : splitRefName(refName).tag);
  if (tag !== undefined && !isValidTag(tag)) return E.left(`the image's tag ${JSON.stringify(tag)} is not a valid registry tag; give one in the reference`);
  return E.right({ entry, reference: { ...ref, ...(tag === undefined ? {} : { tag }) } });
};

/**
 * `push DIR --all REGISTRY/REPO`: every entry to `REPO/NAME:TAG` when its `ref.name` is
 * `NAME:TAG`, or to `REPO:TAG` when it is a bare tag. Entries without a `ref.name` cannot be
 * placed: Left, naming them.
 */
export const selectAll = (layout: Layout, base: Reference): E.Either<string, readonly PushTarget[]> => {
  if (base.tag !== undefined || base.digest !== undefined) return E.left(`--all takes REGISTRY/REPO without a tag or digest, not ${formatReference(base)}`);
  const targets: PushTarget[] = [];
  for (const entry of layout.manifests) {
    const refName = refNameOf(entry.descriptor);
    if (refName === undefined) return E.left(`${layout.dir}: the entry ${entry.descriptor.digest} has no org.opencontainers.image.ref.name, so --all cannot tell where it goes`);
    const { name, tag } = splitRefName(refName);
    const repository = name === undefined ? base.repository : `${base.repository}/${name}`;
    if (!isValidTag(tag) || !isValidRepository(repository))
      return E.left(`${layout.dir}: the entry ${JSON.stringify(refName)} does not make a valid reference under ${formatReference(base)}`);
    targets.push({ entry, reference: { registry: base.registry, repository, tag } });
  }
  return E.right(targets);
};
