// Standard images (seed 001's mkStandardOCI), as the spec package decodes and desugars them: a
// `kind: standard` image becomes an ordinary layout of named layers (runtime inputs, setup,
// contracts, debug tools) and images, with every path traced back to the field the user wrote.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, it } from "vitest";
import type { FileEntry, LayoutSpec, Spec } from "../src/index.ts";
import { DEBUG_APPLETS } from "../src/debugTools.ts";
import { desugarStandard } from "../src/desugarStandard.ts";
import { decodeSpec, formatSpecError, relocate, standardImage } from "../src/index.ts";
import type { StandardImage } from "../src/index.ts";

const web = {
  kind: "standard",
  name: "web",
  operable: {
    command: ["httpd", "-f", "-p", "8080", "-h", "/srv/www"],
    runtimeInputs: [
      { source: "/bin/busybox", destination: "/bin/busybox" },
      { symlink: "busybox", destination: "/bin/httpd" },
    ],
  },
};

const decoded = (value: unknown): Spec => {
  const result = decodeSpec(value, "image.json");
  if (E.isLeft(result)) throw new Error(formatSpecError(result.left).join("\n"));
  return result.right;
};
const layoutOf = (value: unknown): LayoutSpec => {
  const spec = decoded(value);
  if (spec._tag !== "Layout") throw new Error("expected a layout");
  return spec.layout;
};
const issuesOf = (value: unknown): readonly string[] => {
  const result = decodeSpec(value, "image.json");
  if (E.isRight(result)) throw new Error("expected the spec to be rejected");
  return formatSpecError(result.left);
};
const filesOf = (layout: LayoutSpec, layer: string): readonly FileEntry[] => layout.layers?.[layer]?.files ?? [];
const destinations = (layout: LayoutSpec, layer: string): readonly string[] => filesOf(layout, layer).map((f) => ("directory" in f ? f.directory : "whiteout" in f ? f.whiteout : f.destination));
const scriptAt = (layout: LayoutSpec, layer: string, destination: string): string => {
  const entry = filesOf(layout, layer).find((f) => "destination" in f && f.destination === destination);
  return entry !== undefined && "script" in entry ? `#!${entry.interpreter}\n${entry.script}` : "";
};

describe("a standard image desugars into ordinary layers and an image", () => {
  it("has three layers: the runtime inputs with the shell, the setup tasks with passwd/group, the contracts", () => {
    const layout = layoutOf({ ...web, setup: [{ directory: "/tmp", mode: "1777" }] });
    expect(Object.keys(layout.layers ?? {})).toEqual(["web-runtime", "web-setup", "web-contracts"]);
    expect(destinations(layout, "web-runtime")).toEqual(["/bin/busybox", "/bin/httpd", "/bin/sh"]);
    expect(destinations(layout, "web-setup")).toEqual(["/tmp", "/etc/passwd", "/etc/group"]);
    expect(destinations(layout, "web-contracts")).toEqual(["/bin/entrypoint", "/bin/runtime"]);
    expect(layout.images.map((i) => [i.name, i.layers])).toEqual([["web", ["web-runtime", "web-setup", "web-contracts"]]]);
  });

  it("runs /bin/entrypoint as uid:gid (nobody:nogroup unless given), PATH the runtime inputs' folders, its tag left to the digest", () => {
    const [image] = layoutOf(web).images;
    expect(image).toMatchObject({ entrypoint: ["/bin/entrypoint"], user: "65534:65534", env: ["PATH=/bin"] });
    expect(image?.tag).toBeUndefined();
    const [given] = layoutOf({ ...web, uid: 1000, gid: 100, tag: "1.0", env: { MODE: "prod" } }).images;
    expect(given).toMatchObject({ user: "1000:100", tag: "1.0", env: ["PATH=/bin", "MODE=prod"] });
  });

  it("puts every runtime input's folder on PATH, in order, then the shell's", () => {
    const layout = layoutOf({ ...web, operable: { command: ["app"], runtimeInputs: [{ source: "app", destination: "/opt/app/bin/app" }, { source: "jq", destination: "/usr/bin/jq" }] } });
    expect(layout.images[0]?.env).toEqual(["PATH=/opt/app/bin:/usr/bin:/bin"]);
  });

  it("writes the contracts as sh scripts that set PATH and exec what they stand for", () => {
    const layout = layoutOf({ ...web, operable: { ...web.operable, command: ["httpd", "-h", "/srv/my www", "it's"] }, livenessProbe: { command: ["pidof", "httpd"] }, readinessProbe: { script: "wget -q -O /dev/null http://127.0.0.1:8080/\n" } });
    expect(scriptAt(layout, "web-contracts", "/bin/entrypoint")).toBe(
      "#!/bin/sh\n# /bin/entrypoint of standard image web: runs the operable.\nPATH=/bin\nexport PATH\nexec httpd -h '/srv/my www' 'it'\\''s' \"$@\"\n",
    );
    expect(scriptAt(layout, "web-contracts", "/bin/runtime")).toBe("#!/bin/sh\n# /bin/runtime of standard image web: a shell with the runtime inputs on PATH.\nPATH=/bin\nexport PATH\nexec /bin/sh \"$@\"\n");
    expect(scriptAt(layout, "web-contracts", "/bin/live")).toBe("#!/bin/sh\n# /bin/live of standard image web: exits 0 when the operable is alive.\nPATH=/bin\nexport PATH\nexec pidof httpd\n");
    expect(scriptAt(layout, "web-contracts", "/bin/ready")).toBe("#!/bin/sh\n# /bin/ready of standard image web: exits 0 when the operable is ready.\nPATH=/bin\nexport PATH\nwget -q -O /dev/null http://127.0.0.1:8080/\n");
  });

  it("prefixes labels with org.opencontainers.image. and keeps the other image fields", () => {
    const [image] = layoutOf({ ...web, labels: { title: "web" }, exposedPorts: [8080], architecture: "arm64", annotations: { a: "b" } }).images;
    expect(image).toMatchObject({ labels: { title: "web" }, labelPrefix: "org.opencontainers.image", exposedPorts: [8080], architecture: "arm64", annotations: { a: "b" } });
  });

  it("names the contracts in the image's description, after the user's own", () => {
    const [image] = layoutOf({ ...web, description: "A web server.", livenessProbe: { command: ["pidof", "httpd"] } }).images;
    expect(image?.description).toBe('A web server. Standard image: /bin/entrypoint runs "httpd -f -p 8080 -h /srv/www"; /bin/runtime is /bin/sh with PATH=/bin; /bin/live runs "pidof httpd"; it runs as 65534:65534.');
  });
});

