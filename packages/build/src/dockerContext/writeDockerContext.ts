import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { reasonOf } from "../BuildError.ts";
import type { LayerTree } from "../LayerTree.ts";
import { displayKey } from "../LayerTree.ts";
import { assembleTree, orderedNodes } from "../assembleTree.ts";
import { describeTarError } from "@ocistage/tar";
import { writeTarFile } from "@ocistage/tar";
import { layerTarFormat } from "../layerTarFormat.ts";
import { withFileCapabilities } from "../fileCapabilities.ts";
import { tarItemOf } from "../writeTreeTar.ts";
import type { DockerContextError } from "./DockerContextError.ts";
import type { DockerContextLayerRequest, DockerContextOptions, DockerContextRequest, DockerContextResult } from "./DockerContextRequest.ts";
import { CONTEXT_MARKER } from "./DockerContextRequest.ts";
import type { ContextPlace } from "./placeContext.ts";
import { placeContext } from "./placeContext.ts";
import { materialiseTree } from "./materialiseTree.ts";
import { processAlive } from "../processAlive.ts";

interface Written {
  readonly layer: string;
  readonly name: string;
  readonly nodes: number;
}

const io = (file: string) => (e: unknown): DockerContextError => ({ _tag: "Io", path: file, reason: reasonOf(e) });

const nameOf = (layer: DockerContextLayerRequest): string => (layer._tag === "CopyTree" ? layer.folder : layer.file);

// Each layer's name must be one plain path component, distinct from the others and from ours.
const checkNames = (request: DockerContextRequest): E.Either<DockerContextError, void> => {
  const seen = new Map<string, string>([["Dockerfile", "the Dockerfile"], [CONTEXT_MARKER, "the marker"]]);
  for (const layer of request.layers) {
    const name = nameOf(layer);
    const earlier = seen.get(name);
    if (earlier !== undefined || name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\u0000"))
      return E.left({ _tag: "ContextNameClash", name, layers: [earlier ?? "a plain name", layer.layer] });
    seen.set(name, layer.layer);
  }
  return E.right(undefined);
};

// COPY gives every file and folder but the root one owner: the tree must agree, or the image
// built from the Dockerfile would differ (a copied folder holding what the spec did not show).
const checkOwners = (layer: Extract<DockerContextLayerRequest, { _tag: "CopyTree" }>, tree: LayerTree): E.Either<DockerContextError, LayerTree> => {
  const other = orderedNodes(tree).find((n) => n.key !== "" && (n.uid !== layer.owner.uid || n.gid !== layer.owner.gid));
  return other === undefined
    ? E.right(tree)
    : E.left({ _tag: "OwnerNotCarried", at: layer.assemble.name, path: displayKey(other.key), found: `${other.uid}:${other.gid}`, expected: `${layer.owner.uid}:${layer.owner.gid}` });
};

const writeLayer = (layer: DockerContextLayerRequest, options: DockerContextOptions, dir: string): TE.TaskEither<DockerContextError, Written> => {
  const at = layer.assemble.name;
  const out = path.join(dir, nameOf(layer));
  return pipe(
    assembleTree(layer.assemble, options.sourceRoot),
    TE.mapLeft((error): DockerContextError => ({ _tag: "Build", error })),
    TE.chain((tree) => {
      switch (layer._tag) {
        case "CopyTree":
          return pipe(
            TE.fromEither(checkOwners(layer, tree)),
            TE.chain((checked) => materialiseTree(checked, out, layer.mtime, at)),
          );
        case "AddTar":
          return pipe(
            TE.fromEither(withFileCapabilities(orderedNodes(tree), at)),
            TE.mapLeft((error): DockerContextError => ({ _tag: "Build", error })),
            TE.chain((nodes) =>
              pipe(
                writeTarFile(nodes.map((node) => E.right(tarItemOf(node, layer.mtime))), out, layerTarFormat(nodes)),
                TE.mapLeft((error): DockerContextError => ({ _tag: "Io", path: `${at} ${out}`, reason: describeTarError(error) })),
              ),
            ),
            TE.map(() => tree.size),
          );
      }
    }),
    TE.map((nodes): Written => ({ layer: layer.layer, name: nameOf(layer), nodes })),
  );
};

const fill = (request: DockerContextRequest, options: DockerContextOptions, dir: string): TE.TaskEither<DockerContextError, readonly Written[]> =>
  pipe(
    request.layers.reduce(
      (acc: TE.TaskEither<DockerContextError, readonly Written[]>, layer) =>
        pipe(
          acc,
          TE.chain((done) => pipe(writeLayer(layer, options, dir), TE.map((one) => [...done, one]))),
        ),
      TE.right([]),
    ),
    TE.chainFirst(() =>
      TE.tryCatch(async () => {
        await fs.writeFile(path.join(dir, "Dockerfile"), request.dockerfile);
        await fs.writeFile(path.join(dir, CONTEXT_MARKER), "This folder is a Docker build context written by `ocistage emit dockerfile`; the next run replaces it.\n");
        await fs.chmod(dir, 0o755); // mkdtemp made it 0700
      }, io(dir)),
    ),
  );

const temporaryPrefix = (target: string): string => `.${path.basename(target)}.ocistage-tmp-`;

// A fresh folder beside the target (same file system, so it can be renamed into place); leftovers
// of killed runs, whose pid is gone, are removed first.
const startTemporary = (target: string): TE.TaskEither<DockerContextError, string> =>
  TE.tryCatch(async () => {
    const parent = path.dirname(target);
    await fs.mkdir(parent, { recursive: true });
    const prefix = temporaryPrefix(target);
    for (const name of await fs.readdir(parent)) {
      const pid = name.startsWith(prefix) ? Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]) : NaN;
      if (Number.isInteger(pid) && !processAlive(pid)) await fs.rm(path.join(parent, name), { recursive: true, force: true });
    }
    return fs.mkdtemp(path.join(parent, `${prefix}${process.pid}-`));
  }, io(target));

