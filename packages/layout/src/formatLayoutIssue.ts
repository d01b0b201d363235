import { absurd } from "fp-ts/lib/function.js";
import type { LayoutIssue, MediaTypeRole, StrayReason } from "./LayoutIssue.ts";
import { formatLocation } from "./LayoutLocation.ts";

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

const stray = (reason: StrayReason, dir: string): string => {
  switch (reason) {
    case "name-not-a-digest":
      return `stray file in ${dir} whose name is not a digest`;
    case "not-a-regular-file":
      return `stray entry in ${dir} that is not a regular file`;
    case "unsupported-algorithm":
      return "blob directory for a digest algorithm ocistage cannot verify (only sha256 and sha512)";
    case "outside-algorithm-directory":
      return "stray file in blobs, which holds one directory per digest algorithm";
    default:
      return absurd(reason);
  }
};

const roleName: { readonly [R in MediaTypeRole]: string } = {
  "index entry": "an index entry",
  config: "a config",
  layer: "a layer",
};

const parentDir = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf("/")));

/** What is wrong, without where. */
export const describeLayoutIssue = (issue: LayoutIssue): string => {
  switch (issue._tag) {
    case "MissingFile":
      return `missing ${issue.kind}`;
    case "NotARegularFile":
      return issue.expected === "file"
        ? "expected a regular file, found something else"
        : "expected a directory, found a file";
    case "InvalidJson":
      return `invalid JSON: ${issue.detail}`;
    case "InvalidDocument":
      return `expected ${issue.expected}, found ${issue.found}`;
    case "MissingBlob":
      return `missing blob ${issue.digest}`;
    case "SizeMismatch":
      return `size ${issue.actual} but descriptor says ${issue.declared}`;
    case "DigestMismatch":
      return `digest mismatch: expected ${issue.expected}, blob hashes to ${issue.actual}`;
    case "MediaTypeMismatch":
      return `media type ${issue.declared} but the document says ${issue.document}`;
    case "UnknownMediaType":
      return `unknown media type ${issue.mediaType} for ${roleName[issue.role]}`;
    case "DocumentTooLarge":
      return `blob of ${issue.size} bytes is too large for a JSON document (limit ${issue.limit}); not read`;
    case "DescriptorCycle":
      return `descriptor cycle: ${issue.digest} is already being followed`;
    case "DiffIdCountMismatch":
      return `${plural(issue.diffIds, "entry", "entries")} but the manifest has ${plural(issue.layers, "layer", "layers")}`;
    case "DiffIdMismatch":
      return `${issue.diffId} but layers[${issue.layer}] is an uncompressed tar with digest ${issue.layerDigest}`;
    case "StrayBlobEntry":
      return stray(issue.reason, parentDir(issue.at.document));
    default:
      return absurd(issue);
  }
};

/** One line per issue: `<where>: <what>`, e.g. `index.json manifests[0] → manifest layers[1]: missing blob sha256:…`. */
export const formatLayoutIssue = (issue: LayoutIssue): string =>
  `${formatLocation(issue.at)}: ${describeLayoutIssue(issue)}`;
