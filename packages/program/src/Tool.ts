// A tool a shell substrate needs on its PATH, and the Debian package that provides it.
export type ToolName = "sh" | "tar" | "coreutils" | "gzip" | "zstd";

export interface Tool {
  readonly name: ToolName;
  readonly package: string;
  readonly purpose: string;
}

export const TOOLS: Readonly<Record<ToolName, Tool>> = {
  sh: { name: "sh", package: "dash", purpose: "a POSIX shell runs every step" },
  tar: { name: "tar", package: "tar", purpose: "GNU tar writes layer tars and the layout archive" },
  coreutils: { name: "coreutils", package: "coreutils", purpose: "sha256sum, stat, cp, chmod and friends compute digests and sizes" },
  gzip: { name: "gzip", package: "gzip", purpose: "gzip -n compresses the layers stored as tar+gzip" },
  zstd: { name: "zstd", package: "zstd", purpose: "zstd compresses the layers stored as tar+zstd" },
};
