import { runOk } from "./runProcess.ts";
import { blobPath, readImageDocuments } from "./layoutFiles.ts";

// What GNU tar itself says of a tar's members: `tar --numeric-owner -tvf`, as "drwxrwsr-x 0/8"
// (permissions as ls shows them, then uid/gid) by member name ("./var/mail/").
export const gnuTarListing = async (file: string): Promise<ReadonlyMap<string, string>> => {
  const { stdout } = await runOk("tar", ["--numeric-owner", "--quoting-style=escape", "-tvf", file]);
  const members = new Map<string, string>();
  for (const line of stdout.split("\n").filter((l) => l !== "")) {
    // perms uid/gid size date time name[ -> target]
    const match = /^(\S+) (\d+\/\d+) +\d+ \S+ \S+ (.*?)(?: -> .*| link to .*)?$/.exec(line);
    if (match === null) throw new Error(`cannot read GNU tar's line: ${line}`);
    members.set(match[3] ?? "", `${match[1]} ${match[2]}`);
  }
  return members;
};

// The listing of the image's layer `index` (0 = the first) in the layout `out`.
export const layerListing = async (out: string, index = 0): Promise<ReadonlyMap<string, string>> => {
  const layer = (await readImageDocuments(out)).manifest.layers[index];
  if (layer === undefined) throw new Error(`${out}: no layer ${index}`);
  return gnuTarListing(blobPath(out, layer.digest));
};
