import * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import type { Stats } from "node:fs";
import * as path from "node:path";
import { reasonOf } from "../BuildError.ts";
import type { DockerContextError } from "./DockerContextError.ts";
import type { DockerContextOptions, DockerContextRequest } from "./DockerContextRequest.ts";
import { CONTEXT_MARKER } from "./DockerContextRequest.ts";

// Where the context goes and what is there now: nothing, an empty folder, or an earlier context
// (it holds the marker). `target` has its parent's symlinks resolved, so the checks below compare
// real places.
export interface ContextPlace {
  readonly target: string;
  readonly state: "absent" | "empty" | "ours";
}

// The real path of `p`, following symlinks as far as the path exists; `followLast: false` leaves
// the last component alone (a source that is a symlink is copied as a link, not followed).
const realPlace = async (p: string, followLast: boolean): Promise<string> => {
  const absolute = path.resolve(p);
  if (!followLast) return path.join(await realPlace(path.dirname(absolute), true), path.basename(absolute));
  const missing: string[] = [];
  for (let at = absolute; ; at = path.dirname(at)) {
    const real = await fs.realpath(at).catch(() => undefined);
    if (real !== undefined) return path.join(real, ...missing);
    if (at === path.dirname(at)) return absolute;
    missing.unshift(path.basename(at));
  }
};

const isInside = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer.endsWith("/") ? outer : `${outer}/`);

const overlap = async (request: DockerContextRequest, options: DockerContextOptions, target: string): Promise<DockerContextError | undefined> => {
  for (const layer of request.layers)
    for (const entry of layer.assemble.entries) {
      if (entry._tag !== "Copy") continue;
      const source = await realPlace(path.resolve(options.sourceRoot, entry.source), false);
      if (isInside(target, source)) return { _tag: "ContextOverlapsSource", path: target, at: layer.assemble.name, source, inside: "context" };
      if (isInside(source, target)) return { _tag: "ContextOverlapsSource", path: target, at: layer.assemble.name, source, inside: "source" };
    }
  return undefined;
};

const lstatIfThere = async (p: string): Promise<Stats | undefined> => {
  try {
    return await fs.lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
};

const stateOf = async (target: string): Promise<ContextPlace["state"] | DockerContextError> => {
  const stat = await lstatIfThere(target);
  if (stat === undefined) return "absent";
  if (stat.isSymbolicLink()) return { _tag: "ContextNotOurs", path: target, found: "a symlink" };
  if (!stat.isDirectory()) return { _tag: "ContextNotOurs", path: target, found: "a file" };
  if ((await fs.readdir(target)).length === 0) return "empty";
  return (await lstatIfThere(path.join(target, CONTEXT_MARKER)))?.isFile() === true ? "ours" : { _tag: "ContextNotOurs", path: target, found: "a folder that holds other files" };
};

// Refuses a context inside a folder a layer copies (writing it would change that layer's input)
// or around one (replacing it would delete the input), and a non-empty folder that is not an
// earlier context.
export const placeContext = (request: DockerContextRequest, options: DockerContextOptions): TE.TaskEither<DockerContextError, ContextPlace> => async () => {
  try {
    const given = path.resolve(options.context);
    const target = path.join(await realPlace(path.dirname(given), true), path.basename(given));
    const problem = await overlap(request, options, target);
    if (problem !== undefined) return { _tag: "Left", left: problem };
    const state = await stateOf(target);
    return typeof state === "string" ? { _tag: "Right", right: { target, state } } : { _tag: "Left", left: state };
  } catch (e) {
    return { _tag: "Left", left: { _tag: "Io", path: options.context, reason: reasonOf(e) } };
  }
};
