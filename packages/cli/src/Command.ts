import type { RegistryFlags } from "./registryFlags.ts";
import type { Compression } from "@ocistage/program";

// What the user asked for, parsed from argv: one case per verb.
export type Command =
  | { readonly _tag: "Help"; readonly verb?: string }
  | { readonly _tag: "Version" }
  | { readonly _tag: "Build"; readonly spec: string; readonly out: string; readonly json: boolean; readonly verifyInputs: boolean; readonly noCache: boolean; readonly cacheDir?: string; readonly dockerArchive?: string; readonly image?: string; readonly push?: BuildPush; readonly compression?: Compression }
  | { readonly _tag: "Validate"; readonly spec: string; readonly json: boolean }
  | { readonly _tag: "Plan"; readonly spec: string; readonly format: "text" | "markdown" | "json" }
  | { readonly _tag: "DryRun"; readonly spec: string; readonly json: boolean }
  | { readonly _tag: "Graph"; readonly spec: string; readonly format: "text" | "dot" | "mermaid" | "json" }
  | { readonly _tag: "EmitShell"; readonly spec: string; readonly output?: string; readonly compression?: Compression }
  | { readonly _tag: "EmitDockerfile"; readonly spec: string; readonly context: string; readonly image?: string }
  | { readonly _tag: "Docs"; readonly spec: string; readonly output?: string }
  | { readonly _tag: "Test"; readonly spec: string; readonly out?: string; readonly record?: string }
  | { readonly _tag: "Verify"; readonly layout: string; readonly json: boolean }
  | { readonly _tag: "Convert"; readonly source: string; readonly out: string; readonly json: boolean }
  | { readonly _tag: "Bundle"; readonly source: BundleSource; readonly out: string; readonly image?: string; readonly readonly: boolean; readonly json: boolean }
  | { readonly _tag: "Push"; readonly layout: string; readonly ref: string; readonly all: boolean; readonly image?: string; readonly fromRepo?: string; readonly chunkSize: number; readonly flags: RegistryFlags }
  | { readonly _tag: "Pull"; readonly ref: string; readonly out: string; readonly platform?: string; readonly flags: RegistryFlags }
  | { readonly _tag: "NotYet"; readonly verb: string; readonly issue: string };

/** `build … --push REF`: the built layout pushed as `push OUT REF` would. */
export interface BuildPush {
  readonly ref: string;
  readonly chunkSize: number;
  readonly flags: RegistryFlags;
}

/** What `ocistage bundle` unpacks: a spec it builds first, or an OCI layout already built (`DIR[:REF]`). */
export type BundleSource = { readonly _tag: "Spec"; readonly spec: string } | { readonly _tag: "Layout"; readonly layout: string };
