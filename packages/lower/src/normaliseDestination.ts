import * as E from "fp-ts/lib/Either.js";

// An image path as the spec writes it ("/bin/sh", "etc//x/") → the form the program keeps
// ("bin/sh", "etc/x"; "" is the root). ".." is refused outright rather than resolved, so no
// destination can ever name a place outside the image root, whatever the layer holds.
export const normaliseDestination = (raw: string): E.Either<string, string> => {
  if (raw.includes("\u0000")) return E.left("a path cannot contain a NUL byte");
  const segments = raw.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) return E.left(`"${raw}" has a ".." segment; destinations must stay inside the image root`);
  const tooLong = segments.find((s) => Buffer.byteLength(s) > 255);
  if (tooLong !== undefined) return E.left(`"${raw}" has a name longer than 255 bytes`);
  return E.right(segments.join("/"));
};
