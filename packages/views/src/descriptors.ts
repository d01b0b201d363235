import type { Program } from "@ocistage/program";

// The Descriptors view: what the image is, as a downstream consumer sees it.
export const descriptorLines = (program: Program): readonly string[] =>
  program.descriptors.map((d) => `descriptor ${d.name} (payload keys ${Object.keys(d.payload).sort().join(", ")})`);
