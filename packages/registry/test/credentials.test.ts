// Where credentials come from, in the containers tools' order: --creds, $REGISTRY_AUTH_FILE,
// ${XDG_RUNTIME_DIR}/containers/auth.json, then docker's ~/.docker/config.json (auths,
// credHelpers, credsStore through a real docker-credential-* program). Temp HOME and XDG folders.
import * as E from "fp-ts/lib/Either.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { describeCredentials } from "../src/credentials/Credentials.ts";
import type { FoundCredentials } from "../src/credentials/Credentials.ts";
import { credentialFiles, findCredentials } from "../src/credentials/findCredentials.ts";
import { formatRegistryError } from "../src/RegistryError.ts";

let root: string | undefined;
let originalPath: string | undefined;
const at = (...parts: string[]): string => path.join(root ?? "", ...parts);
const auth = (user: string, password: string): { auth: string } => ({ auth: Buffer.from(`${user}:${password}`).toString("base64") });
const write = async (file: string, json: unknown): Promise<string> => {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, typeof json === "string" ? json : JSON.stringify(json));
  return file;
};

beforeAll(async () => {
  root = await makeTempDir("creds");
  // A credential helper as docker defines them: the server on stdin, JSON on stdout.
  const helper = at("bin", "docker-credential-ocitest");
  await write(
    helper,
    [
      "#!/bin/sh",
      "read server",
      'case "$server" in',
      `  helper.example|https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}' "$server" ;;`,
      '  *) echo "credentials not found in native keychain"; exit 1 ;;',
      "esac",
      "",
    ].join("\n"),
  );
  await fs.chmod(helper, 0o755);
  originalPath = process.env["PATH"];
  process.env["PATH"] = `${at("bin")}:${originalPath ?? ""}`;
});
afterAll(async () => {
  process.env["PATH"] = originalPath;
  await removeTempDir(root);
});

const find = async (registry: string, repository: string, env: NodeJS.ProcessEnv, home: string, creds?: { username: string; password: string }): Promise<FoundCredentials> => {
  const found = await findCredentials(registry, repository, creds, credentialFiles(env, home))();
  if (E.isLeft(found)) throw new Error(formatRegistryError(found.left).join("\n"));
  return found.right;
};

