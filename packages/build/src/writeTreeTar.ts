import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as E from "fp-ts/lib/Either.js";
import * as path from "node:path";
import { DEFAULT_DIR_MODE, DEFAULT_FILE_MODE } from "@ocistage/program";
import type { BuildError } from "./BuildError.ts";
import { reasonOf } from "./BuildError.ts";
import type { TreeNode } from "./LayerTree.ts";
import { bytesOfKey, compareTreeOrder } from "./LayerTree.ts";
import type { StoredBlob } from "./blobStore.ts";
import { adoptBlobFile, blobsDir } from "./blobStore.ts";
import type { TarItem } from "./tar/TarItem.ts";
import { bytesContent, diskContent, fileItem, metadataItem } from "./tar/TarItem.ts";
import { directoryEntry, fileEntry, hardLinkEntry, symlinkEntry } from "./tar/TarEntry.ts";
import { describeTarError, showPath } from "./tar/TarError.ts";
import type { TarError } from "./tar/TarError.ts";
import { writeTarFile } from "./tar/writeTar.ts";

// A tree node as the tar writer takes it: the header, and for a file where its bytes are.
export const tarItemOf = (node: TreeNode, mtime: number): TarItem => {
  const meta = { mode: node.mode, uid: node.uid, gid: node.gid, mtime };
  const name = bytesOfKey(node.key);
  switch (node.data._tag) {
    case "Directory":
      return metadataItem(directoryEntry(name, meta));
    case "Symlink":
      return metadataItem(symlinkEntry(name, meta, node.data.target));
    case "HardLink":
      return metadataItem(hardLinkEntry(name, meta, bytesOfKey(node.data.target)));
    case "File": {
      const from = node.data.from;
      return from._tag === "Disk"
        ? fileItem(fileEntry(name, meta, from.identity.size), diskContent(from.path, from.identity))
        : fileItem(fileEntry(name, meta, from.bytes.byteLength), bytesContent(from.bytes));
    }
  }
};

const tarFailure = (at: string) => (error: TarError): BuildError => {
  switch (error._tag) {
    case "FileChanged":
      return { _tag: "SourceChanged", at, path: showPath(error.path), reason: error.reason };
    default:
      return { _tag: "Io", at, path: "", reason: describeTarError(error) };
  }
};

// Streams the items into a temporary file beside the store, hashing on the way (one pass),
// and moves the finished file into blobs/sha256 under its digest.
const tarIntoStore = (layout: string, items: readonly TarItem[], at: string): TE.TaskEither<BuildError, StoredBlob> => {
  const temporary = path.join(layout, `.tmp-tar-${process.pid}-${Math.random().toString(36).slice(2)}`);
  return pipe(
    TE.tryCatch(() => fs.mkdir(blobsDir(layout), { recursive: true }), (e): BuildError => ({ _tag: "Io", at, path: layout, reason: reasonOf(e) })),
    TE.chain(() => pipe(writeTarFile(items.map(E.right), temporary), TE.mapLeft(tarFailure(at)))),
    TE.chain((blob) => adoptBlobFile(layout, temporary, { digest: blob.digest, size: Number(blob.size) }, at)),
    TE.orElse((error) => pipe(TE.fromTask(() => fs.rm(temporary, { force: true })), TE.chain(() => TE.left<BuildError, StoredBlob>(error)))),
  );
};

export const writeLayerTar = (layout: string, nodes: readonly TreeNode[], mtime: number, at: string): TE.TaskEither<BuildError, StoredBlob> =>
  tarIntoStore(
    layout,
    nodes.map((n) => tarItemOf(n, mtime)),
    at,
  );

// image.oci.tar: the layout's own files, root-owned, folders 0755 and files 0644, at the epoch;
// the same bytes GNU tar writes for the folder after `chmod`, so the shell substrate agrees.
export const writeLayoutArchive = (layout: string, archive: string, epoch: number, at: string): TE.TaskEither<BuildError, void> =>
  pipe(
    TE.tryCatch(
      async () => {
        const blobs = (await fs.readdir(blobsDir(layout))).sort();
        const nodes: TreeNode[] = [
          { key: "", data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: 0, gid: 0, origin: at },
          { key: "blobs", data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: 0, gid: 0, origin: at },
          { key: "blobs/sha256", data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: 0, gid: 0, origin: at },
        ];
        for (const name of [...blobs.map((b) => `blobs/sha256/${b}`), "index.json", "oci-layout"]) {
          const file = path.join(layout, name);
          const s = await fs.lstat(file, { bigint: true });
          nodes.push({
            key: name,
            data: { _tag: "File", from: { _tag: "Disk", path: Buffer.from(file), identity: { dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs } } },
            mode: DEFAULT_FILE_MODE,
            uid: 0,
            gid: 0,
            origin: at,
          });
        }
        return nodes.sort((a, b) => compareTreeOrder(a.key, b.key));
      },
      (e): BuildError => ({ _tag: "Io", at, path: layout, reason: reasonOf(e) }),
    ),
    TE.chain((nodes) => {
      const temporary = `${layout}.${archive}.tmp`;
      return pipe(
        writeTarFile(nodes.map((n) => E.right(tarItemOf(n, epoch))), temporary),
        TE.mapLeft(tarFailure(at)),
        TE.chain(() => TE.tryCatch(() => fs.rename(temporary, path.join(layout, archive)), (e): BuildError => ({ _tag: "Io", at, path: archive, reason: reasonOf(e) }))),
      );
    }),
  );
