import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

export interface Registry {
  readonly host: string; // "127.0.0.1:PORT"
  readonly stop: () => Promise<void>;
}

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// A distribution registry (Debian's docker-registry) on loopback only, storing into `dir`.
// Resolves once `GET /v2/` answers; `stop` ends exactly this process.
export const startRegistry = async (dir: string): Promise<Registry> => {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = path.join(dir, "registry.yml");
  await fs.writeFile(
    config,
    ["version: 0.1", "log:", "  level: error", "storage:", "  filesystem:", `    rootdirectory: ${path.join(dir, "data")}`, "http:", `  addr: ${host}`, ""].join("\n"),
  );
  const child = spawn("docker-registry", ["serve", config], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  };
  // Bounded wait: 100 tries, 50 ms apart.
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.ok, () => false);
    if (ok) return { host, stop };
    await sleep(50);
  }
  await stop();
  throw new Error(`docker-registry did not answer on ${host} within 5 s: ${stderr}`);
};
