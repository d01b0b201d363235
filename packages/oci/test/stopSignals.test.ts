// Stop signals as podman reads them: each value here was run through `podman run` (4.3.1) once,
// and the ones it refused are refused here (see src/stopSignals.ts).
import { describe, expect, it } from "vitest";
import { LINUX_SIGNAL_NAMES, isStopSignal } from "../src/stopSignals.ts";

describe("isStopSignal", () => {
  it.each(["SIGTERM", "TERM", "term", "sigrtmin+3", "SIGRTMAX-14", "SIGRTMAX", "SIGCLD", "SIGKILL", "1", "9", "64"])("accepts %s, as podman does", (value) => {
    expect(isStopSignal(value)).toBe(true);
  });

  it.each(["SIGFOO", "0", "65", "100", "1.5", " SIGTERM", "SIGUNUSED", "", "SIG", "-9"])("refuses %j, as podman does", (value) => {
    expect(isStopSignal(value)).toBe(false);
  });

  it("refuses the spellings podman reads but nobody means (sign, leading zeros)", () => {
    expect([isStopSignal("+5"), isStopSignal("010")]).toEqual([false, false]);
  });

  it("knows each name once, the real-time range SIGRTMIN..SIGRTMIN+15 and SIGRTMAX-14..SIGRTMAX", () => {
    expect(new Set(LINUX_SIGNAL_NAMES).size).toBe(LINUX_SIGNAL_NAMES.length);
    expect(LINUX_SIGNAL_NAMES.filter((n) => n.startsWith("RT"))).toHaveLength(31);
    expect(LINUX_SIGNAL_NAMES).toEqual(expect.arrayContaining(["RTMIN+15", "RTMAX-14", "RTMAX-1"]));
  });
});
