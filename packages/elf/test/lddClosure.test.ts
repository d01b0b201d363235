import * as E from "fp-ts/lib/Either.js";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { requireFile, requireTools } from "../../build/test/support/requireTools.ts";
import { formatClosureError, resolveClosure } from "../src/index.ts";

// ldd runs the real loader in trace mode: one line per mapped object, in load order, the
// interpreter where a DT_NEEDED first names it ("name => path (0x…)", or "path (0x…)" for the interpreter and the vDSO).
const lddLines = (program: string): readonly string[] =>
  execFileSync("ldd", [program], { encoding: "utf8", env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin" } })
    .split("\n")
    .map((line) => line.trim().replace(/ \(0x[0-9a-f]+\)$/, ""))
    .filter((line) => line !== "" && !line.startsWith("linux-vdso.so"));

const ourLines = (program: string): readonly string[] => {
  const closure = resolveClosure(program, program);
  if (E.isLeft(closure)) throw new Error(formatClosureError(closure.left));
  return closure.right.objects.map((o) => (o.requests[0]?.foundBy === "interpreter" ? o.requests[0].path : `${o.requests[0]?.name} => ${o.requests[0]?.path}`));
};

describe.runIf(requireTools("ldd", "jq") && requireFile("/usr/sbin/nginx", "nginx"))("the closure of this machine's programs is what ldd prints", () => {
  it.each(["/usr/bin/jq", "/bin/bash", "/usr/sbin/nginx"])("%s", (program) => {
    const expected = lddLines(program);
    expect(expected.length).toBeGreaterThan(2);
    expect(ourLines(program)).toEqual(expected);
  });
});
