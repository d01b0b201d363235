import * as E from "fp-ts/lib/Either.js";
import * as TE from "fp-ts/lib/TaskEither.js";
import { pipe } from "fp-ts/lib/function.js";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { abandonOutput, defaultCacheDir, formatBuildError, isEnvironmentError, openOutput, publishOutput, temporaryPath } from "@ocistage/build";
import type { OutputFolder } from "@ocistage/build";
import { readLayout } from "@ocistage/layout";
import type { LayoutNode } from "@ocistage/layout";
import { canonicalJsonBytes, digestHex, imageIndex, layoutFile, refNameOf } from "@ocistage/oci";
import type { Descriptor } from "@ocistage/oci";
import { connect, defaultRetryPolicy, describeCredentials, openBlobRecord, parseCredsFlag, parsePlatform, parseReference, pullImage } from "@ocistage/registry";
import type { PulledImage, Reference } from "@ocistage/registry";
import type { CliError } from "../CliError.ts";
import type { Command } from "../Command.ts";
import { digestsOfNode } from "../layoutDigests.ts";
import { progressBar, showProgress } from "../progressBar.ts";
import { layoutFailure, registryFailure, reportedAsJson } from "../registryFailure.ts";

type Pull = Extract<Command, { _tag: "Pull" }>;

const CONCURRENCY = 3;

const bad = (lines: readonly string[]): CliError => ({ _tag: "BadInput", lines });

/** The entries an existing layout in `out` keeps (all but the one named like the pull), or none. */
const keptEntries = (out: string, name: string | undefined): TE.TaskEither<CliError, readonly LayoutNode[]> => async () => {
  const hasIndex = await fs.stat(path.join(out, "index.json")).then(() => true, () => false);
  if (!hasIndex) return E.right([]);
  const layout = await readLayout(out)();
  if (E.isLeft(layout)) {
    const failure = layoutFailure(out, layout.left);
    return E.left({ ...failure, lines: [`${out} holds a layout that cannot be read, so nothing is pulled into it:`, ...failure.lines] });
  }
  return E.right(layout.right.manifests.filter((m) => name === undefined || refNameOf(m.descriptor) !== name));
};

/**
 * The pull's last step, the output folder's way: `oci-layout` if missing, then `index.json`
 * (the kept entries and the new one) by rename; blobs nothing names any more are removed. An
 * `image.oci.tar` of an earlier build no longer matches, and goes.
 */
const publish = (folder: OutputFolder, kept: readonly LayoutNode[], pulled: PulledImage): TE.TaskEither<CliError, void> =>
  pipe(
    TE.tryCatch(
      async () => {
        const marker = path.join(folder.out, "oci-layout");
        if (!(await fs.stat(marker).then(() => true, () => false))) {
          const temporary = temporaryPath(folder.out, "oci-layout");
          await fs.writeFile(temporary, canonicalJsonBytes(layoutFile()));
          await fs.rename(temporary, marker);
        }
        await fs.rm(path.join(folder.out, "image.oci.tar"), { force: true });
      },
      (e): CliError => ({ _tag: "Environment", lines: [`${folder.out}: could not write oci-layout: ${String(e)}`] }),
    ),
    TE.chain(() => {
      const entries: Descriptor[] = [...kept.map((k) => k.descriptor), pulled.entry];
      const referenced = new Set<string>([...kept.flatMap(digestsOfNode), ...pulled.blobs.map((b) => digestHex(b.digest)), ...pulled.documents.map(digestHex)]);
      return pipe(
        publishOutput(folder, { index: canonicalJsonBytes(imageIndex({ manifests: entries })), referenced }),
        TE.mapLeft((e): CliError => ({ _tag: isEnvironmentError(e) ? "Environment" : "BadInput", lines: formatBuildError(e) })),
      );
    }),
  );

const render = (pulled: PulledImage, out: string, credentials: string, json: boolean): string => {
  const fetched = pulled.blobs.filter((b) => b.result === "fetched");
  const bytes = fetched.reduce((n, b) => n + b.size, 0);
  if (json) return JSON.stringify({ result: "ok", reference: pulled.reference, out, credentials, entry: pulled.entry, blobs: pulled.blobs, documents: pulled.documents }, null, 2);
  return [
    `pulled ${pulled.reference} ${pulled.entry.digest}`,
    `  ${fetched.length} blob${fetched.length === 1 ? "" : "s"} fetched (${bytes} bytes, each verified), ${pulled.blobs.length - fetched.length} already in ${out}; ${pulled.documents.length} manifest${pulled.documents.length === 1 ? "" : "s"}`,
  ].join("\n");
};

const pullInto = (ref: Reference, command: Pull): TE.TaskEither<CliError, string> => async () => {
  const platform = command.platform === undefined ? undefined : parsePlatform(command.platform);
  if (platform !== undefined && E.isLeft(platform)) return E.left({ _tag: "Usage", message: platform.left });
  const tag = ref.tag ?? (ref.digest === undefined ? "latest" : undefined);
  const creds = command.flags.creds === undefined ? undefined : parseCredsFlag(command.flags.creds);
  const client = await connect(ref, { tlsVerify: command.flags.tlsVerify, certDir: command.flags.certDir, creds, policy: { ...defaultRetryPolicy, attempts: command.flags.retries + 1 } })();
  if (E.isLeft(client)) return E.left(registryFailure(client.left));
  try {
    const folder = await openOutput(command.out)();
    if (E.isLeft(folder)) return E.left({ _tag: isEnvironmentError(folder.left) ? "Environment" : "BadInput", lines: formatBuildError(folder.left) });
    const kept = await keptEntries(folder.right.out, tag)();
    if (E.isLeft(kept)) {
      await abandonOutput(folder.right)();
      return kept;
    }
    const record = await openBlobRecord(command.flags.cacheDir ?? defaultCacheDir(process.env));
    const pulled = await pullImage(client.right, ref, { dir: folder.right.out, temporary: (what) => temporaryPath(folder.right.out, what) }, {
      platform: platform?.right,
      concurrency: CONCURRENCY,
      progress: await progressBar("pull", showProgress(command.flags)),
      noteBlob: (digest) => record.note(ref.registry, digest, ref.repository),
    })();
    if (E.isLeft(pulled)) {
      await abandonOutput(folder.right)();
      return E.left(registryFailure(pulled.left));
    }
    const published = await publish(folder.right, kept.right, pulled.right)();
    if (E.isLeft(published)) {
      await abandonOutput(folder.right)();
      return published;
    }
    await record.save();
    return E.right(render(pulled.right, folder.right.out, describeCredentials(client.right.credentials), command.flags.json));
  } finally {
    await client.right.close();
  }
};

/**
 * `ocistage pull REF --out DIR [--platform os/arch[/variant]]`: the image (every platform of an
 * index, unless --platform picks one) into DIR as a plain OCI layout, every blob verified as it
 * streams to disk; DIR's `index.json` gets an entry named after REF's tag, written last.
 */
export const pullCommand = (command: Pull): TE.TaskEither<CliError, string> =>
  pipe(
    TE.fromEither(E.mapLeft((e: { readonly input: string; readonly reason: string }) => bad([`${e.input}: ${e.reason}`]))(parseReference(command.ref))),
    TE.chain((ref) => pullInto(ref, command)),
    TE.mapLeft(reportedAsJson(command.flags.json)),
  );

