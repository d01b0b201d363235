import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { formatBundleError, isBundleEnvironmentError, writeBundle } from "@ocistage/bundle";
import type { BundleImage, BundleResult } from "@ocistage/bundle";
import { formatLayoutError, readLayout } from "@ocistage/layout";
import type { Layout, LayoutNode, ManifestNode } from "@ocistage/layout";
import { refNameOf } from "@ocistage/oci";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";
import { buildProgram } from "./build.ts";
import { knownImage, layoutImages, selectImages } from "./layoutImages.ts";

type Bundle = Extract<Command, { _tag: "Bundle" }>;

const bad = (lines: readonly string[]): CliError => ({ _tag: "BadInput", lines });

// The host's platform as an image names it, to choose among the manifests of a multi-platform reference.
const HOST_ARCHITECTURE: Readonly<Record<string, string>> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x", riscv64: "riscv64" };

const manifestsUnder = (node: LayoutNode): readonly ManifestNode[] =>
  node._tag === "ManifestNode" ? [node] : node._tag === "IndexNode" ? node.manifests.flatMap(manifestsUnder) : [];

// `--from-layout DIR[:REF]`: DIR as given when it exists, else split at its last colon.
const splitLayoutRef = async (given: string): Promise<{ readonly dir: string; readonly ref?: string }> => {
  const colon = given.lastIndexOf(":");
  if (colon <= 0 || (await fs.lstat(given).catch(() => undefined)) !== undefined) return { dir: given };
  return { dir: given.slice(0, colon), ref: given.slice(colon + 1) };
};

// The one manifest a reference (or the whole layout, without one) leads to; of several
// platforms, the host's.
const pickManifest = (layout: Layout, ref: string | undefined): E.Either<CliError, ManifestNode> => {
  const entries = layout.index.manifests.flatMap((d, i) => (ref === undefined || refNameOf(d) === ref ? [layout.manifests[i]] : [])).filter((n): n is LayoutNode => n !== undefined);
  const candidates = entries.flatMap(manifestsUnder);
  const host = candidates.filter((m) => m.descriptor.platform === undefined || (m.descriptor.platform.os === "linux" && m.descriptor.platform.architecture === HOST_ARCHITECTURE[process.arch]));
  const names = layout.index.manifests.map((d) => refNameOf(d) ?? d.digest).join(", ");
  if (candidates.length === 0) return E.left(bad([`--from-layout ${layout.dir}${ref === undefined ? "" : `:${ref}`}: no image${ref === undefined ? "" : ` is named ${ref}`}; index.json names ${names || "nothing"}`]));
  const [only] = candidates.length === 1 ? candidates : host.length === 1 ? host : [];
  return only === undefined ? E.left(bad([`--from-layout ${layout.dir}: ${candidates.length} images; name one as DIR:REF (index.json names ${names})`])) : E.right(only);
};

const fromLayout = (given: string): TE.TaskEither<CliError, BundleImage> =>
  pipe(
    TE.fromTask(() => splitLayoutRef(given)),
    TE.chain(({ dir, ref }) =>
      pipe(
        readLayout(dir),
        TE.mapLeft((error): CliError => (error._tag === "InvalidLayout" ? bad(formatLayoutError(error).map((l) => `--from-layout ${dir}: ${l}`)) : { _tag: "Environment", lines: formatLayoutError(error) })),
        TE.chainEitherK((layout) => pickManifest(layout, ref)),
        TE.map((manifest): BundleImage => ({ name: ref === undefined ? path.basename(path.resolve(dir)) : ref.replace(/:.*$/, ""), manifest })),
      ),
    ),
  );

const render = (result: BundleResult, json: boolean): string =>
  json
    ? JSON.stringify({ out: result.out, config: result.config }, null, 2)
    : [`wrote ${result.out} (config.json and rootfs/): ${result.config.process.args.map((a) => JSON.stringify(a)).join(" ")}${result.config.root.readonly ? " on a read-only root" : ""}`, `run it with: runc run --bundle ${result.out} ID`].join("\n");

const bundleOf = (command: Bundle, image: BundleImage): TE.TaskEither<CliError, string> =>
  pipe(
    writeBundle(image, command.out, { readonly: command.readonly }),
    TE.mapLeft((error): CliError => ({ _tag: isBundleEnvironmentError(error) ? "Environment" : "BadInput", lines: formatBundleError(error) })),
    TE.map((result) => render(result, command.json)),
  );

// A spec is built into a layout beside --out first (with the cache, so an unchanged image
// tars nothing), which is removed once the bundle is written.
const fromSpec = (command: Bundle, spec: string): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(spec),
    TE.chain(({ loaded, program }) => {
      const target = path.resolve(command.out);
      const layout = path.join(path.dirname(target), `.${path.basename(target)}.ocistage-tmp-${process.pid}-layout`);
      const cleanup = (): Promise<void> => fs.rm(layout, { recursive: true, force: true });
      const several = program.images.length > 1 && command.image === undefined;
      if (several) return TE.left(bad([`${spec}: ${program.images.length} images; choose one with --image ID (${program.images.map((i) => i.id).join(", ")})`]));
      return pipe(
        TE.fromEither(knownImage(program, command.image)),
        TE.chain(() => buildProgram(program, loaded.dir, layout)),
        TE.chain((result) => layoutImages(program, result)),
        TE.chainEitherK((images) => selectImages(images, command.image)),
        TE.chainEitherK((images) => {
          const [only, ...others] = images;
          return only !== undefined && others.length === 0 ? E.right(only) : E.left(bad([`${spec}: ${images.length} images; choose one with --image ID`]));
        }),
        TE.chain((image) => bundleOf(command, { name: image.name, manifest: image.manifest })),
        TE.chainFirst(() => TE.fromTask(cleanup)),
        TE.orElse((error) => pipe(TE.fromTask(cleanup), TE.chain(() => TE.left(error)))),
      );
    }),
  );

/**
 * `ocistage bundle SPEC --out DIR [--image ID] [--readonly]` or `bundle --from-layout
 * DIR[:REF] --out DIR`: an OCI runtime bundle (config.json and rootfs/) of the image, which
 * `runc run --bundle DIR ID` starts.
 */
export const bundleCommand = (command: Bundle): TE.TaskEither<CliError, string> =>
  command.source._tag === "Spec" ? fromSpec(command, command.source.spec) : pipe(fromLayout(command.source.layout), TE.chain((image) => bundleOf(command, image)));
