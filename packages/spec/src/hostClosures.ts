import * as E from "fp-ts/lib/Either.js";
import { statSync } from "node:fs";
import * as path from "node:path";
import type { Closure } from "@ocistage/elf";
import { formatClosureError, resolveClosure, readLdCache, formatElfError } from "@ocistage/elf";
import type { FileEntry, LayerSpec } from "./ImageSpec.ts";
import type { Spec } from "./LayoutSpec.ts";
import type { SpecIssue } from "./SpecError.ts";

/**
 * The closures of a spec's `closure: true` entries, read from the host when the spec is loaded:
 * plain data handed to the pure lowering (as SOURCE_DATE_EPOCH is), keyed by `closureKey`.
 */
export type HostClosures = ReadonlyMap<string, Closure>;

/** What a closure depends on: the program, where it lands (for `$ORIGIN`), and the dlopen names. */
export const closureKey = (source: string, destination: string, dlopen: readonly string[] | undefined): string => JSON.stringify([source, destination, dlopen ?? []]);

type CopyFileEntry = Extract<FileEntry, { readonly source: string }>;

// Every file entry of the spec with the path its messages name, in either spec form.
const fileEntries = (spec: Spec): readonly { readonly at: string; readonly entry: FileEntry }[] => {
  const ofLayer = (layer: Pick<LayerSpec, "files">, at: string) => (layer.files ?? []).map((entry, i) => ({ at: `${at}.files[${i}]`, entry }));
  if (spec._tag === "Image") return spec.image.layers.flatMap((layer, i) => ofLayer(layer, `layers[${i}]`));
  return [
    ...Object.entries(spec.layout.layers ?? {}).flatMap(([name, layer]) => ofLayer(layer, `layers.${name}`)),
    ...spec.layout.images.flatMap((image, i) => image.layers.flatMap((use, j) => (typeof use === "string" ? [] : ofLayer(use, `images[${i}].layers[${j}]`)))),
  ];
};

const isCopy = (entry: FileEntry): entry is CopyFileEntry => "source" in entry;

/**
 * Resolves the closure of every `{source, destination, closure: true}` entry, reading the host's
 * files, ELF headers and /etc/ld.so.cache (the effectful edge: lowering stays pure). Each
 * problem is an issue at the entry's field: `dlopen` without `closure: true`; a source that is
 * missing, a folder or not an ELF file (at `.closure`); a library the loader would not find.
 */
export const hostClosures = (spec: Spec, dir: string): E.Either<readonly SpecIssue[], HostClosures> => {
  const wanted = fileEntries(spec).flatMap(({ at, entry }) => (isCopy(entry) ? [{ at, entry }] : []));
  const issues: SpecIssue[] = [];
  for (const { at, entry } of wanted)
    if (entry.dlopen !== undefined && entry.closure !== true) issues.push({ at: `${at}.dlopen`, message: "lists libraries loaded at run time for a closure; set closure: true on this entry too" });
  const closing = wanted.filter(({ entry }) => entry.closure === true);
  if (closing.length === 0) return issues.length > 0 ? E.left(issues) : E.right(new Map());
  const cache = readLdCache("/");
  if (E.isLeft(cache)) return E.left([...issues, { at: `${closing[0]?.at}.closure`, message: formatElfError(cache.left) }]);

  const closures = new Map<string, Closure>();
  for (const { at, entry } of closing) {
    const key = closureKey(entry.source, entry.destination, entry.dlopen);
    if (closures.has(key)) continue;
    const program = path.resolve(dir, entry.source);
    let isDirectory = false;
    try {
      isDirectory = statSync(program).isDirectory();
    } catch (e) {
      issues.push({ at: `${at}.source`, message: `cannot read ${program}: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    if (isDirectory) {
      issues.push({ at: `${at}.closure`, message: `applies to an ELF program or library; ${program} is a folder` });
      continue;
    }
    const closure = resolveClosure(program, path.posix.normalize(`/${entry.destination}`), { cache: cache.right, ...(entry.dlopen === undefined ? {} : { dlopen: entry.dlopen }) });
    if (E.isRight(closure)) closures.set(key, closure.right);
    else if (closure.left._tag === "ClosureElf" && closure.left.error.file === program && closure.left.error.problem === "not-elf")
      issues.push({ at: `${at}.closure`, message: `applies to an ELF program or library; ${formatElfError(closure.left.error)}` });
    else issues.push({ at: `${at}.closure`, message: formatClosureError(closure.left) });
  }
  return issues.length > 0 ? E.left(issues) : E.right(closures);
};
