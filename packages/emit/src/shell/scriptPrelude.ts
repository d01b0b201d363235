import type { Program, StepOf } from "@ocistage/program";
import { imageTitle, platformText, programTitle } from "@ocistage/program";
import { copyHelpers } from "./copyHelpers.ts";
import { layersNeedingRoot } from "./layerOwners.ts";
import { commentText } from "./shellQuote.ts";
import { isRelativeSource } from "./sourcePath.ts";
import { CAPABILITY_HELPERS } from "./capabilityCommands.ts";
import { IMPORT_BLOB_HELPER } from "./importBaseCommands.ts";
import { compressionHeader, compressionHelpers, compressionTools } from "./compressionCommands.ts";

// What the top of the script needs to know about the program.
export interface ScriptNeeds {
  readonly sourceRoot: boolean; // some source path is relative
  readonly rootFor: readonly string[]; // layers that mix owners
  readonly hasCopies: boolean;
  readonly hasExcludes: boolean;
  readonly hasBases: boolean; // some image is built on a base image (import_blob)
  readonly archive?: string; // the layout archive's name, when the program writes one
  readonly compressors: readonly string[]; // gzip, zstd: for the compressed layers
  readonly compressionHeader: string; // "" for an uncompressed program
  readonly compressionHelpers: string; // "" for an uncompressed program
}

export const scriptNeeds = (program: Program): ScriptNeeds => {
  const assembles = program.steps.filter((s): s is StepOf<"AssembleRootfs"> => s._tag === "AssembleRootfs");
  const copies = assembles.flatMap((s) => s.entries.flatMap((e) => (e._tag === "Copy" ? [e] : [])));
  const archive = program.steps.find((s): s is StepOf<"ArchiveLayout"> => s._tag === "ArchiveLayout")?.archive;
  return {
    sourceRoot:
      copies.some((c) => isRelativeSource(c.source)) ||
      program.steps.some((s) => s._tag === "ImportBase" && s.base.source._tag !== "Registry" && isRelativeSource(s.base.source.path)),
    hasBases: program.steps.some((s) => s._tag === "ImportBase"),
    rootFor: layersNeedingRoot(assembles),
    hasCopies: copies.length > 0,
    hasExcludes: copies.some((c) => c.exclude.length > 0),
    ...(archive === undefined ? {} : { archive: commentText(archive) }),
    compressors: compressionTools(program),
    compressionHeader: compressionHeader(program),
    compressionHelpers: compressionHelpers(program),
  };
};

const header = (program: Program, needs: ScriptNeeds): string => {
  const [only, ...others] = program.images;
  const what =
    only !== undefined && others.length === 0
      ? `the OCI image ${commentText(programTitle(program))} (${commentText(platformText(only.platform))})`
      : `the OCI layout ${commentText(program.name)}: ${program.images.map((i) => commentText(`${imageTitle(program, i.id).replace(/ \(.*\)$/, "")} (${platformText(i.platform)})`)).join(", ")}`;
  return `#!/bin/sh
# Builds ${what}. Written by \`ocistage emit shell\`.
#
# It writes byte for byte the blobs, index.json and image.oci.tar that \`ocistage build\` makes
# from the same spec and inputs, with nothing but a POSIX sh (dash or bash), GNU tar 1.28 or
# newer and GNU coreutils. It checks those tools before it writes anything.
#
# Usage: sh SCRIPT OUT_DIR [SOURCE_ROOT]
#   OUT_DIR      the OCI layout to write (oci-layout, index.json, blobs/sha256/, image.oci.tar):
#                a new or an empty folder. Layers are assembled in OUT_DIR/.scratch, removed at
#                the end; a failed run leaves OUT_DIR as it stopped, for a look.${
    needs.archive === undefined ? "" : `\n#                ${needs.archive} is written beside OUT_DIR first (OUT_DIR.${needs.archive}.tmp), then moved in.`
  }
#   SOURCE_ROOT  the folder the spec's relative source paths start from: the spec's own folder,
#                which a script cannot know (or set OCISTAGE_SOURCE_ROOT). Absolute source paths
#                are used as they are. ${needs.sourceRoot ? "This spec has relative sources: SOURCE_ROOT is required." : "This spec has no relative sources: SOURCE_ROOT is not needed."}
#
# Root: ${
    needs.rootFor.length === 0
      ? "not needed. Every layer has one owner, which tar records (--owner/--group)."
      : `needed. Layer${needs.rootFor.length === 1 ? "" : "s"} ${needs.rootFor.join(", ")} give${needs.rootFor.length === 1 ? "s" : ""} entries owners of their own, so the\n#   scratch tree is chown'ed and tar keeps its numeric owners; only root may chown.`
  }
