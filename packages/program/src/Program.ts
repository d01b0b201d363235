import type { ClosureLayout } from "./ClosureReport.ts";
import type { Json } from "./Json.ts";
import type { Platform, Step } from "./Step.ts";
import type { RefName } from "./RefName.ts";
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
  readonly image?: string; // the id of the image it runs, in a program of several images
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

/**
 * One image of the layout, as views name it. `id` is unique in the program and is what step
 * names and artifacts carry (`write-config-<id>`); `reference` is how index.json names it.
 */
export interface ImageSummary {
  readonly id: string;
  readonly name: string;
  readonly reference: RefName;
  readonly platform: Platform;
  readonly layers: readonly string[]; // layer names, base first
  readonly description?: string;
}

/**
 * The lowered build: plain, JSON-serialisable data that every interpreter reads. It describes a
 * whole OCI layout: its images (several names, tags and platforms), the layers they use (each
 * defined, tarred and stored once), and the documents that tie them together.
 */
export interface Program {
  readonly programVersion: 2;
  readonly name: string; // the layout's name: the image's for a single image
  readonly description?: string;
  readonly images: readonly ImageSummary[];
  readonly sourceDateEpoch: number;
  readonly tools: readonly Tool[];
  readonly steps: readonly Step[];
  readonly outputs: readonly MaterializedOutput[];
  readonly descriptors: readonly ImageDescriptor[];
  readonly evidence: readonly SmokeTest[];
  readonly sources: readonly SourceFile[];
  readonly closures?: ClosureLayout; // host programs copied with their closure, and where each member went
}
