// The mode a copied file gets under `modes: "normalise"` when the spec does not set one: the
// owner's bits are kept, group and other get the owner's bits without write, special bits are
// dropped. This is `chmod ug-s,o-t,go=u,go-w` (what the shell substrate's tar --mode applies),
// and it makes the umask of whoever made the tree irrelevant. The default (`keep`) is the mode
// on disk.
export const normaliseMode = (mode: number): number => {
  const owner = (mode >> 6) & 0o7;
  const others = owner & 0o5;
  return (owner << 6) | (others << 3) | others;
};

export const SYMLINK_MODE = 0o777;
