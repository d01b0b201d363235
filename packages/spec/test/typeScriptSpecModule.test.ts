// A `.ts` spec is a module at its own place: `import.meta` (url, dirname, filename, resolve),
// relative imports, JSON imports and top-level await behave as they would in a module loaded
// from the spec's path, whatever the current directory, and each imported module's
// `import.meta` is its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { formatSpecError, loadSpec } from "../src/index.ts";
import type { ImageSpec, LoadedSpec } from "../src/index.ts";

let dir = "";
beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(tmpdir(), "ocistage-spec-module-")));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const write = async (relative: string, text: string): Promise<string> => {
  const file = path.join(dir, relative);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  return file;
};

// These specs are of the single-image form: `spec` is the image spec itself.
const load = async (file: string): Promise<Omit<LoadedSpec, "spec"> & { readonly spec: ImageSpec }> => {
  const result = await loadSpec(file)();
  if (result._tag === "Left") throw new Error(formatSpecError(result.left).join("\n"));
  if (result.right.spec._tag !== "Image") throw new Error("expected the single-image form");
  return { ...result.right, spec: result.right.spec.image };
};

// The spec reads meta.json three ways (URL from import.meta.url, path from import.meta.dirname,
// JSON import), imports a helper from a sub-folder that locates a file beside itself, and awaits
// at top level.
const SPEC = `import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ociImage } from "ocistage";
import meta from "./meta.json";
import { shellFrom, helperDir } from "./lib/shell.ts";

const byUrl = JSON.parse(readFileSync(new URL("./meta.json", import.meta.url), "utf8"));
const byDirname = JSON.parse(readFileSync(join(import.meta.dirname, "meta.json"), "utf8"));
const tag = await Promise.resolve(byUrl.version);

export default ociImage({
  name: meta.name,
  tag,
  layers: [{ name: "app", source: "root" }],
  entrypoint: [shellFrom()],
  labels: {
    "by-dirname": byDirname.name,
    url: import.meta.url,
    dirname: import.meta.dirname,
    filename: import.meta.filename,
    resolved: import.meta.resolve("./meta.json"),
    "helper-dir": helperDir,
  },
});
`;

const HELPER = `import { readFileSync } from "node:fs";
export const helperDir: string = import.meta.dirname;
export const shellFrom = (): string => readFileSync(new URL("./shell.txt", import.meta.url), "utf8").trim();
`;

describe("a TypeScript spec is a module at its own path", () => {
  let specFile = "";
  beforeAll(async () => {
    await write("app/meta.json", JSON.stringify({ name: "from-meta", version: "1.2.3" }));
    await write("app/lib/shell.txt", "/bin/sh\n");
    await write("app/lib/shell.ts", HELPER);
    specFile = await write("app/image.ts", SPEC);
  });

  it("reads files relative to itself, imports modules and JSON, and awaits at top level", async () => {
    const loaded = await load(specFile);
    expect(loaded.spec).toMatchObject({ name: "from-meta", tag: "1.2.3", entrypoint: ["/bin/sh"], labels: { "by-dirname": "from-meta" } });
  });

  it("gives the spec its own url, dirname, filename and resolve, and an imported module its own", async () => {
    const { spec } = await load(specFile);
    expect(spec.labels).toEqual({
      "by-dirname": "from-meta",
      url: pathToFileURL(specFile).href,
      dirname: path.join(dir, "app"),
      filename: specFile,
      resolved: pathToFileURL(path.join(dir, "app/meta.json")).href,
      "helper-dir": path.join(dir, "app/lib"),
    });
  });

  it("does not depend on the current directory, and the folder form finds the same module", async () => {
    const before = process.cwd();
    process.chdir(tmpdir());
    try {
      expect((await load(path.join(dir, "app"))).spec).toEqual((await load(specFile)).spec);
    } finally {
      process.chdir(before);
    }
  });

  it("createRequire(import.meta.url), a JSON import with attributes and a dynamic import resolve beside the spec too (.mts)", async () => {
    await write("more/lib/where.ts", "export const where: string = import.meta.filename;\n");
    await write("more/meta.json", JSON.stringify({ name: "more" }));
    const file = await write(
      "more/image.mts",
      [
        'import { createRequire } from "node:module";',
        'import meta from "./meta.json" with { type: "json" };',
        "const required = createRequire(import.meta.url)(\"./meta.json\");",
        'const { where } = await import("./lib/where.ts");',
        "export default { name: meta.name + required.name, layers: [{ name: \"app\", source: \"root\" }], labels: { where } };",
        "",
      ].join("\n"),
    );
    expect((await load(file)).spec).toMatchObject({ name: "moremore", labels: { where: path.join(dir, "more/lib/where.ts") } });
  });

  it("keeps the spec text as written (what the docs show and the program hashes)", async () => {
    expect((await load(specFile)).text).toBe(SPEC);
  });

  it("reads the files again on every load (nothing is cached between loads)", async () => {
    const file = await write("again/image.ts", SPEC);
    await write("again/meta.json", JSON.stringify({ name: "first", version: "1" }));
    await write("again/lib/shell.ts", HELPER);
    await write("again/lib/shell.txt", "/bin/sh");
    expect((await load(file)).spec.name).toBe("first");
    await write("again/meta.json", JSON.stringify({ name: "second", version: "2" }));
    expect((await load(file)).spec).toMatchObject({ name: "second", tag: "2" });
  });

  it("a file the spec reads that is missing is an error naming the spec and the missing file's real path", async () => {
    const file = await write("missing/image.ts", 'import { readFileSync } from "node:fs";\nexport default JSON.parse(readFileSync(new URL("./nope.json", import.meta.url), "utf8"));\n');
    const result = await loadSpec(file)();
    expect(result._tag).toBe("Left");
    if (result._tag === "Left") expect(formatSpecError(result.left)).toEqual([`${file}: ENOENT: no such file or directory, open '${path.join(dir, "missing/nope.json")}'`]);
  });

  it("keeps a #! line first and line numbers as written in compile errors", async () => {
    const file = await write("hashbang/image.ts", '#!/usr/bin/env node\nconst here = import.meta.dirname;\nexport default { name: here ;\n');
    const result = await loadSpec(file)();
    expect(result._tag).toBe("Left");
    if (result._tag === "Left") expect(formatSpecError(result.left)[0]).toBe(`${file}: line 3, column 29: Expected "}" but found ";"`);
  });

  it("names an imported module's error by its path from the spec's folder, at the column as written", async () => {
    const file = await write("bad-import/image.ts", 'import { here } from "./lib/here.ts";\nexport default { name: here };\n');
    await write("bad-import/lib/here.ts", "export const here = import.meta.url )\n");
    const result = await loadSpec(file)();
    expect(result._tag).toBe("Left");
    if (result._tag === "Left") expect(formatSpecError(result.left)).toEqual([`${file}: lib/here.ts line 1, column 37: Expected ";" but found ")"`]);
  });
});
