import { promises as fs } from "node:fs";
import * as path from "node:path";
import { LayerProblem } from "./BundleError.ts";

/**
 * A layer entry's path as components: "./", a leading "/" and a trailing "/" dropped. Undefined
 * for a name with a ".." component, which GNU tar also refuses to extract ("member name contains
 * '..'"): such a name can only be meant to leave the root. The root itself is [].
 */
export const entryComponents = (name: string): readonly string[] | undefined => {
  const parts = name.split("/").filter((c) => c !== "" && c !== ".");
  return parts.includes("..") ? undefined : parts;
};

// Linux's own limit on symlinks followed while resolving one path (MAXSYMLINKS).
const MAX_SYMLINKS = 40;

/**
 * Where `components` lead inside `root`, read as if `root` were "/" (chroot semantics): every
 * symlink met on the way is followed inside the root, an absolute target restarts at the root,
 * and ".." never climbs above it. So no layer entry, whatever symlinks earlier entries made, is
 * written outside the root. The last component is followed only if `followLast` (an entry
 * replaces a symlink; /etc/passwd is read through one). Components that do not exist are kept
 * as they are: the result is where they would be created.
 */
export const resolveInRoot = async (root: string, components: readonly string[], followLast: boolean): Promise<string> => {
  let done: string[] = [];
  let todo = [...components];
  let hops = 0;
  while (todo.length > 0) {
    const c = todo.shift() as string;
    if (c === "" || c === ".") continue;
    if (c === "..") {
      done.pop();
      continue;
    }
    if (todo.length === 0 && !followLast) {
      done.push(c);
      break;
    }
    const here = path.join(root, ...done, c);
    const stat = await fs.lstat(here).catch(() => undefined);
    if (stat?.isSymbolicLink() === true) {
      if (++hops > MAX_SYMLINKS) throw new LayerProblem(components.join("/"), "too many levels of symbolic links");
      const target = await fs.readlink(here);
      if (target.startsWith("/")) done = [];
      todo = [...target.split("/"), ...todo];
      continue;
    }
    done.push(c);
  }
  return path.join(root, ...done);
};
