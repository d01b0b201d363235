import type { Json } from "./json.ts";

/**
 * Canonical JSON: the one byte sequence the builder hashes for a value, so the same manifest always
 * gets the same digest whatever order its fields were built in.
 *
 * - Object keys are sorted by UTF-16 code unit order (what `Array.prototype.sort` does with no
 *   comparator; the same order as RFC 8785). It differs from code point order only for keys mixing
 *   astral characters with U+E000..U+FFFF, which no OCI field name does.
 * - No insignificant whitespace: no spaces after `:` or `,`, no newlines, no trailing newline.
 * - Strings are escaped exactly as `JSON.stringify` escapes them (`"`, `\`, control characters as
 *   `\n`/`\u001f`…, lone surrogates as `\udxxx`); everything else, including non-ASCII, is kept
 *   literally and encoded as UTF-8.
 * - Numbers must be safe integers (sizes, schemaVersion). A fraction, NaN, Infinity or an integer
 *   beyond 2^53 has no single agreed spelling, so meeting one is a bug in the caller: we throw
 *   rather than hash an ambiguous document. So does a value JSON cannot represent (undefined,
 *   a function, a Date, a Map…) smuggled past the `Json` type.
 */
export const canonicalJson = (value: Json): string => write(value, "$");

export const canonicalJsonBytes = (value: Json): Uint8Array => new TextEncoder().encode(canonicalJson(value));

/** Thrown for values that have no canonical form: always a programming error, never bad input. */
export class CanonicalJsonBug extends Error {
  override readonly name = "CanonicalJsonBug";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`canonical JSON at ${path}: ${reason}`);
  }
}

const keyPath = (path: string, key: string): string =>
  /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

const write = (value: unknown, path: string): string => {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isSafeInteger(value)) throw new CanonicalJsonBug(path, `${value} is not a safe integer`);
      // -0 and 0 are the same JSON number; spell it one way.
      return value === 0 ? "0" : String(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) return `[${value.map((v, i) => write(v, `${path}[${i}]`)).join(",")}]`;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonBug(path, `${Object.prototype.toString.call(value)} is not a plain object`);
      }
      const record = value as { readonly [key: string]: unknown };
      const members = Object.keys(record)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${write(record[k], keyPath(path, k))}`);
      return `{${members.join(",")}}`;
    }
    default:
      throw new CanonicalJsonBug(path, `${typeof value} is not a JSON value`);
  }
};
