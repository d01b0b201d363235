import * as E from "fp-ts/lib/Either.js";

/** runtime-spec config.md `process.user` (POSIX): numeric ids only. */
export interface ProcessUser {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids?: readonly number[];
}

interface PasswdEntry {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

interface GroupEntry {
  readonly name: string;
  readonly gid: number;
  readonly members: readonly string[];
}

const NUMERIC = /^[0-9]+$/;
const MAX_ID = 4_294_967_294;

const lines = (text: string | undefined): readonly string[][] =>
  (text ?? "")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => l.split(":"));

const passwdEntries = (text: string | undefined): readonly PasswdEntry[] =>
  lines(text).flatMap(([name, , uid, gid]) => (name !== undefined && uid !== undefined && gid !== undefined && NUMERIC.test(uid) && NUMERIC.test(gid) ? [{ name, uid: Number(uid), gid: Number(gid) }] : []));

const groupEntries = (text: string | undefined): readonly GroupEntry[] =>
  lines(text).flatMap(([name, , gid, members]) => (name !== undefined && gid !== undefined && NUMERIC.test(gid) ? [{ name, gid: Number(gid), members: (members ?? "").split(",").filter((m) => m !== "") }] : []));

const numericId = (what: string, value: string): E.Either<string, number> =>
  Number(value) <= MAX_ID ? E.right(Number(value)) : E.left(`${what} ${value} is above ${MAX_ID}`);

/**
 * `Config.User` as `process.user`, the way image-spec conversion.md says: a numeric user or group
 * is copied; a name is looked up in the image's own /etc/passwd or /etc/group (their text, or
 * undefined when the image has none), and an unknown name is an error. With no group given, the
 * group is the user's own from /etc/passwd (0 for a uid it does not list); and for a user given
 * by name, the groups /etc/group lists it in become `additionalGids`. No `Config.User` runs as root.
 */
export const resolveUser = (user: string | undefined, passwd: string | undefined, group: string | undefined): E.Either<string, ProcessUser> => {
  if (user === undefined || user === "") return E.right({ uid: 0, gid: 0 });
  const colon = user.indexOf(":");
  const [u, g] = colon === -1 ? [user, undefined] : [user.slice(0, colon), user.slice(colon + 1)];
  const users = passwdEntries(passwd);
  const groups = groupEntries(group);
  const entry = NUMERIC.test(u) ? users.find((p) => p.uid === Number(u)) : users.find((p) => p.name === u);
  if (!NUMERIC.test(u) && entry === undefined) return E.left(`Config.User: user ${JSON.stringify(u)} is not in the image's /etc/passwd`);
  const uid = NUMERIC.test(u) ? numericId("uid", u) : E.right((entry as PasswdEntry).uid);
  if (E.isLeft(uid)) return E.left(`Config.User: ${uid.left}`);
  if (g !== undefined && g !== "") {
    const gid = NUMERIC.test(g) ? numericId("gid", g) : E.fromNullable(`Config.User: group ${JSON.stringify(g)} is not in the image's /etc/group`)(groups.find((x) => x.name === g)?.gid);
    return E.map((id: number): ProcessUser => ({ uid: uid.right, gid: id }))(E.mapLeft((why: string) => (why.startsWith("Config.User") ? why : `Config.User: ${why}`))(gid));
  }
  const gid = entry?.gid ?? 0;
  if (NUMERIC.test(u)) return E.right({ uid: uid.right, gid });
  const additional = [...new Set(groups.filter((x) => x.members.includes(u) && x.gid !== gid).map((x) => x.gid))];
  return E.right({ uid: uid.right, gid, ...(additional.length === 0 ? {} : { additionalGids: additional }) });
};
