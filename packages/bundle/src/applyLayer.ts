import { execFile } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, promises as fs } from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { promisify } from "node:util";
import * as tarStream from "tar-stream";
import { LayerProblem } from "./BundleError.ts";
import { entryComponents, resolveInRoot } from "./rootfsPath.ts";

const run = promisify(execFile);

/** What unpacking an image's layers carries from one layer to the next. */
export interface UnpackState {
  readonly root: string;
  // Running as root: owners, and device nodes, are made as the tar says (umoci's rootless
  // mode, and so ours as a user, leaves both out).
  readonly privileged: boolean;
  // A folder's mode and mtime are set once every layer is in (real path → header): writing
  // entries into it would move its mtime, and a folder without write permission would stop them.
  readonly folders: Map<string, { readonly mode: number; readonly mtime: Date }>;
}

type Header = tarStream.Header;

const WHITEOUT = ".wh.";
const OPAQUE = ".wh..wh..opq";

const owner = async (state: UnpackState, file: string, h: Header, link: boolean): Promise<void> => {
  if (state.privileged) await (link ? fs.lchown : fs.chown)(file, h.uid ?? 0, h.gid ?? 0);
};

// chown clears setuid and setgid bits: the mode is set after it.
const settle = async (state: UnpackState, file: string, h: Header): Promise<void> => {
  await owner(state, file, h, false);
  await fs.chmod(file, (h.mode ?? 0o644) & 0o7777);
  const mtime = h.mtime ?? new Date(0);
  await fs.utimes(file, mtime, mtime);
};

const writeData = async (data: AsyncIterable<Buffer>, file: string): Promise<void> => {
  const out = createWriteStream(file, { flags: "wx", mode: 0o600 });
  try {
    for await (const chunk of data) if (!out.write(chunk)) await once(out, "drain");
    out.end();
    await finished(out);
  } finally {
    out.destroy();
  }
};

// A path the layer names as a hard link target, inside the root (its last component not followed).
const linkSource = async (state: UnpackState, name: string, linkname: string): Promise<string> => {
  const parts = entryComponents(linkname);
  if (parts === undefined || parts.length === 0) throw new LayerProblem(name, `is a hard link to ${JSON.stringify(linkname)}, which leaves the root filesystem`);
  const source = await resolveInRoot(state.root, parts, false);
  const stat = await fs.lstat(source).catch(() => undefined);
  if (stat === undefined) throw new LayerProblem(name, `is a hard link to ${JSON.stringify(linkname)}, which no earlier entry made`);
  if (stat.isDirectory()) throw new LayerProblem(name, `is a hard link to the folder ${JSON.stringify(linkname)}`);
  return source;
};

// `.wh.NAME` deletes NAME of the layers below; `.wh..wh..opq` empties its folder of what the
// layers below put there (image-spec layer.md, "Whiteouts"). Neither touches what this layer
// itself adds (`upper`), whatever the order of the entries.
const whiteout = async (state: UnpackState, name: string, parts: readonly string[], upper: ReadonlySet<string>): Promise<void> => {
  const folderParts = parts.slice(0, -1);
  const base = parts[parts.length - 1] ?? "";
  const folder = await resolveInRoot(state.root, folderParts, true);
  const remove = async (child: string): Promise<void> => {
    if (!upper.has([...folderParts, child].join("/"))) await fs.rm(path.join(folder, child), { recursive: true, force: true });
  };
  if (base === OPAQUE) {
    for (const child of await fs.readdir(folder).catch((): string[] => [])) await remove(child);
    return;
  }
  if (base.startsWith(`${WHITEOUT}${WHITEOUT}`)) return; // other `.wh..wh.` names are AUFS bookkeeping, not files
  const hidden = base.slice(WHITEOUT.length);
  if (hidden === "" || hidden === "." || hidden === "..") throw new LayerProblem(name, "is a whiteout of no file");
  await remove(hidden);
};

