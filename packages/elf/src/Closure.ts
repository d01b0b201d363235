/** How the loader found a file: its program's PT_INTERP, a path given whole, or a search step. */
export type FoundBy = "interpreter" | "path" | "rpath" | "runpath" | "ld.so.cache" | "default path";

/** A symlink on the way to a closure file: its path in the image and its target as written on the host. */
export interface ClosureLink {
  readonly path: string;
  readonly target: string;
}

/** One name the loader was asked for, and where it found it (`path` is what `ldd` prints after "=>"). */
export interface LoadRequest {
  readonly name: string; // a DT_NEEDED name, the PT_INTERP path, or a dlopen name
  readonly neededBy: string; // image path of the object that asked for it
  readonly foundBy: FoundBy;
  readonly path: string; // image path the loader opens
}

/** One file the loader maps: where it sits in the image, where to copy it from, and every name and link that leads to it. */
export interface ClosureObject {
  readonly file: string; // image path of the file itself (the end of the symlink chain)
  readonly source: string; // host path to copy it from (the file the host's loader maps)
  readonly size: number; // bytes
  readonly soname?: string;
  readonly requests: readonly LoadRequest[]; // the first one loaded it; later ones found it already loaded
  readonly links: readonly ClosureLink[]; // symlinks from the requests' paths to `file`, each once
}

/**
 * A dynamically linked program's closure: every file the dynamic loader maps to start it (and
 * to load the names given as dlopen), as glibc's ld.so finds them. Image paths are where the
 * loader looks (a library found at /lib/x86_64-linux-gnu/libc.so.6 sits there, whatever folder
 * symlinks the host has); the program itself is not a member.
 */
export interface Closure {
  readonly program: string; // host path of the program
  readonly destination: string; // its path in the image
  readonly interpreter?: string; // PT_INTERP, as written (its object is in `objects`, found by "interpreter")
  // The files mapped, in the loader's link-map order (what ldd prints): breadth-first through
  // DT_NEEDED, the interpreter where a DT_NEEDED first names it (else last), then each dlopen
  // name and what it needs.
  readonly objects: readonly ClosureObject[];
}
