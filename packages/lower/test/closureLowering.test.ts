import { describe, expect, it } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import type { Closure, ClosureObject } from "@ocistage/elf";
import type { Program, RootfsEntry } from "@ocistage/program";
import type { HostClosures, Spec } from "@ocistage/spec";
import { closureKey, decodeSpec, formatSpecError, formatSpecIssue } from "@ocistage/spec";
import { lower } from "../src/index.ts";

// Closures as the edge (hostClosures) would read them; lowering only sees this data.
const object = (file: string, size: number, links: readonly { path: string; target: string }[] = [], name = file.split("/").pop() ?? file): ClosureObject => ({
  file,
  source: `/host${file}`,
  size,
  requests: [{ name, neededBy: "/bin/x", foundBy: "ld.so.cache", path: links[0]?.path ?? file }],
  links,
});
const libc = object("/lib/x86_64-linux-gnu/libc.so.6", 2_000_000);
const interp = object("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 200_000, [{ path: "/lib64/ld-linux-x86-64.so.2", target: "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" }], "/lib64/ld-linux-x86-64.so.2");
const libjq = object("/lib/x86_64-linux-gnu/libjq.so.1.0.4", 300_000, [{ path: "/lib/x86_64-linux-gnu/libjq.so.1", target: "libjq.so.1.0.4" }], "libjq.so.1");
const libtinfo = object("/lib/x86_64-linux-gnu/libtinfo.so.6.4", 190_000, [{ path: "/lib/x86_64-linux-gnu/libtinfo.so.6", target: "libtinfo.so.6.4" }], "libtinfo.so.6");
const closure = (program: string, destination: string, objects: readonly ClosureObject[]): Closure => ({ program, destination, interpreter: "/lib64/ld-linux-x86-64.so.2", objects });
const closures: HostClosures = new Map([
  [closureKey("/usr/bin/jq", "/bin/jq", undefined), closure("/usr/bin/jq", "/bin/jq", [libjq, libc, interp])],
  [closureKey("/bin/bash", "/bin/bash", undefined), closure("/bin/bash", "/bin/bash", [libtinfo, libc, interp])],
]);
const jq = { source: "/usr/bin/jq", destination: "/bin/jq", closure: true };
const bash = { source: "/bin/bash", destination: "/bin/bash", closure: true };

const lowerValue = (value: unknown, given: HostClosures = closures): E.Either<readonly string[], Program> => {
  const spec = decodeSpec(value, "image.json");
  if (E.isLeft(spec)) return E.left(formatSpecError(spec.left));
  return E.mapLeft((e: { readonly issues: readonly Parameters<typeof formatSpecIssue>[0][] }) => e.issues.map(formatSpecIssue))(lower(spec.right as Spec, { specFile: "image.json", specText: "", sourceDateEpoch: 0, closures: given }));
};
const program = (value: unknown): Program => {
  const result = lowerValue(value);
  if (E.isLeft(result)) throw new Error(result.left.join("\n"));
  return result.right;
};
const entriesOf = (p: Program, layer: string): readonly RootfsEntry[] => p.steps.flatMap((s) => (s._tag === "AssembleRootfs" && s.layer === layer ? [s.entries] : []))[0] ?? [];
const written = (entries: readonly RootfsEntry[]): readonly string[] =>
  entries.map((e) => (e._tag === "Copy" ? `${e.destination} <- ${e.source}${e.closureOf === undefined ? "" : ` [${e.closureOf.join(", ")}]`}` : e._tag === "Symlink" ? `${e.destination} -> ${e.target}` : e.destination));
const imageLayers = (p: Program): Readonly<Record<string, readonly string[]>> => Object.fromEntries(p.images.map((i) => [i.name, i.layers]));

describe("closure: true lowers to plain copies and symlinks at the loader's paths", () => {
  it("brings the links and files of every object, owned by root, marked with the program they serve", () => {
    const p = program({ name: "jq", layers: [{ name: "tools", uid: 1000, files: [jq] }] });
    expect(written(entriesOf(p, "tools"))).toEqual([
      "bin/jq <- /usr/bin/jq",
      "lib/x86_64-linux-gnu/libjq.so.1 -> libjq.so.1.0.4",
      "lib/x86_64-linux-gnu/libjq.so.1.0.4 <- /host/lib/x86_64-linux-gnu/libjq.so.1.0.4 [/usr/bin/jq]",
      "lib/x86_64-linux-gnu/libc.so.6 <- /host/lib/x86_64-linux-gnu/libc.so.6 [/usr/bin/jq]",
      "lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
      "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 <- /host/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 [/usr/bin/jq]",
    ]);
    // The program keeps the layer's owner; what the closure brings is root's, modes as on disk.
    expect(entriesOf(p, "tools").filter((e) => e._tag === "Copy").map((e) => (e._tag === "Copy" ? [e.owner, e.modes, e.at] : []))).toEqual([
      [{ uid: 1000, gid: 0 }, "keep", "layers[0].files[0].source"],
      ...Array(3).fill([{ uid: 0, gid: 0 }, "keep", "layers[0].files[0].closure"]),
    ]);
    expect(p.closures?.programs[0]).toMatchObject({ program: "/usr/bin/jq", destination: "bin/jq", at: "layers[0].files[0]", layer: "tools" });
    expect(p.closures?.programs[0]?.members.map((m) => [m.name, m.path, m.file])).toEqual([
      ["libjq.so.1", "lib/x86_64-linux-gnu/libjq.so.1", "lib/x86_64-linux-gnu/libjq.so.1.0.4"],
      ["libc.so.6", "lib/x86_64-linux-gnu/libc.so.6", "lib/x86_64-linux-gnu/libc.so.6"],
      ["/lib64/ld-linux-x86-64.so.2", "lib64/ld-linux-x86-64.so.2", "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"],
    ]);
  });

  it("writes a library two closures of one layer share once, naming both programs", () => {
    const p = program({ name: "both", layers: [{ name: "tools", files: [jq, bash] }] });
    expect(written(entriesOf(p, "tools")).filter((l) => l.includes("libc.so.6"))).toEqual(["lib/x86_64-linux-gnu/libc.so.6 <- /host/lib/x86_64-linux-gnu/libc.so.6 [/usr/bin/jq, /bin/bash]"]);
  });

  it("refuses a closure file another entry of the layer gives differently, or one below a symlink of the layer", () => {
    expect(lowerValue({ name: "x", layers: [{ name: "l", files: [jq, { content: "not libc", destination: "/lib/x86_64-linux-gnu/libc.so.6" }] }] })).toEqual(
      E.left(['layers[0].files[0].closure: "/lib/x86_64-linux-gnu/libc.so.6" (closure of /usr/bin/jq) is already given differently by layers[0].files[1].content']),
    );
    expect(lowerValue({ name: "x", layers: [{ name: "l", files: [jq, { symlink: "usr/lib", destination: "/lib" }] }] })).toEqual(
      E.left(expect.arrayContaining(['layers[0].files[0].closure: "/lib/x86_64-linux-gnu/libjq.so.1" lies below "/lib", a symlink made by layers[0].files[1].symlink'])),
    );
  });

  it("without closures from the edge, says the entry was not resolved", () => {
    expect(lowerValue({ name: "x", layers: [{ name: "l", files: [jq] }] }, new Map())).toEqual(E.left([expect.stringMatching(/^layers\[0\]\.files\[0\]\.closure: was not resolved/)]));
  });
});

describe('split: "closure" gives closure members layers of their own, biggest first, within maxLayers', () => {
  it("every member its own layer when the budget allows; the program stays in the layer", () => {
    const p = program({ name: "jq", layers: [{ name: "tools", split: "closure", files: [jq] }] });
    expect(imageLayers(p)).toEqual({ jq: ["libc.so.6", "libjq.so.1.0.4", "ld-linux-x86-64.so.2", "tools"] });
    expect(written(entriesOf(p, "tools"))).toEqual(["bin/jq <- /usr/bin/jq"]);
    expect(written(entriesOf(p, "libjq.so.1.0.4"))).toEqual(["lib/x86_64-linux-gnu/libjq.so.1 -> libjq.so.1.0.4", "lib/x86_64-linux-gnu/libjq.so.1.0.4 <- /host/lib/x86_64-linux-gnu/libjq.so.1.0.4 [/usr/bin/jq]"]);
  });

  it("with fewer spare layers than members, the biggest get them and the rest stay (and the report says so)", () => {
    const p = program({ name: "jq", maxLayers: 3, layers: [{ name: "base", files: [{ directory: "/tmp" }] }, { name: "tools", split: "closure", files: [jq] }] });
    expect(imageLayers(p)).toEqual({ jq: ["base", "libc.so.6", "tools"] });
    expect(p.closures?.splits).toEqual([
      {
        layer: "tools",
        at: "layers[1]",
        slots: 1,
        own: [{ layer: "libc.so.6", file: "lib/x86_64-linux-gnu/libc.so.6", size: 2_000_000 }],
        stayed: [
          { file: "lib/x86_64-linux-gnu/libjq.so.1.0.4", size: 300_000 },
          { file: "lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", size: 200_000 },
        ],
      },
    ]);
    expect(p.closures?.programs[0]?.members.map((m) => m.layer)).toEqual(["tools", "libc.so.6", "tools"]);
  });

  it("the member layers are stored as the layer they came from says (compression)", () => {
    const p = program({ name: "jq", layers: [{ name: "tools", split: "closure", compression: "zstd", files: [jq] }] });
    const stored = p.steps.flatMap((s) => (s._tag === "TarLayer" ? [`${s.layer} ${s.compression} ${s.mediaType}`] : []));
    expect(stored).toEqual(["libc.so.6", "libjq.so.1.0.4", "ld-linux-x86-64.so.2", "tools"].map((l) => `${l} zstd application/vnd.oci.image.layer.v1.tar+zstd`));
    const manifest = p.steps.find((s) => s._tag === "WriteManifest");
    expect(manifest?._tag === "WriteManifest" ? manifest.layers.map((l) => l.mediaType) : []).toEqual(Array(4).fill("application/vnd.oci.image.layer.v1.tar+zstd"));
  });

  it("images whose programs share a library share its layer, defined once", () => {
    const p = program({
      layers: { jq: { split: "closure", files: [jq] }, bash: { split: "closure", files: [bash] } },
      images: [
        { name: "jq", layers: ["jq"] },
        { name: "bash", layers: ["bash"] },
      ],
    });
    expect(imageLayers(p)).toEqual({ jq: ["libc.so.6", "libjq.so.1.0.4", "ld-linux-x86-64.so.2", "jq"], bash: ["libc.so.6", "ld-linux-x86-64.so.2", "libtinfo.so.6.4", "bash"] });
    expect(p.steps.filter((s) => s.name === "assemble-rootfs-libc.so.6")).toHaveLength(1);
    expect(written(entriesOf(p, "libc.so.6"))).toEqual(["lib/x86_64-linux-gnu/libc.so.6 <- /host/lib/x86_64-linux-gnu/libc.so.6 [/usr/bin/jq, /bin/bash]"]);
  });

  it("a split layer without closure entries is an issue at its split field", () => {
    expect(lowerValue({ name: "x", layers: [{ name: "l", split: "closure", files: [{ directory: "/tmp" }] }] })).toEqual(E.left(["layers[0].split: splits the closures of a layer's closure: true entries; this layer has none"]));
  });
});
