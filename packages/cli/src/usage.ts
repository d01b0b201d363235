// Help texts: one for the tool, one per verb. Kept beside the parser so they cannot drift far.
export const VERSION = "0.1.0";

export const USAGE = `ocistage ${VERSION}: build OCI images the way a compiler builds programs

Usage: ocistage VERB [options]

  build SPEC [--out DIR] [--json]      build the image: DIR/{oci-layout,index.json,blobs/sha256/*,image.oci.tar}
  validate SPEC [--json]               decode, lower and check the program; every issue, exit 1
  plan SPEC [--format text|markdown|json]
  dry-run SPEC [--json]
  graph SPEC [--format text|dot|mermaid|json]
  emit shell SPEC [-o FILE]            a POSIX sh script that builds the byte-identical image
  emit dockerfile SPEC --context DIR [--image ID]   a Dockerfile and its build context
  docs SPEC [-o FILE]                  one Markdown page with every view of the program
  test SPEC [--out DIR]                build, then run the spec's smoke tests in a real runtime
  verify LAYOUT [--json]               re-hash every blob, check every descriptor
  convert docker-archive:FILE --out DIR [--json]   a docker save archive as an OCI layout
  bundle SPEC --out DIR [--image ID] [--readonly]   an OCI runtime bundle for runc
  push LAYOUT REF | --all REGISTRY/REPO   push to a registry: blobs, manifests, indexes, then tags
  pull REF --out DIR [--platform P]    pull into an OCI layout, every blob verified
  diff OLD NEW                         (not yet)

SPEC is a .json, .yaml, .yml or .ts spec file, or a folder holding image.{ts,json,yaml}.
SOURCE_DATE_EPOCH (default 0) is every mtime and the config's created time.
Exit codes: 0 ok, 1 wrong input, 2 usage, 3 environment or I/O failure.
Run \`ocistage VERB --help\` for one verb.`;

const REGISTRY_OPTIONS = `Registry options:
  --creds USER:PASSWORD  instead of the credential files, which are read in this order:
                   $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json,
                   ~/.docker/config.json (auths, credHelpers, credsStore)
  --tls-verify=false  no certificate check for REF's registry, and plain HTTP if it has no TLS
  --cert-dir DIR   *.crt: extra CAs; NAME.cert + NAME.key: a client certificate
                   (default /etc/containers/certs.d/HOST:PORT, then /etc/docker/certs.d/…)
  --retries N      retries of 429, 5xx and dropped connections, with backoff (default 4)
  --json           the report as JSON (never a secret)   --quiet  no progress bar
  --cache-dir DIR  where the record of pushed blobs lives (default $XDG_CACHE_HOME/ocistage)`;

