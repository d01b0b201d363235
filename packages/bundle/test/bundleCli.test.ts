// `ocistage bundle`'s wrong inputs exit 1 with one line saying what is wrong, and write nothing.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXAMPLE_BUSYBOX, EXAMPLE_LAYOUT, runCli } from "../../build/test/support/runCli.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { writeHandLayout } from "./support/handLayout.ts";

let work = "";
beforeAll(async () => {
  work = await makeTempDir("bundle-cli");
});
afterAll(() => removeTempDir(work));

const exists = (file: string): Promise<boolean> => fs.lstat(file).then(() => true, () => false);

describe("wrong inputs exit 1 and write nothing", () => {
  test("a layout of several images without --image, before anything is built", async () => {
    const out = path.join(work, "several");
    const result = await runCli(["bundle", EXAMPLE_LAYOUT, "--out", out]);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 1,
      stdout: "",
      stderr: `${EXAMPLE_LAYOUT}: 3 images; choose one with --image ID (web-amd64, web-arm64-v8, tools)\n`,
    });
    expect(await fs.readdir(work)).toEqual([]);
  });

  test("an --image the spec does not have", async () => {
    const result = await runCli(["bundle", EXAMPLE_LAYOUT, "--image", "nope", "--out", path.join(work, "nope")]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: "--image nope: no such image; the images are web-amd64, web-arm64-v8, tools\n" });
    expect(await fs.readdir(work)).toEqual([]);
  });

  test("an --out that holds something else", async () => {
    const out = path.join(work, "taken");
    await fs.mkdir(out);
    await fs.writeFile(path.join(out, "precious"), "keep me");
    const result = await runCli(["bundle", EXAMPLE_BUSYBOX, "--out", out]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: `--out ${out}: exists and is neither an empty folder nor a runtime bundle (config.json and rootfs/); choose another --out or remove it\n` });
    expect(await fs.readdir(out)).toEqual(["precious"]);
    await fs.rm(out, { recursive: true });
  });

  test("a user the image's /etc/passwd does not know", async () => {
    const layout = path.join(work, "user-layout");
    await writeHandLayout(layout, [[{ name: "etc/passwd", content: "root:x:0:0::/:/bin/sh\n" }]], { Cmd: ["/bin/true"], User: "app" }, "v1");
    const out = path.join(work, "user-bundle");
    const result = await runCli(["bundle", "--from-layout", `${layout}:v1`, "--out", out]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: `v1: Config.User: user "app" is not in the image's /etc/passwd\n` });
    expect(await exists(out)).toBe(false);
    await fs.rm(layout, { recursive: true });
  });

  test("a --from-layout reference the layout does not name", async () => {
    const layout = path.join(work, "ref-layout");
    await writeHandLayout(layout, [[{ name: "f", content: "x" }]], { Cmd: ["/f"] }, "v1");
    const result = await runCli(["bundle", "--from-layout", `${layout}:v2`, "--out", path.join(work, "ref-bundle")]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: `--from-layout ${layout}:v2: no image is named v2; index.json names v1\n` });
    await fs.rm(layout, { recursive: true });
    expect(await fs.readdir(work)).toEqual([]);
  });
});
