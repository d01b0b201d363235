// Types of compressBlock.mjs (plain JavaScript so worker threads load it as it is).
export declare const deflateBlock: (bytes: Uint8Array, level: number) => Uint8Array;
export declare const zstdBlock: (bytes: Uint8Array, level: number) => Promise<Uint8Array>;
export declare const compressBlock: (codec: "gzip" | "zstd", bytes: Uint8Array, level: number) => Promise<Uint8Array>;
export declare const storedBlocks: (bytes: Uint8Array) => Uint8Array;
