import type { LayoutError } from "@ocistage/layout";
import { formatLayoutError } from "@ocistage/layout";
import type { RegistryError } from "@ocistage/registry";
import { formatRegistryError, isLocalFailure } from "@ocistage/registry";
import type { CliError } from "./CliError.ts";

/** A registry failure for the CLI: the local disk's is exit 3, the rest (registry, reference, credentials) exit 1. */
export const registryFailure = (error: RegistryError): CliError => ({ _tag: isLocalFailure(error) ? "Environment" : "BadInput", lines: formatRegistryError(error) });

/**
 * A layout that cannot be read for a push or pull: exit 1 when it is wrong, 3 when the disk
 * failed. The layout's issues are located inside it (`oci-layout: missing file`), so they are
 * led by the folder.
 */
export const layoutFailure = (dir: string, error: LayoutError): Extract<CliError, { readonly lines: readonly string[] }> =>
  error._tag === "LayoutIOError"
    ? { _tag: "Environment", lines: formatLayoutError(error) }
    : { _tag: "BadInput", lines: formatLayoutError(error).map((line) => `${dir.replace(/\/+$/, "")}/${line}`) };

/** With --json a failure is reported on stdout too, as `{"result": "error", "issues": [...]}`, with the same exit code. */
export const reportedAsJson = (json: boolean) => (error: CliError): CliError =>
  json && (error._tag === "BadInput" || error._tag === "Environment")
    ? { _tag: "Reported", report: JSON.stringify({ result: "error", issues: error.lines.map((message) => ({ message })) }, null, 2), error }
    : error;
