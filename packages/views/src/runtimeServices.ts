import type { Program } from "@ocistage/program";

// Runtime services an image would start beside itself. Programs have none yet (the seeds'
// standard images will); the views print the seed's "None." and a count of 0 until they do.
export type RuntimeService = never;

export const runtimeServices = (_program: Program): readonly RuntimeService[] => [];

export const runtimeServiceLines = (program: Program): readonly string[] => (runtimeServices(program).length === 0 ? ["None."] : []);
