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
  push LAYOUT REF                      (not yet)
  diff OLD NEW                         (not yet)

SPEC is a .json, .yaml, .yml or .ts spec file, or a folder holding image.{ts,json,yaml}.
SOURCE_DATE_EPOCH (default 0) is every mtime and the config's created time.
Exit codes: 0 ok, 1 wrong input, 2 usage, 3 environment or I/O failure.
Run \`ocistage VERB --help\` for one verb.`;

export const VERB_USAGE: Readonly<Record<string, string>> = {
  build: `ocistage build SPEC [--out DIR] [--json] [--verify-inputs] [--no-cache] [--cache-dir DIR]
                      [--compression none|gzip|zstd]

Build the layout into DIR (default ./out/<name>), a plain OCI layout folder: oci-layout,
index.json, blobs/sha256/<hex> and image.oci.tar. Blobs are added by rename, image.oci.tar and
then index.json replaced whole, and blobs no image uses any more removed last, so a failed or
killed build leaves the earlier image in DIR. Prints the manifest digest (for a layout of several
images, "DIGEST REFERENCE" per index.json entry) and, per layer, whether it was built or reused;
--json prints every reference and descriptor, the cache's decisions and the time of the steps
that touch data.

The cache (on by default, shared by every output folder) reuses layers: a layer whose key is
unchanged is taken from DIR, or hard-linked from the folder it was last built into, without
reading a byte of its files, and image.oci.tar is kept when no blob changed. The key is the layer's spec entries and SOURCE_DATE_EPOCH, and for every input
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
record (\`ocistage verify DIR\` re-hashes them all).`,
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
  push: "ocistage push LAYOUT REF\n\nNot implemented yet.",
  diff: "ocistage diff OLD NEW [--format markdown|json]\n\nNot implemented yet.",
};
