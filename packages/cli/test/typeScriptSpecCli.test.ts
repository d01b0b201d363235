// A `.ts` spec that reads files relative to itself, as a user runs it: `ocistage validate` and
// `ocistage plan` from another directory see the values the spec read beside itself, through
// `new URL(…, import.meta.url)`, `import.meta.dirname`, a sibling module and a JSON import.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";

let work = "";
const specDir = (): string => path.join(work, "site");

const SPEC = `import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ociImage } from "ocistage";
import meta from "./meta.json";
import { motd } from "./motd.ts";

const banner = readFileSync(new URL("./banner.txt", import.meta.url), "utf8");
const version = await Promise.resolve(meta.version);

export default ociImage({
  name: meta.name,
  tag: version,
  layers: [{ name: "etc", files: [
    { content: banner, destination: "/etc/banner" },
    { content: motd, destination: "/etc/motd" },
    { source: join(import.meta.dirname, "bin"), destination: "/bin" },
  ] }],
  entrypoint: ["/bin/sh"],
});
`;

beforeAll(async () => {
  work = await makeTempDir("cli-ts-spec");
  await fs.mkdir(path.join(specDir(), "bin"), { recursive: true });
  await fs.writeFile(path.join(specDir(), "image.ts"), SPEC);
  await fs.writeFile(path.join(specDir(), "meta.json"), JSON.stringify({ name: "ts-module", version: "2.0" }));
  await fs.writeFile(path.join(specDir(), "banner.txt"), "from banner.txt\n");
  await fs.writeFile(path.join(specDir(), "motd.ts"), 'import { readFileSync } from "node:fs";\nexport const motd: string = readFileSync(`${import.meta.dirname}/banner.txt`, "utf8").toUpperCase();\n');
});
afterAll(() => removeTempDir(work));

describe("a .ts spec reading files beside itself, run from elsewhere", () => {
  test("ocistage validate accepts it", async () => {
    const result = await runCli(["validate", specDir()], { cwd: "/" });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 0, stdout: "result: ok\n", stderr: "" });
  });

  test("ocistage plan shows what it read: name and tag from meta.json, file contents, the copied folder", async () => {
    const result = await runCli(["plan", specDir(), "--format", "json"], { cwd: "/" });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    const plan = JSON.parse(result.stdout) as { readonly image: string; readonly steps: readonly { readonly name: string; readonly command: string }[] };
    expect(plan.image).toBe("ts-module:2.0");
    const assemble = plan.steps.find((s) => s.name === "assemble-rootfs-etc")?.command ?? "";
    expect(assemble).toContain("from banner.txt");
    expect(assemble).toContain("FROM BANNER.TXT");
    expect(assemble).toContain(path.join(specDir(), "bin"));
  });
});
