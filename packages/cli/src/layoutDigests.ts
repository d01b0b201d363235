import { matchLayoutNode } from "@ocistage/layout";
import type { LayoutNode } from "@ocistage/layout";
import { digestHex } from "@ocistage/oci";

/** Every blob (hex) an entry of a layout reaches: manifests, indexes, configs, layers. */
export const digestsOfNode: (node: LayoutNode) => readonly string[] = matchLayoutNode<readonly string[]>({
  ManifestNode: (m) => [m.descriptor.digest, m.config.descriptor.digest, ...m.layers.map((l) => l.descriptor.digest)].map(digestHex),
  IndexNode: (i) => [digestHex(i.descriptor.digest), ...i.manifests.flatMap((c) => digestsOfNode(c))],
  BlobNode: (b) => [digestHex(b.descriptor.digest)],
});
