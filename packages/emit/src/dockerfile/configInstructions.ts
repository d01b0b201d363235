import type { ImageConfigBody, Json, JsonObject } from "@ocistage/program";
import type { DockerfileIssue } from "./DockerfileIssue.ts";
import { dockerfileIssue } from "./DockerfileIssue.ts";
import { doubleQuoted, jsonArgs, lexedJsonArgs, lexerWord, lineBreakProblem } from "./dockerfileQuote.ts";
import { isKnownSignal } from "./stopSignal.ts";

// The image config (the WriteConfig step's `config`) as Dockerfile instructions.
//
// Carried exactly: Entrypoint, Cmd (JSON form), Env (ENV), Labels (LABEL), ExposedPorts (EXPOSE),
// Volumes (VOLUME), User, WorkingDir, StopSignal, author (MAINTAINER) and the platform
// (FROM --platform=os/arch[/variant] scratch, so the build host's platform does not leak in).
// Not carried, accepted: `created` and `history` (builders write their own; buildah --timestamp
// sets `created`), and what builders add: a default PATH when ENV sets none (Docker, buildah),
// buildah's io.buildah.version label (--identity-label=false drops it), BuildKit's extra,
// usually empty, layer for WORKDIR. An empty Entrypoint or Cmd comes out unset, which means the same.
// Refused: values with line breaks (see dockerfileQuote.ts), an Env name set twice (ENV keeps the
// last value only), a label name that is empty or holds "=", a stop signal builders reject, and
// any config field this emitter does not know, so new fields are not lost silently.

export interface ConfigInstructions {
  readonly from: string;
  readonly instructions: readonly string[];
  readonly issues: readonly DockerfileIssue[];
}

const isString = (j: Json | undefined): j is string => typeof j === "string";
const isObject = (j: Json | undefined): j is JsonObject => typeof j === "object" && j !== null && !Array.isArray(j);
const stringList = (j: Json | undefined): readonly string[] | undefined => (Array.isArray(j) && j.every(isString) ? (j as readonly string[]) : undefined);

