// Turns `deno bench --json` output of bench/codecs_bench.ts and
// bench/records_bench.ts into Markdown tables: throughput per implementation
// and denokafka's speed-up over the fastest pure-JavaScript peer and over the
// fastest peer of any non-native kind (JavaScript or WebAssembly). Native
// entries (`node:zlib`, Compression/DecompressionStream) are shown but are
// not peers.
//
//   deno bench -A --json bench/codecs_bench.ts > codecs.json
//   deno bench -A --json bench/records_bench.ts > records.json
//   deno run --allow-read bench/_bench_table.ts codecs.json records.json

interface Bench {
  group: string | null;
  name: string;
  results: { ok?: { avg: number; min: number } }[];
}

const SIZES: Record<string, number> = {
  "1KiB": 1024,
  "16KiB": 16384,
  "1MiB": 1048576,
};

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toPrecision(3);
}

for (const file of Deno.args) {
  const benches: Bench[] = JSON.parse(await Deno.readTextFile(file)).benches;
  const groups = new Map<string, Bench[]>();
  for (const b of benches) {
    if (!b.results[0]?.ok) continue;
    const g = b.group ?? "";
    groups.set(g, [...(groups.get(g) ?? []), b]);
  }
  const records = /record batch/.test([...groups.keys()].join());
  const unit = records ? "records/s" : "MB/s";
  console.log(
    `| group | implementation | avg time | ${unit} (avg) | ${unit} (best) | vs best JS peer | vs best JS/WASM peer |`,
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const [g, list] of groups) {
    const size = SIZES[g.match(/(1KiB|16KiB|1MiB)$/)?.[1] ?? ""] ?? 0;
    const rate = (
      ns: number,
    ) => (records ? 1000 / (ns / 1e9) : size / (ns / 1e9) / 1e6);
    const ours = list.filter((b) => b.name.startsWith("denokafka"));
    const native = /native|napi|CompressionStream|DecompressionStream/;
    const peers = list.filter((b) =>
      !b.name.startsWith("denokafka") && !native.test(b.name)
    );
    const best = (l: Bench[]) =>
      Math.min(...l.map((b) => b.results[0].ok!.avg));
    const bestPeer = best(peers);
    const bestJs = best(peers.filter((b) => !/wasm/i.test(b.name)));
    for (const b of list) {
      const { avg, min } = b.results[0].ok!;
      const avgText = avg >= 1e6
        ? `${(avg / 1e6).toFixed(2)} ms`
        : avg >= 1e3
        ? `${(avg / 1e3).toFixed(1)} µs`
        : `${avg.toFixed(0)} ns`;
      const r = (x: number) =>
        ours.includes(b) && Number.isFinite(x)
          ? `${(x / avg).toFixed(2)}x`
          : "";
      const ratio = `${r(bestJs)} | ${r(bestPeer)}`;
      console.log(
        `| ${g} | ${
          b.name.replace(/ (text|random) \d+K?M?iB$| \d+ B$/, "")
        } | ${avgText} | ${fmt(rate(avg))} | ${fmt(rate(min))} | ${ratio} |`,
      );
    }
  }
  console.log();
}
