import type { LayoutImage } from "./LayoutSpec.ts";
import type { SpecIssue } from "./SpecError.ts";
import type { Probe, StandardImage } from "./StandardImage.ts";
import { DEFAULT_ID, accountEntries } from "./standardAccounts.ts";
import { defaultDebugTools } from "./debugTools.ts";
import type { PlacedEntry } from "./standardEntries.ts";
import { destinationField, destinationKey, destinationOf, fieldAt, pathOf } from "./standardEntries.ts";
import { applyPerms } from "./standardPerms.ts";
import { commandLine, debugScript, entrypointScript, probeScript, runtimeScript } from "./standardScripts.ts";
import type { ScriptContext } from "./standardScripts.ts";
import { chooseShell } from "./standardShell.ts";
import { standardConfigIssues } from "./standardConfigIssues.ts";

// One standard image → ordinary layers and images (seed 001's mkStandardOCI, as data):
//   <base>-runtime    the runtime inputs and the shell (the operable's closure)
//   <base>-setup      the setup tasks, and passwd/group for uid/gid when they do not write them
//   <base>-contracts  /bin/entrypoint, /bin/runtime, /bin/live, /bin/ready
//   <base>-debug      (debug image only) the debugging tools and /bin/debug
// The standard image is the first three layers; its debug image NAME-debug is the same layers,
// unchanged, plus the fourth. Nothing else goes into either.

/** A layer of the desugared layout: its name, the spec field it stands for, its entries with theirs. */
export interface DesugaredLayer {
  readonly name: string;
  readonly origin: string;
  readonly entries: readonly PlacedEntry[];
}

export interface DesugaredStandard {
  readonly layers: readonly DesugaredLayer[];
  readonly standard: LayoutImage;
  readonly debug?: LayoutImage;
  readonly contracts: readonly string[]; // the standard image's contract paths (/bin/debug is the debug image's)
  readonly issues: readonly SpecIssue[];
}

const notAFolder = (entries: readonly PlacedEntry[], what: string): readonly SpecIssue[] =>
  entries.filter((p) => "directory" in p.entry).map((p) => ({ at: `${p.origin}.directory`, message: `${what} is a program or a file (its folder goes on PATH); make folders in setup` }));

// Each image path comes from one place: a contract, or one entry of the spec. Contracts go first,
// so a clash is reported at the user's entry.
const clashes = (ordered: readonly PlacedEntry[], contracts: ReadonlySet<PlacedEntry>): readonly SpecIssue[] => {
  const claimed = new Map<string, string>();
  const issues: SpecIssue[] = [];
  for (const p of ordered) {
    const key = destinationKey(destinationOf(p.entry));
    const earlier = claimed.get(key);
    if (earlier !== undefined) issues.push({ at: `${p.origin}.${destinationField(p.entry)}`, message: `${JSON.stringify(`/${key}`)} is already given by ${earlier}; each path of a standard image comes from one place` });
    else claimed.set(key, contracts.has(p) ? `the /${key} contract` : p.origin);
  }
  return issues;
};

const contract = (destination: string, script: string, shell: string, origin: string): PlacedEntry => ({ entry: { script, destination, interpreter: shell }, origin, generated: true });

// The debug layer's tools: busybox's applets for `debug: true`, the listed entries for `{tools}`.
const debugTools = (debug: StandardImage["debug"], at: string): readonly PlacedEntry[] | undefined => {
  if (debug === undefined || debug === false) return undefined;
  if (debug === true) return defaultDebugTools().map((entry): PlacedEntry => ({ entry, origin: fieldAt(at, "debug"), generated: true }));
  return debug.tools.map((entry, j): PlacedEntry => ({ entry, origin: `${fieldAt(at, "debug.tools")}[${j}]` }));
};

// What each contract does, in one line for the image's description (the docs page shows it).
const contractsText = (image: StandardImage, context: ScriptContext): string => {
  const runs = (probe: Probe): string => ("command" in probe ? `runs ${JSON.stringify(commandLine(probe.command))}` : "runs a script");
  return [
    `/bin/entrypoint runs ${JSON.stringify(commandLine(image.operable.command))}`,
    `/bin/runtime is ${context.shell} with PATH=${context.path}`,
    ...(image.livenessProbe === undefined ? [] : [`/bin/live ${runs(image.livenessProbe)}`]),
    ...(image.readinessProbe === undefined ? [] : [`/bin/ready ${runs(image.readinessProbe)}`]),
  ].join("; ");
};

/**
 * Desugar the standard image at `at` ("" or `images[i]`), naming its layers `<base>-…`. Every
 * problem the desugaring can see is an issue at the field the user wrote; the lowering checks the
 * rest (destinations, names), and SpecOrigins maps its paths back here.
 */
