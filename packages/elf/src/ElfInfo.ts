/** What the dynamic loader needs from an ELF file's headers (the System V gABI's names). */
export interface ElfInfo {
  readonly elfClass: 32 | 64; // EI_CLASS: ELFCLASS32 or ELFCLASS64
  readonly endianness: "little" | "big"; // EI_DATA
  readonly machine: number; // e_machine (62 x86-64, 3 i386, 183 AArch64, …)
  readonly type: "executable" | "shared object"; // e_type ET_EXEC or ET_DYN (a PIE program is ET_DYN)
  readonly interpreter?: string; // PT_INTERP: the program interpreter's path
  readonly dynamic?: DynamicInfo; // from PT_DYNAMIC; absent for a statically linked file
}

/** The dynamic section's entries that decide which libraries a file loads (raw strings, no `$ORIGIN` expanded). */
export interface DynamicInfo {
  readonly needed: readonly string[]; // DT_NEEDED, in order
  readonly soname?: string; // DT_SONAME
  readonly rpath?: string; // DT_RPATH (kept as written: the loader ignores it when runpath is present)
  readonly runpath?: string; // DT_RUNPATH
  readonly noDefaultLib: boolean; // DT_FLAGS_1 has DF_1_NODEFLIB: no ld.so.cache, no default folders
}

/** e_machine values the closure resolver knows a loader configuration for. */
export const EM_386 = 3;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
