import type { Either } from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import type { Annotations } from "./annotations.ts";
import { decodeWith } from "./decode.ts";
import type { DecodeFailure } from "./decode.ts";
import type { Digest } from "./digest.ts";
import type { JsonObject } from "./json.ts";
import {
  AnnotationsCodec,
  DateTimeCodec,
  DigestCodec,
  JsonObjectCodec,
  StringsCodec,
} from "./primitives.ts";

/** A set of ports or paths, spelled as a map to empty objects (`{"8080/tcp": {}}`). */
export type ObjectSet = { readonly [key: string]: JsonObject };

/**
 * How to run a container from the image. Field names are the spec's (Docker's) capitalised ones.
 * `Entrypoint`, `Cmd`, `Volumes` and `Labels` may be `null` in the wild; the schema allows it.
 */
export type ContainerConfig = {
  readonly User?: string;
  readonly ExposedPorts?: ObjectSet;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly Volumes?: ObjectSet | null;
  readonly WorkingDir?: string;
  readonly Labels?: Annotations | null;
  readonly StopSignal?: string;
  readonly ArgsEscaped?: boolean;
};

/** The layers as the runtime sees them: digests of the *uncompressed* tars, base first. */
export type RootFs = {
  readonly type: "layers";
  readonly diff_ids: readonly Digest[];
};

export type HistoryEntry = {
  readonly created?: string;
  readonly author?: string;
  readonly created_by?: string;
  readonly comment?: string;
  readonly empty_layer?: boolean;
};

export type ImageConfig = {
  readonly created?: string;
  readonly author?: string;
  readonly architecture: string;
  readonly os: string;
  readonly "os.version"?: string;
  readonly "os.features"?: readonly string[];
  readonly variant?: string;
  readonly config?: ContainerConfig;
  readonly rootfs: RootFs;
  readonly history?: readonly HistoryEntry[];
};

/** The fields the OCI image config defines (config.md), for strict checks of user-given configs. */
export const IMAGE_CONFIG_FIELDS = ["created", "author", "architecture", "os", "os.version", "os.features", "variant", "config", "rootfs", "history"] as const;
/** The fields of the config's `config` object (config.md, "Properties": config). */
export const CONTAINER_CONFIG_FIELDS = ["User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels", "StopSignal", "ArgsEscaped"] as const;

const ObjectSetCodec = t.readonly(t.record(t.string, JsonObjectCodec), "ObjectSet");

export const ContainerConfigCodec: t.Type<ContainerConfig, ContainerConfig, unknown> = t.readonly(
  t.partial(
    {
      User: t.string,
      ExposedPorts: ObjectSetCodec,
      Env: StringsCodec,
      Entrypoint: t.union([StringsCodec, t.null], "Array<string> | null"),
      Cmd: t.union([StringsCodec, t.null], "Array<string> | null"),
      Volumes: t.union([ObjectSetCodec, t.null], "ObjectSet | null"),
      WorkingDir: t.string,
      Labels: t.union([AnnotationsCodec, t.null], "Annotations | null"),
      StopSignal: t.string,
      ArgsEscaped: t.boolean,
    },
    "ContainerConfig",
  ),
  "ContainerConfig",
);

export const RootFsCodec: t.Type<RootFs, RootFs, unknown> = t.readonly(
  t.type({ type: t.literal("layers"), diff_ids: t.readonlyArray(DigestCodec, "Array<Digest>") }, "RootFs"),
  "RootFs",
);

export const HistoryEntryCodec: t.Type<HistoryEntry, HistoryEntry, unknown> = t.readonly(
  t.partial(
    {
      created: DateTimeCodec,
      author: t.string,
      created_by: t.string,
      comment: t.string,
      empty_layer: t.boolean,
    },
    "HistoryEntry",
  ),
  "HistoryEntry",
);

export const ImageConfigCodec: t.Type<ImageConfig, ImageConfig, unknown> = t.readonly(
  t.intersection(
    [
      t.type({ architecture: t.string, os: t.string, rootfs: RootFsCodec }),
      t.partial({
        created: DateTimeCodec,
        author: t.string,
        "os.version": t.string,
        "os.features": StringsCodec,
        variant: t.string,
        config: ContainerConfigCodec,
        history: t.readonlyArray(HistoryEntryCodec, "Array<HistoryEntry>"),
      }),
    ],
    "ImageConfig",
  ),
  "ImageConfig",
);

export const decodeImageConfig: (u: unknown) => Either<DecodeFailure, ImageConfig> = decodeWith(ImageConfigCodec);

export interface ImageConfigInput {
  readonly architecture: string;
  readonly os: string;
  readonly variant?: string | undefined;
  /** Digests of the uncompressed layer tars, base first. */
  readonly diffIds: readonly Digest[];
  /** Leave out for reproducible builds, or pass a fixed time (e.g. from SOURCE_DATE_EPOCH). */
  readonly created?: string | undefined;
  readonly author?: string | undefined;
  readonly config?: ContainerConfig | undefined;
  readonly history?: readonly HistoryEntry[] | undefined;
}

/** An image config with only the fields given (no clock is read here: `created` is the caller's). */
export const imageConfig = (input: ImageConfigInput): ImageConfig => ({
  ...(input.created === undefined ? {} : { created: input.created }),
  ...(input.author === undefined ? {} : { author: input.author }),
  architecture: input.architecture,
  os: input.os,
  ...(input.variant === undefined ? {} : { variant: input.variant }),
  ...(input.config === undefined ? {} : { config: input.config }),
  rootfs: { type: "layers", diff_ids: input.diffIds },
  ...(input.history === undefined ? {} : { history: input.history }),
});

/** An image config with its `rootfs` filled in: `body` is everything else, `diffIds` the uncompressed layer digests, base first. */
export const withDiffIds = (body: Omit<ImageConfig, "rootfs">, diffIds: readonly Digest[]): ImageConfig => ({ ...body, rootfs: { type: "layers", diff_ids: diffIds } });
