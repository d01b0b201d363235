import * as E from "fp-ts/lib/Either.js";
import type * as TE from "fp-ts/lib/TaskEither.js";
import { decodeImageConfig, formatDecodeProblem, parseDigest } from "@ocistage/oci";
import type { DecodeFailure, Digest, ImageConfig } from "@ocistage/oci";
import type { ArchiveMember, MemberData } from "./archiveMembers.ts";
import { eachMember, memberName, resolveMember } from "./archiveMembers.ts";
import type { DockerArchiveError } from "./DockerArchiveError.ts";
import { invalidArchive } from "./DockerArchiveError.ts";
import { decodeDockerManifest } from "./dockerManifest.ts";
import type { DockerManifestEntry } from "./dockerManifest.ts";

/** A layer of an archived image: the member holding its tar (as stored) and the diff_id its config declares. */
export interface DockerArchiveLayer {
  readonly member: string; // the file member, links followed
  readonly declared: string; // as manifest.json names it
  readonly diffId: Digest;
}

/** One image of a docker-archive: its config (bytes as archived, and decoded), tags and layers, base first. */
export interface DockerArchiveImage {
  readonly at: string; // "manifest.json[0]", for messages
  readonly configMember: string;
  readonly configBytes: Uint8Array;
  readonly config: ImageConfig;
  readonly repoTags: readonly string[];
  readonly layers: readonly DockerArchiveLayer[];
}

/** A docker-archive read and checked: every image's config decoded and every layer member found. Layers are not read yet. */
export interface DockerArchive {
  readonly file: string;
  readonly images: readonly DockerArchiveImage[];
}

// Far above any real config or manifest.json, low enough that no layer is loaded by mistake.
const DOCUMENT_LIMIT = 16 * 1024 * 1024;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

// JSON documents (every config, manifest.json, index.json) start with "{" or "["; a layer tar
// never does (a gzip stream starts 1f 8b, a tar with a file name), so only those are kept.
const keepIfJson = async (member: ArchiveMember, data: MemberData): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let keep = member.type === "file" && member.size <= DOCUMENT_LIMIT;
  for await (const chunk of data) {
    if (chunks.length === 0 && keep) keep = chunk[0] === OPEN_BRACE || chunk[0] === OPEN_BRACKET;
    if (keep) chunks.push(chunk);
  }
  return keep && chunks.length > 0 ? Buffer.concat(chunks) : undefined;
};

// Problems of a decoded document, each led by where it is: `manifest.json[0].Layers`.
const problemLines = (document: string, failure: DecodeFailure): readonly string[] =>
  failure.problems.map((p) => `${document}${p.path === "" ? "" : p.path.startsWith("[") ? p.path : `.${p.path}`}: expected ${p.expected}, found ${p.found}`);

const parseJson = (bytes: Uint8Array): E.Either<string, unknown> =>
  E.tryCatch(
    () => JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as unknown,
    (e) => `is not JSON (${e instanceof Error ? e.message : String(e)})`,
  );

interface Scan {
  readonly members: ReadonlyMap<string, ArchiveMember>;
  readonly documents: ReadonlyMap<string, Buffer>;
}

// A path named by manifest.json, found in the archive (links followed), or why not.
const findMember = (scan: Scan, at: string, given: string): E.Either<string, ArchiveMember> => {
  const name = memberName(given);
  if (name === undefined) return E.left(`${at}: ${JSON.stringify(given)} is a path leaving the archive`);
  const member = resolveMember(scan.members, name);
  return member === undefined ? E.left(`${at}: the archive has no file ${JSON.stringify(given)}`) : E.right(member);
};

