// The platform vocabulary of the OCI image-index spec ("platform" section): `os` values are Go's
// GOOS, `architecture` values Go's GOARCH, and `variant` values the spec's table (ARM) plus the
// CPU levels Go builds for (GOARM, GOAMD64). A runtime selects an image by comparing these
// strings exactly, so an `x86_64` image is never chosen by an amd64 host.

/**
 * Each GOOS with the GOARCH values Go builds for on it: the ports `go tool dist list -broken`
 * prints (Go 1.25's cmd/dist table), less linux/sparc64 (an incomplete port), plus `wasi/wasm`,
 * which is not a Go pair but the platform the WebAssembly runtimes for containers select
 * (Docker's and containerd's runwasi shims, crun's wasm handler).
 */
export const KNOWN_PLATFORMS: Readonly<Record<string, readonly string[]>> = {
  aix: ["ppc64"],
  android: ["386", "amd64", "arm", "arm64"],
  darwin: ["amd64", "arm64"],
  dragonfly: ["amd64"],
  freebsd: ["386", "amd64", "arm", "arm64", "riscv64"],
  illumos: ["amd64"],
  ios: ["amd64", "arm64"],
  js: ["wasm"],
  linux: ["386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le", "riscv64", "s390x"],
  netbsd: ["386", "amd64", "arm", "arm64"],
  openbsd: ["386", "amd64", "arm", "arm64", "ppc64", "riscv64"],
  plan9: ["386", "amd64", "arm"],
  solaris: ["amd64"],
  wasi: ["wasm"],
  wasip1: ["wasm"],
  windows: ["386", "amd64", "arm64"],
};

/** Every known `os` value, sorted. */
export const KNOWN_OSES: readonly string[] = Object.keys(KNOWN_PLATFORMS).sort();

/** Every known `architecture` value (any os), sorted. */
export const KNOWN_ARCHITECTURES: readonly string[] = [...new Set(Object.values(KNOWN_PLATFORMS).flat())].sort();

/**
 * The `variant` values per architecture: `arm` v5..v8 (GOARM 5..7 and the spec's v6/v7/v8 rows),
 * `arm64` v8 (the spec's row), `amd64` v1..v4 (GOAMD64's x86-64 micro-architecture levels).
 * An architecture not listed here takes no variant.
 */
export const KNOWN_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  amd64: ["v1", "v2", "v3", "v4"],
  arm: ["v5", "v6", "v7", "v8"],
  arm64: ["v8"],
};

/** What a common non-Go spelling means: the architecture, and the variant it implies, if any. */
export interface PlatformMeaning {
  readonly architecture: string;
  readonly variant?: string;
}

/** Spellings people copy from `uname -m`, distribution names and other tools' platform strings. */
export const ARCHITECTURE_ALIASES: Readonly<Record<string, PlatformMeaning>> = {
  "x86_64": { architecture: "amd64" },
  "x86-64": { architecture: "amd64" },
  x64: { architecture: "amd64" },
  i386: { architecture: "386" },
  i486: { architecture: "386" },
  i586: { architecture: "386" },
  i686: { architecture: "386" },
  x86: { architecture: "386" },
  ia32: { architecture: "386" },
  aarch64: { architecture: "arm64" },
  arm64v8: { architecture: "arm64", variant: "v8" },
  armv8: { architecture: "arm64", variant: "v8" },
  armv8l: { architecture: "arm", variant: "v8" },
  armv7: { architecture: "arm", variant: "v7" },
  armv7l: { architecture: "arm", variant: "v7" },
  armv7hl: { architecture: "arm", variant: "v7" },
  armhf: { architecture: "arm", variant: "v7" },
  arm32v7: { architecture: "arm", variant: "v7" },
  armv6: { architecture: "arm", variant: "v6" },
  armv6l: { architecture: "arm", variant: "v6" },
  arm32v6: { architecture: "arm", variant: "v6" },
  armv5: { architecture: "arm", variant: "v5" },
  armv5l: { architecture: "arm", variant: "v5" },
  armv5tel: { architecture: "arm", variant: "v5" },
  armel: { architecture: "arm", variant: "v5" },
  arm32v5: { architecture: "arm", variant: "v5" },
  ppc64el: { architecture: "ppc64le" },
  powerpc64le: { architecture: "ppc64le" },
  powerpc64: { architecture: "ppc64" },
  mips64el: { architecture: "mips64le" },
  mipsel: { architecture: "mipsle" },
  loongarch64: { architecture: "loong64" },
  riscv: { architecture: "riscv64" },
  riscv64gc: { architecture: "riscv64" },
  rv64: { architecture: "riscv64" },
  wasm32: { architecture: "wasm" },
};

/** Other names of GOOS values. */
export const OS_ALIASES: Readonly<Record<string, string>> = {
  macos: "darwin",
  macosx: "darwin",
  osx: "darwin",
  mac: "darwin",
  win: "windows",
  win32: "windows",
  win64: "windows",
  sunos: "solaris",
  wasip2: "wasi",
};

/** The architecture (and variant) a known non-Go spelling such as `x86_64` or `armv7l` means. */
export const architectureAlias = (value: string): PlatformMeaning | undefined => ARCHITECTURE_ALIASES[value.toLowerCase()];

/** The GOOS a known non-Go spelling such as `macos` means. */
export const osAlias = (value: string): string | undefined => OS_ALIASES[value.toLowerCase()];

/** The variant a loose spelling (`7`, `V7`, `armv7`, `v8.0`) means, when it has the `vN` shape underneath. */
export const variantAlias = (value: string): string | undefined => {
  const match = /^(?:arm)?v?([0-9]+)(?:\.0)?$/i.exec(value);
  return match === null ? undefined : `v${Number(match[1])}`;
};
