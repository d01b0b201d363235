import * as t from "io-ts";
import { MAX_SIGNAL_NUMBER, isStopSignal } from "@ocistage/oci";
import { describe } from "./reportDecodeErrors.ts";

// The stop signal a runtime sends first on `stop`: what podman and Docker accept (see
// @ocistage/oci's stopSignals), so a typo fails here and not at `podman run`.

// A number with a sign, leading zeros or spaces, or a known name with spaces, has one meaning.
const suggestion = (value: string): string => {
  const trimmed = value.trim();
  const meant = /^[+]?[0-9]+$/.test(trimmed) ? String(Number(trimmed)) : trimmed;
  return meant !== value && isStopSignal(meant) ? ` (did you mean "${meant}"?)` : "";
};

/** A signal name (`SIGTERM`, `TERM`, `sigrtmin+3`) or number 1..64. */
export const StopSignal = new t.Type<string, string, unknown>(
  "stop signal",
  (u): u is string => typeof u === "string" && isStopSignal(u),
  (u, c) =>
    typeof u === "string" && isStopSignal(u)
      ? t.success(u)
      : t.failure(u, c, `expected a signal name such as SIGTERM or a number 1..${MAX_SIGNAL_NUMBER}, found ${describe(u)}${typeof u === "string" ? suggestion(u) : ""}`),
  t.identity,
);
