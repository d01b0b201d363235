// Credentials against a real registry: HTTP basic (htpasswd, bcrypt) and the bearer-token flow
// with a token server the test runs. A push succeeds with credentials from an auth.json
// ($REGISTRY_AUTH_FILE) and from --creds, and fails without them: exit 1, a message naming the
// registry, the repository and where credentials were looked for, and never the password.
import { hashSync } from "bcryptjs";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildExample } from "../../build/test/support/buildExample.ts";
import type { BuildJson } from "../../build/test/support/buildExample.ts";
import { requireTools } from "../../build/test/support/requireTools.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import type { PushJson } from "./support/registryCli.ts";
import { homeIn, registryCli } from "./support/registryCli.ts";
import type { RegistryAuth, RegistryServer } from "./support/registryServer.ts";
import { startRegistryServer } from "./support/registryServer.ts";
import type { TokenServer } from "./support/tokenServer.ts";
import { startTokenServer } from "./support/tokenServer.ts";

const USER = "alice";
const PASSWORD = "s3cret-Pa55";

let work: string | undefined;
let layout = "";
let built: BuildJson;

beforeAll(async () => {
  work = await makeTempDir("auth");
  layout = path.join(work, "busybox-shell");
  built = await buildExample(layout);
});
afterAll(() => removeTempDir(work));

const authFile = async (name: string, host: string, user: string, password: string): Promise<string> => {
  const file = path.join(work ?? "", name);
  await fs.writeFile(file, JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${user}:${password}`).toString("base64") } } }));
  return file;
};

// The same three cases for each kind of authentication.
const credentialCases = (
  kind: string,
  start: (dir: string) => Promise<{ readonly registry: RegistryServer; readonly stop: () => Promise<void> }>,
  more: (registry: () => RegistryServer | undefined, home: () => string) => void = () => undefined,
): void => {
  describe(kind, () => {
    let registry: RegistryServer | undefined;
    let stop: (() => Promise<void>) | undefined;
    const home = (): string => homeIn(path.join(work ?? "", kind));
    beforeAll(async () => {
      const dir = path.join(work ?? "", `${kind}-registry`);
      await fs.mkdir(dir, { recursive: true });
      ({ registry, stop } = await start(dir));
    });
    afterAll(() => stop?.());

    test("a push with credentials from $REGISTRY_AUTH_FILE succeeds and says where they came from", async () => {
      const host = registry?.host ?? "";
      const file = await authFile(`${kind}-auth.json`, host, USER, PASSWORD);
      const result = await registryCli(home(), ["push", layout, `${host}/secure/from-file:latest`, "--tls-verify=false", "--json"], { REGISTRY_AUTH_FILE: file });
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout) as PushJson;
      expect(json.images[0]?.digest).toBe(built.manifest.digest);
      expect(json.credentials).toBe(`user "${USER}" from $REGISTRY_AUTH_FILE (${file})`);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    });

    test("a push with --creds succeeds", async () => {
      const host = registry?.host ?? "";
      const result = await registryCli(home(), ["push", layout, `${host}/secure/from-flag:latest`, "--tls-verify=false", "--creds", `${USER}:${PASSWORD}`]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(built.manifest.digest);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    });

    test("a push without credentials exits 1 naming the registry, the repository and where it looked", async () => {
      const host = registry?.host ?? "";
      const result = await registryCli(home(), ["push", layout, `${host}/secure/anonymous:latest`, "--tls-verify=false", "--retries", "0"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${host}/secure/anonymous`);
      expect(result.stderr).toMatch(/\((401|403)\)/);
      expect(result.stderr).toContain(`credentials: none found in ${path.join(home(), ".docker/config.json")} (anonymous)`);
    });

    test("a wrong password exits 1, says the credentials came from --creds, and does not print the password", async () => {
      const host = registry?.host ?? "";
      const result = await registryCli(home(), ["push", layout, `${host}/secure/wrong:latest`, "--tls-verify=false", "--creds", `${USER}:not-${PASSWORD}`, "--json", "--retries", "0"]);
      expect(result.code).toBe(1);
      // With --json the failure is the JSON report on stdout, as with validate --json.
      const report = JSON.parse(result.stdout) as { result: string; issues: { message: string }[] };
      expect(report.result).toBe("error");
      const message = report.issues.map((i) => i.message).join("\n");
      expect(message).toContain(`${host}/secure/wrong`);
      expect(message).toContain(`user "${USER}" from --creds`);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    });

    more(() => registry, home);
  });
};

const hasTools = requireTools("docker-registry", "openssl");

describe.runIf(hasTools)("htpasswd basic auth", () => {
  credentialCases("htpasswd", async (dir) => {
    const file = path.join(dir, "htpasswd");
    await fs.writeFile(file, `${USER}:${hashSync(PASSWORD, 5)}\n`);
    const auth: RegistryAuth = { _tag: "Htpasswd", file };
    const registry = await startRegistryServer(dir, auth);
    return { registry, stop: registry.stop };
  });
});

describe.runIf(hasTools)("bearer tokens from a token server", () => {
  let tokens: TokenServer | undefined;
  credentialCases(
    "token",
    async (dir) => {
      tokens = await startTokenServer(dir, USER, PASSWORD);
      const registry = await startRegistryServer(dir, { _tag: "Token", realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certFile });
      return {
        registry,
        stop: async () => {
          await registry.stop();
          await tokens?.close();
        },
      };
    },
    (registry, home) => {
      test("one push asks for one token, for its repository's pull and push, and uses it for every request", async () => {
        const before = tokens?.requests().length ?? 0;
        // A cache folder of its own: the record of the pushes above would (rightly) make it mount.
        const cacheDir = path.join(work ?? "", "empty-cache");
        const result = await registryCli(home(), ["push", layout, `${registry()?.host}/secure/reuse:latest`, "--tls-verify=false", "--creds", `${USER}:${PASSWORD}`, "--cache-dir", cacheDir]);
        expect(result.code, result.stderr).toBe(0);
        expect(tokens?.requests().slice(before)).toEqual([{ scopes: ["repository:secure/reuse:pull,push"], authenticated: "good" }]);
      });

      test("a mount from another repository asks again with the scope widened to pull from it, and mounts", async () => {
        const before = tokens?.requests().length ?? 0;
        const args = ["push", layout, `${registry()?.host}/secure/mounted:latest`, "--tls-verify=false", "--creds", `${USER}:${PASSWORD}`, "--from-repo", "secure/reuse", "--json"];
        const result = await registryCli(home(), args);
        expect(result.code, result.stderr).toBe(0);
        const json = JSON.parse(result.stdout) as PushJson;
        expect(json.images[0]?.blobs.map((b) => b.result)).toEqual(["mounted", "mounted"]);
        expect(tokens?.requests().slice(before).map((r) => r.scopes)).toContainEqual(["repository:secure/mounted:pull,push", "repository:secure/reuse:pull"]);
      });
    },
  );
});
