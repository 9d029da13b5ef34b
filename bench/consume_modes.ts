/**
 * Consumer option sets side by side on one pre-filled topic: each round
 * runs every set once (a fresh process per run, interleaved), and the
 * medians of records/s are printed. For questions such as "what do CRC
 * checks cost" or "does useWorkers pay off here".
 *
 * ```sh
 * deno run -A bench/consume_modes.ts --topic T --records 200000 --rounds 3 \
 *   '{}' '{"checkCrcs":false}' '{"useWorkers":true}'
 * ```
 *
 * `--cafile F` connects over TLS (give the SSL listeners as `--hosts`).
 * `--work-us N` spends N µs of the consuming thread's time on each message
 * (an application's own work), for "does moving the sockets off the event
 * loop pay when the application keeps it busy".
 *
 * Fill the topic first, e.g. with kcat: `kcat -P -b 127.0.0.1:19192 -t T -l
 * -X batch.size=524288 <records file>` (one record per line).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { KafkaClient, OffsetType } from "../mod.ts";

const { values: args, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    topic: { type: "string" },
    records: { type: "string", default: "200000" },
    rounds: { type: "string", default: "3" },
    hosts: { type: "string", default: "127.0.0.1:19192,127.0.0.1:19292" },
    child: { type: "string" },
    "work-us": { type: "string", default: "0" },
    cafile: { type: "string" },
  },
});

const records = Number(args.records);
const workUs = Number(args["work-us"]);

/**
 * The application's own work per message (`--work-us`): a loop over the
 * value's bytes until that many microseconds passed, on the consuming
 * thread, as an application that parses or transforms each record would.
 */
function work(value: Uint8Array | null): number {
  if (workUs <= 0) return 0;
  const until = performance.now() + workUs / 1000;
  let h = 0;
  while (performance.now() < until) {
    for (let i = 0; i < (value?.length ?? 0); i += 64) {
      h = (h * 31 + value![i]) | 0;
    }
  }
  return h;
}

/** One run in this process: consumes `records` with `options`, returns rec/s. */
async function run(options: Record<string, unknown>): Promise<number> {
  await using client = await KafkaClient.connect({
    hosts: args.hosts!,
    ...(args.cafile ? { sslConfig: { cafile: args.cafile } } : {}),
  });
  const topic = await client.topics.get(args.topic!);
  const t0 = performance.now();
  await using consumer = topic.getSimpleConsumer({
    autoOffsetReset: OffsetType.EARLIEST,
    resetOffsetOnStart: true,
    ...options,
  });
  let n = 0;
  let sink = 0;
  while (n < records) {
    const m = await consumer.consume({ timeoutMs: 30_000 });
    if (m) {
      n++;
      sink ^= work(m.value);
    } else throw new Error(`only ${n} of ${records} records in ${args.topic}`);
  }
  if (sink === 0.5) console.error(sink); // keeps the work from being optimised away
  return records / ((performance.now() - t0) / 1000);
}

if (args.child !== undefined) {
  console.log(JSON.stringify({ rate: await run(JSON.parse(args.child)) }));
} else {
  if (!args.topic || positionals.length === 0) {
    console.error(
      "usage: consume_modes.ts --topic T [--records N] [--rounds R] '<options json>' ...",
    );
    Deno.exit(2);
  }
  const rates = new Map<string, number[]>(positionals.map((p) => [p, []]));
  for (let r = 1; r <= Number(args.rounds); r++) {
    for (const set of positionals) {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          import.meta.filename!,
          "--topic",
          args.topic,
          "--records",
          String(records),
          "--hosts",
          args.hosts!,
          "--work-us",
          String(workUs),
          ...(args.cafile ? ["--cafile", args.cafile] : []),
          "--child",
          set,
        ],
        stderr: "inherit",
      }).output();
      if (!out.success) Deno.exit(1);
      const { rate } = JSON.parse(new TextDecoder().decode(out.stdout));
      rates.get(set)!.push(rate);
      console.error(`round ${r} ${set}: ${Math.round(rate)} rec/s`);
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  console.log("| options | median rec/s | runs |\n| --- | --- | --- |");
  for (const [set, xs] of rates) {
    console.log(
      `| \`${set}\` | ${Math.round(median(xs)).toLocaleString("en")} | ${
        xs.map((x) => Math.round(x / 1000) + "k").join(", ")
      } |`,
    );
  }
}