const makeParent = async (name: string, parent: string): Promise<void> => {
  try {
    await fs.mkdir(parent, { recursive: true, mode: 0o755 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR" || code === "EEXIST") throw new LayerProblem(name, "a folder on its path is a file in the layers below");
    throw e;
  }
};

const makeNode = async (state: UnpackState, target: string, h: Header): Promise<boolean> => {
  if (h.type === "fifo") await run("mknod", [target, "p"]);
  else if (!state.privileged) return false;
  else await run("mknod", [target, h.type === "block-device" ? "b" : "c", String(h.devmajor ?? 0), String(h.devminor ?? 0)]);
  return true;
};

// One entry of the layer, put in place of whatever the layers below had at its path.
const applyEntry = async (state: UnpackState, parts: readonly string[], h: Header, data: AsyncIterable<Buffer> & { resume(): unknown }): Promise<void> => {
  const name = h.name;
  if (parts.length === 0) {
    if (h.type === "directory") await owner(state, state.root, h, false);
    if (h.type === "directory") state.folders.set(state.root, { mode: (h.mode ?? 0o755) & 0o7777, mtime: h.mtime ?? new Date(0) });
    data.resume();
    return;
  }
  const parent = await resolveInRoot(state.root, parts.slice(0, -1), true);
  await makeParent(name, parent);
  const target = path.join(parent, parts[parts.length - 1] as string);
  const existing = await fs.lstat(target).catch(() => undefined);
  const clear = async (): Promise<void> => {
    if (existing !== undefined) await fs.rm(target, { recursive: true, force: true });
  };
  switch (h.type) {
    case "directory":
      if (existing?.isDirectory() !== true) {
        await clear();
        await fs.mkdir(target, { mode: 0o755 });
      }
      await owner(state, target, h, false);
      state.folders.set(target, { mode: (h.mode ?? 0o755) & 0o7777, mtime: h.mtime ?? new Date(0) });
      data.resume();
      return;
    case "file":
    case "contiguous-file":
    case null:
    case undefined:
      await clear();
      await writeData(data, target);
      await settle(state, target, h);
      return;
    case "symlink": {
      data.resume();
      await clear();
      await fs.symlink(h.linkname ?? "", target);
      await owner(state, target, h, true);
      const mtime = h.mtime ?? new Date(0);
      await fs.lutimes(target, mtime, mtime);
      return;
    }
    case "link": {
      data.resume();
      const source = await linkSource(state, name, h.linkname ?? "");
      if (source === target) return;
      await clear();
      await fs.link(source, target);
      return;
    }
    case "character-device":
    case "block-device":
    case "fifo":
      data.resume();
      await clear();
      if (await makeNode(state, target, h)) await settle(state, target, h);
      return;
    default:
      throw new LayerProblem(name, `is a ${h.type} entry, which no file system holds`);
  }
};

// An entry and its folders, as paths of this layer: an opaque folder keeps them.
const markUpper = (upper: Set<string>, parts: readonly string[]): void => {
  for (let i = 1; i <= parts.length; i++) upper.add(parts.slice(0, i).join("/"));
};

/**
 * Applies one layer's tar (already decompressed) onto the root filesystem being unpacked, as
 * image-spec layer.md says: entries in order, each replacing what was at its path (a folder
 * over a folder merges), whiteouts deleting from the layers below, hard links to earlier
 * paths, symlinks stored as they are, modes, owners (as root) and mtimes as the tar says.
 * Throws LayerProblem for an entry that cannot be applied (a ".." name, a hard link to
 * nothing, an unknown entry type); anything else thrown is the file system's failure.
 */
export const applyLayer = async (state: UnpackState, tar: Readable): Promise<void> => {
  const extract = tarStream.extract();
  tar.on("error", (e) => extract.destroy(e));
  tar.pipe(extract);
  const upper = new Set<string>();
  for await (const entry of extract) {
    const h = entry.header;
    const parts = entryComponents(h.name);
    if (parts === undefined) throw new LayerProblem(h.name, 'has a ".." component: it would be written outside the root filesystem');
    const data = entry as unknown as AsyncIterable<Buffer> & { resume(): unknown };
    if ((parts[parts.length - 1] ?? "").startsWith(WHITEOUT)) {
      data.resume();
      await whiteout(state, h.name, parts, upper);
      continue;
    }
    markUpper(upper, parts);
    await applyEntry(state, parts, h, data);
  }
};
