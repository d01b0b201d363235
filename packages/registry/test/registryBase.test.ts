// A base image in a registry (`from: docker://REGISTRY/REPO:TAG`): pulled as `ocistage pull`
// does (TLS verified, every blob checked) for the image's platform, then used as any base: the
// same image as from the oci: layout it was pushed from; the Dockerfile names it in FROM.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { BuildJson } from "../../build/test/support/buildExample.ts";
import { buildExample } from "../../build/test/support/buildExample.ts";
import { requireTools } from "../../build/test/support/requireTools.ts";
import { runOk } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { homeIn, registryCli, registryCliOk } from "./support/registryCli.ts";
import type { RegistryServer } from "./support/registryServer.ts";
import { startRegistryServer } from "./support/registryServer.ts";

describe.runIf(requireTools("docker-registry", "openssl"))("a docker:// base", () => {
  let work: string | undefined;
  let registry: RegistryServer | undefined;
  let base: BuildJson;
  const at = (...parts: string[]): string => path.join(work ?? "", ...parts);
  // The registry's CA, as Node takes an extra one: the base is pulled with TLS verified.
  const env = (): Record<string, string> => ({ NODE_EXTRA_CA_CERTS: at("registry.crt") });
  const spec = async (name: string, from: string): Promise<string> => {
    const file = at(`${name}.json`);
    await fs.writeFile(
      file,
      JSON.stringify({ name, from, layers: [{ name: "app", files: [{ content: "hi\n", destination: "/etc/app/greeting" }, { whiteout: "/bin/wget" }] }], cmd: ["-c", "cat /etc/app/greeting"] }),
    );
    return file;
  };

  beforeAll(async () => {
    work = await makeTempDir("registry-base");
    await runOk("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", at("registry.key"), "-out", at("registry.crt"), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]);
    await fs.mkdir(at("storage"));
    registry = await startRegistryServer(at("storage"), { _tag: "None" }, { cert: at("registry.crt"), key: at("registry.key") });
    base = await buildExample(at("busybox"));
    await registryCliOk(homeIn(work), ["push", at("busybox"), `${registry.host}/base/busybox:latest`], env());
  });
  afterAll(async () => {
    await registry?.stop();
    await removeTempDir(work);
  });

  test("gives the same image as the oci: layout it was pushed from, and plan names it by digest", async () => {
    const fromOci = JSON.parse((await registryCliOk(homeIn(work ?? ""), ["build", await spec("from-oci", "oci:busybox:latest"), "--out", at("out-oci"), "--json"], env())).stdout) as BuildJson;
    const fromRegistry = JSON.parse((await registryCliOk(homeIn(work ?? ""), ["build", await spec("from-registry", `docker://${registry?.host}/base/busybox:latest`), "--out", at("out-registry"), "--json"], env())).stdout) as BuildJson;
    expect(fromRegistry.manifest.digest).toBe(fromOci.manifest.digest);
    const plan = await registryCliOk(homeIn(work ?? ""), ["plan", at("from-registry.json")], env());
    expect(plan.stdout).toContain(`of base docker://${registry?.host}/base/busybox:latest (${base.manifest.digest}) by digest`);
  });

  test("the Dockerfile emitter writes FROM the registry image, pinned to the digest read", async () => {
    const result = await registryCli(homeIn(work ?? ""), ["emit", "dockerfile", at("from-registry.json"), "--context", at("ctx")], env());
    // The deletion cannot be said in a Dockerfile; the FROM line is what this test is about.
    expect(result.stderr).toContain("layers[0].files[1].whiteout");
    const ok = await spec("no-delete", `docker://${registry?.host}/base/busybox:latest`);
    await fs.writeFile(ok, JSON.stringify({ ...JSON.parse(await fs.readFile(ok, "utf8")), layers: [{ name: "app", files: [{ content: "hi\n", destination: "/etc/app/greeting" }] }] }));
    const emitted = await registryCli(homeIn(work ?? ""), ["emit", "dockerfile", ok, "--context", at("ctx2")], env());
    expect(emitted.code, emitted.stderr).toBe(0);
    expect(await fs.readFile(at("ctx2", "Dockerfile"), "utf8")).toContain(`\nFROM --platform=linux/amd64 ${registry?.host}/base/busybox:latest@${base.manifest.digest}\n`);
  });

  test("a registry whose certificate is not trusted is refused, naming the field and the registry", async () => {
    const result = await registryCli(homeIn(work ?? ""), ["build", at("from-registry.json"), "--out", at("untrusted")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`from: "docker://${registry?.host}/base/busybox:latest": cannot read ${registry?.host}/base/busybox:latest:`);
  });
});
