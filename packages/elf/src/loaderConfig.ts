import { EM_386, EM_AARCH64, EM_X86_64 } from "./ElfInfo.ts";
import type { ElfInfo } from "./ElfInfo.ts";

/**
 * How Debian's glibc loader for one architecture searches: which ld.so.cache entries it accepts
 * (glibc's `_dl_cache_check_flags`), its default folders, in order, and what `$LIB` expands to.
 * The x86-64 row is what this machine's loader prints (`/lib64/ld-linux-x86-64.so.2 --help`,
 * "system search path") and does (`LD_DEBUG=libs` shows `$LIB` as lib/x86_64-linux-gnu); the
 * others follow Debian's multiarch layout, unchecked here.
 *
 * Not emulated: the glibc-hwcaps subfolders (x86-64-v2…v4) and the legacy hwcap ones (tls,
 * x86_64) the loader tries first inside each folder, since the CPU that will run the image is not
 * known when it is built; a library found only there is reported missing. `$PLATFORM` depends on
 * that CPU too (x86_64, haswell, xeon_phi), so a search path using it is refused.
 */
export interface LoaderConfig {
  readonly name: string;
  readonly cacheFlags: readonly number[];
  readonly systemDirs: readonly string[];
  readonly lib: string; // $LIB
}

const debian = (name: string, triplet: string, cacheFlags: readonly number[]): LoaderConfig => ({
  name,
  cacheFlags,
  systemDirs: [`/lib/${triplet}`, `/usr/lib/${triplet}`, "/lib", "/usr/lib"],
  lib: `lib/${triplet}`,
});

const CONFIGS: readonly { readonly elfClass: 32 | 64; readonly machine: number; readonly config: LoaderConfig }[] = [
  { elfClass: 64, machine: EM_X86_64, config: debian("x86-64", "x86_64-linux-gnu", [0x0303]) },
  { elfClass: 32, machine: EM_386, config: debian("i386", "i386-linux-gnu", [0x0001, 0x0003]) },
  { elfClass: 64, machine: EM_AARCH64, config: debian("aarch64", "aarch64-linux-gnu", [0x0a03]) },
];

/** The loader configuration for a program of this class and machine (little-endian only), if known. */
export const loaderConfig = (elf: Pick<ElfInfo, "elfClass" | "machine" | "endianness">): LoaderConfig | undefined =>
  elf.endianness === "little" ? CONFIGS.find((c) => c.elfClass === elf.elfClass && c.machine === elf.machine)?.config : undefined;
