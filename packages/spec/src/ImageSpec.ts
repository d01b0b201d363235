import * as t from "io-ts";
import { strictType } from "./strictType.ts";
import { keyedUnion } from "./keyedUnion.ts";

// The image spec as users write it (JSON, YAML or a `.ts` module calling `ociImage`).
// Every object is strict: an unknown key is an error with a typo hint, never ignored.

const NonEmptyString = new t.Type<string, string, unknown>(
  "non-empty string",
  (u): u is string => typeof u === "string" && u.length > 0,
  (u, c) => (typeof u === "string" && u.length > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const Id = new t.Type<number, number, unknown>(
  "uid/gid (integer 0..4294967294)",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0 && u < 4294967295,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 0 && u < 4294967295 ? t.success(u) : t.failure(u, c),
  t.identity,
);

// Modes are written as octal strings ("0755") in JSON/YAML, where a bare 755 would be decimal.
const Mode = new t.Type<number, string, unknown>(
  "octal mode string such as \"0644\"",
  (u): u is number => typeof u === "number",
  (u, c) =>
    typeof u === "string" && /^0?[0-7]{3,4}$/.test(u) && parseInt(u, 8) <= 0o7777
      ? t.success(parseInt(u, 8))
      : t.failure(u, c),
  (n) => "0" + n.toString(8).padStart(3, "0"),
);

const Ownership = { uid: Id, gid: Id };

// How a copy treats what it finds on disk (README, "Copied files"): `modes` keep (the default)
// or normalise; `owners` set (every copied file gets uid/gid, the default) or keep (numeric owners
// from disk); `exclude` gitignore-style patterns for paths inside the copied folder.
const CopyRules = {
  modes: t.keyof({ keep: null, normalise: null }, "\"keep\" or \"normalise\""),
  owners: t.keyof({ set: null, keep: null }, "\"set\" or \"keep\""),
  exclude: t.readonlyArray(NonEmptyString),
};

export const CopyEntry = strictType("copy entry", { source: NonEmptyString, destination: NonEmptyString }, { mode: Mode, ...Ownership, ...CopyRules });
export const SymlinkEntry = strictType("symlink entry", { symlink: NonEmptyString, destination: NonEmptyString }, Ownership);
export const ContentEntry = strictType("content entry", { content: t.string, destination: NonEmptyString }, { mode: Mode, ...Ownership });
export const DirectoryEntry = strictType("directory entry", { directory: NonEmptyString }, { mode: Mode, ...Ownership });

export const FileEntry = keyedUnion("file entry", {
  source: CopyEntry,
  symlink: SymlinkEntry,
  content: ContentEntry,
  directory: DirectoryEntry,
});
export type FileEntry = t.TypeOf<typeof FileEntry>;

export const LayerSpec = strictType(
  "layer",
  { name: t.refinement(NonEmptyString, (s) => /^[a-z0-9][a-z0-9._-]*$/.test(s), "layer name ([a-z0-9][a-z0-9._-]*)") },
  { source: NonEmptyString, files: t.readonlyArray(FileEntry), ...Ownership, ...CopyRules },
);
export type LayerSpec = t.TypeOf<typeof LayerSpec>;

export const SmokeTest = strictType(
  "smoke test",
  { name: NonEmptyString, command: t.readonlyArray(t.string) },
  // `entrypoint` replaces the image's for this test (as `podman run --entrypoint`); `command` is its arguments.
  { entrypoint: t.readonlyArray(t.string), expectOutput: t.string, expectExitCode: t.number },
);
export type SmokeTest = t.TypeOf<typeof SmokeTest>;

const Port = t.union([t.refinement(t.string, (s) => /^[0-9]{1,5}(\/(tcp|udp|sctp))?$/.test(s), "port \"80\", \"80/tcp\" or \"53/udp\""), t.refinement(t.number, (n) => Number.isInteger(n) && n > 0 && n < 65536, "port number 1..65535")]);

const EnvList = t.readonlyArray(t.refinement(t.string, (s) => /^[^=]+=/.test(s), "\"NAME=value\""));
const EnvRecord = t.record(t.refinement(t.string, (s) => /^[^=]+$/.test(s), "NAME without ="), t.string);

// Env may be a list of "NAME=value" (the OCI form) or a record; pick the codec by shape for precise errors.
const arrayOrRecord = <A extends t.Mixed, R extends t.Mixed>(name: string, list: A, record: R) =>
  new t.Type<t.TypeOf<A> | t.TypeOf<R>, t.OutputOf<A> | t.OutputOf<R>, unknown>(
    name,
    (u): u is t.TypeOf<A> | t.TypeOf<R> => list.is(u) || record.is(u),
    (u, c) => (Array.isArray(u) ? list.validate(u, c) : record.validate(u, c)),
    (a) => (Array.isArray(a) ? list.encode(a) : record.encode(a)),
  );

export const ImageSpec = strictType(
  "image spec",
  {
    name: t.refinement(NonEmptyString, (s) => /^[a-z0-9]+([._-][a-z0-9]+)*$/.test(s), "image name ([a-z0-9] separated by . _ -)"),
    layers: t.readonlyArray(LayerSpec),
  },
  {
    tag: t.refinement(NonEmptyString, (s) => /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(s), "tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})"),
    entrypoint: t.readonlyArray(t.string),
    cmd: t.readonlyArray(t.string),
    env: arrayOrRecord("env", EnvList, EnvRecord),
    exposedPorts: t.readonlyArray(Port),
    labels: t.record(t.string, t.string),
    annotations: t.record(t.string, t.string),
    architecture: NonEmptyString,
    variant: NonEmptyString,
    os: NonEmptyString,
    user: NonEmptyString,
    workingDir: t.refinement(NonEmptyString, (s) => s.startsWith("/"), "absolute path"),
    stopSignal: NonEmptyString,
    volumes: t.readonlyArray(t.refinement(NonEmptyString, (s) => s.startsWith("/"), "absolute path")),
    author: t.string,
    description: t.string,
    tests: t.readonlyArray(SmokeTest),
  },
);
export type ImageSpec = t.TypeOf<typeof ImageSpec>;
export type ImageSpecInput = t.OutputOf<typeof ImageSpec>;
