import * as TE from "fp-ts/lib/TaskEither.js";
import { createHash } from "node:crypto";
import type { Hash } from "node:crypto";
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
import { temporaryPath } from "./temporaryPath.ts";
import type { TarItem } from "@ocistage/tar";
import { bytesContent, diskContent, fileItem, metadataItem } from "@ocistage/tar";
import { directoryEntry, fileEntry, hardLinkEntry, symlinkEntry } from "@ocistage/tar";
import { describeTarError, showPath } from "@ocistage/tar";
import type { TarError } from "@ocistage/tar";
import { writeTarFile, writeTarFileUnhashed } from "@ocistage/tar";
import type { TarFormat, TarItems } from "@ocistage/tar";
import { layerTarFormat } from "./layerTarFormat.ts";
import { withFileCapabilities } from "./fileCapabilities.ts";
import type { TarCompression } from "./compress/compressedTarFile.ts";
import { writeCompressedTarFile } from "./compress/compressedTarFile.ts";
import type { LayerStorage, StoredLayer } from "./compress/LayerStorage.ts";
import { tarCompression } from "./compress/LayerStorage.ts";

// A tree node as the tar writer takes it: the header, and for a file where its bytes are.
export const tarItemOf = (node: TreeNode, mtime: number): TarItem => {
  const meta = { mode: node.mode, uid: node.uid, gid: node.gid, mtime };
  const name = bytesOfKey(node.key);
  const xattrs = node.xattrs ?? [];
  switch (node.data._tag) {
    case "Directory":
      return metadataItem(directoryEntry(name, meta, xattrs));
    case "Symlink":
      return metadataItem(symlinkEntry(name, meta, node.data.target, xattrs));
    case "HardLink":
      return metadataItem(hardLinkEntry(name, meta, bytesOfKey(node.data.target)));
    case "File": {
      const from = node.data.from;
      return from._tag === "Disk"
        ? fileItem(fileEntry(name, meta, from.identity.size, xattrs), diskContent(from.path, from.identity))
        : fileItem(fileEntry(name, meta, from.bytes.byteLength, xattrs), bytesContent(from.bytes));
    }
  }
};

// Failures of the tar step, said in the build's terms: a source file that changed or cannot be
// read is the input's fault (exit 1) and is named as the spec reached it; a failing disk is not.
const ENVIRONMENT_CODES = /^(EIO|ENOSPC|EMFILE|ENFILE|ENOMEM|EDQUOT|EROFS):/;

const tarFailure =
  (at: string, nodes: readonly TreeNode[]) =>
  (error: TarError): BuildError => {
    const named = (diskPath: Uint8Array): string => {
      const node = nodes.find((n) => n.data._tag === "File" && n.data.from._tag === "Disk" && Buffer.from(n.data.from.path).equals(diskPath));
      return node === undefined ? showPath(diskPath) : node.origin;
    };
    switch (error._tag) {
      case "FileChanged":
        return { _tag: "SourceChanged", at, path: named(error.path), reason: error.reason };
      case "Unreadable": {
        // Node's ", open '/abs/path'" tail repeats the file the message already names.
        const reason = `cannot ${error.operation}: ${error.reason.replace(/, [a-z]+ '.*'$/, "")}`;
        return ENVIRONMENT_CODES.test(error.reason) ? { _tag: "Io", at, path: showPath(error.path), reason } : { _tag: "SourceMissing", at, path: named(error.path), reason };
      }
      default:
        return { _tag: "Io", at, path: "", reason: describeTarError(error) };
    }
  };

// The tar, uncompressed (its digest is its diff_id) or compressed (compressedTarFile.ts), into `file`.
const writeStoredTar = (items: TarItems, file: string, format: TarFormat, compression: TarCompression | undefined): TE.TaskEither<TarError, StoredLayer> =>
  compression === undefined
    ? pipe(
        writeTarFile(items, file, format),
        TE.map((tar) => ({ digest: tar.digest, size: Number(tar.size), diffId: tar.digest })),
      )
    : pipe(
        writeCompressedTarFile(items, file, format, compression),
        TE.map(({ diffId, blob }) => ({ digest: blob.digest, size: blob.size, diffId: diffId.digest })),
      );

