import { createSign, randomBytes, X509Certificate } from "node:crypto";
import { promises as fs } from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { runOk } from "../../../build/test/support/runProcess.ts";

/** A request the token server answered: the scopes asked for, and whether (and how well) the client authenticated. */
export interface TokenRequest {
  readonly scopes: readonly string[];
  readonly authenticated: "none" | "good" | "bad";
}

export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** The certificate whose key signs the tokens: the registry's `rootcertbundle`. */
  readonly certFile: string;
  readonly requests: () => readonly TokenRequest[];
  readonly close: () => Promise<void>;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

/**
 * A token server as the distribution token spec describes it, run by the test: `GET /token?
 * service=…&scope=…` answered with a JWT signed (RS256) by a key made here with openssl, whose
 * self-signed certificate rides in the JWT's `x5c` header and is the registry's root bundle.
 * The right basic credentials get every action asked for; none get a token that grants nothing
 * (as public token servers do for anonymous users); wrong ones get 401.
 */
export const startTokenServer = async (dir: string, user: string, password: string): Promise<TokenServer> => {
  const keyFile = path.join(dir, "token.key");
  const certFile = path.join(dir, "token.crt");
  await runOk("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=ocistage-test-token"]);
  const key = await fs.readFile(keyFile, "utf8");
  const der = new X509Certificate(await fs.readFile(certFile)).raw;
  const service = "ocistage-test-registry";
  const issuer = "ocistage-test-issuer";
  const requests: TokenRequest[] = [];
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

  const sign = (access: readonly { type: string; name: string; actions: string[] }[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ typ: "JWT", alg: "RS256", x5c: [der.toString("base64")] }));
    const claims = base64url(JSON.stringify({ iss: issuer, sub: user, aud: service, exp: now + 300, nbf: now - 60, iat: now, jti: randomBytes(8).toString("hex"), access }));
    const signature = createSign("RSA-SHA256").update(`${header}.${claims}`).sign(key);
    return `${header}.${claims}.${base64url(signature)}`;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const scopes = url.searchParams.getAll("scope");
    const auth = req.headers.authorization;
    const authenticated = auth === undefined ? "none" : auth === expected ? "good" : "bad";
    requests.push({ scopes, authenticated });
    if (url.pathname !== "/token" || url.searchParams.get("service") !== service) {
      res.writeHead(404).end();
      return;
    }
    if (authenticated === "bad") {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ details: "incorrect username or password" }));
      return;
    }
    const access =
      authenticated === "good"
        ? scopes.map((s) => {
            const [type = "", name = "", actions = ""] = s.split(":");
            return { type, name, actions: actions.split(",") };
          })
        : [];
    const token = sign(access);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
