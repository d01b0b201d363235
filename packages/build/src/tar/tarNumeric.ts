// How GNU tar (--format=gnu) writes a number into a header field of `width` bytes
// (create.c: to_chars):
//
// - if it fits in width-1 octal digits: zero-padded octal digits followed by one NUL
//   ("0000644\0" for a mode, "00000000005\0" for a size);
// - otherwise GNU base-256: the first byte is 0x80 for a positive value (0xff for a negative
//   one) and the remaining width-1 bytes hold the value big-endian (two's complement when
//   negative). A 9 GiB size, a uid of 2^21 or more and an mtime past 2242 (or before 1970) take
//   this form.
//
// Values come in as bigint so sizes above 2^53 are exact.
export const encodeNumericField = (value: bigint, width: number): Uint8Array => {
  const field = new Uint8Array(width);
  const digits = width - 1;
  if (value >= 0n && value < 8n ** BigInt(digits)) {
    const text = value.toString(8).padStart(digits, "0");
    for (let i = 0; i < digits; i++) field[i] = text.charCodeAt(i);
    return field;
  }
  const negative = value < 0n;
  field[0] = negative ? 0xff : 0x80;
  // Two's complement over the remaining bytes: for a negative value, -1 - value is the
  // bitwise complement of its magnitude.
  let rest = negative ? -1n - value : value;
  for (let i = width - 1; i >= 1; i--) {
    const byte = Number(rest & 0xffn);
    field[i] = negative ? 0xff - byte : byte;
    rest >>= 8n;
  }
  return field;
};

// The checksum field is formatted differently from the others: six octal digits, a NUL, then
// the space that was already there while summing.
export const encodeChecksumField = (sum: number): Uint8Array => {
  const field = new Uint8Array(8);
  const text = sum.toString(8).padStart(6, "0");
  for (let i = 0; i < 6; i++) field[i] = text.charCodeAt(i);
  field[6] = 0;
  field[7] = 0x20;
  return field;
};
