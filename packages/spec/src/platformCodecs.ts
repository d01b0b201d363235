import * as t from "io-ts";
import { KNOWN_ARCHITECTURES, KNOWN_OSES, KNOWN_PLATFORMS, KNOWN_VARIANTS, architectureAlias, osAlias, variantAlias } from "@ocistage/oci";
import { closestName } from "./closestName.ts";
import { describe } from "./reportDecodeErrors.ts";
import type { FieldProblem } from "./withFieldChecks.ts";

// `architecture`, `os` and `variant` as the OCI image-index spec names them (GOARCH, GOOS and
// its variant table; the vocabulary lives in @ocistage/oci's knownPlatforms). A runtime compares
// these strings exactly, so a near miss (`x86_64`) builds an image no host selects: each is
// refused with the value it most likely meant.

export const DEFAULT_ARCHITECTURE = "amd64";
export const DEFAULT_OS = "linux";

const quoted = (s: string): string => JSON.stringify(s);

const hint = (value: string, known: readonly string[], alias: string | undefined): string => {
  const meant = alias ?? closestName(value, known);
  return meant === undefined ? "" : ` (did you mean ${quoted(meant)}?)`;
};

const architectureHint = (value: string): string => {
  const alias = architectureAlias(value);
  if (alias === undefined) return hint(value, KNOWN_ARCHITECTURES, undefined);
  return ` (did you mean ${quoted(alias.architecture)}${alias.variant === undefined ? "" : ` with variant ${quoted(alias.variant)}`}?)`;
};

const nameCodec = (name: string, known: readonly string[], hintFor: (value: string) => string): t.Type<string, string, unknown> =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === "string" && known.includes(u),
    (u, c) => {
      if (typeof u === "string" && known.includes(u)) return t.success(u);
      const suggestion = typeof u === "string" ? hintFor(u) : "";
      return t.failure(u, c, `expected one of the ${name} names ${known.join(", ")}, found ${describe(u)}${suggestion}`);
    },
    t.identity,
  );

/** A GOARCH value (`amd64`, `arm64`, …); `x86_64` and friends are refused with the Go name. */
export const Architecture = nameCodec("GOARCH", KNOWN_ARCHITECTURES, architectureHint);

/** A GOOS value (`linux`, `windows`, …); `macos` and friends are refused with the Go name. */
export const Os = nameCodec("GOOS", KNOWN_OSES, (u) => hint(u, KNOWN_OSES, osAlias(u)));

const variantProblem = (architecture: string, variant: string): FieldProblem | undefined => {
  const known = KNOWN_VARIANTS[architecture];
  if (known === undefined) {
    const takers = Object.keys(KNOWN_VARIANTS).sort().join(", ");
    return { key: "variant", value: variant, message: `expected no variant for ${architecture} (only ${takers} take one), found ${quoted(variant)}` };
  }
  if (known.includes(variant)) return undefined;
  const meant = variantAlias(variant);
  const suggestion = meant !== undefined && known.includes(meant) ? ` (did you mean ${quoted(meant)}?)` : "";
  return { key: "variant", value: variant, message: `expected one of the ${architecture} variants ${known.join(", ")}, found ${quoted(variant)}${suggestion}` };
};

/**
 * The checks that need two fields: the architecture must be one its os runs on (a GOOS/GOARCH
 * pair), and a variant must be one its architecture has (the default architecture, amd64, when
 * none is given). Fields that are absent take their defaults; fields the per-field codecs
 * already refuse are left to them.
 */
export const platformProblems = (spec: Readonly<Record<string, unknown>>): readonly FieldProblem[] => {
  const architecture = spec["architecture"] ?? DEFAULT_ARCHITECTURE;
  const os = spec["os"] ?? DEFAULT_OS;
  const variant = spec["variant"];
  if (typeof architecture !== "string" || !KNOWN_ARCHITECTURES.includes(architecture)) return [];
  const problems: FieldProblem[] = [];
  const runs = typeof os === "string" ? KNOWN_PLATFORMS[os] : undefined;
  if (runs !== undefined && !runs.includes(architecture))
    problems.push({ key: "architecture", value: architecture, message: `expected an architecture ${os} runs on (${runs.join(", ")}), found ${quoted(architecture)}` });
  if (typeof variant === "string" && variant.length > 0) {
    const problem = variantProblem(architecture, variant);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
};
