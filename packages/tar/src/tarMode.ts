// GNU tar's `--mode='go=u,go-w'`, as gnulib's mode_adjust applies it, checked against GNU tar
// 1.34 for all 4096 permission combinations of files and directories (test/tarMode.test.ts):
//
// - group and other get the owner's bits, then lose write: rwx→r-x, rw-→r--, r--→r--;
// - setuid is kept (no clause mentions `u`);
// - setgid is dropped from files but kept on directories: `g=` affects setgid, but mode_adjust
//   never changes setuid/setgid of a directory unless a clause names them explicitly (`g-s`);
// - sticky is dropped from files and directories alike (`o=` affects it);
// - the umask plays no part, because every clause names who it affects.
//
// Symlinks have mode 0777 on Linux, so they are recorded as 0755. The result makes layers
// independent of the umask (and the group/other bits) of whoever assembled the tree.
export const GNU_TAR_MODE_CHANGE = "go=u,go-w";

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;

export const normaliseTarMode = (mode: number, isDirectory: boolean): number => {
  const owner = (mode >> 6) & 0o7;
  const others = owner & 0o5;
  const special = mode & (S_ISUID | (isDirectory ? S_ISGID : 0));
  return special | (owner << 6) | (others << 3) | others;
};

// What a symlink is recorded with: lstat reports 0777 for every symlink on Linux.
export const SYMLINK_TAR_MODE = normaliseTarMode(0o777, false);
