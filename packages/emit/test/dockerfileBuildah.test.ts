// The Dockerfile substrate's proof: for every example and for a spec full of awkward values, the
// emitted Dockerfile built by buildah gives the image ocistage builds: the same layers, each
// unpacking to the same tree (paths, types, modes, owners, symlink targets, content), and the
// same runtime config. Differences we accept: buildah writes no `./` entry in its layers
// (ocistage's root entry is a tar-level detail) and adds a default PATH when the spec sets none,
// both asserted below so a change shows; Env comes in its own order (PATH first), an empty
// Entrypoint or Cmd comes out unset, and history, `created` (set with --timestamp), compression
// and manifest annotations are buildah's own, none of which the comparison looks at.
import * as E from "fp-ts/lib/Either.js";
import { existsSync, readdirSync } from "node:fs";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildImage, formatBuildError, formatDockerContextError, writeDockerContext } from "@ocistage/build";
import type { Program } from "@ocistage/program";
import { emitDockerfile, formatDockerfileIssue } from "../src/index.ts";
import type { DockerfilePlan } from "../src/index.ts";
import { buildahBuild, requireBuildah } from "./fixtures/dockerfile/buildah.ts";
import type { ImageView, UnpackedTree } from "./fixtures/dockerfile/imageLayout.ts";
import { readImage } from "./fixtures/dockerfile/imageLayout.ts";
import { DOCKERFILE_REFUSED, EXAMPLES, loadProgram } from "./fixtures/dockerfile/programOf.ts";
import { makeRootfs } from "../../build/test/fixtures/rootfs/debootstrapLike.ts";

const BUILDAH_DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// A spec written in the test: three layers (plain COPY, COPY --chown, and a layer with several
// owners and a setuid file, which goes as a tar), files a later layer rewrites with the same size,
// and config values with quotes, `$`, backslashes, spaces and non-ASCII text.
const AWKWARD_EPOCH = 1_700_000_000;
const writeAwkwardSpec = async (dir: string): Promise<string> => {
  const tree = path.join(dir, "rootfs");
  await fs.mkdir(path.join(tree, "sub"), { recursive: true });
  await fs.writeFile(path.join(tree, "a.txt"), "alpha\n", { mode: 0o640 });
  await fs.writeFile(path.join(tree, "run.sh"), "#!/bin/sh\necho run\n", { mode: 0o755 });
  await fs.writeFile(path.join(tree, "sub", "deep.txt"), "deep\n", { mode: 0o600 });
  await fs.chmod(path.join(tree, "sub"), 0o700);
  await fs.symlink("a.txt", path.join(tree, "link"));
  await fs.link(path.join(tree, "a.txt"), path.join(tree, "a-hard.txt"));
  await fs.mkdir(path.join(dir, "site", "css"), { recursive: true });
  await fs.writeFile(path.join(dir, "site", "index.html"), "<p>hi</p>\n");
  await fs.writeFile(path.join(dir, "site", "css", "style.css"), "p { color: red }\n");
  const spec = {
    name: "awkward",
    tag: "v1",
    layers: [
      {
        name: "base",
        files: [
          { source: "rootfs", destination: "/opt/tree", modes: "normalise" },
          { content: "one\n", destination: "/etc/motd" },
          { content: "base\n", destination: "/motd" },
          { content: "s3cret\n", destination: "/etc/secret", mode: "0600" },
          { directory: "/tmp", mode: "1777" },
          { directory: "/data", mode: "0700" },
          { symlink: "/opt/tree/run.sh", destination: "/bin/run" },
        ],
      },
      {
        name: "owned",
        uid: 2000,
        gid: 2000,
        files: [
          { directory: "/home" },
          { content: "read me\n", destination: "/home/readme", mode: "0640" },
          { content: "own!\n", destination: "/motd" },
        ],
      },
      {
        name: "app",
        uid: 1000,
        gid: 1001,
        files: [
          { source: "site", destination: "/srv/www" },
          { content: "port=8080\n", destination: "/srv/www/app.conf", mode: "0640" },
          { content: "#!/bin/sh\n", destination: "/srv/bin/helper", mode: "4755" },
          { content: "two\n", destination: "/etc/motd", uid: 0, gid: 0 },
        ],
      },
    ],
    entrypoint: ["/bin/sh", "-c", 'echo "$GREETING" \\\nnext line'],
    cmd: ["--flag=$NOT_EXPANDED", "it's"],
    env: { GREETING: 'say "hi" to $USER \\o/', SPACED: "a b  c", EMPTY: "", BRACED: "${HOME}/x" },
    labels: { "org.example.quote": 'it\'s "quoted"', "key with space": "$value with \\ backslash", unicode: "héllo ✓" },
    exposedPorts: [8080, "53/udp"],
    user: "1000:1001",
    workingDir: "/srv/www",
    stopSignal: "SIGINT",
    volumes: ["/data", "/var/my $data"],
    author: 'Jane "J" Doe <jane@example.org>',
  };
  const file = path.join(dir, "image.json");
  await fs.writeFile(file, JSON.stringify(spec, null, 2));
  return file;
};

