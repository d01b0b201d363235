import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { BuildResult } from "@ocistage/build";
import { formatLayoutError, readLayout } from "@ocistage/layout";
import type { Layout, ManifestNode } from "@ocistage/layout";
import type { Program } from "@ocistage/program";
import type { CliError } from "../CliError.ts";

/** An image of a built layout: the program's id and name for it, its manifest, and the reference index.json gives it. */
export interface LayoutImage {
  readonly id: string;
  readonly name: string;
  readonly reference: string; // "latest" (a single image) or "web:1.0" (a layout)
  readonly manifest: ManifestNode;
  readonly first: boolean; // the first image under its reference (a multi-platform index names several)
}

// index.json's entries are the build's references, in order; an entry that is an image index
// holds its images' manifests in the order of the reference's image ids.
const pair = (layout: Layout, result: BuildResult, program: Program): readonly LayoutImage[] =>
  result.references.flatMap((reference, i) => {
    const node = layout.manifests[i];
    const manifests = node?._tag === "ManifestNode" ? [node] : node?._tag === "IndexNode" ? node.manifests.filter((m): m is ManifestNode => m._tag === "ManifestNode") : [];
    return reference.images.flatMap((id, j) => {
      const manifest = manifests[j];
      const name = program.images.find((image) => image.id === id)?.name ?? program.name;
      return manifest === undefined ? [] : [{ id, name, reference: reference.reference, manifest, first: j === 0 }];
    });
  });

/** Reads the layout a build wrote and pairs each of the program's images with its manifest. */
export const layoutImages = (program: Program, result: BuildResult): TE.TaskEither<CliError, readonly LayoutImage[]> =>
  pipe(
    readLayout(result.out),
    TE.mapLeft((error): CliError => ({ _tag: "Environment", lines: formatLayoutError(error) })),
    TE.map((layout) => pair(layout, result, program)),
  );

/** The images a command works on: the one `--image ID` names, or all of them. */
export const selectImages = (images: readonly LayoutImage[], id: string | undefined): E.Either<CliError, readonly LayoutImage[]> => {
  if (id === undefined) return E.right(images);
  const found = images.filter((image) => image.id === id);
  return found.length > 0 ? E.right(found) : E.left({ _tag: "BadInput", lines: [`--image ${id}: no such image; the images are ${images.map((i) => i.id).join(", ")}`] });
};

/** `--image ID` checked against the program before anything is built: undefined passes. */
export const knownImage = (program: Program, id: string | undefined): E.Either<CliError, void> =>
  id === undefined || program.images.some((image) => image.id === id)
    ? E.right(undefined)
    : E.left({ _tag: "BadInput", lines: [`--image ${id}: no such image; the images are ${program.images.map((i) => i.id).join(", ")}`] });
