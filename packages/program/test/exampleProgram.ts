import type { Program, Step } from "../src/index.ts";
import { TOOLS } from "../src/index.ts";

// A small hand-written program (one layer), so the program package is tested without lowering.
const info = (name: string, needs: readonly string[], inputs: readonly string[], outputs: readonly string[]) => ({
  name,
  needs,
  tools: ["sh", "coreutils"] as const,
  inputs,
  outputs,
  description: `Do ${name}.`,
});

export const exampleSteps: readonly Step[] = [
  { _tag: "WriteLayoutFile", ...info("write-oci-layout", [], [], ["file:oci-layout"]), content: "{}" },
  {
    _tag: "AssembleRootfs",
    ...info("assemble-rootfs-app", [], ["source:app"], ["scratch:rootfs-app"]),
    layer: "app",
    owner: { uid: 0, gid: 0 },
    entries: [{ _tag: "Copy", at: "layers[0].source", source: "app", destination: "", modes: "keep", owner: { uid: 0, gid: 0 }, exclude: [] }],
  },
  { _tag: "TarLayer", ...info("tar-layer-app", ["assemble-rootfs-app"], ["scratch:rootfs-app"], ["blob:layer-app"]), tools: ["sh", "tar"], layer: "app", mediaType: "t", mtime: 0, compression: "none" },
  { _tag: "WriteConfig", ...info("write-config", ["tar-layer-app"], ["blob:layer-app"], ["blob:config"]), image: "app", config: { architecture: "amd64", os: "linux" }, fieldAt: {}, layers: ["app"] },
  { _tag: "WriteManifest", ...info("write-manifest", ["write-config"], ["blob:config", "blob:layer-app"], ["blob:manifest"]), image: "app", layers: [], annotations: {} },
  { _tag: "WriteIndex", ...info("write-index", ["write-oci-layout", "write-manifest"], ["file:oci-layout", "blob:manifest"], ["file:index.json"]), entries: [] },
];

export const exampleProgram: Program = {
  programVersion: 2,
  name: "app",
  images: [{ id: "app", name: "app", reference: { prefix: "", tag: { _tag: "Given", tag: "latest" } }, platform: { architecture: "amd64", os: "linux" }, layers: ["app"] }],
  sourceDateEpoch: 0,
  tools: [TOOLS.sh, TOOLS.tar, TOOLS.coreutils],
  steps: exampleSteps,
  outputs: [],
  descriptors: [],
  evidence: [],
  sources: [],
};

// The example with some steps changed: `edit` maps each step to its replacement.
export const withSteps = (edit: (step: Step) => Step, program: Program = exampleProgram): Program => ({ ...program, steps: program.steps.map(edit) });
