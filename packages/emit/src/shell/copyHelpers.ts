// The script's helpers for copies (prelude text): copy_in and what it calls, and, when some copy
// has `exclude` rules, the matcher those rules are written for (excludeCommands.ts).
//
// A folder travels through GNU tar, not cp: tar forces an owner (--owner/--group) or keeps the
// numeric ones, normalises modes (--mode, the build's `chmod ug-s,o-t,go=u,go-w`) and reads a
// list of the paths the exclude rules keep, all on the copied nodes alone, and on extraction it
// sets owners before modes, so setuid and setgid bits survive (a chown after them would clear
// them), and sets a file capability (security.capability, which the build keeps) after both, as
// a chown clears it; the copy's tar is the pax format, the only one that holds it. Extracting
// the top folder's `./` also gives a folder that is there already (the root, or one a
// destination implied) the copy's owner and mode, as the build does. A file goes through cp,
// which keeps the capability too (capabilityCommands.ts has the helpers for when it cannot).

const copyIn = `
# copy_in SOURCE PATH OWNER MODES [EXCLUDED]: a file, symlink or folder as the build copies it:
# symlinks not followed, hard links and file capabilities kept; OWNER is - (tar gives the layer
# its owner), UID:GID or keep (the numeric owners on disk); MODES is keep (setuid, setgid and
# sticky too) or normalise; EXCLUDED names a function that says which paths inside a folder are
# left out. A folder merges into a folder that is there already (the root, or one a destination
# implied).
copy_in() {
  exists "$1" || die "the source $1 does not exist"
  if is_dir "$1"; then
    if ! is_dir "$2"; then
      fresh "$2"
      mkdir -- "$2"
    fi
    copy_folder "$@"
  else
    ! is_dir "$2" || die "the source $1 is not a folder, but its destination is one"
    fresh "$2"
    copy_file "$@"
  fi
}

copy_file() {
  if [ "$3" = keep ]; then
    cp -P --preserve=mode,ownership,xattr -- "$1" "$2" || copy_failed "$1"
  else
    cp -P --preserve=mode,xattr -- "$1" "$2" || copy_failed "$1"
  fi
  case $3 in
    - | keep) ;;
    *)
      chown -h -- "$3" "$2"
      # the chown cleared a file capability: copy it again, without the data
      if [ ! -L "$2" ]; then cp --attributes-only --preserve=xattr -- "$1" "$2" || copy_failed "$1"; fi
      ;;
  esac
  if [ ! -L "$2" ]; then
    if [ "$4" = normalise ]; then chmod ug-s,o-t,go=u,go-w -- "$2"; else chmod --reference="$1" -- "$2"; fi
  fi
}

copy_folder() {
  cf_from=$1 cf_to=$2 cf_owner=$3 cf_modes=$4 cf_excluded=\${5:-}
  set -- --format=posix --xattrs --xattrs-include=security.capability --numeric-owner
  case $cf_owner in
    - | keep) ;;
    *) set -- "$@" "--owner=\${cf_owner%:*}" "--group=\${cf_owner#*:}" ;;
  esac
  [ "$cf_modes" = keep ] || set -- "$@" --mode=ug-s,o-t,go=u,go-w
  if [ -n "$cf_excluded" ]; then
    printf './\\000' > "$scratch/copy-list"
    list_kept "$cf_from" '' "$cf_excluded"
    set -- "$@" --no-recursion --null -T "$scratch/copy-list"
  else
    set -- "$@" .
  fi
  if ! tar -C "$cf_from" -cf "$scratch/copy.tar" "$@" 2> "$scratch/tar-messages" || [ -s "$scratch/tar-messages" ]; then
    cat -- "$scratch/tar-messages" >&2
    die "the source $cf_from holds something tar skipped or could not read (above); the build would refuse it"
  fi
  if [ "$cf_owner" = - ]; then set -- --no-same-owner; else set -- --same-owner; fi
  if ! tar -C "$cf_to" -x -p --numeric-owner --xattrs --xattrs-include=security.capability "$@" -f "$scratch/copy.tar" 2> "$scratch/tar-messages" || [ -s "$scratch/tar-messages" ]; then
    cat -- "$scratch/tar-messages" >&2
    copy_failed "$cf_from"
  fi
  rm -f -- "$scratch/copy.tar" "$scratch/copy-list"
}
`;

const excludeMatching = `
# list_kept FOLDER REL EXCLUDED: adds to $scratch/copy-list (NUL after each) ./REL/NAME for
# everything FOLDER holds that EXCLUDED keeps, and what the folders kept hold (a folder left out
# is not looked into)
list_kept() (
  for lk_path in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    exists "$lk_path" || continue
    lk_rel=$2\${2:+/}\${lk_path##*/}
    if "$3" "$lk_rel" "$lk_path"; then continue; fi
    printf './%s\\000' "$lk_rel" >> "$scratch/copy-list"
    if is_dir "$lk_path"; then list_kept "$lk_path" "$lk_rel" "$3"; fi
  done
)

# names_split K PATH: the first K names of PATH (names joined by /) in $ns_head, the rest in
# $ns_tail; false when PATH has fewer
names_split() {
  ns_head='' ns_tail=$2 ns_left=$1
  while [ "$ns_left" -gt 0 ]; do
    [ -n "$ns_tail" ] || return 1
    case $ns_tail in
      */*) ns_name=\${ns_tail%%/*} ns_tail=\${ns_tail#*/} ;;
      *) ns_name=$ns_tail ns_tail='' ;;
    esac
    ns_head=$ns_head\${ns_head:+/}$ns_name
    ns_left=$((ns_left - 1))
  done
}

# glob_is TEXT GLOB: TEXT matches the glob GLOB (a pattern, not a literal)
glob_is() {
  # shellcheck disable=SC2254
  case $1 in
    $2) return 0 ;;
  esac
  return 1
}

# path_matches PATH K GLOB [K GLOB]...: PATH (names joined by /, inside a copied folder) matches
# an exclude pattern cut at its "**" into chunks of K names, each matched whole by GLOB (its globs
# joined by /: with exactly K names, no wildcard can match a /): the first chunk at the start, the
# last at the end, those between leftmost in order; a pattern that ends in "**" needs a name for it
path_matches() {
  pm_rest=$1
  shift
  names_split "$1" "$pm_rest" && glob_is "$ns_head" "$2" || return 1
  pm_rest=$ns_tail
  shift 2
  if [ "$#" -eq 0 ]; then
    [ -z "$pm_rest" ]
    return
  fi
  while [ "$#" -gt 2 ]; do
    until names_split "$1" "$pm_rest" && glob_is "$ns_head" "$2"; do
      case $pm_rest in
        */*) pm_rest=\${pm_rest#*/} ;;
        *) return 1 ;;
      esac
    done
    pm_rest=$ns_tail
    shift 2
  done
  pm_count=0 pm_names=$pm_rest
  while [ -n "$pm_names" ]; do
    pm_count=$((pm_count + 1))
    case $pm_names in
      */*) pm_names=\${pm_names#*/} ;;
      *) pm_names='' ;;
    esac
  done
  if [ "$1" -eq 0 ]; then
    [ "$pm_count" -ge 1 ]
    return
  fi
  [ "$pm_count" -ge "$1" ] && names_split "$((pm_count - $1))" "$pm_rest" && glob_is "$ns_tail" "$2"
}
`;

// The helpers a script with copies needs; the matcher only when some copy excludes something.
export const copyHelpers = (excludes: boolean): string => `${copyIn}${excludes ? excludeMatching : ""}`;
