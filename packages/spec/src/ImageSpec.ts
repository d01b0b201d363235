import * as t from "io-ts";
import { strictRecord } from "./strictRecord.ts";
import { strictType } from "./strictType.ts";
import { keyedUnion } from "./keyedUnion.ts";
import { Architecture, Os, platformProblems } from "./platformCodecs.ts";
import { Port } from "./portCodec.ts";
import { StopSignal } from "./stopSignalCodec.ts";
import { withFieldChecks } from "./withFieldChecks.ts";

// The image spec as users write it (JSON, YAML or a `.ts` module calling `ociImage`).
// Every object is strict: an unknown key is an error with a typo hint, never ignored.

export const NonEmptyString = new t.Type<string, string, unknown>(
  "non-empty string",
  (u): u is string => typeof u === "string" && u.length > 0,
  (u, c) => (typeof u === "string" && u.length > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

export const Id = new t.Type<number, number, unknown>(
  "uid/gid (integer 0..4294967294)",
  (u): u is number => typeof u === "number" && Number.isInteger(u) && u >= 0 && u < 4294967295,
  (u, c) =>
    typeof u === "number" && Number.isInteger(u) && u >= 0 && u < 4294967295 ? t.success(u) : t.failure(u, c),
  t.identity,
);

// Modes are written as octal strings ("0755") in JSON/YAML, where a bare 755 would be decimal.
export const Mode = new t.Type<number, string, unknown>(
  "octal mode string such as \"0644\"",
  (u): u is number => typeof u === "number",
  (u, c) =>
    typeof u === "string" && /^0?[0-7]{3,4}$/.test(u) && parseInt(u, 8) <= 0o7777
      ? t.success(parseInt(u, 8))
      : t.failure(u, c),
  (n) => "0" + n.toString(8).padStart(3, "0"),
);

const Ownership = { uid: Id, gid: Id };

const integerIn = (name: string, min: number, max: number) =>
  t.refinement(t.number, (n) => Number.isInteger(n) && n >= min && n <= max, name);

// A NUL cannot cross execve(2) or a path system call, so no runtime could honour one.
const AbsolutePath = t.refinement(NonEmptyString, (s) => s.startsWith("/") && !s.includes("\0"), "absolute path (without NUL)");

// How a copy treats what it finds on disk (README, "Copied files"): `modes` keep (the default)
// or normalise; `owners` set (every copied file gets uid/gid, the default) or keep (numeric owners
// from disk); `exclude` gitignore-style patterns for paths inside the copied folder.
const CopyRules = {
  modes: t.keyof({ keep: null, normalise: null }, "\"keep\" or \"normalise\""),
  owners: t.keyof({ set: null, keep: null }, "\"set\" or \"keep\""),
  exclude: t.readonlyArray(NonEmptyString),
};

// How a layer's tar is stored (README, "Compressed layers"): a layer's own setting wins over its
// image's; the default is "none".
export const Compression = t.keyof({ none: null, gzip: null, zstd: null }, "\"none\", \"gzip\" or \"zstd\"");

// `closure: true` also copies what the ELF program at `source` loads (README, "Host programs
// with their closure"); `dlopen` names libraries it loads at run time (sonames or paths).
const ClosureFields = { closure: t.boolean, dlopen: t.readonlyArray(NonEmptyString) };

export const CopyEntry = strictType("copy entry", { source: NonEmptyString, destination: NonEmptyString }, { mode: Mode, ...Ownership, ...CopyRules, ...ClosureFields });
export const SymlinkEntry = strictType("symlink entry", { symlink: NonEmptyString, destination: NonEmptyString }, Ownership);
export const ContentEntry = strictType("content entry", { content: t.string, destination: NonEmptyString }, { mode: Mode, ...Ownership });
// `opaque: true` hides everything the layers below hold in the folder (image-spec layer.md, opaque whiteout).
export const DirectoryEntry = strictType("directory entry", { directory: NonEmptyString }, { mode: Mode, ...Ownership, opaque: t.boolean });
// Deletes a path of the layers below (image-spec layer.md, "Whiteouts").
export const WhiteoutEntry = strictType("whiteout entry", { whiteout: NonEmptyString }, {});

// `json` is written as canonical JSON (as nixpkgs' writers.writeJSON); `script` as a `#!` line plus
// the text, mode 0755 (as writeShellScript). Both lower to inline files.
export const JsonEntry = strictType("json entry", { json: t.unknown, destination: NonEmptyString }, { mode: Mode, ...Ownership });
export const ScriptEntry = strictType("script entry", { script: t.string, destination: NonEmptyString }, { interpreter: NonEmptyString, mode: Mode, ...Ownership });

export const FileEntry = keyedUnion("file entry", {
  source: CopyEntry,
  symlink: SymlinkEntry,
  content: ContentEntry,
  directory: DirectoryEntry,
  whiteout: WhiteoutEntry,
  json: JsonEntry,
  script: ScriptEntry,
});
export type FileEntry = t.TypeOf<typeof FileEntry>;

/** The pattern every layer name matches: it becomes part of step names and shell variables. */
export const LAYER_NAME = /^[a-z0-9][a-z0-9._-]*$/;
export const LayerName = t.refinement(NonEmptyString, (s) => LAYER_NAME.test(s), "layer name ([a-z0-9][a-z0-9._-]*)");

/** What a layer holds, without its name: shared by inline layers and a layout's `layers` record. */
// `split: "closure"` gives the closure members of the layer's entries layers of their own (README, "Layers per closure").
export const layerFields = { source: NonEmptyString, files: t.readonlyArray(FileEntry), ...Ownership, ...CopyRules, split: t.keyof({ closure: null }, "\"closure\""), compression: Compression };

export const LayerSpec = strictType("layer", { name: LayerName }, layerFields);
export type LayerSpec = t.TypeOf<typeof LayerSpec>;

export const SmokeTest = strictType(
  "smoke test",
  { name: NonEmptyString, command: t.readonlyArray(t.string) },
  // `entrypoint` replaces the image's for this test (as `podman run --entrypoint`); `command` is its arguments.
  { entrypoint: t.readonlyArray(t.string), expectOutput: t.string, expectExitCode: integerIn("exit code (integer 0..255)", 0, 255) },
);
export type SmokeTest = t.TypeOf<typeof SmokeTest>;

// execve(2) passes "NAME=value" strings: a name is not empty and holds no "=", and neither part holds a NUL.
const EnvList = t.readonlyArray(t.refinement(t.string, (s) => /^[^=\0]+=[^\0]*$/.test(s), "\"NAME=value\" (NAME not empty, no NUL)"));
const EnvRecord = strictRecord(
  t.refinement(t.string, (s) => /^[^=\0]+$/.test(s), "NAME (not empty, without = or NUL)"),
  t.refinement(t.string, (s) => !s.includes("\0"), "value without NUL"),
);

// Env may be a list of "NAME=value" (the OCI form) or a record; pick the codec by shape for precise errors.
const arrayOrRecord = <A extends t.Mixed, R extends t.Mixed>(name: string, list: A, record: R) =>
  new t.Type<t.TypeOf<A> | t.TypeOf<R>, t.OutputOf<A> | t.OutputOf<R>, unknown>(
    name,
    (u): u is t.TypeOf<A> | t.TypeOf<R> => list.is(u) || record.is(u),
    (u, c) => (Array.isArray(u) ? list.validate(u, c) : record.validate(u, c)),
    (a) => (Array.isArray(a) ? list.encode(a) : record.encode(a)),
  );

/** An image's name: the repository part of its reference (`web` in `web:1.0`). */
export const ImageName = t.refinement(NonEmptyString, (s) => /^[a-z0-9]+([._-][a-z0-9]+)*$/.test(s), "image name ([a-z0-9] separated by . _ -)");

// Fields merged into the manifest as written (seed 000's extraManifest); the rest of a
// manifest (config, layers, mediaType, schemaVersion) is computed by the build.
export const ExtraManifest = strictType("extraManifest", {}, { annotations: t.record(t.string, t.string), artifactType: NonEmptyString });
export type ExtraManifest = t.TypeOf<typeof ExtraManifest>;

const JsonRecord = new t.Type<Readonly<Record<string, unknown>>, Readonly<Record<string, unknown>>, unknown>(
  "object",
  (u): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u),
  (u, c) => (typeof u === "object" && u !== null && !Array.isArray(u) ? t.success(u as Record<string, unknown>) : t.failure(u, c)),
  t.identity,
);

// A base image as containers tools name one (containers-transports(5)), optionally pinned by digest.
const BaseImageName = t.refinement(
  NonEmptyString,
  (s) => /^(oci:|oci-archive:|docker-archive:|docker:\/\/)./.test(s),
  "base image (oci:PATH[:REF], oci-archive:PATH[:REF], docker-archive:PATH or docker://REGISTRY/REPO[:TAG], optionally ending in @sha256:DIGEST)",
);

/** Every field an image has besides its name and layers: the same in both spec forms. */
export const imageFields = {
    // The image this one is built on: its layers come first, its config is inherited field by field.
    from: BaseImageName,
    tag: t.refinement(NonEmptyString, (s) => /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(s), "tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})"),
    entrypoint: t.readonlyArray(t.string),
    cmd: t.readonlyArray(t.string),
    env: arrayOrRecord("env", EnvList, EnvRecord),
    exposedPorts: t.readonlyArray(Port),
    labels: t.record(t.string, t.string),
    annotations: t.record(t.string, t.string),
    architecture: Architecture,
    variant: NonEmptyString,
    os: Os,
    user: NonEmptyString,
    workingDir: AbsolutePath,
    stopSignal: StopSignal,
    volumes: t.readonlyArray(AbsolutePath),
    author: t.string,
    description: t.string,
    tests: t.readonlyArray(SmokeTest),
    // The most layers the image may have, base layers included (see @ocistage/lower's layerBudget).
    maxLayers: integerIn("layer count (integer ≥ 1)", 1, Number.POSITIVE_INFINITY),
    // Deep-merged into the image config last (seed 000's extraConfig), e.g. {config: {Env: [...]}}.
    extraConfig: JsonRecord,
    extraManifest: ExtraManifest,
    // Prefixed to every key of `labels` (seed 001: "org.opencontainers.image" makes title a standard label).
    labelPrefix: NonEmptyString,
    // How the image's layers are stored, unless a layer says otherwise.
    compression: Compression,
};

// platformProblems checks what needs two fields: the os/architecture pair and the variant.
export const ImageSpec = withFieldChecks(strictType("image spec", { name: ImageName, layers: t.readonlyArray(LayerSpec) }, imageFields), platformProblems);
export type ImageSpec = t.TypeOf<typeof ImageSpec>;
export type ImageSpecInput = t.OutputOf<typeof ImageSpec>;