export const desugarStandardImage = (image: StandardImage, at: string, base: string): DesugaredStandard => {
  const { kind: _kind, name, operable, setup, uid = DEFAULT_ID, gid = DEFAULT_ID, perms, livenessProbe, readinessProbe, debug, shell, env, labels, tests, description, layers: _layers, entrypoint: _entrypoint, cmd: _cmd, user: _user, labelPrefix: _labelPrefix, ...config } = image;
  const issues: SpecIssue[] = [...standardConfigIssues(image, at)];
  const inputs = (operable.runtimeInputs ?? []).map((entry, j): PlacedEntry => ({ entry, origin: `${fieldAt(at, "operable.runtimeInputs")}[${j}]` }));
  issues.push(...notAFolder(inputs, "a runtime input"));
  const chosen = chooseShell(shell, inputs, at);
  issues.push(...chosen.issues);
  const runtime = [...inputs, ...(chosen.added === undefined ? [] : [chosen.added])];
  const setupEntries = (setup ?? []).map((entry, j): PlacedEntry => ({ entry, origin: `${fieldAt(at, "setup")}[${j}]` }));
  const given = new Set([...runtime, ...setupEntries].map((p) => destinationKey(destinationOf(p.entry))));
  const accounts = accountEntries(name, uid, gid, given, at);
  const permitted = applyPerms([...runtime, ...setupEntries, ...accounts], perms ?? [], at);
  issues.push(...permitted.issues);
  const runtimeLayer = permitted.entries.slice(0, runtime.length);
  const setupLayer = permitted.entries.slice(runtime.length);

  const context: ScriptContext = { image: name, shell: chosen.path, path: pathOf(runtime.filter((p) => !("directory" in p.entry))) };
  const contracts = [
    contract("/bin/entrypoint", entrypointScript(context, operable.command), chosen.path, fieldAt(at, "operable.command")),
    contract("/bin/runtime", runtimeScript(context), chosen.path, fieldAt(at, "operable")),
    ...(livenessProbe === undefined ? [] : [contract("/bin/live", probeScript(context, "/bin/live", livenessProbe), chosen.path, fieldAt(at, "livenessProbe"))]),
    ...(readinessProbe === undefined ? [] : [contract("/bin/ready", probeScript(context, "/bin/ready", readinessProbe), chosen.path, fieldAt(at, "readinessProbe"))]),
  ];
  const tools = debugTools(debug, at);
  if (tools !== undefined) issues.push(...notAFolder(tools, "a debugging tool"));
  const debugPath = tools === undefined ? "" : [...new Set([...context.path.split(":"), ...pathOf(tools).split(":")])].join(":");
  const debugContract = tools === undefined ? [] : [contract("/bin/debug", debugScript({ ...context, path: debugPath, image: `${name}-debug` }), chosen.path, fieldAt(at, "debug"))];
  issues.push(...clashes([...contracts, ...debugContract, ...runtimeLayer, ...setupLayer, ...(tools ?? [])], new Set([...contracts, ...debugContract])));

  const layers: DesugaredLayer[] = [
    { name: `${base}-runtime`, origin: fieldAt(at, "operable.runtimeInputs"), entries: runtimeLayer },
    ...(setupLayer.length === 0 ? [] : [{ name: `${base}-setup`, origin: fieldAt(at, "setup"), entries: setupLayer }]),
    { name: `${base}-contracts`, origin: fieldAt(at, "operable"), entries: contracts },
  ];
  const debugLayer: DesugaredLayer | undefined = tools === undefined ? undefined : { name: `${base}-debug`, origin: fieldAt(at, "debug"), entries: [...tools, ...debugContract] };
  const envList = env === undefined ? [] : Array.isArray(env) ? (env as readonly string[]) : Object.entries(env as Readonly<Record<string, string>>).map(([k, v]) => `${k}=${v}`);
  const fields = {
    ...config,
    entrypoint: ["/bin/entrypoint"],
    user: `${uid}:${gid}`,
    env: [`PATH=${context.path}`, ...envList],
    ...(labels === undefined ? {} : { labels, labelPrefix: "org.opencontainers.image" }),
  };
  const standardDescription = `${description === undefined ? "" : `${description} `}Standard image: ${contractsText(image, context)}; it runs as ${uid}:${gid}.`;
  return {
    layers: debugLayer === undefined ? layers : [...layers, debugLayer],
    standard: { name, layers: layers.map((l) => l.name), ...fields, ...(tests === undefined ? {} : { tests }), description: standardDescription },
    ...(debugLayer === undefined
      ? {}
      : { debug: { name: `${name}-debug`, layers: [...layers.map((l) => l.name), debugLayer.name], ...fields, description: `Debug image of ${name}: its layers, unchanged, and ${debugLayer.name}, whose /bin/debug is ${context.shell} with PATH=${debugPath}.` } }),
    contracts: contracts.map((p) => destinationOf(p.entry)),
    issues,
  };
};
