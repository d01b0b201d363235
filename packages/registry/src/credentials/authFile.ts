import * as O from "fp-ts/lib/Option.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import { DOCKER_HUB } from "../Reference.ts";
import type { RegistryError } from "../RegistryError.ts";
import { reasonOf } from "../RegistryError.ts";
import { askCredentialHelper } from "./credentialHelper.ts";
import type { Credentials, FoundCredentials } from "./Credentials.ts";

/**
 * One credentials file: the containers tools' `auth.json` and docker's `config.json` share the
 * shape `{"auths": {KEY: {"auth": base64("user:password")}}, "credHelpers": {REGISTRY: NAME},
 * "credsStore": NAME}`. Within a file, as docker does: the registry's `credHelpers` entry, else
 * `credsStore`, and when the helper has nothing, the `auths` entry. Keys in `auths` may be a
 * registry, a URL of one (`https://index.docker.io/v1/`) or, as containers-auth.json(5) allows,
 * `registry/namespace/repo`: the most specific key that covers the repository wins.
 */
interface AuthEntry {
  readonly auth?: unknown;
  readonly username?: unknown;
  readonly password?: unknown;
}

interface AuthFileJson {
  readonly auths?: Readonly<Record<string, AuthEntry>>;
  readonly credHelpers?: Readonly<Record<string, unknown>>;
  readonly credsStore?: unknown;
}

/** `https://index.docker.io/v1/` → `docker.io`; `http://host:5000/` → `host:5000`; `host/a/b` stays. */
export const normaliseAuthKey = (key: string): string => {
  const bare = key.replace(/^https?:\/\//, "").replace(/\/v[12]\/?$/, "").replace(/\/+$/, "");
  return bare === "index.docker.io" || bare === "registry-1.docker.io" ? DOCKER_HUB : bare;
};

/** The keys that cover a repository, most specific first: `reg/a/b`, `reg/a`, `reg`. */
const coveringKeys = (registry: string, repository: string): readonly string[] => {
  const parts = repository.split("/");
  return [...parts.map((_, i) => `${registry}/${parts.slice(0, parts.length - i).join("/")}`), registry];
};

const readJson = (file: string, label: string): TE.TaskEither<RegistryError, O.Option<AuthFileJson>> => async () => {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { _tag: "Right", right: O.none };
    return { _tag: "Left", left: { _tag: "Credentials", source: label, reason: `cannot be read: ${reasonOf(e)}` } };
  }
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("not an object");
    return { _tag: "Right", right: O.some(json as AuthFileJson) };
  } catch {
    return { _tag: "Left", left: { _tag: "Credentials", source: label, reason: "is not a JSON object" } };
  }
};

const decodeEntry = (entry: AuthEntry, key: string, label: string): TE.TaskEither<RegistryError, O.Option<Credentials>> => {
  if (typeof entry.auth === "string" && entry.auth !== "") {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon <= 0
      ? TE.left({ _tag: "Credentials", source: label, reason: `the "auth" of ${JSON.stringify(key)} is not base64 of USER:PASSWORD` })
      : TE.right(O.some({ username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }));
  }
  if (typeof entry.username === "string" && typeof entry.password === "string") return TE.right(O.some({ username: entry.username, password: entry.password }));
  return TE.right(O.none); // e.g. an identitytoken-only entry: not supported, looked past
};

const fromAuths = (json: AuthFileJson, registry: string, repository: string, label: string): TE.TaskEither<RegistryError, O.Option<FoundCredentials>> => {
  const byKey = new Map(Object.entries(json.auths ?? {}).map(([k, v]) => [normaliseAuthKey(k), { key: k, entry: v }]));
  const hit = coveringKeys(registry, repository).map((k) => byKey.get(k)).find((x) => x !== undefined);
  if (hit === undefined || typeof hit.entry !== "object" || hit.entry === null) return TE.right(O.none);
  return pipe(
    decodeEntry(hit.entry, hit.key, label),
    TE.map(O.map((credentials): FoundCredentials => ({ _tag: "Found", credentials, source: label }))),
  );
};

const helperOf = (json: AuthFileJson, registry: string): { readonly name: string; readonly via: string } | undefined => {
  const own = Object.entries(json.credHelpers ?? {}).find(([k, v]) => normaliseAuthKey(k) === registry && typeof v === "string" && v !== "");
  if (own !== undefined) return { name: String(own[1]), via: "credHelpers" };
  return typeof json.credsStore === "string" && json.credsStore !== "" ? { name: json.credsStore, via: "credsStore" } : undefined;
};

/**
 * Looks a registry up in one credentials file. `none`: the file is absent or has nothing for the
 * registry; an error: the file is unreadable or malformed, or its helper failed.
 */
export const lookupAuthFile = (file: string, label: string, registry: string, repository: string): TE.TaskEither<RegistryError, O.Option<FoundCredentials>> =>
  pipe(
    readJson(file, label),
    TE.chain(
      O.match(
        () => TE.right(O.none),
        (json) => {
          const helper = helperOf(json, registry);
          if (helper === undefined) return fromAuths(json, registry, repository, label);
          const source = `docker-credential-${helper.name} (${helper.via} in ${label})`;
          const server = registry === DOCKER_HUB ? "https://index.docker.io/v1/" : registry;
          return pipe(
            askCredentialHelper(helper.name, server, source),
            TE.chain(
              O.match(
                () => fromAuths(json, registry, repository, label),
                (credentials) => TE.right(O.some<FoundCredentials>({ _tag: "Found", credentials, source })),
              ),
            ),
          );
        },
      ),
    ),
  );