describe("the shell that runs the contracts", () => {
  it("is busybox-static's /bin/busybox copied to /bin/sh when nothing else provides one", () => {
    expect(filesOf(layoutOf(web), "web-runtime").at(-1)).toEqual({ source: "/bin/busybox", destination: "/bin/sh", mode: 0o755 });
  });

  it("is a runtime input at /bin/sh when there is one, and nothing is added", () => {
    const layout = layoutOf({ ...web, operable: { ...web.operable, runtimeInputs: [...web.operable.runtimeInputs, { symlink: "busybox", destination: "/bin/sh" }] } });
    expect(destinations(layout, "web-runtime")).toEqual(["/bin/busybox", "/bin/httpd", "/bin/sh"]);
  });

  it("is `shell` when given: its destination is every contract's #! line, and its folder is on PATH", () => {
    const layout = layoutOf({ ...web, shell: { source: "/bin/dash", destination: "/usr/bin/dash" } });
    expect(scriptAt(layout, "web-contracts", "/bin/runtime").split("\n").slice(0, 4)).toEqual(["#!/usr/bin/dash", "# /bin/runtime of standard image web: a shell with the runtime inputs on PATH.", "PATH=/bin:/usr/bin", "export PATH"]);
  });
});

describe("setup tasks, users and perms", () => {
  it("writes passwd and group for the uid and gid, named after the image (root and nobody/nogroup by their names)", () => {
    const contentOf = (value: unknown, destination: string): string => {
      const entry = filesOf(layoutOf(value), "web-setup").find((f) => "destination" in f && f.destination === destination);
      return entry !== undefined && "content" in entry ? entry.content : "";
    };
    expect(contentOf({ ...web, uid: 1000, gid: 1001 }, "/etc/passwd")).toBe("web:x:1000:1001:web:/:/sbin/nologin\n");
    expect(contentOf({ ...web, uid: 1000, gid: 1001 }, "/etc/group")).toBe("web:x:1001:\n");
    expect(contentOf(web, "/etc/passwd")).toBe("nobody:x:65534:65534:nobody:/:/sbin/nologin\n");
    expect(contentOf(web, "/etc/group")).toBe("nogroup:x:65534:\n");
    expect(contentOf({ ...web, uid: 0, gid: 0 }, "/etc/passwd")).toBe("root:x:0:0:root:/:/sbin/nologin\n");
  });

  it("leaves passwd or group to the setup tasks that write them", () => {
    const layout = layoutOf({ ...web, setup: [{ content: "app:x:7:7::/:/bin/sh\n", destination: "/etc/passwd" }] });
    expect(destinations(layout, "web-setup")).toEqual(["/etc/passwd", "/etc/group"]);
    expect(filesOf(layout, "web-setup")[0]).toEqual({ content: "app:x:7:7::/:/bin/sh\n", destination: "/etc/passwd" });
  });

  it("applies perms in order to the entries whose destination matches; a symlink keeps no mode", () => {
    const layout = layoutOf({
      ...web,
      setup: [{ directory: "/srv/www" }, { content: "x", destination: "/srv/www/index.html" }, { content: "y", destination: "/srv/www/.hidden" }],
      perms: [
        { path: "/srv/www/*", mode: "0444" },
        { path: "/srv/www/index.html", uid: 1000 },
        { path: "/bin/*", mode: "0555" },
      ],
    });
    expect(filesOf(layout, "web-setup").slice(0, 3)).toEqual([
      { directory: "/srv/www" },
      { content: "x", destination: "/srv/www/index.html", mode: 0o444, uid: 1000 },
      { content: "y", destination: "/srv/www/.hidden", mode: 0o444 },
    ]);
    expect(filesOf(layout, "web-runtime")).toEqual([
      { source: "/bin/busybox", destination: "/bin/busybox", mode: 0o555 },
      { symlink: "busybox", destination: "/bin/httpd" },
      { source: "/bin/busybox", destination: "/bin/sh", mode: 0o555 },
    ]);
  });
});

