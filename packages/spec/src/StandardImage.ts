import * as t from "io-ts";
import { FileEntry, Id, ImageName, Mode, NonEmptyString, imageFields } from "./ImageSpec.ts";
import { keyedUnion } from "./keyedUnion.ts";
import { platformProblems } from "./platformCodecs.ts";
import { strictType } from "./strictType.ts";
import { withFieldChecks } from "./withFieldChecks.ts";

// A standard image (seed 001's mkStandardOCI): an image made from an *operable*, the program it
// exists to run, with fixed contracts (/bin/entrypoint, /bin/runtime, /bin/live, /bin/ready) and
// nothing else but the operable's runtime inputs and the setup tasks. Written `kind: standard`,
// alone or as an image of a layout; desugarStandard.ts rewrites it into ordinary layers and images.

// An argv: what execve(2) takes, so no NUL, and at least the program.
const Command = t.refinement(
  t.readonlyArray(t.string),
  (argv) => argv.length > 0 && argv.every((a) => !a.includes("\0")) && (argv[0] ?? "") !== "",
  "command (a list of arguments: a program, then its arguments; no NUL)",
);

/** A probe: a command run with the runtime inputs on PATH, or a shell script text. */
export const Probe = keyedUnion("probe", {
  command: strictType("probe command", { command: Command }, {}),
  script: strictType("probe script", { script: t.string }, {}),
});
export type Probe = t.TypeOf<typeof Probe>;

/** The operable: its command, and the host programs and files it runs with (their folders go on PATH). */
export const Operable = strictType("operable", { command: Command }, { runtimeInputs: t.readonlyArray(FileEntry) });
export type Operable = t.TypeOf<typeof Operable>;

/** A permission rule: the mode and owner given to every entry whose destination `path` matches (a glob). */
export const Perm = strictType("perm", { path: NonEmptyString }, { mode: Mode, uid: Id, gid: Id });
export type Perm = t.TypeOf<typeof Perm>;

/** `debug: true` (busybox's applets) or the debugging tools to put in the debug image's extra layer. */
const DebugTools = strictType("debug", { tools: t.readonlyArray(FileEntry) }, {});
export const Debug = new t.Type<boolean | t.TypeOf<typeof DebugTools>, unknown, unknown>(
  "true, false or {tools: [file entries]}",
  (u): u is boolean | t.TypeOf<typeof DebugTools> => typeof u === "boolean" || DebugTools.is(u),
  (u, c) => (typeof u === "boolean" ? t.success(u) : typeof u === "object" && u !== null && !Array.isArray(u) ? DebugTools.validate(u, c) : t.failure(u, c)),
  t.identity,
);
export type Debug = t.TypeOf<typeof Debug>;

// A field of an ordinary image that a standard image sets itself: given, it is an error saying why.
const refused = (why: string): t.Type<undefined, undefined, unknown> =>
  new t.Type<undefined, undefined, unknown>("refused", (u): u is undefined => u === undefined, (u, c) => t.failure(u, c, why), (a) => a);

const { labelPrefix: _labelPrefix, entrypoint: _entrypoint, cmd: _cmd, user: _user, ...ordinaryFields } = imageFields;

/** The fields of a standard image besides `kind`, `name` and `operable`. */
export const standardFields = {
  ...ordinaryFields,
  setup: t.readonlyArray(FileEntry),
  uid: Id,
  gid: Id,
  perms: t.readonlyArray(Perm),
  livenessProbe: Probe,
  readinessProbe: Probe,
  debug: Debug,
  shell: FileEntry,
  layers: refused("a standard image has no layers of its own: they are made from operable.runtimeInputs, setup and the contracts"),
  entrypoint: refused("a standard image's entrypoint is /bin/entrypoint, which runs operable.command"),
  cmd: refused("a standard image runs operable.command: give its arguments there"),
  user: refused("a standard image runs as uid:gid: give uid and gid"),
  labelPrefix: refused("a standard image's labels are always prefixed with org.opencontainers.image."),
};

export const StandardImage = withFieldChecks(
  strictType("standard image", { kind: t.literal("standard", "\"standard\""), name: ImageName, operable: Operable }, standardFields),
  platformProblems,
);
export type StandardImage = t.TypeOf<typeof StandardImage>;
export type StandardImageInput = {
  readonly [K in keyof t.OutputOf<typeof StandardImage> as K extends "layers" | "entrypoint" | "cmd" | "user" | "labelPrefix" ? never : K]: t.OutputOf<typeof StandardImage>[K];
};
