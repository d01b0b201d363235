import * as E from "fp-ts/lib/Either.js";
import { pipe } from "fp-ts/lib/function.js";
import type { CliError } from "./CliError.ts";
import type { BundleSource, Command } from "./Command.ts";
import { BUILD_PUSH_BOOLEAN, BUILD_PUSH_VALUED, parsePull, parsePush, withBuildPush } from "./parseRegistryVerbs.ts";
import { VERB_USAGE } from "./usage.ts";
import type { Compression } from "@ocistage/program";
import { COMPRESSIONS } from "@ocistage/program";

export interface Parsed {
  readonly positional: readonly string[];
  readonly flags: ReadonlyMap<string, string | true>;
}

const usage = (message: string): E.Either<CliError, never> => E.left({ _tag: "Usage", message });

// Split argv into positionals and flags; `valued` flags take the next word (or `--flag=value`).
export const split = (argv: readonly string[], valued: readonly string[], boolean: readonly string[]): E.Either<CliError, Parsed> => {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? "";
    if (word === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith("-") || word === "-") {
      positional.push(word);
      continue;
    }
    const [name, inline] = word.includes("=") ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)] : [word, undefined];
    if (valued.includes(name ?? "")) {
      const value = inline ?? argv[++i];
      if (value === undefined) return usage(`${name} needs a value`);
      flags.set(name ?? "", value);
    } else if (boolean.includes(name ?? "") && inline === undefined) flags.set(name ?? "", true);
    else return usage(`unknown option ${word}`);
  }
  return E.right({ positional, flags });
};

const one = (p: Parsed, what: string, verb: string): E.Either<CliError, string> => {
  const [first, ...rest] = p.positional;
  if (first === undefined) return usage(`ocistage ${verb}: missing ${what}`);
  if (rest.length > 0) return usage(`ocistage ${verb}: unexpected argument ${JSON.stringify(rest[0])}`);
  return E.right(first);
};

const choice = <A extends string>(p: Parsed, flag: string, allowed: readonly A[], fallback: A): E.Either<CliError, A> => {
  const value = p.flags.get(flag);
  if (value === undefined) return E.right(fallback);
  return allowed.includes(value as A) ? E.right(value as A) : usage(`${flag} must be one of ${allowed.join(", ")}, not ${JSON.stringify(value)}`);
};

const str = (p: Parsed, flag: string): string | undefined => {
  const v = p.flags.get(flag);
  return typeof v === "string" ? v : undefined;
};

// --compression none|gzip|zstd, when given: it overrides the spec's `compression` fields.
const compressionFlag = (p: Parsed): E.Either<CliError, Compression | undefined> =>
  p.flags.has("--compression") ? choice<Compression>(p, "--compression", COMPRESSIONS, "none") : E.right(undefined);

// One verb's parser: which flags it takes, and how a parse becomes its command.
const verbWith =
  (argv: readonly string[], valued: readonly string[], boolean: readonly string[]) =>
  (toCommand: (p: Parsed) => E.Either<CliError, Command>): E.Either<CliError, Command> =>
    pipe(split(argv, valued, boolean), E.chain(toCommand));

const optional = <K extends string>(key: K, value: string | undefined): { readonly [P in K]?: string } =>
  (value === undefined ? {} : { [key]: value }) as { readonly [P in K]?: string };

// `convert docker-archive:FILE --out DIR [--json]`
const parseConvert = (argv: readonly string[]): E.Either<CliError, Command> =>
  verbWith(argv, ["--out"], ["--json"])((p) =>
    pipe(
      one(p, "SOURCE (docker-archive:FILE)", "convert"),
      E.chain((source) => {
        const out = str(p, "--out");
        if (!source.startsWith("docker-archive:") || source.length === "docker-archive:".length)
          return usage(`ocistage convert: SOURCE must be docker-archive:FILE, found ${JSON.stringify(source)}`);
        return out === undefined ? usage("ocistage convert: --out DIR is required") : E.right<CliError, Command>({ _tag: "Convert", source: source.slice("docker-archive:".length), out, json: p.flags.has("--json") });
      }),
    ),
  );

// `bundle SPEC --out DIR [--image ID] [--readonly]` or `bundle --from-layout DIR[:REF] --out DIR …`
const parseBundle = (argv: readonly string[]): E.Either<CliError, Command> =>
  verbWith(argv, ["--out", "--image", "--from-layout"], ["--readonly", "--json"])((p) => {
    const layout = str(p, "--from-layout");
    const out = str(p, "--out");
    if (out === undefined) return usage("ocistage bundle: --out DIR is required");
    const source = layout === undefined ? E.map((spec: string): BundleSource => ({ _tag: "Spec", spec }))(one(p, "SPEC (or --from-layout DIR[:REF])", "bundle")) : p.positional.length > 0 ? usage("ocistage bundle: give a SPEC or --from-layout, not both") : E.right<CliError, BundleSource>({ _tag: "Layout", layout });
    return E.map((s: BundleSource): Command => ({ _tag: "Bundle", source: s, out, readonly: p.flags.has("--readonly"), json: p.flags.has("--json"), ...optional("image", str(p, "--image")) }))(source);
  });

