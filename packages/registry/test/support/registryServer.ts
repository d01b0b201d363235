import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { freePort } from "../../../build/test/support/startRegistry.ts";

/** Extra `auth:` section of the registry's config (htpasswd or token), as YAML lines. */
export type RegistryAuth =
  | { readonly _tag: "None" }
  | { readonly _tag: "Htpasswd"; readonly file: string }
  | { readonly _tag: "Token"; readonly realm: string; readonly service: string; readonly issuer: string; readonly rootCertBundle: string };

export interface RegistryServer {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly port: number;
  /** Everything the registry logged (info level: one line per request). */
  readonly log: () => string;
  /** SIGKILL, as a crash would. */
  readonly kill: () => Promise<void>;
  /** Starts it again on the same port and storage. */
  readonly restart: () => Promise<void>;
  readonly stop: () => Promise<void>;
}

export { freePort };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const authLines = (auth: RegistryAuth): readonly string[] => {
  switch (auth._tag) {
    case "None":
      return [];
    case "Htpasswd":
      return ["auth:", "  htpasswd:", "    realm: ocistage-test", `    path: ${auth.file}`];
    case "Token":
      return ["auth:", "  token:", `    realm: ${auth.realm}`, `    service: ${auth.service}`, `    issuer: ${auth.issuer}`, `    rootcertbundle: ${auth.rootCertBundle}`];
  }
};

/**
 * The CNCF distribution registry (Debian's docker-registry) on 127.0.0.1 and a free port, its
 * storage and config in `dir`, logging every request at info level. `http.secret` is fixed so an
 * upload URL it handed out stays valid across a restart. Resolves once `GET /v2/` answers.
 */
export const startRegistryServer = async (dir: string, auth: RegistryAuth = { _tag: "None" }, tls?: { readonly cert: string; readonly key: string; readonly clientCas?: readonly string[] }): Promise<RegistryServer> => {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = path.join(dir, "registry.yml");
  await fs.writeFile(
    config,
    [
      "version: 0.1",
      "log:",
      "  level: info",
      "storage:",
      "  filesystem:",
      `    rootdirectory: ${path.join(dir, "data")}`,
      "  delete:",
      "    enabled: true",
      "http:",
      `  addr: ${host}`,
      "  secret: ocistage-test-secret",
      ...(tls === undefined ? [] : ["  tls:", `    certificate: ${tls.cert}`, `    key: ${tls.key}`]),
      ...(tls?.clientCas === undefined ? [] : ["    clientcas:", ...tls.clientCas.map((ca) => `      - ${ca}`)]),
      ...authLines(auth),
      "",
    ].join("\n"),
  );
  let child: ChildProcess | undefined;
  let output = "";
  const start = async (): Promise<void> => {
    const c = spawn("docker-registry", ["serve", config], { stdio: ["ignore", "pipe", "pipe"] });
    child = c;
    c.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    c.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    // Bounded wait: 200 tries, 50 ms apart. Any answer on the port means it listens.
    for (let attempt = 0; attempt < 200; attempt++) {
      if (c.exitCode !== null) throw new Error(`docker-registry exited ${c.exitCode}: ${output}`);
      const up = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1", () => {
          socket.destroy();
          resolve(true);
        });
        socket.on("error", () => resolve(false));
      });
      if (up) return;
      await sleep(50);
    }
    throw new Error(`docker-registry did not listen on ${host} within 10 s: ${output}`);
  };
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
    c.kill(signal);
    await Promise.race([exited, sleep(5_000)]);
    if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  };
  await start();
  return { host, port, log: () => output, kill: () => end("SIGKILL"), restart: start, stop: () => end("SIGTERM") };
};
