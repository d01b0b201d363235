import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { defaultCacheDir } from "@ocistage/build";
import { readLayout } from "@ocistage/layout";
import type { Layout } from "@ocistage/layout";
import { connect, defaultRetryPolicy, describeCredentials, openBlobRecord, parseCredsFlag, parseReference, pushTarget, selectAll, selectForReference } from "@ocistage/registry";
import type { PushedImage, PushTarget, RegistryClient } from "@ocistage/registry";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { progressBar, showProgress } from "../progressBar.ts";
import { layoutFailure, registryFailure, reportedAsJson } from "../registryFailure.ts";
import type { RegistryFlags } from "../registryFlags.ts";

type Push = Extract<Command, { _tag: "Push" }>;

/** What `push` needs besides the layout: where to, and how. Shared with `build --push`. */
export interface PushRequest {
  readonly layout: string;
  readonly ref: string;
  readonly all: boolean;
  readonly image?: string | undefined;
  readonly fromRepo?: string | undefined;
  readonly chunkSize: number;
  readonly flags: RegistryFlags;
}

const CONCURRENCY = 3;

const bad = (lines: readonly string[]): CliError => ({ _tag: "BadInput", lines });

const targetsOf = (layout: Layout, request: PushRequest): E.Either<CliError, readonly PushTarget[]> =>
  pipe(
    parseReference(request.ref),
    E.mapLeft((e) => bad([`${e.input}: ${e.reason}`])),
    E.chain((ref) => E.mapLeft((reason: string) => bad([reason]))(request.all ? selectAll(layout, ref) : E.map((t: PushTarget) => [t])(selectForReference(layout, ref, request.image)))),
  );

const count = (image: PushedImage, result: string): number => image.blobs.filter((b) => b.result === result).length;

const summary = (images: readonly PushedImage[]): { readonly uploaded: number; readonly exists: number; readonly mounted: number; readonly bytesSent: number } => ({
  uploaded: images.reduce((n, i) => n + count(i, "uploaded"), 0),
  exists: images.reduce((n, i) => n + count(i, "exists"), 0),
  mounted: images.reduce((n, i) => n + count(i, "mounted"), 0),
  bytesSent: images.reduce((n, i) => n + i.blobs.reduce((s, b) => s + b.bytesSent, 0), 0),
});

const textOf = (image: PushedImage): string => {
  const s = summary([image]);
  const from = [...new Set(image.blobs.flatMap((b) => (b.mountedFrom === undefined ? [] : [b.mountedFrom])))];
  const manifests = image.manifests.filter((m) => m.result === "uploaded").length;
  return [
    `pushed ${image.reference} ${image.digest}`,
    `  ${s.uploaded} blob${s.uploaded === 1 ? "" : "s"} uploaded, ${s.exists} already there${s.mounted > 0 ? `, ${s.mounted} mounted from ${from.join(", ")}` : ""} (${s.bytesSent} bytes sent); ${manifests} of ${image.manifests.length} manifest${image.manifests.length === 1 ? "" : "s"} uploaded`,
  ].join("\n");
};

const render = (client: RegistryClient, images: readonly PushedImage[], json: boolean): string =>
  json
    ? JSON.stringify({ result: "ok", registry: client.registry, credentials: describeCredentials(client.credentials), images, summary: summary(images) }, null, 2)
    : images.map(textOf).join("\n");

const pushAll = (client: RegistryClient, layout: Layout, targets: readonly PushTarget[], request: PushRequest): TE.TaskEither<CliError, string> => async () => {
  const record = await openBlobRecord(request.flags.cacheDir ?? defaultCacheDir(process.env));
  const progress = await progressBar("push", showProgress(request.flags));
  const images: PushedImage[] = [];
  try {
    for (const target of targets) {
      const pushed = await pushTarget(client, layout, target, { chunkSize: request.chunkSize, concurrency: CONCURRENCY, fromRepo: request.fromRepo, record, progress })();
      if (E.isLeft(pushed)) return E.left(registryFailure(pushed.left));
      images.push(pushed.right);
    }
  } finally {
    await record.save();
    await client.close();
  }
  return E.right(render(client, images, request.flags.json));
};

/**
 * Pushes a layout's image (or, with `all`, every image) to a registry: reads the layout, picks
 * the entries, connects (credentials, TLS), then pushes each in turn. Shared by `push` and
 * `build --push`.
 */
export const pushLayout = (request: PushRequest): TE.TaskEither<CliError, string> =>
  pipe(
    readLayout(request.layout),
    TE.mapLeft((e) => layoutFailure(request.layout, e)),
    TE.chain((layout) =>
      pipe(
        TE.fromEither(targetsOf(layout, request)),
        TE.chain((targets) => {
          const first = targets[0];
          if (first === undefined) return TE.left(bad([`${request.layout}: index.json names no image to push`]));
          const creds = request.flags.creds === undefined ? undefined : parseCredsFlag(request.flags.creds);
          return pipe(
            connect(first.reference, { tlsVerify: request.flags.tlsVerify, certDir: request.flags.certDir, creds, policy: { ...defaultRetryPolicy, attempts: request.flags.retries + 1 } }),
            TE.mapLeft(registryFailure),
            TE.chain((client) => pushAll(client, layout, targets, request)),
          );
        }),
      ),
    ),
    TE.mapLeft(reportedAsJson(request.flags.json)),
  );

export const pushCommand = (command: Push): TE.TaskEither<CliError, string> =>
  pushLayout({ layout: command.layout, ref: command.ref, all: command.all, image: command.image, fromRepo: command.fromRepo, chunkSize: command.chunkSize, flags: command.flags });
