import * as E from "fp-ts/lib/Either.js";
import * as path from "node:path";
import type { Place } from "./followLinks.ts";

/** A folder the loader searches, where it came from (for the "not found in" message). */
export interface SearchDir extends Place {
  readonly from: "rpath" | "runpath";
}

// A dynamic string token: $NAME or ${NAME}; unbraced, the name ends where letters, digits and _ stop (glibc's is_dst).
const DST = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g;

/**
 * Expands `$ORIGIN`/`${ORIGIN}` (the folder of the object whose entry this is, on the host and in
 * the image), `$LIB` (`lib`) and refuses `$PLATFORM`, which names the CPU that runs the image.
 * Unknown tokens stay as written, as glibc leaves them. Left: the message for the refusal.
 */
export const expandTokens = (text: string, origin: Place, lib: string): E.Either<string, Place> => {
  let refused: string | undefined;
  const expand = (side: "host" | "image"): string =>
    text.replace(DST, (whole, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? "";
      if (name === "ORIGIN") return origin[side];
      if (name === "LIB") return lib;
      if (name === "PLATFORM") refused = `${JSON.stringify(text)} uses $PLATFORM, which depends on the CPU the image will run on (x86_64, haswell, …); give the folder without it`;
      return whole;
    });
  const expanded = { host: expand("host"), image: expand("image") };
  return refused === undefined ? E.right(expanded) : E.left(refused);
};

/**
 * The folders of a DT_RPATH or DT_RUNPATH value (colon-separated), tokens expanded. Empty and
 * relative entries are dropped: the loader takes them from its current folder, which an image's
 * build cannot know.
 */
export const searchDirs = (value: string, from: SearchDir["from"], origin: Place, lib: string): E.Either<string, readonly SearchDir[]> => {
  const dirs: SearchDir[] = [];
  for (const entry of value.split(":")) {
    if (entry === "") continue;
    const expanded = expandTokens(entry, origin, lib);
    if (E.isLeft(expanded)) return expanded;
    if (!expanded.right.host.startsWith("/") || !expanded.right.image.startsWith("/")) continue;
    dirs.push({ host: path.posix.normalize(expanded.right.host), image: path.posix.normalize(expanded.right.image), from });
  }
  return E.right(dirs);
};
