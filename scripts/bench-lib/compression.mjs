// Compressed layers in the benchmark: a gzip (and a zstd) cold build of the 1 GiB / 50,000-file
// tree against GNU tar | pigz | sha256sum and umoci insert (which gzips every layer it makes),
// all in one run so the ratios compare like with like. Used by bench.mjs (the full report) and
// on its own by `scripts/bench --compression-only`.

const ratioText = (ours, theirs) => {
  if (ours === undefined || theirs === undefined) return "–";
  const r = theirs.median / ours.median;
  return r >= 1 ? `${r.toFixed(2)}× faster` : `${(1 / r).toFixed(2)}× slower`;
};
const s = (x) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : "–");

/**
 * Adds the compression cases to `run` (bench.mjs's measure-and-record). `umoci` is measured here
 * only when the caller has not (the full bench measures it with its other baselines).
 */
export const compressionCases = ({ run, tree, bytes, cli, q, out, wipe, gnuTar, runs, withUmoci }) => {
  const root = `${tree.dir}/root`;
  const common = { tree: "many", bytes };
  const o = out("many-compressed");
  run({ ...common, id: "many-pigz", tool: "GNU tar | pigz | sha256sum", kind: "compression", label: "many: GNU tar --sort=name | pigz -6 | sha256sum", command: `${gnuTar} -C ${q(root)} -cf - . | pigz -6 | sha256sum >/dev/null`, runs, warmup: 1 });
  for (const codec of ["gzip", "zstd"])
    run({ ...common, id: `many-${codec}-cold`, tool: `ocistage build --compression ${codec}`, kind: "compression", label: `many: ocistage build --compression ${codec} (cold)`, prepare: `${wipe(o)}; sync`, command: `${cli} build ${q(tree.spec)} --out ${q(o)} --compression ${codec} >/dev/null`, cleanup: wipe(o), runs, warmup: 0 });
  if (withUmoci) {
    const layout = out("many-umoci");
    run({ ...common, id: "many-umoci", tool: "umoci", kind: "baseline", label: "many: umoci init + new + insert", prepare: `rm -rf ${q(layout)}; sync`, command: `umoci init --layout ${q(layout)} && umoci new --image ${q(layout)}:bench && umoci insert --image ${q(layout)}:bench ${q(root)} / >/dev/null`, cleanup: `rm -rf ${q(layout)}`, runs, warmup: 0 });
  }
};

/** The report's section: the gzip build against pigz and umoci, and the zstd build beside them. */
export const compressionSection = (results) => {
  const find = (id) => results.find((r) => r.id === id);
  const gzip = find("many-gzip-cold");
  if (gzip === undefined) return "";
  const rows = ["many-gzip-cold", "many-zstd-cold", "many-pigz", "many-umoci", "many-cold"].map(find).filter((r) => r !== undefined);
  return [
    "## Compressed layers",
    "",
    "The 1 GiB / 50,000-file tree (incompressible file data between compressible tar headers),",
    "built with `--compression gzip` and `zstd` (cold), against GNU tar piped into pigz (both",
    "cores, writing nothing) and umoci insert (which gzips every layer it makes, with Go's",
    "parallel gzip), measured in the same run. The build also writes the blob and `image.oci.tar`",
    "and hashes both the tar (diff_id) and the compressed bytes; its deflate is pako (JavaScript),",
    "pigz's is zlib (C).",
    "",
    "| command | median s | min–max s | MB/s | CPU user+sys s | peak MiB | the gzip build is |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...rows.map((r) => `| ${r.label.replace(/^many: /, "").replaceAll("|", "\\|")} | ${s(r.median)} | ${s(r.min)}–${s(r.max)} | ${(r.bytes / 1e6 / r.median).toFixed(0)} | ${s(r.user + r.system)} | ${Number.isFinite(r.peakMiB) ? r.peakMiB.toFixed(0) : "–"} | ${r.id === "many-gzip-cold" ? "" : ratioText(gzip, r)} |`),
  ].join("\n");
};