// A root filesystem with debootstrap's modes and owners (setuid, setgid, sticky, group shadow),
// copied with owners and modes from disk and its device nodes left out: a layer only a tar
// carries. Making it needs root (mknod, chown).
const writeRootfsSpec = async (dir: string): Promise<string> => {
  await makeRootfs(path.join(dir, "rootfs"));
  const file = path.join(dir, "image.json");
  await fs.writeFile(file, JSON.stringify({ name: "rootfs", layers: [{ name: "rootfs", source: "rootfs", exclude: ["dev/*"], owners: "keep" }], entrypoint: ["/bin/sh"] }));
  return file;
};

const examples = readdirSync(EXAMPLES)
  .filter((name) => ["image.ts", "image.json", "image.yaml", "image.yml"].some((f) => existsSync(path.join(EXAMPLES, name, f))))
  .filter((name) => DOCKERFILE_REFUSED[name] === undefined); // dockerfile.test.ts checks their refusal
// In a layout of several images, the one each Dockerfile case builds (buildah makes one image per
// Dockerfile); the others' Dockerfiles are checked as text in dockerfile.test.ts.
const IMAGE_OF_EXAMPLE: Readonly<Record<string, string>> = { layout: "tools", standard: "web-debug" };

interface Case {
  readonly name: string;
  readonly image?: string; // the image's id, in a layout of several
  readonly epoch: number;
  readonly spec: (work: string) => Promise<string>;
}

const cases: readonly Case[] = [
  ...examples.map((name): Case => ({ name: `example ${name}`, ...(IMAGE_OF_EXAMPLE[name] === undefined ? {} : { image: IMAGE_OF_EXAMPLE[name] }), epoch: 0, spec: async () => path.join(EXAMPLES, name) })),
  { name: "a spec with awkward values, owners and modes", epoch: AWKWARD_EPOCH, spec: async (work) => writeAwkwardSpec(await fs.mkdir(path.join(work, "spec"), { recursive: true }).then(() => path.join(work, "spec"))) },
  ...(process.getuid?.() === 0 ? [{ name: "a debootstrap-like root filesystem (owners and modes kept, dev/* left out)", epoch: 0, spec: (work: string) => writeRootfsSpec(work) }] : []),
];

const unwrap = <L, A>(result: E.Either<L, A>, show: (l: L) => readonly string[]): A => {
  if (E.isLeft(result)) throw new Error(show(result.left).join("\n"));
  return result.right;
};

const withoutRoot = (tree: UnpackedTree): UnpackedTree => Object.fromEntries(Object.entries(tree).filter(([name]) => name !== ""));

