import type { LayoutError } from "@ocistage/layout";
import { formatLayoutError } from "@ocistage/layout";
import type { RegistryError } from "@ocistage/registry";
import { formatRegistryError, isLocalFailure } from "@ocistage/registry";
import type { CliError } from "./CliError.ts";

/** A registry failure for the CLI: the local disk's is exit 3, the rest (registry, reference, credentials) exit 1. */
export const registryFailure = (error: RegistryError): CliError => ({ _tag: isLocalFailure(error) ? "Environment" : "BadInput", lines: formatRegistryError(error) });

/** A layout that cannot be read for a push: exit 1 when it is wrong, 3 when the disk failed. */
export const layoutFailure = (error: LayoutError): Extract<CliError, { readonly lines: readonly string[] }> => ({ _tag: error._tag === "LayoutIOError" ? "Environment" : "BadInput", lines: formatLayoutError(error) });

/** With --json a failure is reported on stdout too, as `{"result": "error", "issues": [...]}`, with the same exit code. */
export const reportedAsJson = (json: boolean) => (error: CliError): CliError =>
  json && (error._tag === "BadInput" || error._tag === "Environment")
    ? { _tag: "Reported", report: JSON.stringify({ result: "error", issues: error.lines.map((message) => ({ message })) }, null, 2), error }
    : error;
