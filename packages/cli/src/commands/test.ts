import * as A from "fp-ts/lib/Array.js";
import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BuiltReference } from "@ocistage/build";
import type { Program, SmokeTest } from "@ocistage/program";
import type { EvidenceRecord, EvidenceResult } from "@ocistage/views";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { loadProgram } from "../loadProgram.ts";
import { buildProgram, defaultOut } from "./build.ts";

type Test = Extract<Command, { _tag: "Test" }>;

const TEST_TIMEOUT_MS = 120_000;

// podman refuses to start containers here unless ulimits are left alone.
const CONTAINERS_CONF = "[containers]\ndefault_ulimits = []\n";

// A result with the container's stderr, shown when a test fails but never recorded.
type SmokeResult = EvidenceResult & { readonly stderr?: string };

interface ProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

// Run a program to completion; a missing program or a timeout is an environment failure.
const run = (command: string, args: readonly string[], env: NodeJS.ProcessEnv): TE.TaskEither<CliError, ProcessResult> =>
  TE.tryCatch(
    () =>
      new Promise<ProcessResult>((resolve, reject) => {
        const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`timed out after ${TEST_TIMEOUT_MS / 1000}s`));
        }, TEST_TIMEOUT_MS);
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        child.on("error", (e) => {
          clearTimeout(timer);
          reject(e);
        });
        child.on("close", (code, signal) => {
          clearTimeout(timer);
          resolve({ code: code ?? (signal === null ? 1 : 128), stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") });
        });
      }),
    (e): CliError => ({ _tag: "Environment", lines: [`${command} ${args.slice(0, 3).join(" ")}: ${reason(e)}`] }),
  );

const versionOf = (result: ProcessResult): string => /\d+\.\d+[^\s]*/.exec(result.stdout)?.[0] ?? "unknown";

// "podman 4.3.1 with runc 1.1.5": what ran the tests, for the evidence record.
const runtimeName = (env: NodeJS.ProcessEnv): TE.TaskEither<CliError, string> =>
  pipe(
    TE.Do,
    TE.bind("podman", () => run("podman", ["--version"], env)),
    TE.bind("runc", () => run("runc", ["--version"], env)),
    TE.map(({ podman, runc }) => `podman ${versionOf(podman)} with runc ${versionOf(runc)}`),
  );

const withContainersConf = <A>(use: (env: NodeJS.ProcessEnv) => TE.TaskEither<CliError, A>): TE.TaskEither<CliError, A> =>
  TE.bracket(
    TE.tryCatch(
      async () => {
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ocistage-test-"));
        await fs.writeFile(path.join(dir, "containers.conf"), CONTAINERS_CONF);
        return dir;
      },
      (e): CliError => ({ _tag: "Environment", lines: [`cannot write a containers.conf: ${reason(e)}`] }),
    ),
    (dir) => use({ ...process.env, CONTAINERS_CONF: path.join(dir, "containers.conf") }),
    (dir) => TE.tryCatch(() => fs.rm(dir, { recursive: true, force: true }), (e): CliError => ({ _tag: "Environment", lines: [reason(e)] })),
  );

// Run one smoke test: the image's entrypoint with the test's command as arguments.
const smokeTest = (imageOf: (test: SmokeTest) => { readonly image: string; readonly platform: readonly string[] }, runtime: string, env: NodeJS.ProcessEnv) => (test: SmokeTest): TE.TaskEither<CliError, SmokeResult> =>
  pipe(
    run(
      "podman",
      [
        "--runtime",
        "runc",
        "run",
        "--rm",
        "--quiet",
        "--pull=always",
        ...imageOf(test).platform,
        ...(test.entrypoint === undefined ? [] : ["--entrypoint", JSON.stringify(test.entrypoint)]),
        imageOf(test).image,
        ...test.command,
      ],
      env,
    ),
    TE.map((result): SmokeResult => ({
      test: test.name,
      passed: result.code === test.expectExitCode && (test.expectOutput === undefined || result.stdout === test.expectOutput),
      output: result.stdout,
      runtime,
      exitCode: result.code,
      ...(result.code === test.expectExitCode ? {} : { stderr: result.stderr }),
    })),
  );

const resultLine = (test: SmokeTest, result: SmokeResult): string => {
  if (result.passed) return `pass ${test.name}`;
  const problems = [
    ...(test.expectOutput !== undefined && result.output !== test.expectOutput ? [`expected output ${JSON.stringify(test.expectOutput)}, found ${JSON.stringify(result.output)}`] : []),
    ...(result.exitCode !== test.expectExitCode ? [`expected exit ${test.expectExitCode}, found ${result.exitCode ?? "none"}`] : []),
    ...(result.stderr !== undefined && result.stderr.trim() !== "" ? [`stderr: ${result.stderr.trim().split("\n").slice(-3).join(" | ")}`] : []),
  ];
  return `FAIL ${test.name}: ${problems.join("; ")}`;
};

