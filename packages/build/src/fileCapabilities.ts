import * as E from "fp-ts/lib/Either.js";
import { readCapability } from "@ocistage/tar";
import type { BuildError } from "./BuildError.ts";
import type { TreeNode } from "./LayerTree.ts";

// The layer's nodes with each copied file's security.capability (copiedXattrs.ts says why files
// are read here, when the layer is tarred, and folders and symlinks earlier). One pass before the
// tar's first byte, because a capability anywhere makes the whole layer the pax format
// (layerTarFormat.ts). A capability set after this pass moves the file's ctime, which the tar
// writer checks against the walk's after reading the file: the build fails, it never mixes the two.
// `at` is the tar step, for the message naming the file as the spec reached it.
export const withFileCapabilities = (nodes: readonly TreeNode[], at: string): E.Either<BuildError, readonly TreeNode[]> => {
  let out: TreeNode[] | undefined; // copied only once a file has one: most layers have none
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as TreeNode;
    if (node.data._tag !== "File" || node.data.from._tag !== "Disk") continue;
    const read = readCapability(node.data.from.path, false);
    // A file gone since the walk is the tar writer's to report, as it always was.
    if (E.isLeft(read) && read.left._tag === "Unreadable" && read.left.reason.startsWith("ENOENT:")) continue;
    if (E.isLeft(read)) {
      const reason = read.left._tag === "Unreadable" ? `cannot ${read.left.operation}: ${read.left.reason}` : read.left._tag;
      return E.left({ _tag: "SourceMissing", at, path: node.origin, reason });
    }
    if (read.right.length === 0) continue;
    out ??= [...nodes];
    out[i] = { ...node, xattrs: read.right };
  }
  return E.right(out ?? nodes);
};
