import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { abandonOutput, adoptBlobFile, openOutput, publishOutput, putBlobBytes, temporaryPath } from "@ocistage/build";
import type { BuildError, OutputFolder, StoredBlob } from "@ocistage/build";
import { MediaType, canonicalJson, canonicalJsonBytes, descriptor, imageIndex, imageManifest, indexEntry, layoutFile, platform, withDiffIds } from "@ocistage/oci";
import type { Descriptor, Digest } from "@ocistage/oci";
import { eachMember } from "./archiveMembers.ts";
import type { DockerArchiveError } from "./DockerArchiveError.ts";
import { invalidArchive } from "./DockerArchiveError.ts";
import { dockerConfigToOci } from "./dockerConfigToOci.ts";
import { tagOfReference } from "./dockerManifest.ts";
import type { DockerArchive, DockerArchiveImage } from "./readDockerArchive.ts";
import { readDockerArchive } from "./readDockerArchive.ts";
import type { StoredLayer } from "./storeLayerMember.ts";
import { removeQuietly, storeLayerMember } from "./storeLayerMember.ts";

/** What a conversion wrote: the layout, and per image its manifest, config and layers. */
export interface ConvertedImage {
  readonly references: readonly string[]; // the ref.name annotations index.json gives it
  readonly manifest: StoredBlob;
  readonly config: StoredBlob;
  readonly layers: readonly (StoredLayer & { readonly member: string })[];
}

export interface ConvertResult {
  readonly out: string;
  readonly images: readonly ConvertedImage[];
}

const output = (error: BuildError): DockerArchiveError => ({ _tag: "Output", error });
const io = (file: string) => (e: unknown): DockerArchiveError => ({ _tag: "Io", path: file, reason: e instanceof Error ? e.message : String(e) });

// index.json names each image by the tag of each of its RepoTags (skopeo's `oci:DIR:TAG`). When
// two images would share a tag, the whole reference is their name instead, so none is lost.
const refNames = (images: readonly DockerArchiveImage[]): readonly (readonly string[])[] => {
  const tags = images.map((image) => image.repoTags.map((r) => ({ reference: r, tag: tagOfReference(r) ?? r })));
  const count = new Map<string, number>();
  for (const list of tags) for (const tag of new Set(list.map((t) => t.tag))) count.set(tag, (count.get(tag) ?? 0) + 1);
  return tags.map((list) => [...new Set(list.map((t) => ((count.get(t.tag) ?? 0) > 1 ? t.reference : t.tag)))]);
};

// Every layer member the images use, copied once into the layout as a blob.
const storeLayers = async (archive: DockerArchive, folder: OutputFolder): Promise<E.Either<DockerArchiveError, ReadonlyMap<string, StoredLayer>>> => {
  const wanted = new Set(archive.images.flatMap((image) => image.layers.map((l) => l.member)));
  const stored = new Map<string, StoredLayer>();
  const problems: string[] = [];
  const temporaries: string[] = [];
  let failure: DockerArchiveError | undefined;
  const read = await eachMember(archive.file, async (member, data) => {
    if (!wanted.has(member.name) || stored.has(member.name) || member.type !== "file") {
      data.resume();
      return;
    }
    const temporary = temporaryPath(folder.out, "layer");
    temporaries.push(temporary);
    const result = await storeLayerMember(data, temporary);
    if (E.isLeft(result)) problems.push(`${member.name}: ${result.left}`);
    else {
      const adopted = await adoptBlobFile(folder.out, temporary, { digest: result.right.digest, size: result.right.size }, "convert")();
      if (E.isLeft(adopted)) failure ??= output(adopted.left);
      else stored.set(member.name, result.right);
    }
  }).catch((e: unknown) => E.left<DockerArchiveError, readonly string[]>(io(archive.file)(e)));
  await Promise.all(temporaries.map(removeQuietly));
  if (E.isLeft(read)) return read;
  if (failure !== undefined) return E.left(failure);
  // A layer is kept byte for byte, so it must be the tar the config names, whatever its compression.
  for (const image of archive.images)
    for (const [j, layer] of image.layers.entries()) {
      const found = stored.get(layer.member);
      if (found !== undefined && found.diffId !== layer.diffId)
        problems.push(`${image.at}.Layers[${j}] (${layer.member}): its tar hashes to ${found.diffId}, but ${image.configMember}'s rootfs.diff_ids[${j}] is ${layer.diffId}`);
    }
  return problems.length > 0 ? E.left(invalidArchive(archive.file, problems)) : E.right(stored);
};