// Puts the finished folder in place: one rename over nothing or an empty folder; an earlier
// context is moved aside first and removed after, the only moment DIR is missing.
const swapIn = (place: ContextPlace, temporary: string): TE.TaskEither<DockerContextError, void> =>
  TE.tryCatch(async () => {
    if (place.state !== "ours") return fs.rename(temporary, place.target);
    const old = `${temporary}-old`;
    await fs.rename(place.target, old);
    await fs.rename(temporary, place.target).catch(async (e: unknown) => {
      await fs.rename(old, place.target);
      throw e;
    });
    await fs.rm(old, { recursive: true, force: true });
  }, io(place.target));

// Writes DIR/Dockerfile and the context it copies from (see DockerContextRequest), atomically
// where the file system allows: a failed run leaves DIR as it was.
export const writeDockerContext = (request: DockerContextRequest, options: DockerContextOptions): TE.TaskEither<DockerContextError, DockerContextResult> =>
  pipe(
    TE.fromEither(checkNames(request)),
    TE.chain(() => placeContext(request, options)),
    TE.chain((place) =>
      pipe(
        startTemporary(place.target),
        TE.chain((temporary) =>
          pipe(
            fill(request, options, temporary),
            TE.chainFirst(() => swapIn(place, temporary)),
            TE.orElse((error) =>
              pipe(
                TE.fromTask(() => fs.rm(temporary, { recursive: true, force: true })),
                TE.chain(() => TE.left<DockerContextError, readonly Written[]>(error)),
              ),
            ),
          ),
        ),
        TE.map(
          (layers): DockerContextResult => ({
            context: place.target,
            dockerfile: path.join(place.target, "Dockerfile"),
            layers: layers.map((l) => ({ layer: l.layer, path: path.join(place.target, l.name), nodes: l.nodes })),
          }),
        ),
      ),
    ),
  );
