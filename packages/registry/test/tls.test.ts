// TLS to a registry: verified by default (a self-signed registry is refused, with a hint), a
// private CA from --cert-dir (*.crt), a client certificate from the same folder (NAME.cert +
// NAME.key) for a registry that requires one, and --tls-verify=false for the named registry.
import * as E from "fp-ts/lib/Either.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildExample } from "../../build/test/support/buildExample.ts";
import { requireTools } from "../../build/test/support/requireTools.ts";
import { runOk } from "../../build/test/support/runProcess.ts";
import { makeTempDir, removeTempDir } from "../../build/test/support/tempDir.ts";
import { connect } from "../src/connect.ts";
import { defaultRetryPolicy } from "../src/http/retryPolicy.ts";
import { formatRegistryError } from "../src/RegistryError.ts";
import { homeIn, registryCli } from "./support/registryCli.ts";
import type { RegistryServer } from "./support/registryServer.ts";
import { startRegistryServer } from "./support/registryServer.ts";

describe.runIf(requireTools("docker-registry", "openssl"))("TLS", () => {
  let work: string | undefined;
  let plain: RegistryServer | undefined; // TLS, any client
  let mutual: RegistryServer | undefined; // TLS, client certificate required
  const at = (...parts: string[]): string => path.join(work ?? "", ...parts);
  const policy = { ...defaultRetryPolicy, attempts: 1 };
  const tryConnect = async (registry: string, tlsVerify: boolean, certDir?: string): Promise<string> => {
    const client = await connect({ registry, repository: "app" }, { tlsVerify, certDir, policy, files: [] })();
    if (E.isLeft(client)) return formatRegistryError(client.left).join("\n");
    await client.right.close();
    return "connected";
  };

  beforeAll(async () => {
    work = await makeTempDir("tls");
    const ssl = (...args: string[]) => runOk("openssl", args);
    // The registry's own self-signed certificate, for 127.0.0.1.
    await ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", at("registry.key"), "-out", at("registry.crt"), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
    // A CA for clients, and a client certificate it signed.
    await ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", at("clients-ca.key"), "-out", at("clients-ca.crt"), "-days", "2", "-subj", "/CN=ocistage-test-clients");
    await ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", at("client.key"), "-out", at("client.csr"), "-subj", "/CN=ocistage-test-client");
    await ssl("x509", "-req", "-in", at("client.csr"), "-CA", at("clients-ca.crt"), "-CAkey", at("clients-ca.key"), "-CAcreateserial", "-out", at("client.cert"), "-days", "2");
    // The folders a user would pass as --cert-dir.
    await fs.mkdir(at("certs-ca"));
    await fs.copyFile(at("registry.crt"), at("certs-ca", "registry.crt"));
    await fs.mkdir(at("certs-client"));
    await fs.copyFile(at("registry.crt"), at("certs-client", "registry.crt"));
    await fs.copyFile(at("client.cert"), at("certs-client", "client.cert"));
    await fs.copyFile(at("client.key"), at("certs-client", "client.key"));
    for (const name of ["plain", "mutual"]) await fs.mkdir(at(name));
    plain = await startRegistryServer(at("plain"), { _tag: "None" }, { cert: at("registry.crt"), key: at("registry.key") });
    mutual = await startRegistryServer(at("mutual"), { _tag: "None" }, { cert: at("registry.crt"), key: at("registry.key"), clientCas: [at("clients-ca.crt")] });
  });
  afterAll(async () => {
    await plain?.stop();
    await mutual?.stop();
    await removeTempDir(work);
  });

  test("a registry whose certificate no known CA signed is refused, with what to do about it", async () => {
    const message = await tryConnect(plain?.host ?? "", true);
    expect(message).toContain(`${plain?.host}/app: TLS failed:`);
    expect(message).toMatch(/self.signed certificate/);
    expect(message).toContain("--cert-dir DIR with ca.crt");
  });

  test("--tls-verify=false reaches it over TLS without checking the certificate (it serves no plain HTTP)", async () => {
    expect(await tryConnect(plain?.host ?? "", false)).toBe("connected");
  });

  test("--cert-dir with the registry's CA as *.crt verifies it: push through the CLI", async () => {
    const layout = at("busybox-shell");
    const built = await buildExample(layout);
    const result = await registryCli(homeIn(work ?? ""), ["push", layout, `${plain?.host}/tls/busybox-shell:latest`, "--cert-dir", at("certs-ca")]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(built.manifest.digest);
  });

  test("a registry that requires a client certificate accepts NAME.cert + NAME.key from --cert-dir, and refuses a client without", async () => {
    expect(await tryConnect(mutual?.host ?? "", true, at("certs-client"))).toBe("connected");
    // Under TLS 1.3 the server's refusal reaches the client as a closed connection.
    expect(await tryConnect(mutual?.host ?? "", true, at("certs-ca"))).toMatch(new RegExp(`^${mutual?.host}/app: gave up on the API root /v2/ after 1 attempt: .*(certificate|handshake|alert|other side closed)`));
  });

  test("a --cert-dir that does not exist is an error naming it", async () => {
    expect(await tryConnect(plain?.host ?? "", true, at("absent"))).toContain(`cannot use the certificates: ENOENT`);
  });
});
