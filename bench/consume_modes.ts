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
  },
});

const records = Number(args.records);

/** One run in this process: consumes `records` with `options`, returns rec/s. */
async function run(options: Record<string, unknown>): Promise<number> {
  await using client = await KafkaClient.connect({ hosts: args.hosts! });
  const topic = await client.topics.get(args.topic!);
  const t0 = performance.now();
  await using consumer = topic.getSimpleConsumer({
    autoOffsetReset: OffsetType.EARLIEST,
    resetOffsetOnStart: true,
    ...options,
  });
  let n = 0;
  while (n < records) {
    if (await consumer.consume({ timeoutMs: 30_000 })) n++;
    else throw new Error(`only ${n} of ${records} records in ${args.topic}`);
  }
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