describe("the debug image", () => {
  it("is NAME-debug: the standard image's layers, unchanged, plus a layer of busybox's applets and /bin/debug", () => {
    const layout = layoutOf({ ...web, debug: true });
    expect(layout.images.map((i) => [i.name, i.layers])).toEqual([
      ["web", ["web-runtime", "web-setup", "web-contracts"]],
      ["web-debug", ["web-runtime", "web-setup", "web-contracts", "web-debug"]],
    ]);
    expect(destinations(layout, "web-debug")).toEqual(["/debug/bin/busybox", ...DEBUG_APPLETS.map((a) => `/debug/bin/${a}`), "/bin/debug"]);
    expect(scriptAt(layout, "web-debug", "/bin/debug")).toBe("#!/bin/sh\n# /bin/debug of web-debug: a shell with the runtime inputs and the debugging tools on PATH.\nPATH=/bin:/debug/bin\nexport PATH\nexec /bin/sh \"$@\"\n");
    const { name: _a, layers: _b, description: _c, ...standard } = layout.images[0] ?? { name: "", layers: [] };
    const { name: _d, layers: _e, description: _f, ...debug } = layout.images[1] ?? { name: "", layers: [] };
    expect(debug).toEqual(standard);
  });

  it("takes the tools the spec lists instead, their folders on /bin/debug's PATH", () => {
    const layout = layoutOf({ ...web, debug: { tools: [{ source: "/usr/bin/strace", destination: "/usr/local/bin/strace" }] } });
    expect(destinations(layout, "web-debug")).toEqual(["/usr/local/bin/strace", "/bin/debug"]);
    expect(scriptAt(layout, "web-debug", "/bin/debug")).toContain("\nPATH=/bin:/usr/local/bin\n");
  });

  it("is not made without debug, nor with debug: false", () => {
    expect(layoutOf({ ...web, debug: false }).images.map((i) => i.name)).toEqual(["web"]);
  });
});

describe("a host program with its closure is a file entry the desugaring passes through", () => {
  it("keeps every field of a runtime input, setup task or debug tool, even one this package does not know yet", () => {
    const withClosure = (destination: string): FileEntry => ({ source: "/usr/bin/jq", destination, closure: true }) as unknown as FileEntry;
    const [jq, setupJq, debugJq] = [withClosure("/usr/bin/jq"), withClosure("/opt/jq"), withClosure("/debug/jq")];
    const image = { ...web, operable: { command: ["jq"], runtimeInputs: [jq] }, setup: [setupJq], debug: { tools: [debugJq] } } as unknown as StandardImage;
    const result = desugarStandard({ _tag: "Image", image });
    if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
    expect(result.right.layout.layers?.["web-runtime"]?.files?.[0]).toBe(jq);
    expect(result.right.layout.layers?.["web-setup"]?.files?.[0]).toBe(setupJq);
    expect(result.right.layout.layers?.["web-debug"]?.files?.[0]).toBe(debugJq);
  });
});

