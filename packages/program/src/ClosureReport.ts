/** One file of a closure: the name the loader was asked for and where it finds it in the image. */
export interface ClosureMember {
  readonly name: string; // a DT_NEEDED name, the interpreter's path, or a dlopen name
  readonly path: string; // where the loader opens it (normalised, as `ldd` prints it without the leading "/")
  readonly file: string; // the file that path leads to through its symlinks
  readonly links: readonly string[]; // the symlinks on the way (normalised destinations)
  readonly foundBy: string; // interpreter, path, rpath, runpath, ld.so.cache or default path (on the host)
  readonly size: number; // bytes of the file
  readonly layer: string; // the layer holding it: its own when the layer was split
}

/** A `closure: true` entry: the program, where it lands, and its members in the loader's order. */
export interface ClosureReport {
  readonly program: string; // the entry's source, as the spec gives it
  readonly destination: string; // normalised
  readonly at: string; // the spec entry (`layers[0].files[1]`)
  readonly layer: string; // the layer the entry is in
  readonly dlopen: readonly string[];
  readonly members: readonly ClosureMember[];
}

/**
 * How a layer with `split: "closure"` was split: the spare layers of the images using it
 * (`slots`), the members that got a layer of their own (biggest first) and those that stayed.
 */
export interface LayerSplit {
  readonly layer: string;
  readonly at: string;
  readonly slots: number;
  readonly own: readonly { readonly layer: string; readonly file: string; readonly size: number }[];
  readonly stayed: readonly { readonly file: string; readonly size: number }[];
}

/** What the program says about closures, for plan and docs. */
export interface ClosureLayout {
  readonly programs: readonly ClosureReport[];
  readonly splits: readonly LayerSplit[];
}