describe("the credential files and their order", () => {
  test("the files are $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json, then ~/.docker/config.json; unset variables add none", () => {
    expect(credentialFiles({ REGISTRY_AUTH_FILE: "/a.json", XDG_RUNTIME_DIR: "/run/u" }, "/home/u").map((f) => f.file)).toEqual(["/a.json", "/run/u/containers/auth.json", "/home/u/.docker/config.json"]);
    expect(credentialFiles({}, "/home/u").map((f) => f.file)).toEqual(["/home/u/.docker/config.json"]);
    expect(credentialFiles({ DOCKER_CONFIG: "/etc/dc" }, "/home/u").map((f) => f.file)).toEqual(["/etc/dc/config.json"]);
  });

  test("the first file with an entry for the registry wins", async () => {
    const home = at("order", "home");
    const env = { REGISTRY_AUTH_FILE: await write(at("order", "auth.json"), { auths: { "other.example": auth("x", "y") } }), XDG_RUNTIME_DIR: at("order", "run") };
    await write(at("order", "run", "containers", "auth.json"), { auths: { "reg.example:5000": auth("from-xdg", "p1") } });
    await write(at("order", "home", ".docker", "config.json"), { auths: { "reg.example:5000": auth("from-docker", "p2") } });
    expect(await find("reg.example:5000", "app", env, home)).toEqual({ _tag: "Found", credentials: { username: "from-xdg", password: "p1" }, source: at("order", "run", "containers", "auth.json") });
    expect(await find("other.example", "app", env, home)).toMatchObject({ credentials: { username: "x" }, source: `$REGISTRY_AUTH_FILE (${env.REGISTRY_AUTH_FILE})` });
    expect(await find("reg.example:5000", "app", {}, home)).toMatchObject({ credentials: { username: "from-docker", password: "p2" } });
  });

  test("--creds comes before every file", async () => {
    const env = { REGISTRY_AUTH_FILE: await write(at("flag", "auth.json"), { auths: { "reg.example": auth("file", "f") } }) };
    expect(await find("reg.example", "app", env, at("flag"), { username: "flag", password: "pw" })).toEqual({ _tag: "Found", credentials: { username: "flag", password: "pw" }, source: "--creds" });
  });

  test("nothing anywhere is anonymous, and says where it looked, never a secret", async () => {
    const env = { REGISTRY_AUTH_FILE: at("none", "absent.json") };
    const found = await find("reg.example", "app", env, at("none", "home"));
    expect(describeCredentials(found)).toBe(`none found in $REGISTRY_AUTH_FILE (${at("none", "absent.json")}), ${at("none", "home", ".docker", "config.json")} (anonymous)`);
  });

  test("a key naming a namespace of the registry beats the registry's own key; URL keys are read as their host", async () => {
    const home = at("scoped");
    await write(at("scoped", ".docker", "config.json"), { auths: { "https://reg.example/v2/": auth("whole", "w"), "reg.example/team": auth("team", "t") } });
    expect(await find("reg.example", "team/app", {}, home)).toMatchObject({ credentials: { username: "team" } });
    expect(await find("reg.example", "other/app", {}, home)).toMatchObject({ credentials: { username: "whole" } });
  });

  test("credHelpers runs docker-credential-NAME get with the registry on stdin; credsStore is the default helper", async () => {
    const home = at("helpers");
    await write(at("helpers", ".docker", "config.json"), { credHelpers: { "helper.example": "ocitest" }, auths: { "plain.example": auth("plain", "p") } });
    expect(await find("helper.example", "app", {}, home)).toEqual({ _tag: "Found", credentials: { username: "helper-user", password: "helper-secret" }, source: `docker-credential-ocitest (credHelpers in ${at("helpers", ".docker", "config.json")})` });
    expect(await find("plain.example", "app", {}, home)).toMatchObject({ credentials: { username: "plain" } });
    const store = at("store");
    await write(at("store", ".docker", "config.json"), { credsStore: "ocitest", auths: { "unknown.example": auth("fallback", "f") } });
    expect(await find("docker.io", "library/busybox", {}, store)).toMatchObject({ credentials: { username: "helper-user" }, source: expect.stringContaining("credsStore") });
    // The helper has nothing for this registry: the file's own entry is used.
    expect(await find("unknown.example", "app", {}, store)).toMatchObject({ credentials: { username: "fallback" } });
  });

  test("a file that is not JSON, or an auth that is not base64 of USER:PASSWORD, is an error naming the file", async () => {
    const broken = await write(at("broken", "auth.json"), "{ not json");
    const bad = await findCredentials("reg.example", "app", undefined, credentialFiles({ REGISTRY_AUTH_FILE: broken }, at("broken")))();
    expect(E.isLeft(bad) && formatRegistryError(bad.left)).toEqual([`credentials from $REGISTRY_AUTH_FILE (${broken}): is not a JSON object`]);
    const noColon = await write(at("broken", "nocolon.json"), { auths: { "reg.example": { auth: Buffer.from("justuser").toString("base64") } } });
    const wrong = await findCredentials("reg.example", "app", undefined, credentialFiles({ REGISTRY_AUTH_FILE: noColon }, at("broken")))();
    expect(E.isLeft(wrong) && formatRegistryError(wrong.left)).toEqual([`credentials from $REGISTRY_AUTH_FILE (${noColon}): the "auth" of "reg.example" is not base64 of USER:PASSWORD`]);
  });

  test("a helper that is not installed is an error saying so", async () => {
    const home = at("nohelper");
    await write(at("nohelper", ".docker", "config.json"), { credsStore: "does-not-exist" });
    const result = await findCredentials("reg.example", "app", undefined, credentialFiles({}, home))();
    expect(E.isLeft(result) && formatRegistryError(result.left)[0]).toMatch(/docker-credential-does-not-exist could not be run .*is it on PATH\?/);
  });
});
