import type { Program } from "./Program.ts";
import type { Platform } from "./Step.ts";
import { refNameText } from "./RefName.ts";

/** A platform as views print it: `os/architecture[/variant]`. */
export const platformText = (p: Platform): string => `${p.os}/${p.architecture}${p.variant === undefined ? "" : `/${p.variant}`}`;

/** How views title a program: `name:tag` for one image, the layout's name for several. */
export const programTitle = (program: Program): string => {
  const [only, ...others] = program.images;
  if (only === undefined || others.length > 0) return program.name;
  const ref = refNameText(only.reference);
  return only.reference.prefix === "" ? `${only.name}:${ref}` : ref;
};

/** How an image is named in views: its reference, plus its platform when the reference has several. */
export const imageTitle = (program: Program, id: string): string => {
  const image = program.images.find((i) => i.id === id);
  if (image === undefined) return id;
  const ref = image.reference.prefix === "" ? `${image.name}:${refNameText(image.reference)}` : refNameText(image.reference);
  const shared = program.images.filter((i) => refNameText(i.reference) === refNameText(image.reference) && i.reference.prefix === image.reference.prefix).length > 1;
  return shared ? `${ref} (${platformText(image.platform)})` : ref;
};
