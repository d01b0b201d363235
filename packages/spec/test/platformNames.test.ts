// architecture, os and variant are the OCI image-index spec's platform vocabulary (Go's GOARCH
// and GOOS, and its variant table): a name a runtime would not match is refused, with the name
// it most likely meant.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { decodeSpec, formatSpecError } from "../src/index.ts";

const minimal = { name: "demo", layers: [{ name: "app", source: "rootfs" }] };
const GOARCH = "expected one of the GOARCH names 386, amd64, arm, arm64, loong64, mips, mips64, mips64le, mipsle, ppc64, ppc64le, riscv64, s390x, wasm";

const issuesOf = (value: unknown): readonly string[] => {
  const result = decodeSpec(value, "image.json");
  return E.isRight(result) ? [] : formatSpecError(result.left);
};

describe("architecture", () => {
  it.each(["amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le", "loong64"])("accepts the Go name %s", (architecture) => {
    expect(issuesOf({ ...minimal, architecture })).toEqual([]);
  });

  it.each([
    ["x86_64", '"amd64"'],
    ["X86_64", '"amd64"'],
    ["x86-64", '"amd64"'],
    ["aarch64", '"arm64"'],
    ["i686", '"386"'],
    ["armv7l", '"arm" with variant "v7"'],
    ["armhf", '"arm" with variant "v7"'],
    ["armv6l", '"arm" with variant "v6"'],
    ["ppc64el", '"ppc64le"'],
    ["AMD64", '"amd64"'],
    ["amd46", '"amd64"'],
  ])("refuses %s, saying which Go name it means", (architecture, meant) => {
    expect(issuesOf({ ...minimal, architecture })).toEqual([`architecture: ${GOARCH}, found "${architecture}" (did you mean ${meant}?)`]);
  });

  it.each(["sparc64", "m68k", "ia64", "alpha"])("refuses %s, a plausible name no runtime selects, with the list", (architecture) => {
    expect(issuesOf({ ...minimal, architecture })).toEqual([`architecture: ${GOARCH}, found "${architecture}"`]);
  });

  it("must be one its os runs on", () => {
    expect(issuesOf({ ...minimal, os: "darwin", architecture: "s390x" })).toEqual(['architecture: expected an architecture darwin runs on (amd64, arm64), found "s390x"']);
    expect(issuesOf({ ...minimal, os: "windows" })).toEqual([]);
    expect(issuesOf({ ...minimal, os: "js" })).toEqual(['architecture: expected an architecture js runs on (wasm), found "amd64"']);
    expect(issuesOf({ ...minimal, os: "wasi", architecture: "wasm" })).toEqual([]);
  });
});

describe("os", () => {
  it.each(["linux", "windows", "freebsd", "darwin", "wasip1"])("accepts the Go name %s", (os) => {
    expect(issuesOf({ ...minimal, os, ...(os.startsWith("wasi") ? { architecture: "wasm" } : {}) })).toEqual([]);
  });

  it.each([
    ["Linux", "linux"],
    ["macos", "darwin"],
    ["win64", "windows"],
    ["linx", "linux"],
  ])("refuses %s, saying which Go name it means", (os, meant) => {
    expect(issuesOf({ ...minimal, os })[0]).toMatch(new RegExp(`^os: expected one of the GOOS names aix, android, .*, windows, found "${os}" \\(did you mean "${meant}"\\?\\)$`));
  });

  it("refuses an unknown os with the list", () => {
    expect(issuesOf({ ...minimal, os: "haiku" })).toEqual([
      'os: expected one of the GOOS names aix, android, darwin, dragonfly, freebsd, illumos, ios, js, linux, netbsd, openbsd, plan9, solaris, wasi, wasip1, windows, found "haiku"',
    ]);
  });
});

describe("variant", () => {
  it.each([
    ["arm", "v5"],
    ["arm", "v6"],
    ["arm", "v7"],
    ["arm", "v8"],
    ["arm64", "v8"],
    ["amd64", "v1"],
    ["amd64", "v4"],
  ])("accepts %s %s", (architecture, variant) => {
    expect(issuesOf({ ...minimal, architecture, variant })).toEqual([]);
  });

  it("applies to the default architecture, amd64, when none is given", () => {
    expect(issuesOf({ ...minimal, variant: "v3" })).toEqual([]);
    expect(issuesOf({ ...minimal, variant: "v7" })).toEqual(['variant: expected one of the amd64 variants v1, v2, v3, v4, found "v7"']);
  });

  it.each([
    ["arm", "7", "v5, v6, v7, v8", ' (did you mean "v7"?)'],
    ["arm", "armv7", "v5, v6, v7, v8", ' (did you mean "v7"?)'],
    ["arm", "v9", "v5, v6, v7, v8", ""],
    ["arm64", "v7", "v8", ""],
    ["arm64", "8", "v8", ' (did you mean "v8"?)'],
    ["amd64", "v5", "v1, v2, v3, v4", ""],
  ])("refuses %s variant %j", (architecture, variant, known, hint) => {
    expect(issuesOf({ ...minimal, architecture, variant })).toEqual([`variant: expected one of the ${architecture} variants ${known}, found "${variant}"${hint}`]);
  });

  it("refuses a variant on an architecture that has none", () => {
    expect(issuesOf({ ...minimal, architecture: "s390x", variant: "v1" })).toEqual(['variant: expected no variant for s390x (only amd64, arm, arm64 take one), found "v1"']);
  });

  it("is not judged against an architecture that is itself wrong", () => {
    expect(issuesOf({ ...minimal, architecture: "armv7l", variant: "v7" })).toEqual([`architecture: ${GOARCH}, found "armv7l" (did you mean "arm" with variant "v7"?)`]);
  });
});

describe("platform problems come with every other issue in one report", () => {
  it("lists a wrong port and a wrong variant together", () => {
    expect(issuesOf({ ...minimal, exposedPorts: ["70000"], architecture: "arm", variant: "v9" })).toEqual([
      'exposedPorts[0]: expected port 1..65535 (a number, or "80", "80/tcp", "53/udp", "9/sctp"), found "70000"',
      'variant: expected one of the arm variants v5, v6, v7, v8, found "v9"',
    ]);
  });
});
