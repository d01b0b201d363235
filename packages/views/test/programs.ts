import * as E from "fp-ts/lib/Either.js";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { lower } from "@ocistage/lower";
import type { Program } from "@ocistage/program";
import type { HostClosures, ImageSpecInput } from "@ocistage/spec";
import { decodeSpec, formatSpecError, formatSpecIssue, loadSpec } from "@ocistage/spec";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const lowered = (spec: Parameters<typeof lower>[0], specFile: string, specText: string, closures?: HostClosures): Program => {
  const result = lower(spec, { specFile, specText, sourceDateEpoch: 0, ...(closures === undefined ? {} : { closures }) });
  if (E.isLeft(result)) throw new Error(result.left.issues.map(formatSpecIssue).join("\n"));
  return result.right;
};

// An example folder's program, lowered as `ocistage` lowers it (spec file named by its base
// name, SOURCE_DATE_EPOCH 0, the closures of its host programs read from this machine), so what
// the tests render is what the CLI and the docs script render.
export const exampleProgram = async (name: string): Promise<Program> => {
  const loaded = await loadSpec(path.join(repoRoot, "examples", name))();
  if (E.isLeft(loaded)) throw new Error(formatSpecError(loaded.left).join("\n"));
  return lowered(loaded.right.spec, path.basename(loaded.right.file), loaded.right.text, loaded.right.closures);
};

// A spec written in a test, lowered as if it were `image.json` holding it.
export const inlineProgram = (input: ImageSpecInput): Program => {
  const text = `${JSON.stringify(input, null, 2)}\n`;
  const spec = decodeSpec(JSON.parse(text), "image.json");
  if (E.isLeft(spec)) throw new Error(formatSpecError(spec.left).join("\n"));
  return lowered(spec.right, "image.json", text);
};

// The second example the snapshots cover: two layers, env, ports and labels, no files from outside
// but one copied folder (named, never read: views do not touch the file system).
export const twoLayerProgram: Program = inlineProgram({
  name: "web-app",
  tag: "1.2.0",
  description: "A web app on a small base: two layers, env, ports and labels.",
  layers: [
    {
      name: "base",
      files: [
        { directory: "/etc", mode: "0755" },
        { content: "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/srv:/bin/sh\n", destination: "/etc/passwd" },
        { directory: "/tmp", mode: "1777" },
      ],
    },
    {
      name: "app",
      uid: 1000,
      gid: 1000,
      files: [
        { source: "dist", destination: "/srv/app" },
        { content: "#!/bin/sh\nexec /srv/app/server \"$@\"\n", destination: "/srv/run", mode: "0755" },
        { symlink: "/srv/run", destination: "/usr/local/bin/web-app" },
      ],
    },
  ],
  entrypoint: ["/srv/run"],
  cmd: ["--port", "8080"],
  env: { PORT: "8080", MODE: "production" },
  exposedPorts: [8080, "9090/udp"],
  labels: { "org.opencontainers.image.title": "web-app", "org.example.team": "platform | tools" },
  user: "1000:1000",
  workingDir: "/srv",
  tests: [{ name: "prints-version", command: ["--version"], expectOutput: "web-app 1.2.0\n" }],
});
