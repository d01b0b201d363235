import { describe, expect, it } from "vitest";
// The build does not export its tar flags from the package root, and emit may not depend on the
// build at run time; this test reads them from the source so the two lists cannot drift.
import { GNU_TAR_FIXED_ARGS, GNU_TAR_PAX_ARGS, gnuTarCreateArgs } from "@ocistage/tar";
import { SHELL_GNU_TAR_FIXED_ARGS, SHELL_GNU_TAR_PAX_ARGS } from "../src/index.ts";
import { gnuTarCreateWords } from "../src/shell/gnuTarArgs.ts";

describe("the GNU tar flags of the shell substrate", () => {
  it("are the build's GNU_TAR_FIXED_ARGS", () => {
    expect(SHELL_GNU_TAR_FIXED_ARGS).toEqual(GNU_TAR_FIXED_ARGS);
  });

  it("for a layer with file capabilities are the build's GNU_TAR_PAX_ARGS", () => {
    expect(SHELL_GNU_TAR_PAX_ARGS).toEqual(GNU_TAR_PAX_ARGS);
    expect(gnuTarCreateWords({ uid: 0, gid: 0 }, 5, "DIR", "OUT", "pax")).toEqual(gnuTarCreateArgs({ mtime: 5, owner: { uid: 0, gid: 0 }, modes: "keep", format: "pax" }, "DIR", "OUT"));
  });

  it("make the build's gnuTarCreateArgs with modes kept, for a forced owner and for owners on disk", () => {
    expect(gnuTarCreateWords({ uid: 1000, gid: 50 }, 1700000000, "DIR", "OUT")).toEqual(
      gnuTarCreateArgs({ mtime: 1700000000, owner: { uid: 1000, gid: 50 }, modes: "keep" }, "DIR", "OUT"),
    );
    expect(gnuTarCreateWords("keep", 0, "DIR", "OUT")).toEqual(gnuTarCreateArgs({ mtime: 0, owner: "keep", modes: "keep" }, "DIR", "OUT"));
  });
});
