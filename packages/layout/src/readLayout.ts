import * as E from "fp-ts/lib/Either.js";
import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { Checked } from "./Checked.ts";
import type { Layout } from "./Layout.ts";
import type { LayoutError } from "./LayoutError.ts";
import { isFatalForRead } from "./LayoutIssue.ts";
import { inspectPath } from "./layoutFs.ts";
import { layoutBlobFile } from "./readBlob.ts";
import type { BlobProbe } from "./readBlob.ts";
import { walkLayout } from "./walkLayout.ts";
import type { WalkedLayout } from "./walkLayout.ts";

/** Reading trusts blob contents: layers are only stat'ed (exists, size), never read or hashed. */
const statProbe =
  (dir: string): BlobProbe =>
  (digest) =>
    pipe(
      inspectPath(layoutBlobFile(dir, digest)),
      TE.map((state) => (state._tag === "File" ? O.some({ size: state.size, digest: O.none }) : O.none)),
    );

const toLayout =
  (dir: string) =>
  (walked: Checked<WalkedLayout>): E.Either<LayoutError, Layout> => {
    const issues = walked.issues.filter(isFatalForRead);
    const { ociLayout, index } = walked.value;
    const manifests = O.sequenceArray(walked.value.manifests);
    // Every `none` in the walk comes with a fatal issue, so the second test is belt and braces.
    if (issues.length > 0 || O.isNone(ociLayout) || O.isNone(index) || O.isNone(manifests)) {
      return E.left({ _tag: "InvalidLayout", issues });
    }
    return E.right({ dir, ociLayout: ociLayout.value, index: index.value, manifests: manifests.value });
  };

/**
 * Reads an OCI image layout directory into a typed description: `oci-layout` and `index.json`
 * decoded, every descriptor followed to its manifest, nested index, config and layers.
 *
 * JSON documents are checked against their descriptors (size, digest, media type) as they are read;
 * layers are checked to exist with the right size, but not hashed (that is `verifyLayout`'s job).
 * Fails with every issue found; unknown media types alone do not fail the read, and such content
 * is kept as a `BlobNode`.
 */
export const readLayout = (dir: string): TE.TaskEither<LayoutError, Layout> =>
  pipe(
    walkLayout(dir, statProbe(dir)),
    TE.mapLeft((e): LayoutError => e),
    TE.chainEitherK(toLayout(dir)),
  );