const imageOf = (scan: Scan, entry: DockerManifestEntry, i: number): E.Either<readonly string[], DockerArchiveImage> => {
  const at = `manifest.json[${i}]`;
  const issues: string[] = [];
  const configMember = findMember(scan, `${at}.Config`, entry.Config);
  const layerMembers = entry.Layers.map((layer, j) => findMember(scan, `${at}.Layers[${j}]`, layer));
  for (const found of [configMember, ...layerMembers]) if (E.isLeft(found)) issues.push(found.left);
  if (E.isLeft(configMember)) return E.left(issues);
  const name = configMember.right.name;
  const bytes = scan.documents.get(name);
  if (bytes === undefined) return E.left([...issues, `${name} (${at}.Config): is not a JSON image config`]);
  const config = E.chain((json: unknown) => E.mapLeft((f: DecodeFailure) => f.problems.map(formatDecodeProblem).join("; "))(decodeImageConfig(json)))(parseJson(bytes));
  if (E.isLeft(config)) return E.left([...issues, `${name} (${at}.Config): ${config.left}`]);
  const diffIds = config.right.rootfs.diff_ids;
  if (diffIds.length !== entry.Layers.length) issues.push(`${name}: rootfs.diff_ids has ${diffIds.length} entries, but ${at}.Layers names ${entry.Layers.length} layers`);
  for (const [j, id] of diffIds.entries()) if (E.isLeft(parseDigest(id))) issues.push(`${name}: rootfs.diff_ids[${j}]: ${JSON.stringify(id)} is not a sha256 digest`);
  if (issues.length > 0) return E.left(issues);
  return E.right({
    at,
    configMember: name,
    configBytes: bytes,
    config: config.right,
    repoTags: entry.RepoTags ?? [],
    layers: layerMembers.map((m, j) => ({ member: (m as E.Right<ArchiveMember>).right.name, declared: entry.Layers[j] ?? "", diffId: diffIds[j] as Digest })),
  });
};

// What a tar with no manifest.json is, said plainly.
const noManifest = (scan: Scan): string =>
  scan.members.has("oci-layout") && scan.members.has("index.json")
    ? "has no manifest.json: it is an OCI image layout archive (oci-layout, index.json), not a docker-archive; read it as oci-archive:"
    : "has no manifest.json, so it is not a docker-archive (the docker save format)";

const checkArchive = (file: string, scan: Scan, memberIssues: readonly string[]): E.Either<DockerArchiveError, DockerArchive> => {
  const manifestBytes = scan.documents.get("manifest.json");
  if (manifestBytes === undefined) return E.left(invalidArchive(file, [...memberIssues, scan.members.has("manifest.json") ? "manifest.json: is not a JSON array" : noManifest(scan)]));
  const entries = E.chain((json: unknown) => E.mapLeft((f: DecodeFailure) => problemLines("manifest.json", f))(decodeDockerManifest(json)))(E.mapLeft((why: string) => [`manifest.json: ${why}`])(parseJson(manifestBytes)));
  if (E.isLeft(entries)) return E.left(invalidArchive(file, [...memberIssues, ...entries.left]));
  if (entries.right.length === 0) return E.left(invalidArchive(file, [...memberIssues, "manifest.json: names no image"]));
  const images = entries.right.map((entry, i) => imageOf(scan, entry, i));
  const issues = [...memberIssues, ...images.flatMap((r) => (E.isLeft(r) ? r.left : []))];
  if (issues.length > 0) return E.left(invalidArchive(file, issues));
  return E.right({ file, images: images.map((r) => (r as E.Right<DockerArchiveImage>).right) });
};

/**
 * Reads a docker-archive (`docker save`, `skopeo copy … docker-archive:`, a nix docker tarball;
 * the archive may itself be gzip-compressed) in one pass over the file: manifest.json, and every
 * image's config, decoded and checked (a diff_id per layer). Layers are found but not read:
 * `dockerArchiveToLayout` streams them. Docker 25's archives, which are also an OCI layout, are
 * read through their manifest.json like any other. Every problem is collected, each naming the
 * member or the manifest.json field.
 */
export const readDockerArchive =
  (file: string): TE.TaskEither<DockerArchiveError, DockerArchive> =>
  async () => {
    const members = new Map<string, ArchiveMember>();
    const documents = new Map<string, Buffer>();
    const scanned = await eachMember(file, async (member, data) => {
      members.set(member.name, member);
      const json = await keepIfJson(member, data);
      if (json !== undefined) documents.set(member.name, json);
    });
    return E.chain((memberIssues: readonly string[]) => checkArchive(file, { members, documents }, memberIssues))(scanned);
  };
