import type { Program } from "@ocistage/program";
import { layerFacts } from "./imageFields.ts";
import { bullets, fence, inlineCode } from "./markdown.ts";

const LANGUAGES: Readonly<Record<string, string>> = { ts: "ts", mts: "ts", json: "json", yaml: "yaml", yml: "yaml" };

const languageOf = (path: string): string => LANGUAGES[path.slice(path.lastIndexOf(".") + 1)] ?? "";

// Source files: the spec as written, then the files its layers copy (named, not inlined).
export const sourceFilesMarkdown = (program: Program): string => {
  const specs = program.sources.filter((s) => s.role === "spec");
  const layersOf = new Map<string, string[]>();
  for (const layer of layerFacts(program))
    for (const input of layer.inputs) {
      const list = layersOf.get(input);
      if (list === undefined) layersOf.set(input, [layer.name]);
      else list.push(layer.name);
    }
  const inputs = program.sources.filter((s) => s.role === "layer input");
  return [
    ...specs.flatMap((s) => [`The spec, ${inlineCode(s.path)}:`, "", fence(languageOf(s.path), s.text ?? "")]),
    "",
    "Layer inputs:",
    "",
    inputs.length === 0
      ? "None: every file is given inline."
      : bullets(inputs.map((s) => `${inlineCode(s.path)} (layer ${(layersOf.get(s.path) ?? []).join(", ")})`)),
  ].join("\n");
};
