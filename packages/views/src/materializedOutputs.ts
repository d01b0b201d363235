import type { Program } from "@ocistage/program";

// The Materialized Outputs view: what a build leaves for users, and where.
export const materializedOutputLines = (program: Program): readonly string[] => program.outputs.map((o) => `${o.name} -> ${o.path} (${o.kind})`);
