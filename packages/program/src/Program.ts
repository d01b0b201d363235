import type { Json } from "./Json.ts";
import type { Platform, Step } from "./Step.ts";
import type { Tool } from "./Tool.ts";

// A file the spec came from or consumes, for the docs' "Source files" section.
export interface SourceFile {
  readonly path: string; // as the spec names it
  readonly role: "spec" | "layer input";
  readonly text?: string; // the spec's own text; layer inputs are named, not inlined
}

// What the build leaves behind for users, in the seed's words ("materialized outputs").
export interface MaterializedOutput {
  readonly name: "oci-layout" | "index" | "blobs" | "oci-archive";
  readonly path: string; // relative to the output folder
  readonly kind: "json" | "tree" | "tar";
}

// A smoke test that travels with the spec: run the image with `command` as its arguments
// (and `entrypoint` instead of the image's, when given), expect its output and exit code.
export interface SmokeTest {
  readonly name: string;
  readonly entrypoint?: readonly string[]; // replaces the image's entrypoint for this test
  readonly command: readonly string[];
  readonly expectOutput?: string;
  readonly expectExitCode: number;
}

// The seed's "descriptor": what this image is, as a downstream consumer sees it.
export interface ImageDescriptor {
  readonly name: string;
  readonly kind: "oci-image";
  readonly payload: Readonly<Record<string, Json>>;
}

export interface ImageSummary {
  readonly name: string;
  readonly tag: string;
  readonly platform: Platform;
  readonly description?: string;
}

// The lowered build: plain, JSON-serialisable data that every interpreter reads.
export interface Program {
  readonly programVersion: 1;
  readonly image: ImageSummary;
  readonly sourceDateEpoch: number;
  readonly tools: readonly Tool[];
  readonly steps: readonly Step[];
  readonly outputs: readonly MaterializedOutput[];
  readonly descriptors: readonly ImageDescriptor[];
  readonly evidence: readonly SmokeTest[];
  readonly sources: readonly SourceFile[];
}