describe("in a layout", () => {
  const layout = {
    layers: { base: { files: [{ content: "x", destination: "/x" }] } },
    images: [
      { name: "tools", layers: ["base"] },
      { ...web, debug: true },
      { ...web, architecture: "arm64" },
    ],
  };

  it("stands among ordinary images, keeps their places, and appends the debug images", () => {
    const result = layoutOf(layout);
    expect(result.images.map((i) => [i.name, i.architecture ?? "amd64", i.layers])).toEqual([
      ["tools", "amd64", ["base"]],
      ["web", "amd64", ["web-1-runtime", "web-1-setup", "web-1-contracts"]],
      ["web", "arm64", ["web-2-runtime", "web-2-setup", "web-2-contracts"]],
      ["web-debug", "amd64", ["web-1-runtime", "web-1-setup", "web-1-contracts", "web-1-debug"]],
    ]);
    expect(Object.keys(result.layers ?? {})).toEqual(["base", "web-1-runtime", "web-1-setup", "web-1-contracts", "web-1-debug", "web-2-runtime", "web-2-setup", "web-2-contracts"]);
  });

  it("maps the desugared paths back to the fields written", () => {
    const spec = decoded(layout);
    expect(relocate("layers.web-1-runtime.files[1].destination", spec.origins)).toBe("images[1].operable.runtimeInputs[1].destination");
    expect(relocate("layers.web-2-runtime.files[2].source", spec.origins)).toBe("images[2].shell");
    expect(relocate("layers.web-1-setup.files[0]", spec.origins)).toBe("images[1].uid");
    expect(relocate("layers.web-1-contracts.files[0].script", spec.origins)).toBe("images[1].operable.command");
    expect(relocate("images[3].env", spec.origins)).toBe("images[1].env");
    expect(relocate("images[0].layers[0]", spec.origins)).toBe("images[0].layers[0]");
  });

  it("refuses a standard image whose layer names are already taken", () => {
    expect(issuesOf({ ...layout, layers: { ...layout.layers, "web-1-setup": { files: [] } } })).toEqual([
      'images[1].name: this standard image\'s layer "web-1-setup" has the name of a layer the spec defines; rename one of them',
    ]);
  });
});

describe("a spec with bad standard fields reports each field", () => {
  it("at decoding: fields a standard image sets itself, and wrong values", () => {
    expect(
      issuesOf({
        ...web,
        kind: "standrd",
        entrypoint: ["/bin/sh"],
        cmd: ["x"],
        user: "0",
        layers: [],
        labelPrefix: "x",
        operable: { command: [] },
        livenessProbe: { command: ["a"], script: "b" },
        readinessProbe: { scrip: "b" },
        uid: -1,
        debug: "yes",
        perms: [{ path: "/x", mode: "999" }],
      }),
    ).toEqual([
      'kind: expected "standard", found "standrd"',
      "operable.command: expected command (a list of arguments: a program, then its arguments; no NUL), found an array of 0",
      "uid: expected uid/gid (integer 0..4294967294), found -1",
      'perms[0].mode: expected octal mode string such as "0644", found "999"',
      "livenessProbe: expected probe with exactly one of command, script, found command and script",
      'readinessProbe: expected probe with exactly one of command, script, found none of them (scrip: did you mean "script"?)',
      'debug: expected true, false or {tools: [file entries]}, found "yes"',
      "layers: a standard image has no layers of its own: they are made from operable.runtimeInputs, setup and the contracts",
      "entrypoint: a standard image's entrypoint is /bin/entrypoint, which runs operable.command",
      "cmd: a standard image runs operable.command: give its arguments there",
      "user: a standard image runs as uid:gid: give uid and gid",
      "labelPrefix: a standard image's labels are always prefixed with org.opencontainers.image.",
    ]);
  });

  it("after decoding: clashes with the contracts, folders as programs, perms that match nothing, prefixed labels, PATH", () => {
    expect(
      issuesOf({
        ...web,
        operable: { command: ["httpd"], runtimeInputs: [{ source: "/bin/busybox", destination: "/bin/entrypoint" }, { directory: "/opt" }] },
        setup: [{ content: "x", destination: "/bin/runtime" }, { content: "y", destination: "/etc/x" }, { content: "z", destination: "//etc/./x" }],
        shell: { directory: "/x" },
        perms: [{ path: "/nothing/*", mode: "0444" }, { path: "relative", mode: "0444" }, { path: "/etc/x" }],
        labels: { "org.opencontainers.image.title": "web" },
        env: ["PATH=/usr/bin"],
        extraConfig: { config: { Entrypoint: ["/x"], User: "0" } },
        debug: { tools: [{ directory: "/debug" }] },
      }),
    ).toEqual([
      'labels["org.opencontainers.image.title"]: labels are prefixed with org.opencontainers.image. already: write "title"',
      "env: a standard image's PATH is the folders of operable.runtimeInputs (and its shell's); put programs there instead",
      "extraConfig.config.Entrypoint: a standard image's entrypoint is /bin/entrypoint (operable.command)",
      "extraConfig.config.User: a standard image runs as uid:gid (give uid and gid)",
      "operable.runtimeInputs[1].directory: a runtime input is a program or a file (its folder goes on PATH); make folders in setup",
      "shell: a shell is a program (a copy, symlink, script or content entry), not a folder or JSON",
      'perms[0].path: "/nothing/*" matches none of the paths the runtime inputs and setup name (/bin/entrypoint, /opt, /x, /bin/runtime, /etc/x, /etc/x, /etc/passwd, /etc/group)',
      'perms[1].path: expected an absolute path pattern (starting with /), found "relative"',
      "perms[2]: expected at least one of mode, uid, gid",
      "debug.tools[0].directory: a debugging tool is a program or a file (its folder goes on PATH); make folders in setup",
      'operable.runtimeInputs[0].destination: "/bin/entrypoint" is already given by the /bin/entrypoint contract; each path of a standard image comes from one place',
      'setup[0].destination: "/bin/runtime" is already given by the /bin/runtime contract; each path of a standard image comes from one place',
      'setup[2].destination: "/etc/x" is already given by setup[1]; each path of a standard image comes from one place',
    ]);
  });
});

