import * as fs from "node:fs";
import * as E from "fp-ts/lib/Either.js";
import { afterAll, describe, expect, it } from "vitest";
import { describeTarError, readCapability } from "../src/index.ts";
import { join, removeTempDirs, tempDir } from "./fixtures/tar/harness.ts";
import { CAP_NET_RAW_EP, capabilityV2, requireRoot, setXattr } from "./fixtures/tar/xattrs.ts";

afterAll(removeTempDirs);

const valueOf = (read: ReturnType<typeof readCapability>): readonly string[] => {
  if (E.isLeft(read)) throw new Error(describeTarError(read.left));
  return read.right.map(({ name, value }) => `${name}=${Buffer.from(value).toString("hex")}`);
};

describe.runIf(requireRoot("setting security.capability"))("reading a file's security.capability", () => {
  const dir = tempDir("caps-read");
  const raw = join(dir, Buffer.from([0x6e, 0xe9, 0xff])); // not UTF-8
  fs.writeFileSync(join(dir, "ping"), "ping");
  fs.writeFileSync(join(dir, "plain"), "plain");
  fs.writeFileSync(raw, "raw");
  fs.symlinkSync("ping", join(dir, "link-to-ping"));
  fs.symlinkSync("plain", join(dir, "capable-link"));
  setXattr(join(dir, "ping"), "security.capability", CAP_NET_RAW_EP);
  setXattr(raw, "security.capability", capabilityV2([1, 2]));
  setXattr(join(dir, "capable-link"), "security.capability", CAP_NET_RAW_EP);
  // An attribute the layer drops.
  setXattr(join(dir, "plain"), "user.comment", Buffer.from("dropped"));
  const hex = (b: Uint8Array): string => `security.capability=${Buffer.from(b).toString("hex")}`;

  it("gives the raw value of a file that has one, and nothing for one that has only other attributes", () => {
    expect(valueOf(readCapability(join(dir, "ping"), false))).toEqual([hex(CAP_NET_RAW_EP)]);
    expect(valueOf(readCapability(join(dir, "plain"), false))).toEqual([]);
  });

  it("reads a name that is not UTF-8", () => {
    expect(valueOf(readCapability(raw, false))).toEqual([hex(capabilityV2([1, 2]))]);
  });

  it("reads a symlink's own attribute, never its target's (as GNU tar's lgetxattr does)", () => {
    expect(valueOf(readCapability(join(dir, "link-to-ping"), true))).toEqual([]);
    expect(valueOf(readCapability(join(dir, "capable-link"), true))).toEqual([hex(CAP_NET_RAW_EP)]);
  });

  it("fails naming the file when it cannot be read", () => {
    const missing = readCapability(join(dir, "gone"), false);
    expect(E.isLeft(missing) && describeTarError(missing.left)).toMatch(new RegExp(`^${dir}/gone: cannot read security.capability: ENOENT`));
    const missingLink = readCapability(join(dir, "gone-link"), true);
    expect(E.isLeft(missingLink) && describeTarError(missingLink.left)).toMatch(new RegExp(`^${dir}/gone-link: cannot open: ENOENT`));
  });
});
