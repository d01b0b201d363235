// The OCI layer format's whiteouts (image-spec layer.md, "Whiteouts"): a file named `.wh.NAME`
// deletes NAME from the layers below, and `.wh..wh..opq` empties its folder. Every runtime and
// unpacker acts on such a name, whoever wrote it; a spec asks for a deletion only explicitly
// (`{whiteout: PATH}`, `{directory: PATH, opaque: true}`), so a destination holding one is
// refused. The build refuses them inside copied folders in the same words.
import { OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from "@ocistage/program";

// Why a normalised destination ("etc/.wh.passwd") cannot be written, if it cannot.
export const whiteoutProblem = (destination: string): string | undefined => {
  const names = destination.split("/");
  const at = names.findIndex((n) => n.startsWith(WHITEOUT_PREFIX));
  if (at < 0) return undefined;
  const name = names[at] as string;
  const folder = `/${names.slice(0, at).join("/")}`;
  const order =
    name === OPAQUE_WHITEOUT
      ? `to hide everything the layers below hold in ${folder}`
      : `to delete ${JSON.stringify(`${folder === "/" ? "" : folder}/${name.slice(WHITEOUT_PREFIX.length)}`)} from the layers below`;
  return `${JSON.stringify(`/${destination}`)} has a name starting with ".wh.", which every runtime reads as a whiteout (an order ${order}), not as a file; rename it (to delete a path of the layers below, write {whiteout: PATH})`;
};
