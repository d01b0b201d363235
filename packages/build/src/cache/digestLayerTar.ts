import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { Writable } from "node:stream";
import type { BuildError } from "../BuildError.ts";
import type { TreeNode } from "../LayerTree.ts";
import type { StoredBlob } from "../blobStore.ts";
import { describeTarError, showPath } from "@ocistage/tar";
import type { TarError } from "@ocistage/tar";
import { writeTar } from "@ocistage/tar";
import { tarItemOf } from "../writeTreeTar.ts";
import { layerTarFormat } from "../layerTarFormat.ts";
import { withFileCapabilities } from "../fileCapabilities.ts";

// The layer tar's digest and size without writing it anywhere: --verify-inputs reads and
// hashes every input this way, and writes the blob only when the digest is not the cached one
// (a write costs more than the read and the hash together).
export const digestLayerTar = (nodes: readonly TreeNode[], mtime: number, at: string): TE.TaskEither<BuildError, StoredBlob> =>
  pipe(
    TE.fromEither(withFileCapabilities(nodes, at)),
    TE.chain((all) => digestNodes(all, mtime, at)),
  );

const digestNodes = (nodes: readonly TreeNode[], mtime: number, at: string): TE.TaskEither<BuildError, StoredBlob> =>
  pipe(
    writeTar(
      nodes.map((n) => E.right(tarItemOf(n, mtime))),
      new Writable({ write: (_chunk, _encoding, done) => done() }),
      { recycle: true, format: layerTarFormat(nodes) }, // the null sink keeps no chunk
    ),
    TE.bimap(
      (error: TarError): BuildError =>
        error._tag === "FileChanged" ? { _tag: "SourceChanged", at, path: showPath(error.path), reason: error.reason } : { _tag: "Io", at, path: "", reason: describeTarError(error) },
      (digest) => ({ digest: digest.digest, size: Number(digest.size) }),
    ),
  );
