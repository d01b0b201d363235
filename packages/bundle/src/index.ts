// OCI runtime bundles (runtime-spec bundle.md): an image's layers unpacked into rootfs/ with
// whiteouts honoured, and the config.json a runtime such as runc starts it from.
export * from "./BundleError.ts";
export * from "./RuntimeSpec.ts";
export * from "./imageUser.ts";
export * from "./runtimeConfig.ts";
export * from "./unpackRootfs.ts";
export * from "./writeBundle.ts";
export { entryComponents, resolveInRoot } from "./rootfsPath.ts";
