// The image config's `StopSignal` as Linux runtimes read it. Podman (containers/common) and
// Docker (moby/sys) parse it the same way: a decimal signal number, or a name from signal(7),
// in any case, with or without "SIG". Podman also refuses numbers above SIGRTMAX (64); checked
// with podman 4.3.1 here: "SIGFOO", "0", "65", "1.5", " SIGTERM" and "SIGUNUSED" fail
// `podman run`, while "term", "SIGCLD", "sigrtmin+3" and "64" run.

/** Signal names without "SIG" (signal(7), with glibc's real-time range SIGRTMIN = 34 .. SIGRTMAX = 64). */
export const LINUX_SIGNAL_NAMES: readonly string[] = [
  "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
  "STKFLT", "CHLD", "CLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
  "POLL", "PWR", "SYS",
  "RTMIN", ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${14 - i}`), "RTMAX",
];

/** The largest signal number (SIGRTMAX on Linux). */
export const MAX_SIGNAL_NUMBER = 64;

const NAMES = new Set(LINUX_SIGNAL_NAMES);

/**
 * Whether a runtime accepts `value` as a stop signal: a decimal number 1..64 written without
 * sign or leading zeros, or a known name in any case, with or without the "SIG" prefix.
 */
export const isStopSignal = (value: string): boolean => {
  if (/^[0-9]+$/.test(value)) return /^[1-9][0-9]*$/.test(value) && Number(value) <= MAX_SIGNAL_NUMBER;
  const upper = value.toUpperCase();
  return NAMES.has(upper.startsWith("SIG") ? upper.slice(3) : upper);
};
