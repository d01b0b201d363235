import type { Owner } from "@ocistage/program";
import { gnuTarCreateWords } from "./gnuTarArgs.ts";
import { shellQuote } from "./shellQuote.ts";

// File capabilities (security.capability) in the script. The build keeps a copied file's
// capability and then writes that layer in the pax format (GNU tar --format=posix --xattrs); the
// program cannot say which layers that is, since only reading the sources tells. So the script
// looks at run time, with GNU tar itself: copy_in carries capabilities (copyHelpers.ts: tar
// --xattrs for a folder, cp --preserve=xattr for a file, set again after a chown, which clears
// one), and a layer's scratch tree with a capability is tarred with the pax flags. Only root can
// set a capability, so for anyone else the copy fails, and the script stops naming the file
// (copy_failed).

// The helpers, defined in the prelude of a script that copies anything.
export const CAPABILITY_HELPERS = `
# capabilities DIR WHAT: the lines of GNU tar's verbose listing of WHAT (. or ./NAME) in DIR for
# what has a file capability (security.capability), which it marks with '*' after the mode;
# writing to /dev/null, GNU tar reads no file data
capabilities() {
  tar --format=posix --xattrs --xattrs-include=security.capability --quoting-style=escape \\
    -cvvf /dev/null -C "$1" "$2" 2> /dev/null | while IFS= read -r line; do
    case $line in
      ??????????'*'*) printf '%s\\n' "$line" ;;
    esac
  done
}

# first_capability DIR WHAT: true when something there has a file capability; its path below
# DIR (escaped as GNU tar shows it) in $capability_path
first_capability() {
  capability_path=$(capabilities "$1" "$2")
  capability_path=\${capability_path%%"$nl"*}
  [ -n "$capability_path" ] || return 1
  capability_path=\${capability_path#* ./}
}

# copy_failed SOURCE: cp or tar could not copy SOURCE with its file capabilities
copy_failed() {
  source_dir=\${1%/*}
  if first_capability "\${source_dir:-/}" "./\${1##*/}"; then
    die "cannot copy $source_dir/$capability_path with its file capability (security.capability), which ocistage build keeps: only root can set one; run this script as root"
  fi
  die "cannot copy $1 with its extended attributes (cp or tar said why, above)"
}`;

// The tar_layer call of a layer: the gnu format, as always; a layer with copies whose scratch
// tree holds a capability is then tarred again, over it, in the pax format (the build's
// layerTarFormat). Twice for such a layer only, so other layers' commands stay the same.
export const tarLayerCommand = (layer: string, owner: Owner | "keep", mtime: number, rootWord: string, tarFile: string, hasCopies: boolean): string => {
  const tarLayer = (format: "gnu" | "pax"): string => `tar_layer ${shellQuote(layer)} ${gnuTarCreateWords(owner, mtime, rootWord, tarFile, format).join(" ")}`;
  if (!hasCopies) return tarLayer("gnu");
  return [tarLayer("gnu"), `if first_capability ${rootWord} .; then`, `  ${tarLayer("pax")}`, "fi"].join("\n");
};