interface Written {
  readonly images: readonly ConvertedImage[];
  readonly entries: readonly Descriptor[];
  readonly referenced: ReadonlySet<string>;
}

// Config, manifest and index.json entries of each image, its layers already stored.
const writeDocuments = (archive: DockerArchive, folder: OutputFolder, layers: ReadonlyMap<string, StoredLayer>): TE.TaskEither<DockerArchiveError, Written> => {
  const names = refNames(archive.images);
  return pipe(
    archive.images.map((image, i) => {
      const imageLayers = image.layers.map((l) => ({ ...(layers.get(l.member) as StoredLayer), member: l.member }));
      const config = withDiffIds(dockerConfigToOci(image.config), image.layers.map((l) => l.diffId));
      return pipe(
        putBlobBytes(folder.out, canonicalJsonBytes(config), "convert"),
        TE.chain((configBlob) =>
          pipe(
            putBlobBytes(
              folder.out,
              canonicalJsonBytes(
                imageManifest({
                  config: descriptor({ mediaType: MediaType.imageConfig, digest: configBlob.digest as Digest, size: configBlob.size }),
                  layers: imageLayers.map((l) => descriptor({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
                }),
              ),
              "convert",
            ),
            TE.map((manifest): ConvertedImage => ({ references: names[i] ?? [], manifest, config: configBlob, layers: imageLayers })),
          ),
        ),
        TE.map((converted) => ({
          converted,
          entries: (converted.references.length === 0 ? [undefined] : converted.references).map((tag) =>
            indexEntry({
              target: descriptor({ mediaType: MediaType.imageManifest, digest: converted.manifest.digest as Digest, size: converted.manifest.size }),
              tag,
              platform: platform({ architecture: image.config.architecture, os: image.config.os, variant: image.config.variant }),
            }),
          ),
        })),
      );
    }),
    TE.sequenceSeqArray,
    TE.mapLeft(output),
    TE.map((all) => ({
      images: all.map((a) => a.converted),
      entries: all.flatMap((a) => a.entries),
      referenced: new Set(all.flatMap((a) => [a.converted.manifest.digest, a.converted.config.digest, ...a.converted.layers.map((l) => l.digest)]).map((d) => d.replace(/^sha256:/, ""))),
    })),
  );
};

/**
 * Writes a docker-archive read by `readDockerArchive` as a plain OCI image layout in `out`
 * (image-spec image-layout.md): every layer member becomes a blob byte for byte (its digest is
 * the sha256 of the member as stored, its media type tar, tar+gzip or tar+zstd as its bytes say),
 * after checking the tar it holds against the config's diff_id; each config becomes an OCI
 * config (`dockerConfigToOci`), each image a manifest, and index.json names each by its
 * RepoTags' tags. `out` is opened and published as the build does: nothing is left of a failed
 * conversion, and an existing layout's index.json is replaced only at the end.
 */
export const dockerArchiveToLayout = (archive: DockerArchive, out: string): TE.TaskEither<DockerArchiveError, ConvertResult> =>
  pipe(
    openOutput(out),
    TE.mapLeft(output),
    TE.chain((folder) =>
      pipe(
        TE.tryCatch(async () => {
          const temporary = temporaryPath(folder.out, "oci-layout");
          await fs.writeFile(temporary, canonicalJson(layoutFile()));
          await fs.rename(temporary, path.join(folder.out, "oci-layout"));
        }, io(path.join(folder.out, "oci-layout"))),
        TE.chain(() => () => storeLayers(archive, folder)),
        TE.chain((layers) => writeDocuments(archive, folder, layers)),
        TE.chain((written) =>
          pipe(
            publishOutput(folder, { index: canonicalJsonBytes(imageIndex({ manifests: written.entries })), referenced: written.referenced }),
            TE.mapLeft(output),
            TE.map((): ConvertResult => ({ out: folder.out, images: written.images })),
          ),
        ),
        TE.orElse((error) => pipe(TE.fromTask(abandonOutput(folder)), TE.chain(() => TE.left<DockerArchiveError, ConvertResult>(error)))),
      ),
    ),
  );

/** `readDockerArchive` then `dockerArchiveToLayout`: seed 002's toOCIImage. */
export const convertDockerArchive = (file: string, out: string): TE.TaskEither<DockerArchiveError, ConvertResult> => pipe(readDockerArchive(file), TE.chain((archive) => dockerArchiveToLayout(archive, out)));
