/**
 * `deno task fuzz`: seeded mutation fuzzing of every decoder (every protocol
 * response decoder, the consumer-protocol schemas, `decodeRecords`,
 * `decodeMessages`, `decompress` of every codec), a million cases by
 * default, spread evenly over the decoders, with progress every two
 * seconds. A finding is a decoder that threw anything but a `KafkaError`,
 * took over two seconds, or left the WebAssembly codec unable to decode a
 * known-good batch afterwards; findings are printed and written to
 * `.cache/fuzz-findings-<seed>.json` (base64 inputs), and the exit code is 1.
 *
 * ```sh
 * deno task fuzz                         # 1 000 000 cases, a random seed
 * deno task fuzz --cases 5000000 --seed 7
 * deno task fuzz --only decompress       # decoders whose name contains it
 * deno task fuzz --oom                   # also a 2 GiB zstd bomb with the limit raised to 1 TiB
 * ```
 *
 * @module
 */
import { CodecMemoryError, CompressionType, decompress } from "../../mod.ts";
import {
  allTargets,
  codecHealthCheck,
  type DecoderStats,
  type Finding,
  runTarget,
  summary,
} from "./_fuzz.ts";

function arg(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  if (i >= 0) return Deno.args[i + 1];
  const eq = Deno.args.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** A zstd frame of RLE blocks that decompresses to `bytes` bytes (4 bytes per 128 KiB). */
function zstdBomb(bytes: number): Uint8Array {
  const block = 131072;
  const n = Math.ceil(bytes / block);
  const out = new Uint8Array(6 + 4 * n);
  // Magic, no content size, window 128 KiB.
  out.set([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]);
  for (let i = 0; i < n; i++) {
    const h = (i === n - 1 ? 1 : 0) | (1 << 1) | (block << 3);
    out.set([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x61], 6 + 4 * i);
  }
  return out;
}

async function main(): Promise<number> {
  const total = Number(arg("cases") ?? 1_000_000);
  const seed = Number(arg("seed") ?? Math.floor(Math.random() * 2 ** 31));
  const only = arg("only");
  let targets = await allTargets(seed);
  if (only) targets = targets.filter((t) => t.name.includes(only));
  if (!targets.length) throw new Error(`no decoder matches ${only}`);
  const per = Math.ceil(total / targets.length);
  console.log(
    `[fuzz] seed ${seed}: ${fmt(per * targets.length)} cases, ${
      fmt(per)
    } for each of ${targets.length} decoders`,
  );
  const started = performance.now();
  let done = 0;
  let findings = 0;
  let lastPrint = started;
  const results: DecoderStats[] = [];
  for (const [i, t] of targets.entries()) {
    let base = done;
    const s = runTarget(t, per, seed + i, (n) => {
      const now = performance.now();
      if (now - lastPrint < 2000) return;
      lastPrint = now;
      const sofar = base + n;
      console.log(
        `[fuzz] ${fmt(sofar)} / ${fmt(per * targets.length)} cases (${
          fmt(sofar / ((now - started) / 1000))
        }/s), ${findings} findings; now: ${t.name}`,
      );
    });
    done += s.cases;
    base = done;
    findings += s.findings.length;
    results.push(s);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log("");
  for (const s of results) console.log(summary(s));
  const all: Finding[] = results.flatMap((s) => s.findings);
  const typed = results.reduce(
    (n, s) => n + [...s.typed.values()].reduce((a, b) => a + b, 0),
    0,
  );
  const decoded = results.reduce((n, s) => n + s.decoded, 0);
  const checks = results.reduce((n, s) => n + s.healthChecks, 0);
  console.log(
    `\n[fuzz] seed ${seed}: ${
      fmt(done)
    } cases over ${results.length} decoders in ${seconds.toFixed(1)} s (${
      fmt(done / seconds)
    }/s): ${fmt(decoded)} decoded, ${
      fmt(typed)
    } typed errors (KafkaError), ${all.length} findings; ${
      fmt(checks)
    } known-good decodes after failures`,
  );

  if (Deno.args.includes("--oom")) {
    const t0 = performance.now();
    let outcome: string;
    try {
      const out = decompress(
        CompressionType.ZSTD,
        zstdBomb(2 ** 31 - 2 ** 17),
        {
          maxDecompressedBytes: 2 ** 40,
        },
      );
      outcome = `decompressed ${fmt(out.length)} bytes`;
    } catch (e) {
      outcome = e instanceof CodecMemoryError
        ? `CodecMemoryError: ${e.message}`
        : `FINDING ${e}`;
      if (!(e instanceof CodecMemoryError)) {
        all.push({ decoder: "oom", case: 0, what: String(e), input: "" });
      }
    }
    codecHealthCheck();
    console.log(
      `[fuzz] 2 GiB zstd bomb, limit raised to 1 TiB: ${outcome} after ${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s; the codec decodes a known-good batch afterwards`,
    );
  }

  if (all.length) {
    await Deno.mkdir(".cache", { recursive: true });
    const file = `.cache/fuzz-findings-${seed}.json`;
    await Deno.writeTextFile(file, JSON.stringify(all, null, 1));
    for (const f of all.slice(0, 20)) {
      console.log(
        `FINDING ${f.decoder} case ${f.case}${
          f.version !== undefined ? ` v${f.version}` : ""
        }: ${f.what}`,
      );
    }
    console.log(`[fuzz] ${all.length} findings written to ${file}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
