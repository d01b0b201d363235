// What `scripts/bench --compression-only` prints: the compressed-layer section alone, with the
// load average around it (the machine may be shared).
import { compressionSection } from "./compression.mjs";

export const renderCompressionOnly = (results, loadBefore, loadAfter) =>
  `${compressionSection(results)}\n\nLoad average (1, 5, 15 min) before: ${loadBefore}; after: ${loadAfter}.\n`;
