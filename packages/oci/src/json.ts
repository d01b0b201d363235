/**
 * A JSON value, as the OCI documents are.
 *
 * OCI document types are declared as type aliases, not interfaces, because only object *type aliases*
 * are assignable to the index signature below; that is what lets `canonicalJson(manifest)` typecheck.
 */
export type Json = null | boolean | number | string | JsonArray | JsonObject;
export type JsonArray = readonly Json[];
export type JsonObject = { readonly [key: string]: Json };

const isPlainObject = (u: unknown): u is { readonly [key: string]: unknown } => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false;
  const proto: unknown = Object.getPrototypeOf(u);
  return proto === Object.prototype || proto === null;
};

/** True for what `JSON.parse` can produce (any finite number; canonical form is stricter). */
export const isJson = (u: unknown): u is Json => {
  if (u === null || typeof u === "boolean" || typeof u === "string") return true;
  if (typeof u === "number") return Number.isFinite(u);
  if (Array.isArray(u)) return u.every(isJson);
  return isPlainObject(u) && Object.values(u).every(isJson);
};

export const isJsonObject = (u: unknown): u is JsonObject => isPlainObject(u) && isJson(u);
