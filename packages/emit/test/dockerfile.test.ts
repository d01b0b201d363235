// The Dockerfile emitter, without a builder: the text it writes for the examples (snapshots), how
// each layer travels (COPY, COPY --chown or ADD of a tar), how values are quoted, and the fields
// it refuses, each named by its spec path. dockerfileBuildah.test.ts proves the text with buildah.
import * as E from "fp-ts/lib/Either.js";
import { existsSync, readdirSync } from "node:fs";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import type { ContainerConfig } from "@ocistage/oci";
import type { ImageConfigBody, JsonObject, Program, Step } from "@ocistage/program";
import { formatDockerfileIssue, dockerfileSupport, emitDockerfile } from "../src/index.ts";
import type { DockerfilePlan } from "../src/index.ts";
import { DOCKERFILE_REFUSED, EXAMPLES, loadProgram, programOf } from "./fixtures/dockerfile/programOf.ts";

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures", "dockerfile");

const planOf = (program: Program, image?: string): DockerfilePlan => {
  const result = emitDockerfile(program, image);
  if (E.isLeft(result)) throw new Error(result.left.issues.map((i) => `${i.at}: ${i.message}`).join("\n"));
  return result.right;
};

const reasonsOf = (program: Program): readonly string[] => {
  const support = dockerfileSupport(program);
  return support.supported ? [] : support.reasons;
};

const atsOf = (program: Program): readonly string[] => {
  const result = emitDockerfile(program);
  return E.isLeft(result) ? result.left.issues.map((i) => i.at) : [];
};

const linesOf = (program: Program, pattern: RegExp): readonly string[] => planOf(program).dockerfile.split("\n").filter((l) => pattern.test(l));

const layer = (name: string, files: readonly Record<string, unknown>[], owner: Record<string, number> = {}): Record<string, unknown> => ({ name, files, ...owner });
const image = (layers: readonly Record<string, unknown>[], rest: Record<string, unknown> = {}): Record<string, unknown> => ({ name: "t", layers, ...rest });
const oneFile = image([layer("l", [{ content: "x\n", destination: "/x" }])]);

describe("the Dockerfile of each example matches its snapshot (UPDATE_SNAPSHOTS=1 rewrites them)", () => {
  const examples = readdirSync(EXAMPLES).filter((name) => ["image.ts", "image.json", "image.yaml", "image.yml"].some((f) => existsSync(path.join(EXAMPLES, name, f))));
  // One Dockerfile per image: <example>.Dockerfile, or <example>.<image id>.Dockerfile in a layout of several.
  test.each(examples)("%s", async (name) => {
    const { program } = await loadProgram(path.join(EXAMPLES, name));
    // A Dockerfile, or the refusal naming what it cannot say (web:1.0 has manifest annotations).
    for (const image of program.images) {
      const result = emitDockerfile(program, image.id);
      const text = E.isRight(result) ? result.right.dockerfile : `refused:\n${result.left.issues.map(formatDockerfileIssue).join("\n")}\n`;
      const fixture = path.join(FIXTURES, program.images.length === 1 ? `${name}.Dockerfile` : `${name}.${image.id}.Dockerfile`);
      if (process.env["UPDATE_SNAPSHOTS"] === "1") await fs.writeFile(fixture, text);
      expect(existsSync(fixture), `${fixture} is missing; run with UPDATE_SNAPSHOTS=1 to write it`).toBe(true);
      expect(text).toBe(await fs.readFile(fixture, "utf8"));
    }
    const refused = DOCKERFILE_REFUSED[name];
    if (refused !== undefined) expect(reasonsOf(program).map((r) => r.split(":")[0])).toEqual([refused]);
    else if (program.images.length === 1) expect(dockerfileSupport(program)).toEqual({ supported: true });
  });

  test("a layout of several images needs --image, and the refusal lists the ids", async () => {
    const { program } = await loadProgram(path.join(EXAMPLES, "layout"));
    const result = emitDockerfile(program);
    expect(E.isLeft(result) && result.left.issues.map((i) => `${i.at}: ${i.message}`)).toEqual([
      "images: expected one image, found 3: a Dockerfile builds one; pick it with --image ID, one of web-amd64 (web:1.0 (linux/amd64)), web-arm64-v8 (web:1.0 (linux/arm64/v8)), tools (tools:<digest>)",
    ]);
  });
});

