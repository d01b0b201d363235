// WWW-Authenticate as registries send it (RFC 9110 §11.6.1; the distribution token spec).
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, test } from "vitest";
import { bearerOf, offersBasic, parseWwwAuthenticate } from "../src/wwwAuthenticate.ts";

const challenges = (header: string) => {
  const r = parseWwwAuthenticate(header);
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
};

describe("parseWwwAuthenticate", () => {
  test("Docker Hub's bearer challenge: realm, service and scope", () => {
    const header = 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"';
    expect(challenges(header)).toEqual([{ scheme: "bearer", params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/busybox:pull" } }]);
    expect(bearerOf(challenges(header))).toEqual({ realm: "https://auth.docker.io/token", service: "registry.docker.io", scopes: ["repository:library/busybox:pull"] });
  });

  test("an insufficient_scope challenge names the scopes, space-separated, and the error", () => {
    const header = 'Bearer realm="http://127.0.0.1:9/token",service="s",scope="repository:a:pull,push repository:b:pull",error="insufficient_scope"';
    expect(bearerOf(challenges(header))?.scopes).toEqual(["repository:a:pull,push", "repository:b:pull"]);
    expect(challenges(header)[0]?.params["error"]).toBe("insufficient_scope");
  });

  test("basic, with the scheme and parameter names in any case", () => {
    const parsed = challenges('BASIC Realm="Registry Realm"');
    expect(parsed).toEqual([{ scheme: "basic", params: { realm: "Registry Realm" } }]);
    expect(offersBasic(parsed)).toBe(true);
    expect(bearerOf(parsed)).toBeUndefined();
  });

  test("several challenges in one value (two headers joined by a comma)", () => {
    expect(challenges('Basic realm="a", Bearer realm="https://b/token",service="b"').map((c) => c.scheme)).toEqual(["basic", "bearer"]);
    expect(challenges('Basic, Bearer realm="x"').map((c) => c.scheme)).toEqual(["basic", "bearer"]);
  });

  test("quoted strings keep commas and unescape backslashes; bare tokens are values too", () => {
    expect(challenges('Bearer realm="https://a/t?x=1,y=2",service=plain,scope="a\\"b"')[0]?.params).toEqual({ realm: "https://a/t?x=1,y=2", service: "plain", scope: 'a"b' });
  });

  test("a token68 credential (Negotiate) is kept as such", () => {
    expect(challenges("Negotiate abc123==")).toEqual([{ scheme: "negotiate", params: { token68: "abc123==" } }]);
  });

  test("unreadable values are an error saying where", () => {
    expect(parseWwwAuthenticate('Bearer realm="unterminated')).toEqual(E.left('the quoted string at character 14 of "Bearer realm=\\"unterminated" does not end'));
    expect(E.isLeft(parseWwwAuthenticate("=oops"))).toBe(true);
  });

  test("an empty header has no challenge", () => {
    expect(challenges("")).toEqual([]);
  });
});
