import type { FileEntry } from "./ImageSpec.ts";

// The debugging tools of a debug image when `debug: true`: Debian busybox-static's binary and a
// link per applet, in a folder of their own so they can never replace a file of the standard
// image below them. The applets are a fixed list (not `busybox --list` of this machine), so the
// layer is the same on every machine; each is in busybox-static 1.35 and later.

/** Where the default debugging tools go; /bin/debug puts it on PATH. */
export const DEBUG_BIN = "/debug/bin";

/** The host file the default tools are copied from (Debian's busybox-static). */
export const BUSYBOX = "/bin/busybox";

export const DEBUG_APPLETS: readonly string[] = [
  "awk", "cat", "chmod", "cp", "cut", "date", "df", "diff", "dmesg", "du", "echo", "env", "false", "find", "free", "grep",
  "gunzip", "gzip", "head", "hexdump", "hostname", "id", "ip", "kill", "less", "ln", "ls", "mkdir", "mv", "nc", "netstat",
  "nslookup", "od", "pidof", "ping", "printf", "ps", "readlink", "realpath", "rm", "sed", "sh", "sleep", "sort", "stat",
  "strings", "tail", "tar", "tee", "test", "timeout", "top", "touch", "tr", "true", "uname", "uniq", "vi", "wc", "wget",
  "which", "whoami", "xargs", "xxd",
];

/** busybox at DEBUG_BIN/busybox and a symlink to it per applet. */
export const defaultDebugTools = (): readonly FileEntry[] => [
  { source: BUSYBOX, destination: `${DEBUG_BIN}/busybox`, mode: 0o755 },
  ...DEBUG_APPLETS.map((applet): FileEntry => ({ symlink: "busybox", destination: `${DEBUG_BIN}/${applet}` })),
];
