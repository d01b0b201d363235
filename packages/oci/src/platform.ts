import * as t from "io-ts";
import { StringsCodec } from "./primitives.ts";

/** The minimum runtime a manifest needs (`GOOS`/`GOARCH` vocabulary), as carried by index entries. */
export type Platform = {
  readonly architecture: string;
  readonly os: string;
  readonly "os.version"?: string;
  readonly "os.features"?: readonly string[];
  readonly variant?: string;
  readonly features?: readonly string[];
};

export const PlatformCodec: t.Type<Platform, Platform, unknown> = t.readonly(
  t.intersection(
    [
      t.type({ architecture: t.string, os: t.string }),
      t.partial({ "os.version": t.string, "os.features": StringsCodec, variant: t.string, features: StringsCodec }),
    ],
    "Platform",
  ),
  "Platform",
);

/** A platform value with only the fields given, so the serialised JSON carries no stray keys. */
export const platform = (input: {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string | undefined;
  readonly osVersion?: string | undefined;
  readonly osFeatures?: readonly string[] | undefined;
}): Platform => ({
  architecture: input.architecture,
  os: input.os,
  ...(input.variant === undefined ? {} : { variant: input.variant }),
  ...(input.osVersion === undefined ? {} : { "os.version": input.osVersion }),
  ...(input.osFeatures === undefined ? {} : { "os.features": input.osFeatures }),
});

/** `linux/amd64`, `linux/arm64/v8`: the usual one-line spelling, for messages and ref names. */
export const formatPlatform = (p: Platform): string =>
  [p.os, p.architecture, ...(p.variant === undefined ? [] : [p.variant])].join("/");
