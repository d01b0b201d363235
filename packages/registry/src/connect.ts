import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { Credentials } from "./credentials/Credentials.ts";
import type { CredentialFile } from "./credentials/findCredentials.ts";
import { credentialFiles, findCredentials } from "./credentials/findCredentials.ts";
import type { RegistryClient } from "./http/RegistryClient.ts";
import { openRegistry } from "./http/RegistryClient.ts";
import type { RetryPolicy } from "./http/retryPolicy.ts";
import type { Reference } from "./Reference.ts";
import type { RegistryError } from "./RegistryError.ts";

/** How to reach a registry: what the user said with `--tls-verify`, `--cert-dir`, `--creds`, `--retries`. */
export interface ConnectionOptions {
  /** False: no certificate check for the registry of the reference (and plain HTTP if it has no TLS). */
  readonly tlsVerify: boolean;
  readonly certDir?: string | undefined;
  /** `--creds`: used instead of any file. */
  readonly creds?: Credentials | undefined;
  readonly policy: RetryPolicy;
  /** The credentials files, in order; the standard ones unless a test says otherwise. */
  readonly files?: readonly CredentialFile[];
}

/** Finds the credentials for a reference's repository and opens its registry. */
export const connect = (ref: Pick<Reference, "registry" | "repository">, options: ConnectionOptions): TE.TaskEither<RegistryError, RegistryClient> =>
  pipe(
    findCredentials(ref.registry, ref.repository, options.creds, options.files ?? credentialFiles()),
    TE.chain((credentials) => openRegistry({ registry: ref.registry, repository: ref.repository, tlsVerify: options.tlsVerify, certDir: options.certDir, credentials, policy: options.policy })),
  );