# Time: every mtime in every tar is ${program.sourceDateEpoch} (SOURCE_DATE_EPOCH when the script was written).
# Trust: the script assumes the spec passed \`ocistage validate\`. It stops at the problems it
#   meets (an entry where another already is, a missing source, a FIFO, device or socket in a
#   source), but unlike the build it does not look inside copied folders for files that another
#   entry also gives.${needs.compressionHeader}`;
};

// The helpers the steps call, then the checks: arguments, tools, root, folders.
const prelude = (needs: ScriptNeeds): string => {
  const tools = ["tar", "sha256sum", "stat", "cp", "chmod", "mkdir", "rm", "mv", "ln", "cat", "ls", ...(needs.rootFor.length > 0 ? ["id", "chown"] : []), ...needs.compressors];
  const usage = `usage: $0 OUT_DIR ${needs.sourceRoot ? "SOURCE_ROOT" : "[SOURCE_ROOT]"}`;
  return `set -eu
umask 022
LC_ALL=C
export LC_ALL
# GNU tar reads options from TAR_OPTIONS; nothing from the caller's environment may change the bytes.
unset TAR_OPTIONS POSIXLY_CORRECT CDPATH
nl='
'

die() {
  printf 'build-image: %s\\n' "$*" >&2
  exit 1
}

usage() {
  printf '%s\\n' "${usage}" >&2
  printf '%s\\n' "  OUT_DIR      a new or an empty folder for the OCI layout" >&2
  printf '%s\\n' "  SOURCE_ROOT  the folder relative source paths start from (or OCISTAGE_SOURCE_ROOT)${needs.sourceRoot ? "" : "; not needed by this spec"}" >&2
  exit 2
}

step() {
  printf '==> %s\\n' "$1" >&2
}

# absolute DIR: DIR's resolved path, in $abs (the x keeps a name that ends in newlines whole)
absolute() {
  case $1 in
    /*) abs=$1 ;;
    *) abs=./$1 ;;
  esac
  abs=$(cd -P -- "$abs" && pwd -P && printf x) || die "cannot enter the folder $1"
  abs=\${abs%"\${nl}x"}
}

is_dir() { [ -d "$1" ] && [ ! -L "$1" ]; }
exists() { [ -e "$1" ] || [ -L "$1" ]; }

# fresh PATH: nothing is at PATH yet (two entries may not claim one path)
fresh() {
  if exists "$1"; then
    where=\${1#"$root"}
    die "\${where:-/} is given twice (by an earlier entry or a copied folder)"
  fi
}

# implied_dir PATH [OWNER]: a folder a destination implies, 0755 (and OWNER's), unless something
# made it already
implied_dir() {
  if is_dir "$1"; then return 0; fi
  if exists "$1"; then
    where=\${1#"$root"}
    die "\${where:-/} must be a folder (an entry below it needs one), but something else is there"
  fi
  mkdir -- "$1"
  chmod 00755 -- "$1"
  if [ "$#" -gt 1 ]; then chown -h -- "$2" "$1"; fi
}

# make_dir PATH: a folder the spec names; it may restate a folder a destination implied
make_dir() {
  if is_dir "$1"; then return 0; fi
  fresh "$1"
  mkdir -- "$1"
}

make_link() { fresh "$2" && ln -s -- "$1" "$2"; }
write_file() { fresh "$1" && cat > "$1"; }
write_text() { fresh "$1" && printf '%s' "$2" > "$1"; }
${
  needs.hasCopies
    ? `
${copyHelpers(needs.hasExcludes)}${CAPABILITY_HELPERS}

# refuse_special LAYER TAR: the build copies only files, folders and symlinks, and no name that
# runtimes read as a whiteout (.wh.*)
refuse_special() {
  tar --quoting-style=escape -tvf "$2" | while IFS= read -r line; do
    case $line in
      [bcp]*) die "layer $1: a source holds a FIFO or device file (leave it out with an exclude pattern): $line" ;;
    esac
  done
  tar --quoting-style=escape -tf "$2" | while IFS= read -r line; do
    case $line in
      */.wh.*) die "layer $1: a source holds a name starting with .wh., which runtimes read as a whiteout (rename it, or leave it out with an exclude pattern): $line" ;;
    esac
  done
}
`
    : ""
}
set_mode() {
  if [ ! -L "$2" ]; then chmod "$1" -- "$2"; fi
}
${
  needs.rootFor.length > 0
    ? `
