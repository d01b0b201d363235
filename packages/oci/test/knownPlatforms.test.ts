// The platform vocabulary is one table that the spec's codecs read: these check the table is
// consistent with itself and with the OCI image-index spec's variant rows.
import { describe, expect, it } from "vitest";
import { ARCHITECTURE_ALIASES, KNOWN_ARCHITECTURES, KNOWN_OSES, KNOWN_PLATFORMS, KNOWN_VARIANTS, OS_ALIASES, architectureAlias, osAlias, variantAlias } from "../src/knownPlatforms.ts";

describe("the GOOS/GOARCH table", () => {
  it("has the pairs container runtimes run most, and none Go never built", () => {
    expect(KNOWN_PLATFORMS["linux"]).toEqual(expect.arrayContaining(["amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", "mips64le", "loong64"]));
    expect(KNOWN_PLATFORMS["windows"]).toEqual(["386", "amd64", "arm64"]);
    expect(KNOWN_PLATFORMS["darwin"]).not.toContain("s390x");
    expect(KNOWN_ARCHITECTURES).not.toContain("x86_64");
    expect(KNOWN_ARCHITECTURES).not.toContain("sparc64");
  });

  it("lists every os and architecture once, sorted", () => {
    expect(KNOWN_OSES).toEqual([...new Set(KNOWN_OSES)].sort());
    expect(KNOWN_ARCHITECTURES).toEqual([...new Set(KNOWN_ARCHITECTURES)].sort());
  });

  it("has the spec's variant rows (arm v6/v7/v8, arm64 v8), GOARM's v5 and GOAMD64's v1..v4", () => {
    expect(KNOWN_VARIANTS).toEqual({ amd64: ["v1", "v2", "v3", "v4"], arm: ["v5", "v6", "v7", "v8"], arm64: ["v8"] });
    for (const architecture of Object.keys(KNOWN_VARIANTS)) expect(KNOWN_ARCHITECTURES).toContain(architecture);
  });
});

describe("the spellings people type", () => {
  it.each([
    ["x86_64", { architecture: "amd64" }],
    ["X86_64", { architecture: "amd64" }],
    ["aarch64", { architecture: "arm64" }],
    ["armv7l", { architecture: "arm", variant: "v7" }],
    ["armv6l", { architecture: "arm", variant: "v6" }],
    ["i686", { architecture: "386" }],
    ["ppc64el", { architecture: "ppc64le" }],
    ["loongarch64", { architecture: "loong64" }],
  ])("%s means %o", (alias, meaning) => {
    expect(architectureAlias(alias)).toEqual(meaning);
  });

  it("name only known architectures and variants", () => {
    for (const alias of Object.keys(ARCHITECTURE_ALIASES)) {
      const meaning = architectureAlias(alias);
      expect(KNOWN_ARCHITECTURES, alias).toContain(meaning?.architecture);
      if (meaning?.variant !== undefined) expect(KNOWN_VARIANTS[meaning.architecture], alias).toContain(meaning.variant);
    }
  });

  it("are none of them a Go name themselves", () => {
    for (const alias of Object.keys(ARCHITECTURE_ALIASES)) expect(KNOWN_ARCHITECTURES).not.toContain(alias);
    for (const [alias, os] of Object.entries(OS_ALIASES)) expect([KNOWN_OSES.includes(alias), KNOWN_OSES.includes(os)], alias).toEqual([false, true]);
  });

  it("map os spellings to GOOS, and loose variants to vN", () => {
    expect([osAlias("macOS"), osAlias("win64"), osAlias("linux")]).toEqual(["darwin", "windows", undefined]);
    expect(["7", "V7", "armv7", "v8.0", "v07", "seven"].map(variantAlias)).toEqual(["v7", "v7", "v7", "v8", "v7", undefined]);
  });
});
