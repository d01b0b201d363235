import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { ManifestNode } from "@ocistage/layout";
import type { BundleError } from "./BundleError.ts";
import { reasonOf } from "./BundleError.ts";
import { resolveUser } from "./imageUser.ts";
import type { RuntimeConfig } from "./RuntimeSpec.ts";
import { resolveInRoot } from "./rootfsPath.ts";
import { runtimeConfig } from "./runtimeConfig.ts";
import { unpackRootfs } from "./unpackRootfs.ts";

/** The image a bundle is made of: a manifest of a layout read by `readLayout`, and a name for messages and the hostname. */
export interface BundleImage {
  readonly name: string;
  readonly manifest: ManifestNode;
}

export interface BundleOptions {
  readonly readonly: boolean; // root.readonly: the container cannot write its root filesystem
  readonly privileged?: boolean; // owners and device nodes as the layers say; default: running as root
}

export interface BundleResult {
  readonly out: string;
  readonly config: RuntimeConfig;
}

// A file of the unpacked image, read through its own symlinks inside the rootfs; undefined if absent.
const imageFile = async (root: string, file: string): Promise<string | undefined> => {
  const real = await resolveInRoot(root, file.split("/"), true);
  const stat = await fs.stat(real).catch(() => undefined);
  return stat?.isFile() === true && stat.size <= 4 * 1024 * 1024 ? fs.readFile(real, "utf8") : undefined;
};

// A hostname from the image's name: lower-case letters, digits and dashes (RFC 1123).
const hostnameOf = (name: string): string => name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63) || "container";

// --out may be absent, an empty folder, or a bundle made earlier (config.json and rootfs only),
// which is replaced whole; anything else is left alone.
const outputProblem = async (out: string): Promise<string | undefined> => {
  const stat = await fs.lstat(out).catch(() => undefined);
  if (stat === undefined) return undefined;
  if (!stat.isDirectory()) return "exists and is not a folder; choose another --out or remove it";
  const names = (await fs.readdir(out)).sort();
  const isBundle = names.length === 2 && names[0] === "config.json" && names[1] === "rootfs";
  return names.length === 0 || isBundle ? undefined : "exists and is neither an empty folder nor a runtime bundle (config.json and rootfs/); choose another --out or remove it";
};

const build = async (image: BundleImage, staging: string, options: BundleOptions): Promise<E.Either<BundleError, RuntimeConfig>> => {
  const { manifest } = image;
  if (manifest.config._tag !== "ImageConfigNode") return E.left({ _tag: "BadImage", image: image.name, reason: `its config is ${manifest.config.descriptor.mediaType}, not an image config` });
  const config = manifest.config.config;
  const root = path.join(staging, "rootfs");
  await fs.mkdir(root, { mode: 0o755 });
  const privileged = options.privileged ?? process.getuid?.() === 0;
  const layers = manifest.layers.map((l) => ({ file: l.path, mediaType: l.descriptor.mediaType, digest: l.descriptor.digest }));
  const unpacked = await unpackRootfs(root, layers, privileged);
  if (E.isLeft(unpacked)) return unpacked;
  const user = resolveUser(config.config?.User, await imageFile(root, "etc/passwd"), await imageFile(root, "etc/group"));
  if (E.isLeft(user)) return E.left({ _tag: "BadImage", image: image.name, reason: user.left });
  const runtime = runtimeConfig(config, { user: user.right, readonly: options.readonly, hostname: hostnameOf(image.name) });
  if (E.isLeft(runtime)) return E.left({ _tag: "BadImage", image: image.name, reason: runtime.left });
  await fs.writeFile(path.join(staging, "config.json"), `${JSON.stringify(runtime.right, null, 2)}\n`, { mode: 0o644 });
  return runtime;
};

/**
 * Writes an OCI runtime bundle (runtime-spec bundle.md) of an image into `out`: `rootfs/`, the
 * image's layers unpacked in order with whiteouts honoured (unpackRootfs), and `config.json`
 * (runtimeConfig), so `runc run --bundle OUT ID` starts it. The bundle is made in a folder
 * beside `out` and renamed into place, replacing an earlier bundle there whole; a failure
 * leaves `out` as it was.
 */
export const writeBundle =
  (image: BundleImage, out: string, options: BundleOptions): TE.TaskEither<BundleError, BundleResult> =>
  async () => {
    const target = path.resolve(out);
    const problem = await outputProblem(target).catch((e: unknown) => reasonOf(e));
    if (problem !== undefined) return E.left({ _tag: "OutputUnusable", path: target, reason: problem });
    const stem = path.join(path.dirname(target), `.${path.basename(target)}.ocistage-tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    const staging = `${stem}-bundle`;
    const previous = `${stem}-previous`;
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.mkdir(staging, { mode: 0o755 });
      const made = await build(image, staging, options);
      if (E.isLeft(made)) return made;
      const replacing = (await fs.lstat(target).catch(() => undefined)) !== undefined;
      if (replacing) await fs.rename(target, previous);
      await fs.rename(staging, target);
      return E.right({ out: target, config: made.right });
    } catch (e) {
      return E.left({ _tag: "Io", path: target, reason: reasonOf(e) });
    } finally {
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
      await fs.rm(previous, { recursive: true, force: true }).catch(() => undefined);
    }
  };
