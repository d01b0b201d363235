import * as E from "fp-ts/lib/Either.js";
import { createReadStream, promises as fs } from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import * as tarStream from "tar-stream";
import type { DockerArchiveError } from "./DockerArchiveError.ts";

/** A member of the archive tar, by its name relative to the archive root ("manifest.json", "abc/layer.tar"). */
export interface ArchiveMember {
  readonly name: string;
  readonly type: "file" | "directory" | "symlink" | "link" | "other";
  readonly size: number;
  readonly linkname?: string; // symlink target (relative to the member's folder) or hard link target (a member name)
}

/**
 * A member name as the archive means it: "./" and trailing "/" dropped, "." and ".." resolved;
 * `undefined` when it leaves the archive (absolute, or ".." above the root).
 */
export const memberName = (raw: string): string | undefined => {
  if (raw.startsWith("/")) return undefined;
  const normal = path.posix.normalize(raw).replace(/\/+$/, "");
  if (normal === ".." || normal.startsWith("../")) return undefined;
  return normal === "." ? "" : normal;
};

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Whether the archive file itself is gzip-compressed (a `docker save | gzip`, or a nix docker tarball). */
export const isGzipFile = async (file: string): Promise<boolean> => {
  const handle = await fs.open(file, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
};

const reasonOf = (e: unknown): string => (e instanceof Error ? ((e as NodeJS.ErrnoException).code === undefined ? e.message : `${(e as NodeJS.ErrnoException).code}: ${e.message}`) : String(e));

const typeOf = (type: string | null | undefined): ArchiveMember["type"] =>
  type === "file" || type === "contiguous-file" || type === undefined || type === null ? "file" : type === "directory" ? "directory" : type === "symlink" ? "symlink" : type === "link" ? "link" : "other";

/** A member's bytes as tar-stream hands them over: read them all, or `resume()` to skip them. */
export interface MemberData extends AsyncIterable<Buffer> {
  resume(): unknown;
}

/** What to do with a member's bytes; the callback must consume or resume the stream. */
export type MemberVisitor = (member: ArchiveMember, data: MemberData) => Promise<void>;

/**
 * Reads the archive once, in order, handing every member to `visit` (a gzip-compressed archive
 * is decompressed on the way). Member names that leave the archive are reported as issues, not
 * visited. Fails with `Unreadable` for a file that is missing or is not a tar.
 */
export const eachMember = async (file: string, visit: MemberVisitor): Promise<E.Either<DockerArchiveError, readonly string[]>> => {
  const stat = await fs.stat(file).catch((e: unknown) => e as NodeJS.ErrnoException);
  if (stat instanceof Error) return E.left({ _tag: "Unreadable", file, reason: `cannot be read (${reasonOf(stat)})` });
  if (!stat.isFile()) return E.left({ _tag: "Unreadable", file, reason: "is not a file" });
  const gzip = await isGzipFile(file);
  const issues: string[] = [];
  const extract = tarStream.extract();
  const source = createReadStream(file);
  const input: Readable = gzip ? source.pipe(createGunzip()) : source;
  if (gzip) source.on("error", (e) => input.destroy(e));
  input.on("error", (e) => extract.destroy(e));
  input.pipe(extract);
  let count = 0;
  try {
    for await (const entry of extract) {
      count++;
      const { header } = entry;
      const name = memberName(header.name);
      if (name === undefined) {
        issues.push(`member ${JSON.stringify(header.name)} is a path leaving the archive`);
        entry.resume();
        continue;
      }
      const linkname = header.linkname ?? undefined;
      // tar-stream yields each entry's data as Buffers.
      await visit({ name, type: typeOf(header.type), size: header.size ?? 0, ...(linkname === undefined ? {} : { linkname }) }, entry as unknown as MemberData);
    }
  } catch (e) {
    source.destroy();
    const io = e as NodeJS.ErrnoException;
    if (io.code !== undefined && io.code !== "Z_DATA_ERROR" && io.code !== "Z_BUF_ERROR") return E.left({ _tag: "Io", path: file, reason: reasonOf(e) });
    return E.left({ _tag: "Unreadable", file, reason: `is not a readable tar archive${gzip ? " (gzip-compressed)" : ""}: ${reasonOf(e)}` });
  }
  if (count === 0) return E.left({ _tag: "Unreadable", file, reason: "is not a tar archive, or an empty one" });
  return E.right(issues);
};

/** Reads a whole member into memory (callers bound its size first). */
export const readAll = async (data: MemberData): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of data) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** Where a member name leads once symlinks and hard links inside the archive are followed; undefined if nowhere. */
export const resolveMember = (members: ReadonlyMap<string, ArchiveMember>, name: string): ArchiveMember | undefined => {
  let current = members.get(name);
  for (let hops = 0; hops < 16 && current !== undefined; hops++) {
    if (current.type === "file") return current;
    if (current.linkname === undefined || (current.type !== "symlink" && current.type !== "link")) return undefined;
    const next = current.type === "link" ? memberName(current.linkname) : current.linkname.startsWith("/") ? undefined : memberName(path.posix.join(path.posix.dirname(current.name), current.linkname));
    current = next === undefined ? undefined : members.get(next);
  }
  return undefined;
};
