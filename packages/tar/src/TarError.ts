// Everything the tar writer and the tree walker can fail with, as data. `path` is the raw bytes
// of the file (on disk, or the entry path) because names need not be UTF-8; `describeTarError`
// renders it for people.
export type TarError =
  | { readonly _tag: "InvalidOptions"; readonly reason: string }
  | { readonly _tag: "InvalidEntry"; readonly path: Uint8Array; readonly reason: string }
  | { readonly _tag: "OutOfOrder"; readonly previous: Uint8Array; readonly path: Uint8Array }
  | { readonly _tag: "UnsupportedFileType"; readonly path: Uint8Array; readonly kind: SpecialFileKind }
  | { readonly _tag: "NotADirectory"; readonly path: Uint8Array }
  | { readonly _tag: "Unreadable"; readonly path: Uint8Array; readonly operation: string; readonly reason: string }
  | { readonly _tag: "FileChanged"; readonly path: Uint8Array; readonly reason: string }
  | { readonly _tag: "WriteFailed"; readonly reason: string };

export type SpecialFileKind = "socket" | "FIFO" | "block device" | "character device" | "unknown file type";

// Non-UTF-8 bytes and control characters are shown as escapes so that a message stays one line
// and names the file unambiguously.
export const showPath = (path: Uint8Array): string => {
  const hex = (b: number): string => `\\x${b.toString(16).padStart(2, "0")}`;
  const escapeControls = (s: string): string => s.replace(/[\u0000-\u001f\u007f\\]/g, (c) => (c === "\\" ? "\\\\" : hex(c.charCodeAt(0))));
  try {
    return escapeControls(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(path));
  } catch {
    return Array.from(path, (b) => (b >= 0x20 && b < 0x7f ? escapeControls(String.fromCharCode(b)) : hex(b))).join("");
  }
};

export const describeTarError = (error: TarError): string => {
  switch (error._tag) {
    case "InvalidOptions":
      return `tar options: ${error.reason}`;
    case "InvalidEntry":
      return `${showPath(error.path)}: cannot be written to a tar: ${error.reason}`;
    case "OutOfOrder":
      return `${showPath(error.path)}: entries must come in GNU tar --sort=name order, but it follows ${showPath(error.previous)}`;
    case "UnsupportedFileType":
      return `${showPath(error.path)}: is a ${error.kind}; only files, directories, symlinks and hard links go into a layer`;
    case "NotADirectory":
      return `${showPath(error.path)}: the layer root must be a directory`;
    case "Unreadable":
      return `${showPath(error.path)}: cannot ${error.operation}: ${error.reason}`;
    case "FileChanged":
      return `${showPath(error.path)}: file changed as we read it (${error.reason})`;
    case "WriteFailed":
      return `writing the tar failed: ${error.reason}`;
  }
};

export const reasonOf = (e: unknown): string => {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    const first = e.message.split("\n")[0] ?? "";
    return code === undefined ? first : `${code}: ${first.replace(/^[A-Z]+: /, "")}`;
  }
  return String(e);
};
