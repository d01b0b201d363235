// The arguments of the verbs that talk to a registry: push, pull and build --push.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, test } from "vitest";
import { parseArgs } from "../src/parseArgs.ts";

const usageOf = (argv: readonly string[]): string => {
  const parsed = parseArgs(argv);
  if (E.isRight(parsed) || parsed.left._tag !== "Usage") throw new Error(`${argv.join(" ")} parsed: ${JSON.stringify(parsed)}`);
  return parsed.left.message;
};

describe("push, pull and build --push arguments", () => {
  test("push LAYOUT REF with the registry options", () => {
    expect(parseArgs(["push", "out/x", "r.example/x:1", "--tls-verify=false", "--cert-dir", "/certs", "--creds", "u:p:w", "--retries", "2", "--chunk-size", "16MiB", "--json"])).toEqual(
      E.right({
        _tag: "Push",
        layout: "out/x",
        ref: "r.example/x:1",
        all: false,
        chunkSize: 16 * 1024 * 1024,
        flags: { tlsVerify: false, certDir: "/certs", creds: "u:p:w", retries: 2, json: true, quiet: false },
      }),
    );
  });

  test("push --all takes REGISTRY/REPO; --image picks one entry; the two exclude each other", () => {
    expect(parseArgs(["push", "out/l", "--all", "r.example/team"])).toMatchObject(E.right({ _tag: "Push", all: true, ref: "r.example/team", chunkSize: 64 * 1024 * 1024 }));
    expect(parseArgs(["push", "out/l", "r.example/web:1.0", "--image", "web:1.0", "--from-repo", "team/base"])).toMatchObject(E.right({ image: "web:1.0", fromRepo: "team/base" }));
    expect(usageOf(["push", "out/l", "--all", "r.example/team", "--image", "web:1.0"])).toBe("ocistage push: --image and --all exclude each other");
  });

  test("wrong values are usage errors that say what is expected", () => {
    expect(usageOf(["push", "out/x"])).toBe("ocistage push: missing REF");
    expect(usageOf(["push", "out/x", "r/x", "--tls-verify=maybe"])).toBe('ocistage push: --tls-verify takes true or false, not "maybe"');
    expect(usageOf(["push", "out/x", "r/x", "--creds", "nocolon"])).toBe("ocistage push: --creds takes USER:PASSWORD");
    expect(usageOf(["push", "out/x", "r/x", "--retries", "-1"])).toBe('ocistage push: --retries takes a whole number from 0 to 20, not "-1"');
    expect(usageOf(["push", "out/x", "r/x", "--chunk-size", "1k"])).toBe('--chunk-size takes a size of at least 64KiB (e.g. 8MiB), not "1k"');
    expect(usageOf(["pull", "r/x"])).toBe("ocistage pull: --out DIR is required");
  });

  test("pull REF --out DIR [--platform]", () => {
    expect(parseArgs(["pull", "r.example/web:1.0", "--out", "/tmp/web", "--platform", "linux/arm64/v8", "--quiet"])).toEqual(
      E.right({ _tag: "Pull", ref: "r.example/web:1.0", out: "/tmp/web", platform: "linux/arm64/v8", flags: { tlsVerify: true, retries: 4, json: false, quiet: true } }),
    );
  });

  test("build --push REF carries the registry options; without --push they are refused", () => {
    expect(parseArgs(["build", "spec.yaml", "--push", "r.example/x", "--tls-verify=false"])).toMatchObject(
      E.right({ _tag: "Build", spec: "spec.yaml", push: { ref: "r.example/x", flags: { tlsVerify: false } } }),
    );
    expect(parseArgs(["build", "spec.yaml"])).toEqual(E.right(expect.not.objectContaining({ push: expect.anything() })));
    expect(usageOf(["build", "spec.yaml", "--creds", "u:p"])).toBe("ocistage build: --creds only goes with --push REF");
  });
});
