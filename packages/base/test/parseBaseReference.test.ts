// How a spec names its base image: containers-transports(5), with an optional digest pin.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import { parseBaseReference } from "../src/parseBaseReference.ts";

const HEX = "a".repeat(64);

describe("parseBaseReference", () => {
  it("reads oci:PATH and oci:PATH:REF (the last colon splits)", () => {
    expect(parseBaseReference("oci:../base")).toEqual(E.right({ source: { _tag: "Oci", path: "../base" } }));
    expect(parseBaseReference("oci:/srv/images/base:v1.2")).toEqual(E.right({ source: { _tag: "Oci", path: "/srv/images/base", ref: "v1.2" } }));
  });

  it("reads oci-archive:, docker-archive: and docker:// names", () => {
    expect(parseBaseReference("oci-archive:base.tar:latest")).toEqual(E.right({ source: { _tag: "OciArchive", path: "base.tar", ref: "latest" } }));
    expect(parseBaseReference("docker-archive:saved.tar")).toEqual(E.right({ source: { _tag: "DockerArchive", path: "saved.tar" } }));
    expect(parseBaseReference("docker://registry.example/team/base:1")).toEqual(E.right({ source: { _tag: "Registry", reference: "registry.example/team/base:1" } }));
  });

  it("takes a trailing @sha256:<64 hex> as the pin of the base's manifest digest", () => {
    expect(parseBaseReference(`oci:base:latest@sha256:${HEX}`)).toEqual(E.right({ source: { _tag: "Oci", path: "base", ref: "latest" }, pinned: `sha256:${HEX}` }));
    expect(parseBaseReference(`docker://r.example/base@sha256:${HEX}`)).toEqual(E.right({ source: { _tag: "Registry", reference: `r.example/base@sha256:${HEX}` }, pinned: `sha256:${HEX}` }));
  });

  it("refuses a name without a transport, an empty path and an empty reference", () => {
    expect(E.isLeft(parseBaseReference("busybox:latest"))).toBe(true);
    expect(parseBaseReference("oci:")).toEqual(E.left("names no image after oci:"));
    expect(parseBaseReference("oci:base:")).toEqual(E.left('has an empty reference after the path\'s ":"'));
  });
});
