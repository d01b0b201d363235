import { promises as fs } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as TE from "fp-ts/lib/TaskEither.js";
import type { Loader, Message, Plugin } from "esbuild";
import { describeBundleErrors } from "./describeBundleErrors.ts";
import type { PrologueShift } from "./describeBundleErrors.ts";
import type { SpecError } from "./SpecError.ts";

// A `.ts` spec is bundled into one ES module and evaluated from a `data:` URL, so that nothing is
// written beside the spec. Evaluated that way, `import.meta` would describe the `data:` URL, and
// `new URL("./meta.json", import.meta.url)` would fail. So every module of the bundle that uses
// `import.meta` gets its own object describing the file it was read from: `url` (its `file:`
// URL), `dirname`, `filename` and `resolve`, as Node gives a module loaded from that path.
// Relative imports, JSON imports and top-level `await` are esbuild's and need nothing more.

// The name `import.meta` is rewritten to (esbuild's `define`, on the syntax tree, not the text);
// esbuild renames each module's copy, so every module sees its own.
const META = "__ocistageImportMeta";
const META_OF = "__ocistageImportMetaOf";

// The bundle's first lines: builds a module's `import.meta` from its file URL. It is a banner,
// not a module, so that the prologue below needs no `import` (a CommonJS file stays one).
// `resolve` follows Node for relative and absolute specifiers, URLs and built-ins, and uses
// Node's CommonJS resolution from the module's folder for package names (close to, though not
// exactly, ESM resolution's conditions).
const BANNER = `import { builtinModules as __ocistageBuiltins, createRequire as __ocistageCreateRequire } from "node:module";
import { dirname as __ocistageDirname } from "node:path";
import { fileURLToPath as __ocistageFileURLToPath, pathToFileURL as __ocistagePathToFileURL } from "node:url";
const ${META_OF} = (url) => {
  const filename = __ocistageFileURLToPath(url);
  const resolve = (specifier) => {
    if (/^\\.{0,2}\\//.test(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) return new URL(specifier, url).href;
    if (__ocistageBuiltins.includes(specifier)) return "node:" + specifier;
    return __ocistagePathToFileURL(__ocistageCreateRequire(filename).resolve(specifier)).href;
  };
  return { url, filename, dirname: __ocistageDirname(filename), resolve };
};`;

const LOADERS: Readonly<Record<string, Loader>> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js", ".cjs": "js", ".jsx": "jsx" };
const MENTIONS_IMPORT_META = /\bimport\s*\.\s*meta\b/;

// The prologue goes on the module's first line (after a `#!` line), so line numbers in esbuild's
// messages stay those of the file; `shift` is how far it moves that line's columns.
const withPrologue = (file: string, text: string): { readonly contents: string; readonly shift: PrologueShift } => {
  const prologue = `const ${META} = ${META_OF}(${JSON.stringify(pathToFileURL(file).href)}); `;
  const hashbang = /^#![^\n]*\n/.exec(text)?.[0] ?? "";
  return { contents: hashbang + prologue + text.slice(hashbang.length), shift: { line: hashbang === "" ? 1 : 2, columns: prologue.length } };
};

const importMetaPlugin = (shifts: Map<string, PrologueShift>): Plugin => ({
  name: "ocistage-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.[cm]?[jt]sx?$/, namespace: "file" }, async (args) => {
      const loader = LOADERS[path.extname(args.path)];
      const text = await fs.readFile(args.path, "utf8");
      // A module that does not mention import.meta is left to esbuild's own loading.
      if (loader === undefined || !MENTIONS_IMPORT_META.test(text)) return undefined;
      const { contents, shift } = withPrologue(args.path, text);
      shifts.set(args.path, shift);
      return { contents, loader, resolveDir: path.dirname(args.path) };
    });
  },
});

// `import { ociImage } from "ocistage"` (or "@ocistage/spec") resolves to the builder helper,
// which returns the spec as given: the decoder checks it afterwards.
const builderPlugin: Plugin = {
  name: "ocistage-builder",
  setup(build) {
    build.onResolve({ filter: /^(ocistage|@ocistage\/spec)$/ }, () => ({ path: "ocistage", namespace: "ocistage" }));
    build.onLoad({ filter: /^ocistage$/, namespace: "ocistage" }, () => ({ contents: "export const ociImage = (spec) => spec; export const standardImage = (spec) => spec; export const ociImageLayout = (spec) => spec;", loader: "js" }));
  },
};

const isBuildFailure = (e: unknown): e is { readonly errors: readonly Message[] } =>
  typeof e === "object" && e !== null && Array.isArray((e as { errors?: unknown }).errors);

/**
 * Bundles the TypeScript spec `file` (an absolute path) and the modules it imports into the text
 * of one ES module, in which `import.meta` of each module describes that module's own file.
 * Fails with a SpecSyntax naming the line and column when the spec (or a module it imports)
 * does not compile or resolve.
 */
export const bundleTypeScriptSpec = (file: string): TE.TaskEither<SpecError, string> => {
  const shifts = new Map<string, PrologueShift>();
  const workingDir = process.cwd();
  return TE.tryCatch(
    async () => {
      const esbuild = await import("esbuild");
      const result = await esbuild.build({
        entryPoints: [file],
        absWorkingDir: workingDir,
        bundle: true,
        write: false,
        format: "esm",
        platform: "node",
        target: "node20",
        logLevel: "silent",
        define: { "import.meta": META },
        banner: { js: BANNER },
        plugins: [builderPlugin, importMetaPlugin(shifts)],
      });
      return result.outputFiles[0]?.text ?? "";
    },
    (e): SpecError => ({
      _tag: "SpecSyntax",
      path: file,
      reason: isBuildFailure(e) ? describeBundleErrors(e.errors, { spec: file, workingDir, shifts }) : e instanceof Error ? e.message : String(e),
    }),
  );
};
