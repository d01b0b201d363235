// An image's config on a base, as Docker's FROM inherits it: field by field.
import { describe, expect, it } from "vitest";
import type { Digest } from "@ocistage/oci";
import type { BaseImage, ImageConfigBody } from "@ocistage/program";
import { mergeEnv, onBase } from "../src/baseConfig.ts";

const base = (config: BaseImage["config"]["config"], history?: BaseImage["config"]["history"]): BaseImage => ({
  written: "oci:base",
  source: { _tag: "Oci", path: "base" },
  digest: `sha256:${"b".repeat(64)}`,
  platform: { os: "linux", architecture: "amd64" },
  config: { architecture: "amd64", os: "linux", created: "2020-01-01T00:00:00Z", rootfs: { type: "layers", diff_ids: [`sha256:${"d".repeat(64)}` as Digest] }, ...(config === undefined ? {} : { config }), ...(history === undefined ? {} : { history }) },
  layers: [{ digest: `sha256:${"c".repeat(64)}`, size: 10, mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", diffId: `sha256:${"d".repeat(64)}` }],
  files: [],
});
const own = (config: NonNullable<ImageConfigBody["config"]>): ImageConfigBody => ({ created: "1970-01-01T00:00:00Z", architecture: "amd64", os: "linux", config, history: [{ created: "1970-01-01T00:00:00Z", created_by: "ocistage tar-layer-app" }] });

describe("a config on a base", () => {
  it("merges Env by name: the base's order, the image's values, new names last", () => {
    expect(mergeEnv(["PATH=/bin", "LANG=C"], ["LANG=C.UTF-8", "APP=1"])).toEqual(["PATH=/bin", "LANG=C.UTF-8", "APP=1"]);
  });

  it("inherits what the image does not set, and merges Labels, ExposedPorts and Volumes", () => {
    const merged = onBase(base({ User: "app", WorkingDir: "/srv", Labels: { a: "1" }, ExposedPorts: { "80/tcp": {} }, Cmd: ["serve"] }), own({ Labels: { b: "2" }, ExposedPorts: { "443/tcp": {} } }));
    expect(merged.config).toEqual({ User: "app", WorkingDir: "/srv", Labels: { a: "1", b: "2" }, ExposedPorts: { "80/tcp": {}, "443/tcp": {} }, Cmd: ["serve"] });
  });

  it("an Entrypoint without a Cmd clears the base's Cmd (Docker's rule); with one, both are the image's", () => {
    expect(onBase(base({ Entrypoint: ["/bin/sh"], Cmd: ["-c", "x"] }), own({ Entrypoint: ["/app"] })).config).toEqual({ Entrypoint: ["/app"] });
    expect(onBase(base({ Entrypoint: ["/bin/sh"], Cmd: ["-c", "x"] }), own({ Entrypoint: ["/app"], Cmd: ["run"] })).config).toEqual({ Entrypoint: ["/app"], Cmd: ["run"] });
    expect(onBase(base({ Entrypoint: ["/bin/sh"], Cmd: ["-c", "x"] }), own({ Cmd: ["-c", "y"] })).config).toEqual({ Entrypoint: ["/bin/sh"], Cmd: ["-c", "y"] });
  });

  it("keeps the base's history first, and gives a base without history one entry per layer", () => {
    expect(onBase(base({}, [{ created_by: "base step" }]), own({})).history?.map((h) => h.created_by)).toEqual(["base step", "ocistage tar-layer-app"]);
    expect(onBase(base({}), own({})).history?.map((h) => h.created_by)).toEqual([`layer sha256:${"c".repeat(64)} of oci:base`, "ocistage tar-layer-app"]);
  });

  it("drops Docker-only container config keys the OCI config does not define", () => {
    const docker = base({ Cmd: ["x"], ...({ Hostname: "abc", OnBuild: null } as object) });
    expect(onBase(docker, own({})).config).toEqual({ Cmd: ["x"] });
  });
});