const writeRecord = (file: string, record: EvidenceRecord): TE.TaskEither<CliError, void> =>
  TE.tryCatch(
    async () => {
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
      await fs.writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
      await fs.rename(temporary, file);
    },
    (e): CliError => ({ _tag: "Environment", lines: [`${file}: cannot write (${reason(e)})`] }),
  );

// The record keeps what the docs render; stderr is for the terminal only.
const recorded = (result: EvidenceResult): EvidenceResult => ({
  test: result.test,
  passed: result.passed,
  output: result.output,
  runtime: result.runtime,
  ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
});

// podman stores what it pulled from `oci:DIR:TAG` as localhost/DIR:TAG; drop that name after
// the tests (best effort: the image stays if another name still uses it).
const forgetImage = (layout: string, tag: string, env: NodeJS.ProcessEnv): TE.TaskEither<CliError, void> =>
  pipe(
    run("podman", ["rmi", "--ignore", `localhost${layout}:${tag}`], env),
    TE.map(() => undefined),
    TE.orElse(() => TE.right(undefined)),
  );

// The `oci:` reference a smoke test runs (its image's entry of index.json) and, where that entry
// is a multi-platform index, the --platform that picks the test's image.
const imageOfTest =
  (program: Program, layout: string, references: readonly BuiltReference[]) =>
  (test: SmokeTest): { readonly image: string; readonly platform: readonly string[] } => {
    const id = test.image ?? program.images[0]?.id ?? "";
    const entry = references.find((r) => r.images.includes(id)) ?? references[0];
    const platform = program.images.find((i) => i.id === id)?.platform;
    return {
      image: `oci:${layout}:${entry?.reference ?? "latest"}`,
      platform: (entry?.images.length ?? 0) > 1 && platform !== undefined ? ["--platform", `${platform.os}/${platform.architecture}${platform.variant === undefined ? "" : `/${platform.variant}`}`] : [],
    };
  };

const runSmokeTests = (program: Program, layout: string, references: readonly BuiltReference[], record: string | undefined): TE.TaskEither<CliError, string> => {
  if (layout.includes(":")) return TE.left({ _tag: "BadInput", lines: [`${layout}: an oci: reference cannot hold a path with ":"; choose another --out`] });
  const imageOf = imageOfTest(program, layout, references);
  const image = [...new Set(program.evidence.map((t) => imageOf(t).image))].join(", ");
  return withContainersConf((env) =>
    pipe(
      runtimeName(env),
      TE.chain((runtime) =>
        pipe(
          A.sequence(TE.ApplicativeSeq)(program.evidence.map(smokeTest(imageOf, runtime, env))),
          TE.chainFirst(() => A.sequence(TE.ApplicativeSeq)(references.map((r) => forgetImage(layout, r.reference, env)))),
          TE.chainFirst((results) => (record === undefined ? TE.right(undefined) : writeRecord(record, results.map(recorded)))),
          TE.chainEitherK((results) => {
            const lines = [
              `ran ${program.evidence.length} smoke test${program.evidence.length === 1 ? "" : "s"} in ${image} with ${runtime}`,
              ...results.map((result, i) => resultLine(program.evidence[i] ?? { name: result.test, command: [], expectExitCode: 0 }, result)),
            ];
            const failed = results.filter((r) => !r.passed).length;
            const summary = `${results.length - failed} passed, ${failed} failed${record === undefined ? "" : `; recorded in ${record}`}`;
            return failed === 0 ? E.right([...lines, summary].join("\n")) : E.left<CliError, string>({ _tag: "BadInput", lines: [...lines, summary] });
          }),
        ),
      ),
    ),
  );
};

// `ocistage test SPEC [--out DIR] [--record FILE]`: build, then run each smoke test in podman (runc).
export const testCommand = (command: Test): TE.TaskEither<CliError, string> =>
  pipe(
    loadProgram(command.spec),
    TE.chain(({ loaded, program }) =>
      pipe(
        buildProgram(program, loaded.dir, command.out ?? defaultOut(program)),
        TE.chain((result) =>
          program.evidence.length === 0 ? TE.right("no smoke tests in the spec: nothing to run") : runSmokeTests(program, path.resolve(result.out), result.references, command.record),
        ),
      ),
    ),
  );
