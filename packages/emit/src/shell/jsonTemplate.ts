import { canonicalJson } from "@ocistage/oci";
import type { Json } from "@ocistage/oci";
import { singleQuote } from "./shellQuote.ts";

// The canonical JSON of a document whose digests and sizes are known only when the script
// runs: rendered here with placeholders, then cut into literal text and shell variables that
// one `printf '%s'` puts back together, byte for byte what canonicalJson would write.
export type Slot =
  | { readonly _tag: "Digest"; readonly hexVariable: string } // "sha256:<hex>" in a JSON string
  | { readonly _tag: "Size"; readonly sizeVariable: string } // a JSON number
  | { readonly _tag: "Text"; readonly prefix: string; readonly variable: string }; // prefix + the variable's value, in a JSON string (the value needs no escaping)

export const digestSlot = (hexVariable: string): Slot => ({ _tag: "Digest", hexVariable });
export const sizeSlot = (sizeVariable: string): Slot => ({ _tag: "Size", sizeVariable });
export const textSlot = (prefix: string, variable: string): Slot => ({ _tag: "Text", prefix, variable });

export type TemplatePart = { readonly _tag: "Text"; readonly text: string } | { readonly _tag: "Variable"; readonly name: string };

// `document` builds the value, calling `slot` wherever a run-time value goes.
export const jsonTemplate = (document: (slot: (s: Slot) => Json) => Json): readonly TemplatePart[] => {
  // A placeholder prefix that occurs nowhere in the document's own text.
  for (let prefix = "OCISTAGE_SLOT_"; ; prefix += "X") {
    const slots: Slot[] = [];
    const placeholder = (i: number): string => `${prefix}${i}#`;
    const rendered = canonicalJson(
      document((s) => {
        slots.push(s);
        const here = placeholder(slots.length - 1);
        return s._tag === "Digest" ? `sha256:${here}` : s._tag === "Text" ? `${s.prefix}${here}` : here;
      }),
    );
    if (rendered.split(prefix).length - 1 !== slots.length) continue;
    // A size is a number: drop the quotes its placeholder string was rendered with.
    const unquoted = slots.reduce((text, s, i) => (s._tag === "Size" ? text.replace(`"${placeholder(i)}"`, placeholder(i)) : text), rendered);
    const pieces = unquoted.split(new RegExp(`${prefix}(\\d+)#`));
    return pieces.flatMap((piece, i): readonly TemplatePart[] => {
      if (i % 2 === 0) return piece === "" ? [] : [{ _tag: "Text", text: piece }];
      const s = slots[Number(piece)];
      if (s === undefined) throw new Error(`bug: placeholder ${piece} has no slot`);
      return [{ _tag: "Variable", name: s._tag === "Digest" ? s.hexVariable : s._tag === "Size" ? s.sizeVariable : s.variable }];
    });
  }
};

// `printf '%s' 'text' "$var" 'text' > target`: printf reuses its format for every argument and
// never interprets backslashes in them, so the bytes come out exactly.
export const printfTemplate = (parts: readonly TemplatePart[], targetWord: string): string =>
  [`printf '%s'`, ...parts.map((p) => (p._tag === "Text" ? singleQuote(p.text) : `"$${p.name}"`))].join(" \\\n  ") + ` \\\n  > ${targetWord}`;
