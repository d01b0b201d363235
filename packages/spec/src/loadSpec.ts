import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { bundleTypeScriptSpec } from "./bundleTypeScriptSpec.ts";
import { decodeSpec } from "./decodeSpec.ts";
import { hostClosures } from "./hostClosures.ts";
import type { HostClosures } from "./hostClosures.ts";
import type { Spec } from "./LayoutSpec.ts";
import type { SpecError } from "./SpecError.ts";

// A decoded spec with where it came from: paths inside it are relative to `dir`.
export interface LoadedSpec {
  readonly spec: Spec;
  readonly file: string; // absolute path of the spec file
  readonly dir: string; // absolute folder the spec's relative paths start from
  readonly text: string; // the spec file as written, for the docs' "Source files"
  readonly closures: HostClosures; // the closures of its `closure: true` entries, read from the host
}

const SPEC_NAMES = ["image.ts", "image.json", "image.yaml", "image.yml"] as const;

const reason = (e: unknown): string => (e instanceof Error ? e.message.split("\n")[0] ?? String(e) : String(e));

// SPEC is a spec file or a folder that holds exactly one image.{ts,json,yaml,yml}.
export const resolveSpecFile = (given: string): TE.TaskEither<SpecError, string> =>
  pipe(
    TE.tryCatch(() => fs.stat(given), (e): SpecError => ({ _tag: "SpecNotFound", path: given, reason: reason(e) })),
    TE.chain((stat) => {
      if (!stat.isDirectory()) return TE.right(path.resolve(given));
      return pipe(
        TE.tryCatch(() => fs.readdir(given), (e): SpecError => ({ _tag: "SpecUnreadable", path: given, reason: reason(e) })),
        TE.chain((names) => {
          const found = SPEC_NAMES.filter((n) => names.includes(n));
          const first = found[0];
          if (first === undefined)
            return TE.left<SpecError, string>({ _tag: "SpecNotFound", path: given, reason: `no ${SPEC_NAMES.join(", ")} in this folder` });
          if (found.length > 1)
            return TE.left<SpecError, string>({ _tag: "SpecSyntax", path: given, reason: `ambiguous: the folder holds ${found.join(" and ")}` });
          return TE.right(path.resolve(given, first));
        }),
      );
    }),
  );

const parseText = (file: string, text: string): TE.TaskEither<SpecError, unknown> => {
  const ext = path.extname(file);
  if (ext === ".json")
    return TE.fromEither(E.tryCatch(() => JSON.parse(text) as unknown, (e): SpecError => ({ _tag: "SpecSyntax", path: file, reason: `invalid JSON: ${reason(e)}` })));
  if (ext === ".yaml" || ext === ".yml")
    return TE.fromEither(
      E.tryCatch(() => parseYaml(text, { strict: true, uniqueKeys: true }) as unknown, (e): SpecError => ({ _tag: "SpecSyntax", path: file, reason: `invalid YAML: ${reason(e)}` })),
    );
  if (ext === ".ts" || ext === ".mts") return evaluateTypeScriptSpec(file);
  return TE.left({ _tag: "SpecSyntax", path: file, reason: `unknown spec format "${ext}" (use .json, .yaml, .yml or .ts)` });
};

// A `.ts` spec is bundled with esbuild (the `ocistage` import resolves to the builder helpers)
// and evaluated as a module whose `import.meta` is the spec's own; its default export is decoded
// exactly like a JSON spec.
const evaluateTypeScriptSpec = (file: string): TE.TaskEither<SpecError, unknown> =>
  pipe(
    bundleTypeScriptSpec(file),
    TE.chain((code) =>
      TE.tryCatch(
        async () => {
          const mod = (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as { default?: unknown };
          if (mod.default === undefined) throw new Error("the module has no default export (write `export default ociImage({...})`)");
          return mod.default;
        },
        (e): SpecError => ({ _tag: "SpecSyntax", path: file, reason: reason(e) }),
      ),
    ),
  );

export const loadSpec = (given: string): TE.TaskEither<SpecError, LoadedSpec> =>
  pipe(
    resolveSpecFile(given),
    TE.chain((file) =>
      pipe(
        TE.tryCatch(() => fs.readFile(file, "utf8"), (e): SpecError => ({ _tag: "SpecUnreadable", path: file, reason: reason(e) })),
        TE.chain((text) =>
          pipe(
            parseText(file, text),
            TE.chainEitherK((value) => decodeSpec(value, file)),
            TE.chainEitherK((spec) =>
              pipe(
                hostClosures(spec, path.dirname(file)),
                E.bimap((issues): SpecError => ({ _tag: "SpecInvalid", path: file, issues }), (closures): LoadedSpec => ({ spec, file, dir: path.dirname(file), text, closures })),
              ),
            ),
          ),
        ),
      ),
    ),
  );