// Streams the items into a temporary file inside the layout, hashing on the way (one pass), and
// moves the finished file into blobs/sha256 under its digest.
const tarIntoStore = (layout: string, items: TarItems, format: TarFormat, at: string, fail: (error: TarError) => BuildError, compression?: TarCompression): TE.TaskEither<BuildError, StoredLayer> => {
  const temporary = temporaryPath(layout, "tar");
  return pipe(
    TE.tryCatch(() => fs.mkdir(blobsDir(layout), { recursive: true }), (e): BuildError => ({ _tag: "Io", at, path: layout, reason: reasonOf(e) })),
    TE.chain(() => pipe(writeStoredTar(items, temporary, format, compression), TE.mapLeft(fail))),
    TE.chain((layer) => pipe(adoptBlobFile(layout, temporary, layer, at), TE.map(() => layer))),
    TE.orElse((error) => pipe(TE.fromTask(() => fs.rm(temporary, { force: true })), TE.chain(() => TE.left<BuildError, StoredLayer>(error)))),
  );
};

// A layer's nodes (in tar order) into a blob, stored as `storage` says. The writer reads files up
// to a chunk with synchronous calls straight into its pooled chunks (writeTar.ts): for 50,000 files
// of 1 GiB that is half the CPU time of reading each into a buffer of its own first, and 60 MB less memory.
export const writeLayerTar = (layout: string, nodes: readonly TreeNode[], mtime: number, at: string, storage: LayerStorage): TE.TaskEither<BuildError, StoredLayer> =>
  pipe(
    TE.fromEither(withFileCapabilities(nodes, at)),
    TE.chain((all) => tarIntoStore(layout, lazyItems(all, mtime), layerTarFormat(all), at, tarFailure(at, all), tarCompression(storage))),
  );

// One item at a time, as the writer asks: a layer of 100,000 files never holds 100,000 headers.
function* lazyItems(nodes: readonly TreeNode[], mtime: number): Generator<TarItem, void, undefined> {
  for (const node of nodes) yield tarItemOf(node, mtime);
}

/**
 * What image.oci.tar holds: the layout's oci-layout, the new index.json (still a temporary: it
 * is put in place after the archive) and the blobs it reaches, by hex. `target` is where the
 * archive is written (a temporary the build renames into place).
 */
export interface LayoutArchiveInput {
  readonly layout: string;
  readonly index: string;
  readonly blobs: readonly string[];
  readonly target: string;
  readonly epoch: number;
  readonly at: string;
}

// image.oci.tar: the layout's own files, root-owned, folders 0755 and files 0644, at the epoch;
// the same bytes GNU tar writes for the folder after `chmod`, so the shell substrate agrees.
// Returns the sha256 of each blob as it went into the archive (file name → hex): reading every
// blob here anyway, the build checks them on this one read (verify-blobs).
export const writeLayoutArchive = ({ layout, index, blobs, target, epoch, at }: LayoutArchiveInput): TE.TaskEither<BuildError, ReadonlyMap<string, string>> =>
  pipe(
    TE.tryCatch(
      async () => {
        const nodes: TreeNode[] = [
          { key: "", data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: 0, gid: 0, origin: at },
          { key: "blobs", data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: 0, gid: 0, origin: at },
          { key: "blobs/sha256", data: { _tag: "Directory" }, mode: DEFAULT_DIR_MODE, uid: 0, gid: 0, origin: at },
        ];
        const files: readonly (readonly [string, string])[] = [
          ...[...blobs].sort().map((b) => [`blobs/sha256/${b}`, path.join(blobsDir(layout), b)] as const),
          ["index.json", index],
          ["oci-layout", path.join(layout, "oci-layout")],
        ];
        for (const [name, file] of files) {
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
      const hashes = new Map<string, Hash>();
      const items = nodes.map((n): E.Either<TarError, TarItem> => {
        const item = tarItemOf(n, epoch);
        if (!n.key.startsWith("blobs/sha256/") || item.entry._tag !== "File" || item.content?._tag !== "Disk") return E.right(item);
        const hash = createHash("sha256");
        hashes.set(n.key.slice("blobs/sha256/".length), hash);
        return E.right(fileItem(item.entry, { ...item.content, onData: (bytes) => void hash.update(bytes) }));
      });
      return pipe(
        writeTarFileUnhashed(items, target),
        TE.mapLeft(tarFailure(at, nodes)),
        TE.map(() => new Map([...hashes].map(([name, hash]) => [name, hash.digest("hex")]))),
      );
    }),
  );
