import type { Program } from "@ocistage/program";
import { dockerfileSupport } from "@ocistage/emit";

// Whether a substrate can run a program, and if not, one `field: why` line per reason.
export type SubstrateSupport = { readonly supported: true } | { readonly supported: false; readonly reasons: readonly string[] };

export interface Substrate {
  readonly name: "dockerfile" | "shell";
  readonly support: SubstrateSupport;
}

// The substrates that can run this program. The shell substrate runs every program; the
// Dockerfile one says which fields it cannot express.
export const substrates = (program: Program): readonly Substrate[] => [
  { name: "dockerfile", support: dockerfileSupport(program) },
  { name: "shell", support: { supported: true } },
];

export const substrateLines = (program: Program): readonly string[] =>
  substrates(program).map(({ name, support }) => (support.supported ? `${name}: supported` : `${name}: unsupported (${support.reasons.join("; ")})`));