set_owner() { chown -h -- "$1" "$2"; }
`
    : ""
}
# tar_layer LAYER TAR-ARGS...: GNU tar must not skip anything (it only warns about sockets)
tar_layer() {
  layer=$1
  shift
  if ! tar "$@" 2> "$scratch/tar-messages"; then
    cat -- "$scratch/tar-messages" >&2
    die "tar failed on layer $layer"
  fi
  if [ -s "$scratch/tar-messages" ]; then
    cat -- "$scratch/tar-messages" >&2
    die "layer $layer: tar skipped something (above); the build would refuse it"
  fi
}

# put_blob FILE: hash FILE and move it into blobs/sha256 under its digest; sets blob_hex, blob_size
put_blob() {
  blob_hex=$(sha256sum < "$1")
  blob_hex=\${blob_hex%% *}
  blob_size=$(stat -c %s -- "$1")
  mv -f -- "$1" "$blobs/$blob_hex"
}

${needs.hasBases ? `${IMPORT_BLOB_HELPER.trimStart()}\n` : ""}${needs.compressionHelpers}# check_blob FILE: FILE's sha256 is its name
check_blob() {
  hex=$(sha256sum < "$1")
  hex=\${hex%% *}
  [ "$1" = "$blobs/$hex" ] || die "blob \${1##*/} does not hold what its name says (its sha256 is $hex)"
}

if [ "$#" -lt ${needs.sourceRoot ? 2 : 1} ] || [ "$#" -gt 2 ]; then
${needs.sourceRoot ? `  if [ "$#" -ne 1 ] || [ -z "\${OCISTAGE_SOURCE_ROOT:-}" ]; then usage; fi` : "  usage"}
fi
out_arg=$1
[ -n "$out_arg" ] || usage
${needs.sourceRoot ? `src_arg=\${2:-\${OCISTAGE_SOURCE_ROOT:-}}\n[ -n "$src_arg" ] || usage\n` : ""}
# The tools, before anything is written.
missing=''
for tool in ${tools.join(" ")}; do
  command -v "$tool" > /dev/null 2>&1 || missing="$missing $tool"
done
[ -z "$missing" ] || die "missing tools:$missing (this script needs GNU tar and GNU coreutils)"
tar_version=$(tar --version 2> /dev/null) || tar_version=''
tar_version=\${tar_version%%"$nl"*}
case $tar_version in
  'tar (GNU tar) '*) ;;
  *) die "needs GNU tar as tar, but 'tar --version' says: \${tar_version:-nothing (it failed)}" ;;
esac
tar_release=\${tar_version#'tar (GNU tar) '}
tar_major=\${tar_release%%.*}
tar_minor=\${tar_release#"$tar_major".}
tar_minor=\${tar_minor%%[!0-9]*}
case "$tar_major.$tar_minor" in
  *[!0-9.]* | .* | *.) die "cannot read the version of GNU tar from: $tar_version" ;;
esac
if [ "$tar_major" -lt 1 ] || { [ "$tar_major" -eq 1 ] && [ "$tar_minor" -lt 28 ]; }; then
  die "needs GNU tar 1.28 or newer (for --sort=name), found $tar_release"
fi
not_gnu=''
for tool in cp chmod stat sha256sum; do
  tool_version=$("$tool" --version 2> /dev/null) || tool_version=''
  case $tool_version in
    *'(GNU coreutils)'*) ;;
    *) not_gnu="$not_gnu $tool" ;;
  esac
done
[ -z "$not_gnu" ] || die "needs GNU coreutils, but these are not:$not_gnu"
${
  needs.rootFor.length > 0
    ? `if [ "$(id -u)" != 0 ]; then
  die "layer${needs.rootFor.length === 1 ? "" : "s"} ${needs.rootFor.join(", ")} give${needs.rootFor.length === 1 ? "s" : ""} entries owners of their own, and only root can chown them in the scratch tree: run this script as root"
fi
`
    : ""
}${
    needs.sourceRoot
      ? `[ -d "$src_arg" ] || die "SOURCE_ROOT $src_arg is not a folder"
absolute "$src_arg"
src=$abs
`
      : ""
  }
# The output folder: new or empty; the script works in it directly.
if [ -e "$out_arg" ] || [ -L "$out_arg" ]; then
  [ -d "$out_arg" ] || die "$out_arg exists and is not a folder"
  [ -z "$(ls -A -- "$out_arg")" ] || die "$out_arg is not empty: give a new or an empty folder"
else
  mkdir -p -- "$out_arg"
fi
absolute "$out_arg"
out=$abs
[ "$out" != / ] || die "the output folder cannot be /"
scratch=$out/.scratch
blobs=$out/blobs/sha256
root=$scratch
mkdir -p -- "$blobs" "$scratch"`;
};

export const scriptTop = (program: Program): string => {
  const needs = scriptNeeds(program);
  return `${header(program, needs)}\n\n${prelude(needs)}`;
};
