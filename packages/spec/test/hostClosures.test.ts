import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as E from "fp-ts/lib/Either.js";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { closureKey, formatSpecError, loadSpec } from "../src/index.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ocistage-closure-"));
  await writeFile(path.join(dir, "script.sh"), "#!/bin/sh\necho hi\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const load = async (files: readonly unknown[], split = false) => {
  const file = path.join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify({ name: "demo", layers: [{ name: "app", files, ...(split ? { split: "closure" } : {}) }] }));
  return loadSpec(file)();
};
const errors = async (files: readonly unknown[]): Promise<readonly string[]> => {
  const result = await load(files);
  return E.isLeft(result) ? formatSpecError(result.left) : [];
};

describe("closures are read from the host when the spec is loaded", () => {
  it("resolves jq's closure, keyed by source, destination and dlopen names", async () => {
    const result = await load([{ source: "/usr/bin/jq", destination: "/bin/jq", closure: true, dlopen: ["libnss_files.so.2"] }]);
    if (E.isLeft(result)) throw new Error(formatSpecError(result.left).join("\n"));
    const closure = result.right.closures.get(closureKey("/usr/bin/jq", "/bin/jq", ["libnss_files.so.2"]));
    expect(closure?.objects.map((o) => o.requests[0]?.name)).toEqual(["libjq.so.1", "libc.so.6", "libm.so.6", "libonig.so.5", "/lib64/ld-linux-x86-64.so.2", "libnss_files.so.2"]);
  });

  it("a spec without closure entries reads nothing and has none", async () => {
    const result = await load([{ source: "/usr/bin/jq", destination: "/bin/jq" }]);
    expect(E.map((l: { readonly closures: ReadonlyMap<string, unknown> }) => l.closures.size)(result)).toEqual(E.right(0));
  });

  it.each([
    ["a folder", [{ source: "/usr/bin", destination: "/bin", closure: true }], ["layers[0].files[0].closure: applies to an ELF program or library; /usr/bin is a folder"]],
    ["a script", [{ source: "script.sh", destination: "/bin/s", closure: true }], [expect.stringMatching(/^layers\[0\]\.files\[0\]\.closure: applies to an ELF program or library; \/.*\/script.sh: not an ELF file \(it starts with 23 21 2f 62/)]],
    ["a missing source", [{ source: "/nonexistent/prog", destination: "/bin/p", closure: true }], [expect.stringMatching(/^layers\[0\]\.files\[0\]\.source: cannot read \/nonexistent\/prog: ENOENT/)]],
    ["dlopen without closure", [{ source: "/usr/bin/jq", destination: "/bin/jq", dlopen: ["libnss_files.so.2"] }], ["layers[0].files[0].dlopen: lists libraries loaded at run time for a closure; set closure: true on this entry too"]],
    ["a dlopen name nowhere to be found", [{ source: "/usr/bin/jq", destination: "/bin/jq", closure: true, dlopen: ["libnothere.so.9"] }], ["layers[0].files[0].closure: closure of /usr/bin/jq: libnothere.so.9 (needed by /bin/jq) is not found in ld.so.cache, /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib, /usr/lib"]],
  ])("%s is refused, naming the field", async (_name, files, expected) => {
    expect(await errors(files)).toEqual(expected);
  });

  it("split takes only \"closure\"", async () => {
    const file = path.join(dir, "split.json");
    await writeFile(file, JSON.stringify({ name: "demo", layers: [{ name: "app", split: "size", files: [] }] }));
    const result = await loadSpec(file)();
    expect(E.isLeft(result) ? formatSpecError(result.left).join("\n") : "").toMatch(/layers\[0\]\.split: expected "closure"/);
  });
});
