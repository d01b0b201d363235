import * as E from "fp-ts/lib/Either.js";
import type { CliError } from "./CliError.ts";

/** The options every verb that talks to a registry takes, as typed. Secrets stay in `creds` only. */
export interface RegistryFlags {
  /** `--tls-verify=false`: no certificate check (and plain HTTP if need be) for the reference's registry. */
  readonly tlsVerify: boolean;
  readonly certDir?: string;
  /** `--creds USER:PASSWORD`, as given (parsed where it is used, never printed). */
  readonly creds?: string;
  /** `--retries N`: tries after the first for 429, 5xx and dropped connections. */
  readonly retries: number;
  readonly json: boolean;
  /** `--quiet`: no progress bar even on a terminal. */
  readonly quiet: boolean;
  readonly cacheDir?: string;
}

/** Flags taking a value, for the argument splitter. */
export const REGISTRY_VALUED = ["--tls-verify", "--cert-dir", "--creds", "--retries", "--cache-dir"] as const;
export const REGISTRY_BOOLEAN = ["--json", "--quiet"] as const;

const DEFAULT_RETRIES = 4;

const usage = (message: string): E.Either<CliError, never> => E.left({ _tag: "Usage", message });

/** Reads the registry flags from a verb's parsed flags; a wrong value is a usage error. */
export const registryFlagsOf = (verb: string, flags: ReadonlyMap<string, string | true>): E.Either<CliError, RegistryFlags> => {
  const text = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const tls = text("--tls-verify") ?? "true";
  if (tls !== "true" && tls !== "false") return usage(`ocistage ${verb}: --tls-verify takes true or false, not ${JSON.stringify(tls)}`);
  const retriesText = text("--retries");
  const retries = retriesText === undefined ? DEFAULT_RETRIES : Number(retriesText);
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) return usage(`ocistage ${verb}: --retries takes a whole number from 0 to 20, not ${JSON.stringify(retriesText)}`);
  const creds = text("--creds");
  if (creds !== undefined && creds.indexOf(":") <= 0) return usage(`ocistage ${verb}: --creds takes USER:PASSWORD`);
  const certDir = text("--cert-dir");
  const cacheDir = text("--cache-dir");
  return E.right({
    tlsVerify: tls === "true",
    retries,
    json: flags.has("--json"),
    quiet: flags.has("--quiet"),
    ...(certDir === undefined ? {} : { certDir }),
    ...(creds === undefined ? {} : { creds }),
    ...(cacheDir === undefined ? {} : { cacheDir }),
  });
};

const UNITS: Readonly<Record<string, number>> = { "": 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

/** `--chunk-size 8MiB` (or bytes, `512k`, `1G`): at least 64 KiB. */
export const parseSize = (flag: string, text: string): E.Either<CliError, number> => {
  const m = /^(\d+)\s*([a-zA-Z]*)$/.exec(text.trim());
  const unit = UNITS[(m?.[2] ?? "").toLowerCase()];
  const bytes = m === null || unit === undefined ? NaN : Number(m[1]) * unit;
  return Number.isSafeInteger(bytes) && bytes >= 64 * 1024 ? E.right(bytes) : usage(`${flag} takes a size of at least 64KiB (e.g. 8MiB), not ${JSON.stringify(text)}`);
};
