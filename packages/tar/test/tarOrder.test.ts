import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalTarOptions, compareTarPaths, sortTarEntries } from "../src/index.ts";
import { gnuTar, makeTree, parseArchive, removeTempDirs, tempDir } from "./fixtures/tar/harness.ts";

afterAll(removeTempDirs);

// The reference: compare component by component with strcmp (unsigned bytes), a prefix first.
const componentwise = (a: Uint8Array, b: Uint8Array): number => {
  const split = (p: Uint8Array): Buffer[] => (p.length === 0 ? [] : Buffer.from(p).toString("latin1").split("/").map((c) => Buffer.from(c, "latin1")));
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = Buffer.compare(x[i] as Buffer, y[i] as Buffer);
    if (c !== 0) return c;
  }
  return x.length - y.length;
};

const component = fc
  .uint8Array({ minLength: 1, maxLength: 6 })
  .map((bytes) => Buffer.from(bytes.map((b) => (b === 0 || b === 0x2f ? 0x2d : b))))
  .filter((c) => c.toString("latin1") !== "." && c.toString("latin1") !== "..");
const tarPath = fc.array(component, { minLength: 0, maxLength: 4 }).map((cs) => Buffer.from(cs.map((c) => c.toString("latin1")).join("/"), "latin1"));

describe("GNU tar --sort=name order", () => {
  it("is the order GNU tar writes a tree in, for names that trip up plain string sorting", async () => {
    const names = ["a", "a-b", "a.b", "a0", "a b", "A", "Z", "_", "~", "\u0001", "é", "a/x", "a/x/y", "a/x-y", "a/\u0001", "a-b/c"];
    const root = tempDir();
    makeTree(root, [
      ...names.filter((n) => !names.some((m) => m.startsWith(`${n}/`))).map((n) => ({ kind: "file" as const, path: n, content: "" })),
      { kind: "file", path: Buffer.from([0xff]), content: "" },
      { kind: "file", path: Buffer.from([0x80, 0x41]), content: "" },
    ]);
    const archive = await gnuTar(root, canonicalTarOptions(0));
    const gnuOrder = parseArchive(archive.head).map((h) => h.name.toString("latin1").replace(/^\.\/?/, "").replace(/\/$/, ""));
    const shuffled = [...gnuOrder].reverse().map((p) => ({ path: Buffer.from(p, "latin1") }));
    expect(sortTarEntries(shuffled).map((e) => e.path.toString("latin1"))).toEqual(gnuOrder);
  });

  it("puts the root first and a directory right before its contents", () => {
    const order = sortTarEntries(["b", "a/z", "", "a", "a-"].map((p) => ({ path: Buffer.from(p) }))).map((e) => e.path.toString());
    expect(order).toEqual(["", "a", "a/z", "a-", "b"]);
  });

  it("agrees with component-by-component strcmp for any paths", () => {
    fc.assert(
      fc.property(tarPath, tarPath, (a, b) => {
        expect(Math.sign(compareTarPaths(a, b))).toBe(Math.sign(componentwise(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it("sorts any shuffle of a set of paths into the same sequence", () => {
    fc.assert(
      fc.property(fc.uniqueArray(tarPath, { selector: (p) => p.toString("latin1"), maxLength: 30 }), (paths) => {
        const entries = paths.map((path) => ({ path }));
        const once = sortTarEntries(entries);
        expect(sortTarEntries([...entries].reverse())).toEqual(once);
        for (let i = 1; i < once.length; i++) expect(compareTarPaths((once[i - 1] as { path: Buffer }).path, (once[i] as { path: Buffer }).path)).toBeLessThan(0);
      }),
    );
  });
});
