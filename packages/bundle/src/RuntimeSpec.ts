import type { ProcessUser } from "./imageUser.ts";

// The part of the OCI runtime-spec (config.md, config-linux.md, v1.2.0) that a bundle's
// config.json uses. Field names are the spec's.

export interface RuntimeMount {
  readonly destination: string;
  readonly type: string;
  readonly source: string;
  readonly options?: readonly string[];
}

export interface RuntimeRlimit {
  readonly type: string; // "RLIMIT_NOFILE"
  readonly hard: number;
  readonly soft: number;
}

export interface RuntimeCapabilities {
  readonly bounding: readonly string[];
  readonly effective: readonly string[];
  readonly permitted: readonly string[];
}

export interface RuntimeProcess {
  readonly terminal: boolean;
  readonly user: ProcessUser;
  readonly args: readonly string[];
  readonly env: readonly string[];
  readonly cwd: string;
  readonly capabilities: RuntimeCapabilities;
  readonly rlimits: readonly RuntimeRlimit[];
  readonly noNewPrivileges: boolean;
}

export interface RuntimeLinux {
  readonly namespaces: readonly { readonly type: "pid" | "network" | "mount" | "ipc" | "uts" }[];
  readonly resources: { readonly devices: readonly { readonly allow: boolean; readonly access: string }[] };
  readonly maskedPaths: readonly string[];
  readonly readonlyPaths: readonly string[];
}

/** config.json of a bundle whose root filesystem is `root.path`, relative to the bundle. */
export interface RuntimeConfig {
  readonly ociVersion: string;
  readonly process: RuntimeProcess;
  readonly root: { readonly path: string; readonly readonly: boolean };
  readonly hostname: string;
  readonly mounts: readonly RuntimeMount[];
  readonly annotations?: { readonly [key: string]: string };
  readonly linux: RuntimeLinux;
}
