// An image config becomes config.json as image-spec conversion.md says: args, env, cwd, user,
// and annotations whose image labels win over the implicit ones.
import * as E from "fp-ts/lib/Either.js";
import { describe, expect, test } from "vitest";
import { imageConfig } from "@ocistage/oci";
import type { ContainerConfig } from "@ocistage/oci";
import { DEFAULT_PATH, resolveUser, runtimeConfig } from "../src/index.ts";

const image = (config: ContainerConfig) => imageConfig({ architecture: "arm64", os: "linux", variant: "v8", diffIds: [], created: "2024-01-02T03:04:05Z", config });
const convert = (config: ContainerConfig) => runtimeConfig(image(config), { user: { uid: 0, gid: 0 }, readonly: false, hostname: "h" });
const right = <A>(e: E.Either<string, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left);
  return e.right;
};

describe("process", () => {
  test("args are Entrypoint then Cmd; cwd is WorkingDir, or /", () => {
    expect(right(convert({ Entrypoint: ["/bin/app"], Cmd: ["--port", "80"], WorkingDir: "/srv" })).process).toMatchObject({ args: ["/bin/app", "--port", "80"], cwd: "/srv" });
    expect(right(convert({ Cmd: ["/bin/sh"] })).process).toMatchObject({ args: ["/bin/sh"], cwd: "/" });
  });

  test("an image with no command cannot become a container", () => {
    expect(convert({ Entrypoint: null, Cmd: [] })).toEqual(E.left("the image has neither Entrypoint nor Cmd: a container needs a command"));
  });

  test("Env is kept as it is; the default PATH is added only when Env has none", () => {
    expect(right(convert({ Cmd: ["x"], Env: ["PATH=/bin", "A=1"] })).process.env).toEqual(["PATH=/bin", "A=1"]);
    expect(right(convert({ Cmd: ["x"], Env: ["A=1"] })).process.env).toEqual([DEFAULT_PATH, "A=1"]);
  });
});

describe("annotations", () => {
  test("the image's fields become annotations, and its labels win over them", () => {
    const config = right(convert({ Cmd: ["x"], StopSignal: "SIGTERM", ExposedPorts: { "80/tcp": {}, "53/udp": {} }, Labels: { "org.opencontainers.image.architecture": "mine", custom: "1" } }));
    expect(config.annotations).toEqual({
      "org.opencontainers.image.os": "linux",
      "org.opencontainers.image.architecture": "mine",
      "org.opencontainers.image.variant": "v8",
      "org.opencontainers.image.created": "2024-01-02T03:04:05Z",
      "org.opencontainers.image.stopSignal": "SIGTERM",
      "org.opencontainers.image.exposedPorts": "80/tcp,53/udp",
      custom: "1",
    });
  });
});

describe("Config.User", () => {
  const passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n";
  const group = "root:x:0:\napp:x:1000:\nwheel:x:10:app,other\naudio:x:29:app\n";

  test.each([
    ["absent: root", undefined, { uid: 0, gid: 0 }],
    ["a numeric uid: its passwd group", "1000", { uid: 1000, gid: 1000 }],
    ["a numeric uid passwd does not list: group 0", "4242", { uid: 4242, gid: 0 }],
    ["uid:gid, copied", "7:8", { uid: 7, gid: 8 }],
    ["a name: its ids and the groups that list it", "app", { uid: 1000, gid: 1000, additionalGids: [10, 29] }],
    ["name:group: no other groups", "app:wheel", { uid: 1000, gid: 10 }],
  ])("%s", (_, user, expected) => {
    expect(resolveUser(user, passwd, group)).toEqual(E.right(expected));
  });

  test("a name the image does not know is an error, as conversion.md requires", () => {
    expect(resolveUser("nobody", passwd, group)).toEqual(E.left('Config.User: user "nobody" is not in the image\'s /etc/passwd'));
    expect(resolveUser("app:staff", passwd, group)).toEqual(E.left('Config.User: group "staff" is not in the image\'s /etc/group'));
    expect(resolveUser("app", undefined, undefined)).toEqual(E.left('Config.User: user "app" is not in the image\'s /etc/passwd'));
  });
});
