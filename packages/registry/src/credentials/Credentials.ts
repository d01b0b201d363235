/** A user name and its password (or token): what HTTP basic auth and token servers take. */
export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/**
 * What the credential search found for a registry: the credentials, if any, and where they came
 * from in words ("--creds", "$REGISTRY_AUTH_FILE /x/auth.json", "docker-credential-pass via
 * credsStore in /root/.docker/config.json"), plus every place looked at. Error messages print
 * `describeCredentials`, which never holds the password.
 */
export type FoundCredentials =
  | { readonly _tag: "Found"; readonly credentials: Credentials; readonly source: string }
  | { readonly _tag: "Anonymous"; readonly searched: readonly string[] };

/** For 401/403 messages and `--json`: where credentials came from, never what they are. */
export const describeCredentials = (found: FoundCredentials): string =>
  found._tag === "Found"
    ? `user ${JSON.stringify(found.credentials.username)} from ${found.source}`
    : found.searched.length === 0
      ? "none (anonymous)"
      : `none found in ${found.searched.join(", ")} (anonymous)`;