describe("each layer is one COPY, or one ADD of its tar when COPY cannot carry it", () => {
  test("a layer of root-owned files is `COPY <layer>/ /`, its tree in <layer>/", () => {
    const plan = planOf(programOf(image([layer("base", [{ content: "x\n", destination: "/etc/x" }, { directory: "/tmp", mode: "1777" }])])));
    expect(plan.dockerfile).toContain("\nCOPY base/ /\n");
    expect(plan.layers.map((l) => ({ _tag: l._tag, layer: l.layer, ...(l._tag === "CopyTree" ? { folder: l.folder, owner: l.owner } : {}) }))).toEqual([
      { _tag: "CopyTree", layer: "base", folder: "base", owner: { uid: 0, gid: 0 } },
    ]);
  });

  test("a layer whose every file and folder has one owner is `COPY --chown=uid:gid`", () => {
    const program = programOf(image([layer("app", [{ source: "app", destination: "/app", modes: "normalise" }, { content: "x\n", destination: "/app/x" }], { uid: 1000, gid: 1001 })]));
    expect(linesOf(program, /^(COPY|ADD) /)).toEqual(["COPY --chown=1000:1001 app/ /"]);
  });

  test("a copy that keeps the modes or owners on disk goes as a tar: a copied file may be setuid, and COPY gives one owner", () => {
    const keptModes = programOf(image([layer("l", [{ source: "tree", destination: "/opt" }])]));
    expect(linesOf(keptModes, /^(COPY|ADD|#.*because)/)).toEqual([
      "# l: a tar, unpacked with every owner and mode, because layers[0].files[0].source keeps the modes its files have on disk (modes: keep, the default), setuid and setgid included, which COPY drops",
      "ADD l.tar /",
    ]);
    const keptOwners = programOf(image([{ name: "root", source: "rootfs", owners: "keep", modes: "normalise" }]));
    expect(linesOf(keptOwners, /because/)).toEqual([
      "# root: a tar, unpacked with every owner and mode, because layers[0].source keeps the owners its files have on disk (owners: keep), and one COPY gives one owner",
    ]);
    const normalised = programOf(image([layer("l", [{ source: "tree", destination: "/opt", modes: "normalise" }])]));
    expect(linesOf(normalised, /^(COPY|ADD) /)).toEqual(["COPY l/ /"]);
  });

  test("a layer with root-owned implied folders and another owner's files goes as a tar, and says why", () => {
    const plan = planOf(programOf(image([layer("site", [{ content: "x\n", destination: "/srv/www/index.html" }], { uid: 1000, gid: 1000 })])));
    expect(plan.dockerfile).toContain("\nADD site.tar /\n");
    expect(plan.dockerfile).toContain(
      "\n# site: a tar, unpacked with every owner and mode, because its files and folders have more than one owner (1000:1000 for /srv/www/index.html; 0:0 for /srv, /srv/www), and a COPY gives everything it copies the same owner\nADD site.tar /\n",
    );
    expect(plan.layers[0]?._tag).toBe("AddTar");
  });

  test("a layer with a setuid or setgid entry goes as a tar: COPY drops those bits", () => {
    const setuid = programOf(image([layer("l", [{ content: "x\n", destination: "/su", mode: "4755" }])]));
    const setgid = programOf(image([layer("l", [{ directory: "/shared", mode: "2775" }])]));
    const sticky = programOf(image([layer("l", [{ directory: "/tmp", mode: "1777" }])]));
    expect(linesOf(setuid, /^(COPY|ADD|#.*because)/)).toEqual(["# l: a tar, unpacked with every owner and mode, because /su has mode 04755, and COPY drops setuid and setgid bits", "ADD l.tar /"]);
    expect(linesOf(setgid, /^(COPY|ADD) /)).toEqual(["ADD l.tar /"]);
    expect(linesOf(sticky, /^(COPY|ADD) /)).toEqual(["COPY l/ /"]);
  });

  test("a path with a line break cannot break out of the tar's comment", () => {
    const plan = planOf(programOf(image([layer("l", [{ content: "x\n", destination: "/a\nRUN rm -rf x", mode: "4755" }])])));
    expect(plan.dockerfile.split("\n").filter((l) => l.startsWith("RUN"))).toEqual([]);
    expect(plan.dockerfile).toContain("because /a\\nRUN rm -rf x has mode 04755");
  });

  test("a copy owned by someone else with entries deeper below it goes as a tar (its folders' owners depend on the source); with direct children only, COPY --chown", () => {
    const program = programOf(image([layer("l", [{ source: "tree", destination: "/opt", uid: 5, gid: 5 }, { content: "x\n", destination: "/opt/a/b", uid: 5, gid: 5 }])]));
    expect(linesOf(program, /because/)[0]).toContain("the owners of the folders between /opt and /opt/a/b depend on what the copied folder holds (5:5 or 0:0)");
    const direct = programOf(image([layer("l", [{ source: "tree", destination: "/opt", uid: 5, gid: 5, modes: "normalise" }, { content: "x\n", destination: "/opt/b", uid: 5, gid: 5 }])]));
    expect(linesOf(direct, /^(COPY|ADD) /)).toEqual(["COPY --chown=5:5 l/ /"]);
  });

  test("layers keep the image's order, and layer k's context mtime is SOURCE_DATE_EPOCH + k", () => {
    const plan = planOf(programOf(image([layer("a", [{ content: "1\n", destination: "/a" }]), layer("b", [{ content: "2\n", destination: "/b" }]), layer("c", [])]), 1000));
    expect(plan.layers.map((l) => [l.layer, l.mtime])).toEqual([
      ["a", 1000],
      ["b", 1001],
      ["c", 1002],
    ]);
    expect(plan.dockerfile.split("\n").filter((l) => l.startsWith("COPY"))).toEqual(["COPY a/ /", "COPY b/ /", "COPY c/ /"]);
  });
});

describe("values come out exactly, whatever they hold", () => {
  const program = programOf(
    image([layer("l", [{ content: "x\n", destination: "/x" }])], {
      env: { GREETING: 'say "hi" to $USER \\o/', "NAME WITH SPACE": "v", EMPTY: "" },
      labels: { "org.example.x": "it's", "a b": "$x ${y}", "ü": "ü" },
      entrypoint: ["/bin/sh", "-c", 'echo "$A" \\\nok'],
      cmd: [],
      user: "www data",
      workingDir: "/srv/$x",
      volumes: ["/data", "/it's $here"],
      exposedPorts: [80, "53/udp"],
      stopSignal: "SIGRTMIN+3",
      author: 'A "B" $c',
      architecture: "arm64",
      variant: "v8",
    }),
  );
  const lines = planOf(program).dockerfile.split("\n");

  test("FROM names the platform, so the build host's does not leak in", () => {
    expect(lines).toContain("FROM --platform=linux/arm64/v8 scratch");
  });

  test("ENV and LABEL values are double-quoted with \\, \" and $ escaped; odd names are quoted too", () => {
    expect(lines).toContain('ENV GREETING="say \\"hi\\" to \\$USER \\\\o/"');
    expect(lines).toContain('ENV "NAME WITH SPACE"="v"');
    expect(lines).toContain('ENV EMPTY=""');
    expect(lines).toContain('LABEL org.example.x="it\'s"');
    expect(lines).toContain('LABEL "a b"="\\$x \\${y}"');
    expect(lines).toContain('LABEL "ü"="ü"');
  });

  test("ENTRYPOINT and CMD are JSON, which nothing expands", () => {
    expect(lines).toContain('ENTRYPOINT ["/bin/sh", "-c", "echo \\"$A\\" \\\\\\nok"]');
    expect(lines).toContain("CMD []");
  });

  test("USER, WORKDIR, STOPSIGNAL, EXPOSE, VOLUME and MAINTAINER", () => {
    expect(lines).toContain('USER "www data"');
    expect(lines).toContain('WORKDIR "/srv/\\$x"');
    expect(lines).toContain("STOPSIGNAL SIGRTMIN+3");
    expect(lines).toContain("EXPOSE 80/tcp 53/udp");
    // VOLUME's JSON strings are lexed after decoding: `'` and `$` get a backslash, then JSON doubles it.
    expect(lines).toContain('VOLUME ["/data", "/it\\\\\'s \\\\$here"]');
    expect(lines).toContain('MAINTAINER A "B" $c');
  });
});

describe("what a Dockerfile cannot carry is refused, each reason at its spec field", () => {
  const cases: readonly (readonly [string, Record<string, unknown>, readonly string[]])[] = [
    ["an image root mode other than 0755", image([layer("l", [{ content: "x\n", destination: "/x" }, { directory: "/", mode: "0700" }])]), ["layers[0].files[1].mode"]],
    ["a line break in an env value", { ...oneFile, env: { MOTD: "a\nb" } }, ["env.MOTD"]],
    ["an env name set twice", { ...oneFile, env: ["A=1", "B=2", "A=3"] }, ["env.A"]],
    ["a label name with \"=\"", { ...oneFile, labels: { "a=b": "x" } }, ['labels["a=b"]']],
    ["an empty label name", { ...oneFile, labels: { "": "x" } }, ['labels[""]']],
    ["a line break in a label value", { ...oneFile, labels: { k: "a\r\nb" } }, ["labels.k"]],
    ["a line break in the user", { ...oneFile, user: "a\nb" }, ["user"]],
    ["a line break in the working dir", { ...oneFile, workingDir: "/a\nb" }, ["workingDir"]],
    ["a line break in a volume", { ...oneFile, volumes: ["/a\nb"] }, ["volumes"]],
    ["an author MAINTAINER would change", { ...oneFile, author: "me \\" }, ["author"]],
    ["an empty author", { ...oneFile, author: "" }, ["author"]],
    ["manifest annotations", { ...oneFile, annotations: { "org.example": "x" } }, ["annotations"]],
    ["several things at once, every one reported", { ...oneFile, env: ["A=1", "A=2"], user: "a\nb", annotations: { k: "v" } }, ["env.A", "user", "annotations"]],
  ];
  test.each(cases)("%s", (_, spec, ats) => {
    const program = programOf(spec);
    expect(atsOf(program)).toEqual(ats);
    expect(reasonsOf(program).every((r, i) => r.startsWith(`${ats[i] ?? "?"}: `))).toBe(true);
  });

  // The spec decoder refuses these before lowering; a program is plain data, so the emitter checks too.
  // A field the program's fieldAt does not place (added here, not by a spec) is named by its OCI path.
  const withConfig = (edit: (config: JsonObject) => JsonObject): Program => {
    const program = programOf(oneFile);
    return { ...program, steps: program.steps.map((s): Step => (s._tag === "WriteConfig" ? { ...s, config: edit(s.config as JsonObject) as unknown as ImageConfigBody } : s)) };
  };
  const stopSignalFoo = (c: JsonObject): JsonObject => ({ ...c, config: { ...(c["config"] as JsonObject), StopSignal: "SIGFOO" } });

  test.each([
    ["a stop signal builders reject", stopSignalFoo, ["config.StopSignal"]],
    ["a platform FROM --platform cannot name", (c: JsonObject): JsonObject => ({ ...c, architecture: "amd 64" }), ["architecture"]],
  ] as const)("%s, in a program not lowered from a spec", (_, edit, ats) => {
    expect(atsOf(withConfig(edit))).toEqual(ats);
  });

  test("a reason says what was expected and what was found", () => {
    expect(reasonsOf(programOf(image([layer("l", [{ directory: "/", mode: "0700" }])])))).toEqual([
      'layers[0].files[0].mode: expected 0755 for the image root "/", found 0700: builders leave "/" out of every layer, so no Dockerfile carries its mode',
    ]);
    expect(reasonsOf(withConfig(stopSignalFoo))).toEqual(['config.StopSignal: expected a signal name (SIGTERM, TERM) or number, found "SIGFOO", which STOPSIGNAL rejects']);
  });

  test("a config field the emitter does not know is refused, not dropped", () => {
    const program = programOf(oneFile);
    const edited: Program = {
      ...program,
      steps: program.steps.map((s): Step => (s._tag === "WriteConfig" ? { ...s, config: { ...s.config, "os.version": "10", config: { Healthcheck: { Test: ["NONE"] } } as ContainerConfig } } : s)),
    };
    expect(atsOf(edited)).toEqual(["os.version", "config.Healthcheck"]);
  });
});
