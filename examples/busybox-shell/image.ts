import { ociImage } from "ocistage";

// The seed's worked example: one layer holding Debian's static busybox, with /bin/sh and a
// few applets as symlinks. Install it with `apt-get install busybox-static` (scripts/install-system-tools does).
const applets = ["sh", "ls", "cat", "echo", "env", "id", "uname", "pwd", "mkdir", "rm", "wget"];

export default ociImage({
  name: "busybox-shell",
  tag: "latest",
  description: "A shell from one static busybox layer.",
  layers: [
    {
      name: "busybox",
      files: [
        { source: "/bin/busybox", destination: "/bin/busybox", mode: "0755" },
        ...applets.map((applet) => ({ symlink: "busybox", destination: `/bin/${applet}` })),
        { directory: "/tmp", mode: "1777" },
        { content: "root:x:0:0:root:/root:/bin/sh\n", destination: "/etc/passwd" },
        { content: "root:x:0:\n", destination: "/etc/group" },
      ],
    },
  ],
  entrypoint: ["/bin/sh"],
  env: { PATH: "/bin" },
  labels: {
    "org.opencontainers.image.title": "busybox-shell",
    "org.opencontainers.image.description": "A shell from one static busybox layer",
  },
  tests: [
    { name: "smoke-test", command: ["-c", "echo hi"], expectOutput: "hi\n" },
    { name: "applets", command: ["-c", "ls /bin/sh && id -u"], expectOutput: "/bin/sh\n0\n" },
  ],
});
