/**
 * Why a file could not be read as an ELF program or library. Every problem names the file;
 * `message` says what was expected and what was found, in one line.
 * - not-elf: the file does not start with the ELF magic (a script, a text file, a folder);
 * - truncated: a header or table the file declares lies past its end;
 * - malformed: a value no linker writes (an unknown class, an absurd offset or count, a string
 *   without its NUL, a dynamic table pointing outside every loaded segment);
 * - unsupported: a valid ELF file this reader does not handle (a relocatable object, PN_XNUM);
 * - unreadable: the file system refused (missing, permission, I/O error).
 */
export type ElfProblem = "not-elf" | "truncated" | "malformed" | "unsupported" | "unreadable";

export interface ElfError {
  readonly _tag: "ElfError";
  readonly file: string;
  readonly problem: ElfProblem;
  readonly message: string;
}

export const elfError = (file: string, problem: ElfProblem, message: string): ElfError => ({ _tag: "ElfError", file, problem, message });

/** One line: `FILE: what was wrong`. */
export const formatElfError = (error: ElfError): string => `${error.file}: ${error.message}`;
