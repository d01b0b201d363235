import * as E from "fp-ts/lib/Either.js";

// A lone UTF-16 surrogate has no UTF-8 form: written to a tar it would silently become U+FFFD,
// so two different spec paths could name one file. JSON allows them ("\ud800").
const LONE_SURROGATE = /\p{Cs}/u;

// Why a name (a destination, a symlink target, a source) cannot be written as UTF-8 bytes, if it
// cannot. Names are quoted with JSON.stringify so a message stays one line whatever they hold.
export const nameProblem = (raw: string, what: string): string | undefined => {
  if (raw.includes("\u0000")) return `${what} cannot contain a NUL byte`;
  if (LONE_SURROGATE.test(raw)) return `${JSON.stringify(raw)} is not valid Unicode (it has a lone surrogate); names must be UTF-8`;
  return undefined;
};

// An image path as the spec writes it ("/bin/sh", "etc//x/") → the form the program keeps
// ("bin/sh", "etc/x"; "" is the root). ".." is refused outright rather than resolved, so no
// destination can ever name a place outside the image root, whatever the layer holds.
export const normaliseDestination = (raw: string): E.Either<string, string> => {
  if (raw.includes("\u0000")) return E.left("a path cannot contain a NUL byte");
  const segments = raw.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) return E.left(`${JSON.stringify(raw)} has a ".." segment; destinations must stay inside the image root`);
  const problem = nameProblem(raw, "a path");
  if (problem !== undefined) return E.left(problem);
  const tooLong = segments.find((s) => Buffer.byteLength(s) > 255);
  if (tooLong !== undefined) return E.left(`${JSON.stringify(raw)} has a name longer than 255 bytes`);
  return E.right(segments.join("/"));
};
