// References as docker and the containers tools write them, and the errors for those they refuse.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, test } from "vitest";
import { apiHost, formatReference, manifestReference, parseReference } from "../src/Reference.ts";

const parsed = (input: string) => {
  const r = parseReference(input);
  if (E.isLeft(r)) throw new Error(`${input}: ${r.left.reason}`);
  return r.right;
};
const reason = (input: string): string => {
  const r = parseReference(input);
  if (E.isRight(r)) throw new Error(`${input} parsed as ${formatReference(r.right)}`);
  return r.left.reason;
};
const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("parseReference", () => {
  test("registry with a port, nested repository and a tag", () => {
    expect(parsed("127.0.0.1:5000/team/app:1.0")).toEqual({ registry: "127.0.0.1:5000", repository: "team/app", tag: "1.0" });
  });

  test("docker:// in front is accepted and dropped", () => {
    expect(parsed("docker://registry.example/app")).toEqual({ registry: "registry.example", repository: "app" });
  });

  test("a digest, with or without a tag", () => {
    expect(parsed(`localhost:5000/app@${DIGEST}`)).toEqual({ registry: "localhost:5000", repository: "app", digest: DIGEST });
    expect(parsed(`localhost/app:v2@${DIGEST}`)).toEqual({ registry: "localhost", repository: "app", tag: "v2", digest: DIGEST });
  });

  test("a first component without a dot, colon or 'localhost' is a Docker Hub repository", () => {
    expect(parsed("busybox")).toEqual({ registry: "docker.io", repository: "library/busybox" });
    expect(parsed("team/app:3")).toEqual({ registry: "docker.io", repository: "team/app", tag: "3" });
    expect(apiHost("docker.io")).toBe("registry-1.docker.io");
  });

  test("an IPv6 registry in brackets", () => {
    expect(parsed("[::1]:5000/app:x")).toEqual({ registry: "[::1]:5000", repository: "app", tag: "x" });
  });

  test("the manifest is asked for by digest first, then tag, then latest", () => {
    expect(manifestReference(parsed(`r.example/a:t@${DIGEST}`))).toBe(DIGEST);
    expect(manifestReference(parsed("r.example/a:t"))).toBe("t");
    expect(manifestReference(parsed("r.example/a"))).toBe("latest");
  });

  test("format reads back to the same value", () => {
    for (const input of ["127.0.0.1:5000/team/app:1.0", `r.example/a@${DIGEST}`, "docker.io/library/busybox:latest"]) expect(formatReference(parsed(input))).toBe(input);
  });

  test("errors say what is wrong", () => {
    expect(reason("")).toBe("it is empty; expected REGISTRY/REPOSITORY[:TAG][@sha256:…]");
    expect(reason("r.example/App")).toContain('the repository component "App" must be lower-case letters and digits');
    expect(reason("r.example/app:-bad")).toContain('the tag "-bad" must be 1 to 128 letters');
    expect(reason("r.example/app@sha256:xyz")).toBe('the digest "sha256:xyz" is not sha256:<64 hex digits> (or sha512)');
    expect(reason("r.example/")).toBe("there is no repository after the registry");
    expect(reason("https://r.example/app")).toBe("a URL is not an image reference; write REGISTRY/REPOSITORY[:TAG] (docker:// may lead)");
    expect(reason("oci:/tmp/layout:latest")).toBe("oci: is not a registry; expected REGISTRY/REPOSITORY[:TAG] (docker:// may lead)");
    expect(reason("bad_host:5000/app")).toContain('the registry "bad_host:5000" is not a host name');
    expect(reason(`r.example/${"a".repeat(260)}`)).toBe("the name is longer than 255 characters");
  });
});
