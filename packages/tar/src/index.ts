// The layer tar writer: byte for byte what GNU tar 1.34 writes with GNU_TAR_CANONICAL_ARGS (the
// gnu format), or with GNU_TAR_PAX_ARGS in their place for a layer that keeps file capabilities.
export * from "./TarEntry.ts";
export * from "./TarError.ts";
export * from "./TarItem.ts";
export * from "./TarOptions.ts";
export * from "./TarFormat.ts";
export { CAPABILITY_XATTR, readCapability } from "./readCapability.ts";
export { encodePaxHeader, paxHeaderName } from "./paxHeader.ts";
export { normaliseTarMode, SYMLINK_TAR_MODE, GNU_TAR_MODE_CHANGE } from "./tarMode.ts";
export { encodeTarHeader, archiveName, archiveLinkName, tarPadding, tarPaddingSize, END_OF_ARCHIVE, BLOCK_SIZE } from "./tarHeader.ts";
export { encodeNumericField } from "./tarNumeric.ts";
export { compareTarPaths, compareTarEntries, sortTarEntries, sortTarItems } from "./tarOrder.ts";
export { walkTree } from "./walkTree.ts";
export { writeTar, writeTarFile, writeTarFileUnhashed } from "./writeTar.ts";
export type { TarDigest, TarItems, WriteOptions } from "./writeTar.ts";
