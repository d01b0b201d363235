import type { Program, StepOf } from "@ocistage/program";
import { shellQuote } from "./shellQuote.ts";
import { sourceChildWord } from "./sourcePath.ts";

/** Why the shell substrate cannot build a program, one line each naming the spec field; empty when it can. */
export const shellUnsupported = (program: Program): readonly string[] =>
  program.steps.flatMap((s) =>
    s._tag === "ImportBase" && s.base.source._tag !== "Oci"
      ? [`from: the shell script reads base images from an oci: layout only; ${s.base.written} is ${s.base.source._tag === "OciArchive" ? "an oci-archive" : s.base.source._tag === "DockerArchive" ? "a docker-archive" : "in a registry"} (copy it into an oci: layout first, e.g. with skopeo copy)`]
      : [],
  );

// import_blob FILE HEX SIZE: copy a base's blob into the store, refusing bytes that are not its digest.
export const IMPORT_BLOB_HELPER = `
# import_blob FILE HEX SIZE: a base image's layer blob, copied by digest and checked
import_blob() {
  [ -f "$blobs/$2" ] && [ "$(stat -c %s -- "$blobs/$2")" = "$3" ] && return 0
  [ -f "$1" ] || die "base blob sha256:$2 is missing: $1"
  cp -- "$1" "$blobs/.import-$2"
  ib_hex=$(sha256sum < "$blobs/.import-$2")
  ib_hex=\${ib_hex%% *}
  if [ "$ib_hex" != "$2" ]; then rm -f -- "$blobs/.import-$2"; die "base blob $1 holds other bytes than sha256:$2 (the base changed since the spec was read)"; fi
  mv -f -- "$blobs/.import-$2" "$blobs/$2"
}
`;

/** The import-base step's commands: each layer blob of an `oci:` base, copied and checked. */
export const importBaseCommands = (step: StepOf<"ImportBase">): string => {
  const source = step.base.source;
  if (source._tag !== "Oci") return `die ${shellQuote(shellUnsupported({ steps: [step] } as unknown as Program)[0] ?? "unsupported base")}`;
  return step.base.layers
    .map((l) => {
      const hex = l.digest.slice("sha256:".length);
      return `import_blob ${sourceChildWord(source.path, `blobs/sha256/${hex}`)} ${hex} ${l.size}`;
    })
    .join("\n");
};


