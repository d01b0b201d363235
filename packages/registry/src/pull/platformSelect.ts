import * as E from "fp-ts/lib/Either.js";
import { formatPlatform } from "@ocistage/oci";
import type { Descriptor } from "@ocistage/oci";

/** `--platform os/arch[/variant]`. */
export interface PlatformWanted {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export const parsePlatform = (text: string): E.Either<string, PlatformWanted> => {
  const parts = text.split("/");
  const [os, architecture, variant, ...rest] = parts;
  if (os === undefined || os === "" || architecture === undefined || architecture === "" || variant === "" || rest.length > 0)
    return E.left(`--platform takes os/arch or os/arch/variant (e.g. linux/arm64/v8), not ${JSON.stringify(text)}`);
  return E.right({ os, architecture, ...(variant === undefined ? {} : { variant }) });
};

/**
 * The index entry for a platform: os and architecture equal, and the variant too when one is asked
 * for (an entry without a variant matches a request without one). Left: the platforms there are.
 */
export const selectPlatform = (children: readonly Descriptor[], wanted: PlatformWanted): E.Either<string, Descriptor> => {
  const match = children.find(
    (d) => d.platform !== undefined && d.platform.os === wanted.os && d.platform.architecture === wanted.architecture && (wanted.variant === undefined || d.platform.variant === wanted.variant),
  );
  if (match !== undefined) return E.right(match);
  const offered = children.map((d) => (d.platform === undefined ? "(no platform)" : formatPlatform(d.platform)));
  return E.left(`no image for ${[wanted.os, wanted.architecture, ...(wanted.variant === undefined ? [] : [wanted.variant])].join("/")}; the index has ${offered.join(", ") || "no images"}`);
};