export const parseArgs = (argv: readonly string[]): E.Either<CliError, Command> => {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === "--help" || verb === "-h" || verb === "help")
    return E.right({ _tag: "Help", ...optional("verb", rest[0]) });
  if (verb === "--version" || verb === "-V") return E.right({ _tag: "Version" });
  if (rest.includes("--help") || rest.includes("-h"))
    return VERB_USAGE[verb] === undefined ? usage(`unknown verb ${JSON.stringify(verb)}`) : E.right({ _tag: "Help", verb });
  const spec = (p: Parsed): E.Either<CliError, string> => one(p, "SPEC", verb);
  switch (verb) {
    case "build":
      return verbWith(rest, ["--out", "--cache-dir", "--compression", "--docker-archive", "--image", ...BUILD_PUSH_VALUED], ["--json", "--verify-inputs", "--no-cache", ...BUILD_PUSH_BOOLEAN])((p) =>
        withBuildPush(p)(
          pipe(
            E.Do,
            E.bind("s", () => spec(p)),
            E.bind("compression", () => compressionFlag(p)),
            E.map(({ s, compression }): Command => ({
              _tag: "Build",
              spec: s,
              out: str(p, "--out") ?? "",
              json: p.flags.has("--json"),
              verifyInputs: p.flags.has("--verify-inputs"),
              noCache: p.flags.has("--no-cache"),
              ...optional("cacheDir", str(p, "--cache-dir")),
              ...optional("dockerArchive", str(p, "--docker-archive")),
              ...optional("image", str(p, "--image")),
              ...(compression === undefined ? {} : { compression }),
            })),
          ),
        ),
      );
    case "convert":
      return parseConvert(rest);
    case "bundle":
      return parseBundle(rest);
    case "validate":
      return verbWith(rest, [], ["--json"])((p) => E.map((s: string): Command => ({ _tag: "Validate", spec: s, json: p.flags.has("--json") }))(spec(p)));
    case "dry-run":
      return verbWith(rest, [], ["--json"])((p) => E.map((s: string): Command => ({ _tag: "DryRun", spec: s, json: p.flags.has("--json") }))(spec(p)));
    case "plan":
      return verbWith(rest, ["--format"], [])((p) =>
        pipe(
          E.Do,
          E.bind("s", () => spec(p)),
          E.bind("format", () => choice(p, "--format", ["text", "markdown", "json"] as const, "text")),
          E.map(({ s, format }): Command => ({ _tag: "Plan", spec: s, format })),
        ),
      );
    case "graph":
      return verbWith(rest, ["--format"], [])((p) =>
        pipe(
          E.Do,
          E.bind("s", () => spec(p)),
          E.bind("format", () => choice(p, "--format", ["text", "dot", "mermaid", "json"] as const, "text")),
          E.map(({ s, format }): Command => ({ _tag: "Graph", spec: s, format })),
        ),
      );
    case "docs":
      return verbWith(rest, ["-o"], [])((p) => E.map((s: string): Command => ({ _tag: "Docs", spec: s, ...optional("output", str(p, "-o")) }))(spec(p)));
    case "test":
      return verbWith(rest, ["--out", "--record"], [])((p) =>
        E.map((s: string): Command => ({ _tag: "Test", spec: s, ...optional("out", str(p, "--out")), ...optional("record", str(p, "--record")) }))(spec(p)),
      );
    case "verify":
      return verbWith(rest, [], ["--json"])((p) => E.map((layout: string): Command => ({ _tag: "Verify", layout, json: p.flags.has("--json") }))(one(p, "LAYOUT", verb)));
    case "emit": {
      const [what, ...emitArgs] = rest;
      if (what === "shell")
        return verbWith(emitArgs, ["-o", "--compression"], [])((p) =>
          pipe(
            E.Do,
            E.bind("s", () => one(p, "SPEC", "emit shell")),
            E.bind("compression", () => compressionFlag(p)),
            E.map(({ s, compression }): Command => ({ _tag: "EmitShell", spec: s, ...optional("output", str(p, "-o")), ...(compression === undefined ? {} : { compression }) })),
          ),
        );
      if (what === "dockerfile")
        return verbWith(emitArgs, ["--context", "--image"], [])((p) =>
          pipe(
            one(p, "SPEC", "emit dockerfile"),
            E.chain((s) => {
              const context = str(p, "--context");
              return context === undefined ? usage("ocistage emit dockerfile: --context DIR is required") : E.right<CliError, Command>({ _tag: "EmitDockerfile", spec: s, context, ...optional("image", str(p, "--image")) });
            }),
          ),
        );
      return usage(`ocistage emit: expected "shell" or "dockerfile", found ${JSON.stringify(what ?? "nothing")}`);
    }
    case "push":
      return parsePush(rest);
    case "pull":
      return parsePull(rest);
    case "diff":
      return E.right({ _tag: "NotYet", verb, issue: `${verb} is not implemented yet` });
    default:
      return usage(`unknown verb ${JSON.stringify(verb)}`);
  }
};
