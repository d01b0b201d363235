import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import type { Program } from "@ocistage/program";
import { graphDot, graphJson, graphMermaid, graphText } from "@ocistage/views";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";

type Graph = Extract<Command, { _tag: "Graph" }>;

const RENDER: Readonly<Record<Graph["format"], (program: Program) => string>> = {
  text: graphText,
  dot: graphDot,
  mermaid: graphMermaid,
  json: (program) => JSON.stringify(graphJson(program), null, 2),
};

// `ocistage graph SPEC [--format text|dot|mermaid|json]`: one graph, four renderings.
export const graphCommand = (command: Graph): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.map(({ program }) => RENDER[command.format](program)),
  );
