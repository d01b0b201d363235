import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import * as os from "node:os";
import * as path from "node:path";
import type { RegistryError } from "../RegistryError.ts";
import { lookupAuthFile } from "./authFile.ts";
import type { Credentials, FoundCredentials } from "./Credentials.ts";

/** A credentials file to look in, and how messages name it. */
export interface CredentialFile {
  readonly file: string;
  readonly label: string;
}

/**
 * The credentials files in the order the containers tools read them (containers-auth.json(5)),
 * then docker's: `$REGISTRY_AUTH_FILE`, `${XDG_RUNTIME_DIR}/containers/auth.json`,
 * `${DOCKER_CONFIG:-~/.docker}/config.json`. Variables that are unset add no file.
 */
export const credentialFiles = (env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): readonly CredentialFile[] => {
  const files: CredentialFile[] = [];
  const authFile = env["REGISTRY_AUTH_FILE"];
  if (authFile !== undefined && authFile !== "") files.push({ file: authFile, label: `$REGISTRY_AUTH_FILE (${authFile})` });
  const runtime = env["XDG_RUNTIME_DIR"];
  if (runtime !== undefined && runtime !== "") {
    const file = path.join(runtime, "containers", "auth.json");
    files.push({ file, label: file });
  }
  const dockerDir = env["DOCKER_CONFIG"] !== undefined && env["DOCKER_CONFIG"] !== "" ? env["DOCKER_CONFIG"] : path.join(home, ".docker");
  const docker = path.join(dockerDir, "config.json");
  files.push({ file: docker, label: docker });
  return files;
};

/** `--creds USER:PASSWORD` (the password may hold colons; the user may not). */
export const parseCredsFlag = (value: string): Credentials | undefined => {
  const colon = value.indexOf(":");
  return colon <= 0 ? undefined : { username: value.slice(0, colon), password: value.slice(colon + 1) };
};

/**
 * The credentials for one repository of a registry: `--creds` if given, else the first file (in
 * `credentialFiles` order) that has an entry for it, else anonymous (listing where it looked).
 */
export const findCredentials = (
  registry: string,
  repository: string,
  creds: Credentials | undefined,
  files: readonly CredentialFile[] = credentialFiles(),
): TE.TaskEither<RegistryError, FoundCredentials> => {
  if (creds !== undefined) return TE.right({ _tag: "Found", credentials: creds, source: "--creds" });
  const step = (rest: readonly CredentialFile[]): TE.TaskEither<RegistryError, FoundCredentials> => {
    const [first, ...others] = rest;
    if (first === undefined) return TE.right({ _tag: "Anonymous", searched: files.map((f) => f.label) });
    return pipe(
      lookupAuthFile(first.file, first.label, registry, repository),
      TE.chain(O.match(() => step(others), (found) => TE.right(found))),
    );
  };
  return step(files);
};
