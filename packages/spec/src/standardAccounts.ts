import type { PlacedEntry } from "./standardEntries.ts";
import { fieldAt } from "./standardEntries.ts";

// The passwd and group entries of the user a standard image runs as (seed 001's `uid`/`gid`):
// without them, tools inside the container print "I have no name!" and some programs refuse to
// start. Written only when the setup tasks or runtime inputs do not write those files themselves.

/** uid and gid a standard image runs as when the spec gives none: nobody and nogroup. */
export const DEFAULT_ID = 65534;

// Names a Debian system gives these ids; any other takes the image's name (cut to 32 bytes, the
// length useradd allows).
const userName = (uid: number, image: string): string => (uid === 0 ? "root" : uid === DEFAULT_ID ? "nobody" : image.slice(0, 32));
const groupName = (gid: number, image: string): string => (gid === 0 ? "root" : gid === DEFAULT_ID ? "nogroup" : image.slice(0, 32));

/**
 * /etc/passwd (one line: the user, home "/", shell /sbin/nologin, which the image does not hold,
 * so nobody logs in) and /etc/group (one line), each unless `given` (destination keys the image
 * already writes) holds it. Their origins are the spec's `uid` and `gid` fields under `at`.
 */
export const accountEntries = (image: string, uid: number, gid: number, given: ReadonlySet<string>, at: string): readonly PlacedEntry[] => {
  const user = userName(uid, image);
  const group = groupName(gid, image);
  return [
    ...(given.has("etc/passwd") ? [] : [{ entry: { content: `${user}:x:${uid}:${gid}:${user}:/:/sbin/nologin\n`, destination: "/etc/passwd" }, origin: fieldAt(at, "uid"), generated: true as const }]),
    ...(given.has("etc/group") ? [] : [{ entry: { content: `${group}:x:${gid}:\n`, destination: "/etc/group" }, origin: fieldAt(at, "gid"), generated: true as const }]),
  ];
};
