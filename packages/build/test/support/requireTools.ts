import { accessSync, constants } from "node:fs";
import * as path from "node:path";

const onPath = (name: string): boolean =>
  (process.env["PATH"] ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "")
    .some((dir) => {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });

// Tests that need system tools call this at collection time and pass the answer to
// `describe.runIf`. Under CI=true a missing tool throws, so the file FAILS instead of skipping;
// elsewhere the tests skip, saying which tools to install (scripts/install-system-tools).
export const requireTools = (...names: readonly string[]): boolean => {
  const missing = names.filter((name) => !onPath(name));
  if (missing.length === 0) return true;
  const message = `missing system tools: ${missing.join(", ")} (install them with scripts/install-system-tools)`;
  if (process.env["CI"] === "true") throw new Error(`${message}; CI=true, so the tests that need them fail`);
  console.warn(`skipping: ${message}`);
  return false;
};

// A file the tests need from a Debian package (e.g. the OCI JSON schemas), with the same rule.
export const requireFile = (file: string, debianPackage: string): boolean => {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    const message = `missing ${file} (Debian package ${debianPackage}; scripts/install-system-tools installs it)`;
    if (process.env["CI"] === "true") throw new Error(`${message}; CI=true, so the tests that need it fail`);
    console.warn(`skipping: ${message}`);
    return false;
  }
};

// umoci unpack, runc run and rootful podman need root (CI and these machines run as root).
export const requireRoot = (why: string): boolean => {
  if (process.getuid?.() === 0) return true;
  const message = `not root, which ${why} needs`;
  if (process.env["CI"] === "true") throw new Error(`${message}; CI=true, so the tests that need it fail`);
  console.warn(`skipping: ${message}`);
  return false;
};
