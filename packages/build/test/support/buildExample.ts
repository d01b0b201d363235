import { EXAMPLE_BUSYBOX, runCli } from "./runCli.ts";
import type { CliRun } from "./runCli.ts";

export interface JsonDescriptor {
  readonly role: string;
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

export interface JsonReference {
  readonly reference: string;
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly images: readonly string[];
}

// What `ocistage build --json` prints.
export interface BuildJson {
  readonly out: string;
  readonly references: readonly JsonReference[];
  readonly manifest: JsonDescriptor;
  readonly descriptors: readonly JsonDescriptor[];
}

// Builds a spec with the CLI (`--json`) and returns what it printed; a failed build throws with
// the CLI's stderr, since every caller needs the image to go on.
export const buildSpec = async (spec: string, out: string, options: CliRun = {}): Promise<BuildJson> => {
  const result = await runCli(["build", spec, "--out", out, "--json"], options);
  if (result.code !== 0) throw new Error(`ocistage build ${spec} exited ${result.code}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as BuildJson;
};

// examples/busybox-shell, the image most tests run.
export const buildExample = (out: string, options: CliRun = {}): Promise<BuildJson> => buildSpec(EXAMPLE_BUSYBOX, out, options);
