import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { formatSpecError, loadSpec } from "../src/index.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ocistage-spec-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const write = async (name: string, text: string): Promise<string> => {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
};

describe("loading a spec file", () => {
  it("reads JSON, YAML and TypeScript to the same spec", async () => {
    const json = await write("a.json", JSON.stringify({ name: "demo", layers: [{ name: "app", source: "root" }], entrypoint: ["/bin/sh"] }));
    const yaml = await write("b.yaml", "name: demo\nlayers:\n  - name: app\n    source: root\nentrypoint: [/bin/sh]\n");
    const ts = await write(
      "c.ts",
      'import { ociImage } from "ocistage";\nconst shell: string = "/bin/sh";\nexport default ociImage({ name: "demo", layers: [{ name: "app", source: "root" }], entrypoint: [shell] });\n',
    );
    const specs = await Promise.all([json, yaml, ts].map(async (f) => (await loadSpec(f)())));
    for (const s of specs) expect(s).toMatchObject({ _tag: "Right", right: { spec: { _tag: "Image", image: { name: "demo", entrypoint: ["/bin/sh"] } }, dir } });
  });

  it("finds image.* in a folder", async () => {
    const sub = path.join(dir, "folder");
    await import("node:fs/promises").then((fs) => fs.mkdir(sub));
    await writeFile(path.join(sub, "image.json"), JSON.stringify({ name: "demo", layers: [{ name: "app", source: "x" }] }));
    expect(await loadSpec(sub)()).toMatchObject({ _tag: "Right", right: { file: path.join(sub, "image.json") } });
  });

  it("names the file and the syntax error", async () => {
    const file = await write("bad.json", '{"name": "demo",');
    const result = await loadSpec(file)();
    expect(result._tag).toBe("Left");
    if (result._tag === "Left") expect(formatSpecError(result.left)[0]).toMatch(new RegExp(`^${file}: invalid JSON: `));
  });

  it("rejects duplicate YAML keys instead of keeping the last", async () => {
    const file = await write("dup.yaml", "name: a\nname: b\nlayers: []\n");
    expect((await loadSpec(file)())._tag).toBe("Left");
  });

  it("says when a spec does not exist", async () => {
    const result = await loadSpec(path.join(dir, "nope.json"))();
    expect(result).toMatchObject({ _tag: "Left", left: { _tag: "SpecNotFound" } });
  });
});
