// The signals Docker and buildah accept in STOPSIGNAL (their ParseSignal): a positive number, or
// a Linux signal name, any case, with or without "SIG". Anything else fails the build.
const NAMES = new Set([
  "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT",
  "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
  "RTMIN", "RTMAX",
  ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${i + 1}`),
]);

export const isKnownSignal = (signal: string): boolean => {
  if (/^[0-9]+$/.test(signal)) return Number(signal) > 0;
  const name = signal.toUpperCase();
  return NAMES.has(name.startsWith("SIG") ? name.slice(3) : name);
};
