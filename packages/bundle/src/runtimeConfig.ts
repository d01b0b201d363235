import * as E from "fp-ts/lib/Either.js";
import type { ImageConfig } from "@ocistage/oci";
import type { ProcessUser } from "./imageUser.ts";
import type { RuntimeConfig, RuntimeMount } from "./RuntimeSpec.ts";

/** The runtime-spec release config.json follows. */
export const RUNTIME_SPEC_VERSION = "1.2.0";

/** The PATH a container gets when its image sets none (the one Docker and podman give). */
export const DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The capabilities, mounts, masked and read-only paths every container runtime's default
// gives (`runc spec`, containerd, podman): what a container needs and no more.
const CAPABILITIES = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"] as const;

const MOUNTS: readonly RuntimeMount[] = [
  { destination: "/proc", type: "proc", source: "proc" },
  { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
  { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
  { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
  { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
  { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
];

const MASKED_PATHS = ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware"] as const;
const READONLY_PATHS = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"] as const;

export interface RuntimeOptions {
  readonly user: ProcessUser; // Config.User resolved against the rootfs (resolveUser)
  readonly readonly: boolean; // root.readonly
  readonly hostname: string;
}

const variableName = (entry: string): string => entry.slice(0, entry.indexOf("=") === -1 ? entry.length : entry.indexOf("="));

// image-spec conversion.md "Annotation Fields" and `Config.ExposedPorts`: implicit annotations
// first, so the image's own labels win over them.
const annotationsOf = (image: ImageConfig): Readonly<Record<string, string>> => {
  const c = image.config;
  const implicit: Record<string, string | undefined> = {
    "org.opencontainers.image.os": image.os,
    "org.opencontainers.image.architecture": image.architecture,
    "org.opencontainers.image.variant": image.variant,
    "org.opencontainers.image.os.version": image["os.version"],
    "org.opencontainers.image.os.features": image["os.features"]?.join(","),
    "org.opencontainers.image.author": image.author,
    "org.opencontainers.image.created": image.created,
    "org.opencontainers.image.stopSignal": c?.StopSignal,
    "org.opencontainers.image.exposedPorts": c?.ExposedPorts === undefined ? undefined : Object.keys(c.ExposedPorts).join(","),
  };
  const defined = Object.fromEntries(Object.entries(implicit).filter((e): e is [string, string] => e[1] !== undefined));
  return { ...defined, ...(c?.Labels ?? {}) };
};

/**
 * An image config as a runtime bundle's config.json (runtime-spec 1.2.0), following image-spec
 * conversion.md: `process.args` is Entrypoint then Cmd, `process.env` is Env (plus the default
 * PATH when Env has none), `process.cwd` is WorkingDir (or "/"), `process.user` is Config.User
 * resolved by the caller, and the image's fields and labels become annotations. The rest is
 * what a runtime's default container has: no terminal, pid/network/mount/ipc/uts namespaces,
 * /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue and a read-only /sys, the default capabilities,
 * masked and read-only /proc paths, no device access, NOFILE 1024, no new privileges.
 * Left when the image has no command (neither Entrypoint nor Cmd).
 */
export const runtimeConfig = (image: ImageConfig, options: RuntimeOptions): E.Either<string, RuntimeConfig> => {
  const c = image.config;
  const args = [...(c?.Entrypoint ?? []), ...(c?.Cmd ?? [])];
  if (args.length === 0) return E.left("the image has neither Entrypoint nor Cmd: a container needs a command");
  const env = c?.Env ?? [];
  const workingDir = c?.WorkingDir ?? "";
  const annotations = annotationsOf(image);
  return E.right({
    ociVersion: RUNTIME_SPEC_VERSION,
    process: {
      terminal: false,
      user: options.user,
      args,
      env: env.some((e) => variableName(e) === "PATH") ? env : [DEFAULT_PATH, ...env],
      cwd: workingDir === "" ? "/" : workingDir.startsWith("/") ? workingDir : `/${workingDir}`,
      capabilities: { bounding: CAPABILITIES, effective: CAPABILITIES, permitted: CAPABILITIES },
      rlimits: [{ type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: "rootfs", readonly: options.readonly },
    hostname: options.hostname,
    mounts: MOUNTS,
    ...(Object.keys(annotations).length === 0 ? {} : { annotations }),
    linux: {
      namespaces: [{ type: "pid" }, { type: "network" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }],
      resources: { devices: [{ allow: false, access: "rwm" }] },
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
    },
  });
};
