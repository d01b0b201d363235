/** A program header's placement: where its bytes are in the file and where they load in memory. */
export interface Segment {
  readonly offset: number; // p_offset: bytes from the start of the file
  readonly vaddr: number; // p_vaddr
  readonly filesz: number; // p_filesz: bytes in the file
}

/** Fixed-size fields of one ELF class and byte order, read from bytes already checked to be long enough. */
export interface FieldReader {
  readonly u16: (at: number) => number;
  readonly u32: (at: number) => number;
  /** An address, offset or size: 4 bytes in ELF32, 8 in ELF64; `undefined` past 2^53 (no file or address space is that big). */
  readonly word: (at: number) => number | undefined;
  /** The placement fields of the program header starting at `at`. */
  readonly segment: (at: number) => Segment | undefined;
}

export const hex = (n: number): string => `0x${n.toString(16)}`;

export const fieldReader = (bytes: Uint8Array, elfClass: 32 | 64, little: boolean): FieldReader => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number): number => view.getUint32(at, little);
  const word = (at: number): number | undefined => {
    if (elfClass === 32) return u32(at);
    const n = view.getBigUint64(at, little);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
  };
  // ELF64: p_type, p_flags, p_offset, p_vaddr, p_paddr, p_filesz…; ELF32: p_type, p_offset, p_vaddr, p_paddr, p_filesz…
  const segment = (at: number): Segment | undefined => {
    const [offset, vaddr, filesz] = elfClass === 64 ? [word(at + 8), word(at + 16), word(at + 32)] : [word(at + 4), word(at + 8), word(at + 16)];
    return offset === undefined || vaddr === undefined || filesz === undefined ? undefined : { offset, vaddr, filesz };
  };
  return { u16: (at) => view.getUint16(at, little), u32, word, segment };
};
