import * as E from "fp-ts/lib/Either.js";
import { realpathSync } from "node:fs";
import * as path from "node:path";
import type { Program } from "@ocistage/program";
import type { BuildError } from "./BuildError.ts";

// The real path of a place that may not exist yet: its nearest existing ancestor, resolved.
const realish = (p: string): string => {
  const absolute = path.resolve(p);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = path.dirname(absolute);
    return parent === absolute ? absolute : path.join(realish(parent), path.basename(absolute));
  }
};

const inside = (child: string, parent: string): boolean => {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
};

// An output inside a copied source folder would be copied into the
// next build's layer: the image would grow with every build and depend on the last one.
export const outputOutsideSources = (program: Program, sourceRoot: string, out: string): E.Either<BuildError, void> => {
  const places = [realish(out)];
  for (const step of program.steps) {
    if (step._tag !== "AssembleRootfs") continue;
    for (const entry of step.entries) {
      if (entry._tag !== "Copy") continue;
      const source = realish(path.resolve(sourceRoot, entry.source));
      if (places.some((place) => inside(place, source)))
        return E.left({
          _tag: "DestinationConflict",
          at: `${step.name} ${entry.at}`,
          destination: entry.destination,
          reason: `the output ${out} lies inside the copied source ${entry.source}; choose an --out outside it`,
        });
    }
  }
  return E.right(undefined);
};
