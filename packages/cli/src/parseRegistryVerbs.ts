import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type { CliError } from "./CliError.ts";
import type { BuildPush, Command } from "./Command.ts";
import type { Parsed } from "./parseArgs.ts";
import { split } from "./parseArgs.ts";
import { parseSize, REGISTRY_BOOLEAN, REGISTRY_VALUED, registryFlagsOf } from "./registryFlags.ts";

// The argument parsers of the verbs that talk to a registry: push, pull, and build's --push.

const usage = (message: string): E.Either<CliError, never> => E.left({ _tag: "Usage", message });

const text = (p: Parsed, flag: string): string | undefined => {
  const v = p.flags.get(flag);
  return typeof v === "string" ? v : undefined;
};

/**
 * 64 MiB: most layers go in one PUT. The CNCF registry spends ~0.1 s on each PATCH beyond its
 * bytes (8 MiB chunks pushed 1 GiB at a third of a single PUT's speed here), so chunks are large.
 */
export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;

const chunkSizeOf = (p: Parsed): E.Either<CliError, number> => {
  const given = text(p, "--chunk-size");
  return given === undefined ? E.right(DEFAULT_CHUNK_SIZE) : parseSize("--chunk-size", given);
};

const positionals = (p: Parsed, verb: string, names: readonly string[]): E.Either<CliError, readonly string[]> => {
  if (p.positional.length < names.length) return usage(`ocistage ${verb}: missing ${names[p.positional.length] ?? ""}`);
  if (p.positional.length > names.length) return usage(`ocistage ${verb}: unexpected argument ${JSON.stringify(p.positional[names.length])}`);
  return E.right(p.positional);
};

/** `push LAYOUT REF [--image NAME]` or `push LAYOUT --all REGISTRY/REPO`, with the registry flags. */
export const parsePush = (argv: readonly string[]): E.Either<CliError, Command> =>
  pipe(
    split(argv, [...REGISTRY_VALUED, "--image", "--from-repo", "--chunk-size"], [...REGISTRY_BOOLEAN, "--all"]),
    E.chain((p) =>
      pipe(
        E.Do,
        E.bind("args", () => positionals(p, "push", ["LAYOUT", p.flags.has("--all") ? "REGISTRY/REPO" : "REF"])),
        E.bind("flags", () => registryFlagsOf("push", p.flags)),
        E.bind("chunkSize", () => chunkSizeOf(p)),
        E.chain(({ args, flags, chunkSize }) => {
          const image = text(p, "--image");
          const fromRepo = text(p, "--from-repo");
          if (image !== undefined && p.flags.has("--all")) return usage("ocistage push: --image and --all exclude each other");
          return E.right<CliError, Command>({
            _tag: "Push",
            layout: args[0] ?? "",
            ref: args[1] ?? "",
            all: p.flags.has("--all"),
            chunkSize,
            flags,
            ...(image === undefined ? {} : { image }),
            ...(fromRepo === undefined ? {} : { fromRepo }),
          });
        }),
      ),
    ),
  );

/** `pull REF --out DIR [--platform os/arch[/variant]]`, with the registry flags. */
export const parsePull = (argv: readonly string[]): E.Either<CliError, Command> =>
  pipe(
    split(argv, [...REGISTRY_VALUED, "--out", "--platform"], [...REGISTRY_BOOLEAN]),
    E.chain((p) =>
      pipe(
        E.Do,
        E.bind("args", () => positionals(p, "pull", ["REF"])),
        E.bind("flags", () => registryFlagsOf("pull", p.flags)),
        E.chain(({ args, flags }) => {
          const out = text(p, "--out");
          const platform = text(p, "--platform");
          if (out === undefined) return usage("ocistage pull: --out DIR is required");
          return E.right<CliError, Command>({ _tag: "Pull", ref: args[0] ?? "", out, flags, ...(platform === undefined ? {} : { platform }) });
        }),
      ),
    ),
  );

/** Flags `build` takes for --push (besides its own --json and --cache-dir). */
export const BUILD_PUSH_VALUED = ["--push", "--tls-verify", "--cert-dir", "--creds", "--retries", "--chunk-size"] as const;
export const BUILD_PUSH_BOOLEAN = ["--quiet"] as const;

/** `build … --push REF`: undefined without --push; the registry flags without --push are a usage error. */
export const buildPushOf = (p: Parsed): E.Either<CliError, BuildPush | undefined> => {
  const ref = text(p, "--push");
  if (ref === undefined) {
    const stray = BUILD_PUSH_VALUED.find((f) => p.flags.has(f));
    return stray === undefined ? E.right(undefined) : usage(`ocistage build: ${stray} only goes with --push REF`);
  }
  return pipe(
    E.Do,
    E.bind("flags", () => registryFlagsOf("build", p.flags)),
    E.bind("chunkSize", () => chunkSizeOf(p)),
    E.map(({ flags, chunkSize }): BuildPush => ({ ref, chunkSize, flags })),
  );
};

/** Adds `build`'s --push (and its registry flags) to a parsed build command. */
export const withBuildPush =
  (p: Parsed) =>
  (command: E.Either<CliError, Command>): E.Either<CliError, Command> =>
    pipe(
      command,
      E.chain((c) => E.map((push: BuildPush | undefined): Command => (push === undefined || c._tag !== "Build" ? c : { ...c, push }))(buildPushOf(p))),
    );
