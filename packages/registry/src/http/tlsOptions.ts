import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as tls from "node:tls";

/** What undici's `connect` takes for one registry: extra CAs, a client certificate, verification. */
export interface TlsOptions {
  readonly rejectUnauthorized: boolean;
  readonly ca?: readonly string[];
  readonly cert?: string;
  readonly key?: string;
}

/** The containers tools' and docker's per-registry folders, searched when no --cert-dir is given. */
export const defaultCertDirs = (registry: string): readonly string[] => [path.join("/etc/containers/certs.d", registry), path.join("/etc/docker/certs.d", registry)];

const readNames = async (dir: string): Promise<readonly string[]> => {
  try {
    return (await fs.readdir(dir)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
};

/**
 * A certificate folder as containers-certs.d(5) lays it out: every `*.crt` is a CA (added to
 * the system's roots, not replacing them), and `NAME.cert` with `NAME.key` is the client
 * certificate and key. Throws (with the path) when a file cannot be read or a `.cert` has no key.
 */
export const loadCertDir = async (dir: string): Promise<Pick<TlsOptions, "ca" | "cert" | "key">> => {
  const names = await readNames(dir);
  const cas = await Promise.all(names.filter((n) => n.endsWith(".crt")).map((n) => fs.readFile(path.join(dir, n), "utf8")));
  const certName = names.find((n) => n.endsWith(".cert"));
  const client =
    certName === undefined
      ? {}
      : await (async () => {
          const keyName = `${certName.slice(0, -".cert".length)}.key`;
          if (!names.includes(keyName)) throw new Error(`${path.join(dir, certName)} has no key ${keyName} beside it`);
          return { cert: await fs.readFile(path.join(dir, certName), "utf8"), key: await fs.readFile(path.join(dir, keyName), "utf8") };
        })();
  return { ...(cas.length === 0 ? {} : { ca: [...tls.rootCertificates, ...cas] }), ...client };
};

/**
 * The TLS options for the registry named in the reference: verified unless `tlsVerify` is false;
 * certificates from `certDir`, or else from the default folders for `registry` (host[:port]).
 */
export const tlsOptionsFor = async (registry: string, tlsVerify: boolean, certDir: string | undefined): Promise<TlsOptions> => {
  if (certDir !== undefined && !(await fs.stat(certDir)).isDirectory()) throw new Error(`--cert-dir ${certDir} is not a folder`);
  const dirs = certDir === undefined ? defaultCertDirs(registry) : [certDir];
  let loaded: Pick<TlsOptions, "ca" | "cert" | "key"> = {};
  for (const dir of dirs) {
    loaded = await loadCertDir(dir);
    if (Object.keys(loaded).length > 0) break;
  }
  return { rejectUnauthorized: tlsVerify, ...loaded };
};
