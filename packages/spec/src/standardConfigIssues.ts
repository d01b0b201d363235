import type { SpecIssue } from "./SpecError.ts";
import type { StandardImage } from "./StandardImage.ts";
import { fieldAt } from "./standardEntries.ts";

// Config fields a standard image sets itself, checked where the user might set them anyway: a
// label key that already carries the prefix, PATH (the runtime inputs' folders) and, through
// extraConfig, the entrypoint (/bin/entrypoint) and the user (uid:gid).

const PREFIX = "org.opencontainers.image.";

const keyPath = (at: string, field: string, key: string): string => `${fieldAt(at, field)}[${JSON.stringify(key)}]`;

const isObject = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null && !Array.isArray(u);

/** Every such field of the standard image at `at`, as an issue saying what the image does instead. */
export const standardConfigIssues = (image: StandardImage, at: string): readonly SpecIssue[] => {
  const issues: SpecIssue[] = [];
  for (const key of Object.keys(image.labels ?? {}))
    if (key.startsWith(PREFIX)) issues.push({ at: keyPath(at, "labels", key), message: `labels are prefixed with ${PREFIX} already: write ${JSON.stringify(key.slice(PREFIX.length))}` });
  const env = image.env;
  const names = env === undefined ? [] : Array.isArray(env) ? (env as readonly string[]).map((e) => e.slice(0, e.indexOf("="))) : Object.keys(env);
  if (names.includes("PATH")) issues.push({ at: fieldAt(at, "env"), message: "a standard image's PATH is the folders of operable.runtimeInputs (and its shell's); put programs there instead" });
  const config = image.extraConfig?.["config"];
  if (isObject(config))
    for (const key of ["Entrypoint", "User"])
      if (key in config) issues.push({ at: fieldAt(at, `extraConfig.config.${key}`), message: key === "Entrypoint" ? "a standard image's entrypoint is /bin/entrypoint (operable.command)" : "a standard image runs as uid:gid (give uid and gid)" });
  return issues;
};