// The runtime fields the substrate keeps, with buildah's accepted additions taken out.
const runtimeOf = (view: ImageView, specSetsPath: boolean): Record<string, unknown> => {
  const c = view.config;
  const env = ((c["Env"] ?? []) as string[]).filter((e) => specSetsPath || e !== BUILDAH_DEFAULT_PATH);
  const nonEmpty = (v: unknown): unknown => (Array.isArray(v) && v.length === 0 ? undefined : v);
  return {
    Entrypoint: nonEmpty(c["Entrypoint"]),
    Cmd: nonEmpty(c["Cmd"]),
    Env: [...env].sort(),
    ExposedPorts: c["ExposedPorts"],
    Labels: c["Labels"],
    User: c["User"],
    WorkingDir: c["WorkingDir"],
    StopSignal: c["StopSignal"],
    Volumes: c["Volumes"],
    platform: view.platform,
    author: view.author,
  };
};

describe.runIf(requireBuildah())("an emitted Dockerfile, built by buildah, gives the image ocistage builds", () => {
  for (const c of cases) {
    const { name, epoch, spec } = c;
    describe(name, () => {
      let work = "";
      let program: Program;
      let plan: DockerfilePlan;
      let ours: ImageView;
      let theirs: ImageView;

      beforeAll(async () => {
        work = await fs.mkdtemp(path.join(os.tmpdir(), "ocistage-dockerfile-"));
        const loaded = await loadProgram(await spec(work), epoch);
        program = loaded.program;
        plan = unwrap(emitDockerfile(program, c.image), (u) => u.issues.map(formatDockerfileIssue));
        const context = path.join(work, "context");
        unwrap(await writeDockerContext(plan, { sourceRoot: loaded.sourceRoot, context })(), formatDockerContextError);
        const built = unwrap(await buildImage(program, { sourceRoot: loaded.sourceRoot, out: path.join(work, "ours") })(), formatBuildError);
        ours = await readImage(built.out, built.references.find((r) => c.image === undefined || r.images.includes(c.image))?.reference);
        theirs = await readImage(await buildahBuild(work, context, plan.reference, epoch));
      });
      afterAll(async () => {
        if (work !== "") await fs.rm(work, { recursive: true, force: true });
      });

      test("it has as many layers, one per COPY or ADD", () => {
        expect(theirs.layers.length).toBe(ours.layers.length);
        expect(plan.dockerfile.split("\n").filter((l) => /^(COPY|ADD) /.test(l))).toHaveLength(ours.layers.length);
      });

      test("each layer unpacks to the same tree: paths, types, modes, owners, link targets and contents", () => {
        theirs.layers.forEach((layer, i) => {
          expect(layer[""], "buildah writes no root entry").toBeUndefined();
          expect(layer, `layer ${i} (${plan.layers[i]?.layer ?? "?"})`).toEqual(withoutRoot(ours.layers[i] ?? {}));
        });
      });

      test("it has the same entrypoint, cmd, env, exposed ports, labels, user, working dir, stop signal, volumes, platform and author", () => {
        const specSetsPath = ((ours.config["Env"] ?? []) as string[]).some((e) => e.startsWith("PATH="));
        if (!specSetsPath) expect(theirs.config["Env"]).toContain(BUILDAH_DEFAULT_PATH);
        expect(runtimeOf(theirs, specSetsPath)).toEqual(runtimeOf(ours, specSetsPath));
      });
    });
  }

  test("the awkward spec exercises every way a layer travels: COPY, COPY --chown and ADD of a tar", async () => {
    const work = await fs.mkdtemp(path.join(os.tmpdir(), "ocistage-dockerfile-"));
    try {
      const { program } = await loadProgram(await writeAwkwardSpec(work), AWKWARD_EPOCH);
      const lines = unwrap(emitDockerfile(program), (u) => u.issues.map(formatDockerfileIssue)).dockerfile.split("\n");
      expect(lines.filter((l) => /^(COPY|ADD) /.test(l))).toEqual(["COPY base/ /", "COPY --chown=2000:2000 owned/ /", "ADD app.tar /"]);
    } finally {
      await fs.rm(work, { recursive: true, force: true });
    }
  });
});