// Spec paths for names: `env.HOME`, `labels["org.example.x"]`.
const fieldPath = (field: string, name: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${field}.${name}` : `${field}[${JSON.stringify(name)}]`);

const PLATFORM_PART = /^[A-Za-z0-9_.-]+$/;

// The execution config keys, in the order their instructions are written.
const EXECUTION_KEYS = ["Env", "Labels", "ExposedPorts", "Volumes", "User", "WorkingDir", "StopSignal", "Entrypoint", "Cmd"] as const;
type ExecutionKey = (typeof EXECUTION_KEYS)[number];
const TOP_KEYS = new Set(["created", "author", "architecture", "os", "variant", "config", "history"]);

type Result = { readonly lines: readonly string[]; readonly issues: readonly DockerfileIssue[] };
const ok = (...lines: readonly string[]): Result => ({ lines, issues: [] });
const refuse = (at: string, message: string): Result => ({ lines: [], issues: [dockerfileIssue(at, message)] });
const unexpected = (at: string, expected: string): Result => refuse(at, `expected ${expected} in the program's config, found something else`);

const singleWord = (instruction: string, at: string, value: Json | undefined): Result => {
  if (!isString(value)) return unexpected(at, "a string");
  const problem = lineBreakProblem(value, "the value");
  return problem === undefined ? ok(`${instruction} ${lexerWord(value)}`) : refuse(at, problem);
};

// Where the spec gave each config field (`WriteConfig.fieldAt`, keyed "config.Env", "author",
// "os", …); a field the program does not place is named by its OCI path.
type FieldAt = (key: string) => string;

const envLines = (value: Json | undefined, atOf: FieldAt): Result => {
  const list = stringList(value);
  if (list === undefined) return unexpected(atOf("config.Env"), "a list of NAME=value");
  const seen = new Set<string>();
  const lines: string[] = [];
  const issues: DockerfileIssue[] = [];
  for (const item of list) {
    const cut = item.indexOf("=");
    const [name, val] = cut < 0 ? [item, ""] : [item.slice(0, cut), item.slice(cut + 1)];
    const at = fieldPath(atOf("config.Env"), name);
    const problem = lineBreakProblem(name, "the name") ?? lineBreakProblem(val, "the value") ?? (name === "" ? "expected a name, found an empty one" : undefined);
    if (problem !== undefined) issues.push(dockerfileIssue(at, problem));
    else if (seen.has(name)) issues.push(dockerfileIssue(at, "expected each name once, found it set again: ENV keeps only the last value, the config keeps both"));
    else lines.push(`ENV ${lexerWord(name)}=${doubleQuoted(val)}`);
    seen.add(name);
  }
  return { lines, issues };
};

const labelLines = (value: Json | undefined, atOf: FieldAt): Result => {
  if (!isObject(value)) return unexpected(atOf("config.Labels"), "an object of strings");
  const lines: string[] = [];
  const issues: DockerfileIssue[] = [];
  for (const [name, val] of Object.entries(value)) {
    const at = fieldPath(atOf("config.Labels"), name);
    const problem = !isString(val)
      ? "expected a string value"
      : name === ""
        ? "expected a name, found an empty one: LABEL names cannot be blank"
        : name.includes("=")
          ? 'expected a name without "=": LABEL splits name=value at the first "=", quotes or not'
          : (lineBreakProblem(name, "the name") ?? lineBreakProblem(val, "the value"));
    if (problem !== undefined) issues.push(dockerfileIssue(at, problem));
    else lines.push(`LABEL ${lexerWord(name)}=${doubleQuoted(val as string)}`);
  }
  return { lines, issues };
};

const executionLines = (key: ExecutionKey, value: Json | undefined, atOf: FieldAt): Result => {
  const at = atOf(`config.${key}`);
  switch (key) {
    case "Env":
      return envLines(value, atOf);
    case "Labels":
      return labelLines(value, atOf);
    case "ExposedPorts": {
      if (!isObject(value)) return unexpected(at, "an object keyed by port");
      const ports = Object.keys(value);
      const bad = ports.find((p) => !/^[0-9]{1,5}\/(tcp|udp|sctp)$/.test(p));
      return bad !== undefined ? refuse(at, `expected ports such as 80/tcp, found ${JSON.stringify(bad)}`) : ok(`EXPOSE ${ports.join(" ")}`);
    }
    case "Volumes": {
      if (!isObject(value)) return unexpected(at, "an object keyed by path");
      const paths = Object.keys(value);
      const problem = paths.map((p) => lineBreakProblem(p, `the volume ${JSON.stringify(p)}`)).find((p) => p !== undefined);
      return problem !== undefined ? refuse(at, problem) : ok(`VOLUME ${lexedJsonArgs(paths)}`);
    }
    case "User":
      return singleWord("USER", at, value);
    case "WorkingDir":
      return singleWord("WORKDIR", at, value);
    case "StopSignal":
      if (isString(value) && !isKnownSignal(value))
        return refuse(at, `expected a signal name (SIGTERM, TERM) or number, found ${JSON.stringify(value)}, which STOPSIGNAL rejects`);
      return singleWord("STOPSIGNAL", at, value);
    case "Entrypoint":
    case "Cmd": {
      const list = stringList(value);
      return list === undefined ? unexpected(at, "a list of strings") : ok(`${key === "Cmd" ? "CMD" : "ENTRYPOINT"} ${jsonArgs(list)}`);
    }
  }
};

const fromLine = (config: JsonObject, atOf: FieldAt): Result => {
  const parts = (["os", "architecture", "variant"] as const).flatMap((key): readonly Result[] => {
    const value = config[key];
    if (value === undefined && key === "variant") return [];
    if (!isString(value) || !PLATFORM_PART.test(value)) return [refuse(atOf(key), `expected letters, digits, ".", "_" or "-" for FROM --platform, found ${JSON.stringify(value ?? null)}`)];
    return [ok(value)];
  });
  const issues = parts.flatMap((p) => p.issues);
  return issues.length > 0 ? { lines: [], issues } : ok(`FROM --platform=${parts.flatMap((p) => p.lines).join("/")} scratch`);
};

const maintainerLine = (author: Json | undefined, at: string): Result => {
  if (author === undefined) return ok();
  if (!isString(author)) return unexpected(at, "a string");
  // MAINTAINER takes the rest of the line verbatim: no quotes, no escapes, ends trimmed.
  const problem =
    lineBreakProblem(author, "the author") ??
    (author.trim() === "" ? "expected some text: MAINTAINER cannot be empty" : undefined) ??
    (author !== author.trim() ? "expected no leading or trailing spaces: MAINTAINER trims them" : undefined) ??
    (author.endsWith("\\") ? 'expected no trailing "\\": it would continue the MAINTAINER line' : undefined);
  return problem === undefined ? ok(`MAINTAINER ${author}`) : refuse(at, problem);
};

/**
 * An image's config (its WriteConfig step's typed `config`) as Dockerfile instructions, with
 * every refusal named at the spec field that gave the value (`fieldAt`, from the same step).
 */
export const configInstructions = (typed: ImageConfigBody, fieldAt: Readonly<Record<string, string>>): ConfigInstructions => {
  // Read as plain JSON: a program is data, and a field this emitter does not know must be refused, not dropped.
  const config = typed as unknown as JsonObject;
  const atOf: FieldAt = (key) => fieldAt[key] ?? key;
  const execution = config["config"] ?? {};
  const unknownTop = Object.keys(config)
    .filter((k) => !TOP_KEYS.has(k))
    .map((k) => refuse(k, "the Dockerfile emitter does not know this config field, so it cannot carry it"));
  const unknownExecution = isObject(execution)
    ? Object.keys(execution)
        .filter((k) => !(EXECUTION_KEYS as readonly string[]).includes(k))
        .map((k) => refuse(`config.${k}`, "the Dockerfile emitter does not know this config field, so it cannot carry it"))
    : [unexpected("config", "an object")];
  const from = fromLine(config, atOf);
  const results: readonly Result[] = [
    maintainerLine(config["author"], atOf("author")),
    ...(isObject(execution) ? EXECUTION_KEYS.filter((k) => execution[k] !== undefined).map((k) => executionLines(k, execution[k], atOf)) : []),
    ...unknownTop,
    ...unknownExecution,
  ];
  return {
    from: from.lines[0] ?? "FROM scratch",
    instructions: results.flatMap((r) => r.lines),
    issues: [...from.issues, ...results.flatMap((r) => r.issues)],
  };
};
