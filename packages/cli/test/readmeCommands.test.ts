// The README's commands run as written on a machine after scripts/setup: the "Using it" block
// (build, inspect, run the example) with `ocistage` found on PATH, and every CLI form the README
// lists is one the CLI's own --help prints. Nothing in the README calls pnpm, which a fresh
// machine does not have.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT, runCli } from "../../build/test/support/runCli.ts";
import { requireRoot, requireTools } from "../../build/test/support/requireTools.ts";
import { runProcess } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { installLauncher } from "./support/installLauncher.ts";

const readme = await fs.readFile(path.join(REPO_ROOT, "README.md"), "utf8");

const section = (title: string): string => {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};

// The fenced blocks of a text, with their language ("" for none).
const blocks = (text: string): readonly { readonly lang: string; readonly body: string }[] =>
  [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? "", body: m[2] ?? "" }));

const usingIt = section("Using it");

describe("the README's commands", () => {
  test("no shell block calls pnpm", () => {
    for (const block of blocks(readme).filter((b) => b.lang === "sh")) expect(block.body).not.toMatch(/^\s*pnpm\b/m);
  });

  test("every CLI form in 'Using it' is a line of the CLI's own --help", async () => {
    const forms = blocks(usingIt).find((b) => b.lang === "" && b.body.startsWith("ocistage "))?.body.trimEnd().split("\n") ?? [];
    expect(forms.length).toBeGreaterThan(5);
    const helps = await Promise.all(forms.map((form) => runCli([...form.split(" ").slice(1, form.startsWith("ocistage emit ") ? 3 : 2), "--help"])));
    forms.forEach((form, i) => expect(helps[i]?.stdout.split("\n")).toContain(form));
  });

  describe.runIf(requireTools("podman", "skopeo", "runc") && requireRoot("rootful podman"))("the 'Using it' block, after install-launcher", () => {
    let work = "";
    beforeAll(async () => {
      work = await makeTempDir("cli-readme");
    });
    afterAll(() => removeTempDir(work));

    // Run as written, with two changes that keep the test to itself: its /tmp/ files go into
    // the test's folder, and podman keeps its images there (CONTAINERS_STORAGE_CONF).
    test("builds the example, inspects it with skopeo and runs it with podman", async () => {
      const script = blocks(usingIt).find((b) => b.lang === "sh")?.body ?? "";
      expect(script).toMatch(/^ocistage build /m);
      expect((await installLauncher(path.join(work, "bin"), path.join(work, "home"))).code).toBe(0);
      const storage = path.join(work, "storage.conf");
      await fs.writeFile(storage, `[storage]\ndriver = "vfs"\ngraphroot = "${work}/storage"\nrunroot = "${work}/runroot"\n`);
      const result = await runProcess("/bin/sh", ["-eu", "-c", script.replaceAll("/tmp/", `${work}/`)], {
        cwd: REPO_ROOT,
        env: { ...process.env, PATH: `${path.join(work, "bin")}:${process.env["PATH"] ?? ""}`, CONTAINERS_STORAGE_CONF: storage },
        timeoutMs: 180_000,
      });
      expect({ code: result.code, stderr: result.code === 0 ? "" : result.stderr }).toEqual({ code: 0, stderr: "" });
      expect(result.stdout).toMatch(/^wrote /m); // the build
      expect(result.stdout).toContain('"Digest": "sha256:'); // skopeo inspect
      expect(result.stdout.endsWith("hi\n")).toBe(true); // the container's echo
    });
  });
});
