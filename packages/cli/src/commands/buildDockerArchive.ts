import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { BuildResult } from "@ocistage/build";
import { formatDockerArchiveError, isDockerArchiveEnvironmentError, writeDockerArchive } from "@ocistage/docker-archive";
import type { ArchiveImage } from "@ocistage/docker-archive";
import type { Program } from "@ocistage/program";
import type { CliError } from "../CliError.ts";
import type { LayoutImage } from "./layoutImages.ts";
import { layoutImages, selectImages } from "./layoutImages.ts";

// The name `docker load` gives an image: a layout's references are NAME:TAG already, a single
// image's is the bare tag.
const repoTag = (image: LayoutImage): string => (image.reference.includes(":") ? image.reference : `${image.name}:${image.reference}`);

// A tag names one image in a docker-archive: of a multi-platform reference, the first image
// (the spec's first platform) gets it unless `--image` picked another; the rest load untagged.
const archiveImages = (images: readonly LayoutImage[], picked: boolean, layout: string): readonly ArchiveImage[] =>
  images.map((image) => ({ layout, manifest: image.manifest, repoTags: picked || image.first ? [repoTag(image)] : [] }));

/**
 * `build --docker-archive FILE [--image ID]`: after the build, the layout's images (all, or the
 * one `--image` names) also go into FILE in the `docker save` format, with SOURCE_DATE_EPOCH as
 * every mtime. Returns the file and the line the build prints about it.
 */
export const buildDockerArchive = (program: Program, result: BuildResult, file: string, image: string | undefined): TE.TaskEither<CliError, { readonly dockerArchive: string; readonly line: string }> =>
  pipe(
    layoutImages(program, result),
    TE.chainEitherK((images) => selectImages(images, image)),
    TE.chain((images) =>
      pipe(
        writeDockerArchive(archiveImages(images, image !== undefined, result.out), file, program.sourceDateEpoch),
        TE.mapLeft((error): CliError => ({ _tag: isDockerArchiveEnvironmentError(error) ? "Environment" : "BadInput", lines: formatDockerArchiveError(error) })),
      ),
    ),
    TE.map((written) => ({
      dockerArchive: written.file,
      line: `wrote ${written.file} (docker-archive of ${written.manifest.map((m) => (m.RepoTags ?? []).join(", ") || `untagged ${m.Config}`).join("; ")})`,
    })),
  );