export const VERB_USAGE: Readonly<Record<string, string>> = {
  build: `ocistage build SPEC [--out DIR] [--json] [--verify-inputs] [--no-cache] [--cache-dir DIR] [--push REF]
                      [--compression none|gzip|zstd]
ocistage build SPEC --out DIR --docker-archive FILE [--image ID]

Build the layout into DIR (default ./out/<name>), a plain OCI layout folder: oci-layout,
index.json, blobs/sha256/<hex> and image.oci.tar. Blobs are added by rename, image.oci.tar and
then index.json replaced whole, and blobs no image uses any more removed last, so a failed or
killed build leaves the earlier image in DIR. Prints the manifest digest (for a layout of several
images, "DIGEST REFERENCE" per index.json entry) and, per layer, whether it was built or reused;
--json prints every reference and descriptor, the cache's decisions and the time of the steps
that touch data.

The cache (on by default, shared by every output folder) reuses layers: a layer whose key is
unchanged is taken from DIR, or copied (a reflink where the file system has them) from the
folder it was last built into, without reading a byte of its files, and image.oci.tar is kept when no blob changed. The key is the layer's spec entries and SOURCE_DATE_EPOCH, and for every input
its path, kind, mode, owner, link target, size, mtime, ctime, inode and device (lstat only).
Any write to a file sets its ctime to the current time, which no call sets back (touch -d
restores the mtime only), and an editor's save-by-rename makes a new inode, so every edit
through the file system is seen; files changed in the clock tick of the build's lstat are not
recorded until a later build.
The records live in $XDG_CACHE_HOME/ocistage (default ~/.cache/ocistage), or --cache-dir DIR.
  --verify-inputs  re-read and re-hash every input; reuse a layer only when its tar has the
                   recorded digest (for file systems whose ctime cannot be trusted)
  --no-cache       build every layer and the archive from the inputs; the cache is neither
                   read nor written
  --compression C  store every layer as C (none, gzip or zstd), whatever the spec's
                   \`compression\` fields say; diff_ids stay the uncompressed tars' digests
verify-blobs re-hashes every blob this build wrote and checks a reused one's size against its
record (\`ocistage verify DIR\` re-hashes them all).

--docker-archive FILE also writes the image in the docker save format (docker load, podman
load, skopeo's docker-archive:): manifest.json, repositories, the config as <hex>.json and each
layer as its uncompressed tar <diff_id hex>.tar (a compressed layer is decompressed), plus the
legacy <id>/{VERSION,json,layer.tar} folders; every entry root-owned at SOURCE_DATE_EPOCH, so
the file is the same bytes for the same image. It holds every image of a layout (a tag names
one image: of a multi-platform reference, the first platform's) or the one --image ID names.
FILE is written beside itself and renamed into place.

  --push REF       then push DIR to REF as \`ocistage push\` does (a layout of several images:
                   REF is REGISTRY/REPO, as with push --all); takes push's registry options.`,
  validate: `ocistage validate SPEC [--json]

Decode the spec, lower it into a program and check the program's structure (unique step names,
every need exists, no cycle, each output made by one step, every tool declared). Prints
"result: ok", or every issue as "path: what was wrong" with exit 1. --json prints the result on
stdout whatever it is: {"result": "ok", …}, or "invalid" (or "error", exit 3) with "issues", each
with its "message" (the line) and, for a spec's field, "at"; the exit code is the same.`,
  plan: `ocistage plan SPEC [--format text|markdown|json]

The steps in execution order, each with the command a shell substrate would run.`,
  "dry-run": `ocistage dry-run SPEC [--json]

What a build would do (tools, writes, runs, descriptors, transforms, materialization, evidence)
and the runtime services it would start, without touching the file system.`,
  graph: `ocistage graph SPEC [--format text|dot|mermaid|json]

The program's dependency graph: tools, operations and outputs, with uses-tool and data edges.`,
  emit: `ocistage emit shell SPEC [-o FILE] [--compression none|gzip|zstd]
ocistage emit dockerfile SPEC --context DIR [--image ID]

shell: a POSIX sh script (GNU tar and coreutils only) that builds the byte-identical layout;
compressed layers are compressed by the host's gzip or zstd (same diff_ids, other blob bytes).
dockerfile: a Dockerfile and, in DIR, the build context it copies from; it builds one image,
so a layout of several needs --image ID (the ids are the step names' suffixes, e.g. web-amd64).`,
  docs: `ocistage docs SPEC [-o FILE]

One Markdown page with every view of the program.`,
  test: `ocistage test SPEC [--out DIR] [--record FILE]

Build the image, run each of the spec's smoke tests in it with a real runtime (podman or runc),
and print the results; --record writes them as JSON for the docs' Evidence section.`,
  verify: `ocistage verify LAYOUT [--json]

Re-hash every blob of an OCI layout and check every descriptor (size, media type, digest) from
index.json down. Every issue is printed with the descriptor's path; exit 1 if there is any.`,
  convert: `ocistage convert docker-archive:FILE --out DIR [--json]

Read a docker save archive (docker save, podman save, skopeo copy … docker-archive:, a nix
docker tarball; the archive may be gzip-compressed) and write it to DIR as a plain OCI layout.
Every layer is kept byte for byte (its digest is the sha256 of the member as stored; a gzip or
zstd member stays compressed, with that media type) after its tar is checked against the
config's diff_id; the config keeps the fields the OCI config defines (Docker's own, such as
container_config or Healthcheck, are left out, as skopeo does); index.json names each image by
the tag of its RepoTags. A wrong archive (no manifest.json, a layer that is not its diff_id, a
path leaving the archive) exits 1 naming the file, and nothing is written.`,
  bundle: `ocistage bundle SPEC --out DIR [--image ID] [--readonly]
ocistage bundle --from-layout DIR[:REF] --out DIR [--readonly]

Build the image (with the cache) and write DIR as an OCI runtime bundle: DIR/rootfs, its layers
applied in order (whiteouts honoured, owners and device nodes as the tars say when run as
root, no path outside rootfs), and DIR/config.json (runtime-spec 1.2.0): the image's
entrypoint and cmd, env, working dir and user (names resolved in the rootfs' /etc/passwd and
/etc/group), no terminal, pid/network/mount/ipc/uts namespaces, the standard mounts, the
default capabilities, NOFILE 1024. --readonly makes the root file system read-only. Start it
with \`runc run --bundle DIR ID\` (as root). A layout of several images needs --image ID;
--from-layout bundles an image of an existing layout instead (REF: its ref.name). DIR is made
beside itself and renamed into place; an earlier bundle there is replaced whole. --json prints
the bundle's folder and its config.json.`,
  push: `ocistage push LAYOUT REF [--image NAME] [REGISTRY OPTIONS] [--from-repo REPO] [--chunk-size SIZE]
ocistage push LAYOUT --all REGISTRY/REPO [REGISTRY OPTIONS]

Push an image of an OCI layout to a registry over the OCI distribution API, in the order that
keeps every tag whole: blobs, then child manifests by digest, then indexes, then the tag. Each
blob is asked for first (HEAD): what the registry has is not sent again; a blob seen in another
repository of the same registry (recorded in the cache folder, or --from-repo REPO) is mounted;
the rest is uploaded in one PUT, or in PATCH chunks of --chunk-size (default 64MiB) above that.
REF is [docker://]REGISTRY/REPO[:TAG][@DIGEST]; without a tag the image's own tag is used. A
layout of several images needs --image NAME (its ref.name), or --all: each entry NAME:TAG goes
to REGISTRY/REPO/NAME:TAG, a bare TAG to REGISTRY/REPO:TAG.
Prints, per image, how many blobs were uploaded, already there or mounted; --json gives every
blob (digest, size, result uploaded|exists|mounted, bytesSent). Exit 1 when the registry refuses
or cannot be reached (after retries), 3 when the layout cannot be read from disk.
${REGISTRY_OPTIONS}`,
  pull: `ocistage pull REF --out DIR [--platform os/arch[/variant]] [REGISTRY OPTIONS]

Pull an image into DIR, a plain OCI layout: every platform of an index unless --platform picks
one. Each blob streams into a temporary file in DIR while it is hashed and is renamed to its
digest only if it matches; index.json (with an entry named after REF's tag) is written last,
so a failed pull leaves DIR as it was. DIR may be absent, empty or an OCI layout (its other
images are kept; its image.oci.tar, which would no longer match, is removed).
${REGISTRY_OPTIONS}`,
  diff: "ocistage diff OLD NEW [--format markdown|json]\n\nNot implemented yet.",
};
