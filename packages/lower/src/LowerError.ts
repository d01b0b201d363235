import type { SpecIssue } from "@ocistage/spec";

// A spec that decodes but cannot be built: every semantic issue, each with its path.
export interface LowerError {
  readonly _tag: "LowerInvalid";
  readonly issues: readonly SpecIssue[];
}
