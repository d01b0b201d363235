// How GNU tar (--format=gnu) writes a number into a header field of `width` bytes
// (create.c: to_chars):
//
// - if it fits in width-1 octal digits: zero-padded octal digits followed by one NUL
//   ("0000644\0" for a mode, "00000000005\0" for a size);
// - otherwise GNU base-256: the first byte is 0x80 for a positive value (0xff for a negative
//   one) and the remaining width-1 bytes hold the value big-endian (two's complement when
//   negative). A 9 GiB size, a uid of 2^21 or more and an mtime past 2242 (or before 1970) take
//   this form. Values that do not fit even then cannot occur in a valid entry (validateTarEntry).
export const writeNumericField = (target: Uint8Array, offset: number, width: number, value: bigint | number): void => {
  const digits = width - 1;
  // The common case stays in plain numbers: 8^11 is well below 2^53.
  if (typeof value === "number" && value >= 0 && value < 8 ** digits) {
    const text = value.toString(8);
    const pad = digits - text.length;
    target.fill(0x30, offset, offset + pad);
    for (let i = 0; i < text.length; i++) target[offset + pad + i] = text.charCodeAt(i);
    target[offset + digits] = 0;
    return;
  }
  const big = BigInt(value);
  if (big >= 0n && big < 8n ** BigInt(digits)) return writeNumericField(target, offset, width, Number(big));
  const negative = big < 0n;
  target[offset] = negative ? 0xff : 0x80;
  // Two's complement over the remaining bytes: for a negative value, -1 - value is the bitwise
  // complement of its magnitude.
  let rest = negative ? -1n - big : big;
  for (let i = width - 1; i >= 1; i--) {
    const byte = Number(rest & 0xffn);
    target[offset + i] = negative ? 0xff - byte : byte;
    rest >>= 8n;
  }
};

export const encodeNumericField = (value: bigint | number, width: number): Uint8Array => {
  const field = new Uint8Array(width);
  writeNumericField(field, 0, width, value);
  return field;
};

// The checksum field is formatted differently from the others: six octal digits, a NUL, then
// the space that was already there while summing.
export const writeChecksumField = (target: Uint8Array, offset: number, sum: number): void => {
  writeNumericField(target, offset, 7, sum);
  target[offset + 7] = 0x20;
};
