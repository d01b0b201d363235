// Generates the benchmark's input trees, deterministically (AES-CTR keystream from a fixed key),
// so every run and every machine measures the same bytes. Incompressible data: no tool gains
// from compression tricks. Trees that already exist with the expected marker are kept.
import { createCipheriv } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import * as path from "node:path";

const GiB = 1024 ** 3;
// Bump a tree's version when it changes shape (its inputs or its spec): it is generated again.
const VERSIONS = { wide: "2" };
const versionOf = (name) => VERSIONS[name] ?? "1";

// A deterministic byte stream: AES-128-CTR of zeros under a key derived from `seed`.
const keystream = (seed) => {
  const key = Buffer.alloc(16);
  key.write(seed.padEnd(16, ".").slice(0, 16));
  const cipher = createCipheriv("aes-128-ctr", key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1 << 20);
  return (n) => {
    const parts = [];
    for (let left = n; left > 0; left -= zeros.length) parts.push(cipher.update(zeros.subarray(0, Math.min(left, zeros.length))));
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  };
};

// A small PRNG for sizes and names (mulberry32).
const prng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Sizes drawn log-uniformly between 1 byte and `max`, scaled so they add up to `total`.
const sizesSummingTo = (count, total, max, random) => {
  const raw = Array.from({ length: count }, () => Math.exp(random() * Math.log(max)));
  const sum = raw.reduce((a, b) => a + b, 0);
  const sizes = raw.map((r) => Math.max(0, Math.floor((r * total) / sum)));
  sizes[0] += total - sizes.reduce((a, b) => a + b, 0);
  return sizes;
};

// `count` files of the given sizes spread over folders of `perFolder` files, two levels deep.
const writeFiles = (root, sizes, perFolder, seed) => {
  const bytes = keystream(seed);
  sizes.forEach((size, i) => {
    const folder = Math.floor(i / perFolder);
    const dir = path.join(root, `d${String(Math.floor(folder / 20)).padStart(3, "0")}`, `s${String(folder % 20).padStart(2, "0")}`);
    if (i % perFolder === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `f${String(i).padStart(6, "0")}.dat`), bytes(size));
  });
};

const writeBigFile = (file, size, seed) => {
  const bytes = keystream(seed);
  const fd = openSync(file, "w");
  for (let left = size; left > 0; left -= 1 << 24) writeSync(fd, bytes(Math.min(left, 1 << 24)));
  closeSync(fd);
};

const layerSpec = (name, layers, extra = {}) => ({ name, tag: "bench", layers, ...extra });

// Each tree: a folder of inputs and the spec (JSON) that builds it.
const TREES = {
  small: (dir) => {
    writeFiles(path.join(dir, "root"), sizesSummingTo(2000, 8 * 1024 * 1024, 64 * 1024, prng(1)), 100, "small");
    return layerSpec("bench-small", [{ name: "files", source: "root" }]);
  },
  many: (dir) => {
    writeFiles(path.join(dir, "root"), sizesSummingTo(50_000, GiB, 4 * 1024 * 1024, prng(2)), 100, "many");
    return layerSpec("bench-many", [{ name: "files", source: "root" }]);
  },
  big: (dir) => {
    mkdirSync(path.join(dir, "root"), { recursive: true });
    writeBigFile(path.join(dir, "root", "big.bin"), GiB, "big");
    return layerSpec("bench-big", [{ name: "data", source: "root" }]);
  },
  // Ten layers of ~10 MiB in 200 files each: one file of layer 5 is changed between builds.
  ten: (dir) => {
    const random = prng(3);
    const layers = [];
    for (let l = 0; l < 10; l++) {
      writeFiles(path.join(dir, `layer${l}`), sizesSummingTo(200, 10 * 1024 * 1024, 1024 * 1024, random), 100, `ten${l}`);
      layers.push({ name: `layer${l}`, files: [{ source: `layer${l}`, destination: `/opt/layer${l}` }] });
    }
    return layerSpec("bench-ten", layers);
  },
  // 200 layers for the views (plan, graph, docs): a few entries each, inline content only.
  wide: () =>
    layerSpec(
      "bench-wide",
      Array.from({ length: 200 }, (_, l) => ({
        name: `layer${String(l).padStart(3, "0")}`,
        files: [
          { content: `layer ${l}\n`, destination: `/etc/layers/${l}.txt` },
          { directory: `/var/lib/l${l}`, mode: "0750" },
          { symlink: `/etc/layers/${l}.txt`, destination: `/usr/share/l${l}` },
        ],
      })),
      // Past the 127 layers podman's overlay storage stacks: these specs are only viewed, never run.
      { maxLayers: 200 },
    ),
};

export const makeTrees = (base, names = Object.keys(TREES)) => {
  const specs = {};
  for (const name of names) {
    const dir = path.join(base, name);
    const marker = path.join(dir, ".complete");
    const specFile = path.join(dir, "image.json");
    if (!(existsSync(marker) && readFileSync(marker, "utf8") === versionOf(name))) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      process.stderr.write(`bench: generating the "${name}" tree in ${dir}\n`);
      writeFileSync(specFile, JSON.stringify(TREES[name](dir), null, 2));
      writeFileSync(marker, versionOf(name));
    }
    specs[name] = { dir, spec: specFile };
  }
  return specs;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const base = process.argv[2] ?? "/tmp/ocistage-bench/trees";
  console.log(JSON.stringify(makeTrees(base, process.argv.slice(3).length > 0 ? process.argv.slice(3) : undefined), null, 2));
}
