import type * as E from "fp-ts/lib/Either.js";
import type { BaseSource, Platform } from "@ocistage/program";

/**
 * Turns a base this package cannot read itself (a docker-archive, a registry image) into an OCI
 * layout folder `dir` (made empty by the caller) and says which of its references is the base
 * (undefined: its only image). Given by the edge (the CLI), which knows the converters and the
 * registry client; Left: why it could not, in one line. Relative paths start at `sourceRoot`;
 * `platform` is the one the image is built for (a registry index is pulled for it alone).
 */
export type BaseMaterialiser = (source: BaseSource, sourceRoot: string, dir: string, platform: Platform) => Promise<E.Either<string, { readonly ref?: string }>>;