describe("relocate", () => {
  const origins = [["images[0]", ""], ["layers.a", "setup"], ["layers.a.files[1]", "setup[0]"]] as const;
  it("replaces the longest prefix that names the path or one of its fields", () => {
    expect(relocate("layers.a.files[1].mode", origins)).toBe("setup[0].mode");
    expect(relocate("layers.a", origins)).toBe("setup");
    expect(relocate("images[0].env", origins)).toBe("env");
    expect(relocate("images[0]", origins)).toBe("");
  });
  it("leaves a path no prefix names as it is, and does not take a longer name for a prefix", () => {
    expect(relocate("layers.ab.files[0]", origins)).toBe("layers.ab.files[0]");
    expect(relocate("images[01]", origins)).toBe("images[01]");
    expect(relocate("x", undefined)).toBe("x");
  });
});

describe("in a .ts spec", () => {
  it("standardImage and ociImageLayout from \"ocistage\" give the types, and the value decodes as JSON would", async () => {
    const { promises: fs } = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { loadSpec } = await import("../src/index.ts");
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ocistage-standard-ts-"));
    try {
      const file = path.join(dir, "image.ts");
      await fs.writeFile(
        file,
        `import { ociImageLayout, standardImage } from "ocistage";\n` +
          `const web = standardImage(${JSON.stringify({ ...web, debug: true })});\n` +
          `export default ociImageLayout({ images: [web, { name: "tools", layers: [{ name: "t", files: [{ content: "x", destination: "/x" }] }] }] });\n`,
      );
      const loaded = await loadSpec(file)();
      if (E.isLeft(loaded)) throw new Error(formatSpecError(loaded.left).join("\n"));
      const spec = loaded.right.spec;
      expect(spec._tag === "Layout" && spec.layout.images.map((i) => i.name)).toEqual(["web", "tools", "web-debug"]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("standardImage's type", () => {
  it("takes a standard image's fields and refuses the ones it sets itself", () => {
    const typed = standardImage({ kind: "standard", name: "t", operable: { command: ["x"], runtimeInputs: [{ source: "/bin/x", destination: "/bin/x" }] }, uid: 1, perms: [{ path: "/bin/*", mode: "0555" }], debug: true });
    // @ts-expect-error a standard image's entrypoint is /bin/entrypoint
    const refused = standardImage({ kind: "standard", name: "t", operable: { command: ["x"] }, entrypoint: ["/bin/sh"] });
    expect([typed.kind, refused.name]).toEqual(["standard", "t"]);
  });
});
