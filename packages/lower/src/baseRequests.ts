import type { Platform } from "@ocistage/program";
import { baseKey } from "@ocistage/program";
import type { Spec } from "@ocistage/spec";
import { platformOf } from "./imageGroups.ts";
import { layoutOf } from "./layoutOf.ts";

/** One base image the edge must read before lowering: what `from` says, for which platform, and where. */
export interface BaseRequest {
  readonly key: string; // baseKey(from, platform): how lower finds it
  readonly from: string;
  readonly platform: Platform;
  readonly at: string; // the spec field (`from`, `images[1].from`)
}

/** Every distinct (from, platform) the spec's images name, in order of first use. */
export const baseRequests = (spec: Spec): readonly BaseRequest[] => {
  const seen = new Map<string, BaseRequest>();
  for (const use of layoutOf(spec).plan.images) {
    const from = use.fields.from;
    if (from === undefined) continue;
    const platform = platformOf(use);
    const key = baseKey(from, platform);
    if (!seen.has(key)) seen.set(key, { key, from, platform, at: use.at === "" ? "from" : `${use.at}.from` });
  }
  return [...seen.values()];
};
