// Helpers of the transaction tests: what read_committed and
// read_uncommitted readers see of a topic (our SimpleConsumer, the Java
// console consumer, kcat), and a partition's last stable offset.
import type { Topic } from "../../src/client/mod.ts";
import { IsolationLevel } from "../../src/consumer/mod.ts";
import { ListOffsets } from "../../src/protocol/mod.ts";
import { OffsetType } from "../../src/cluster/mod.ts";
import { cluster, type ClusterName } from "../cluster/mod.ts";
import { java, run } from "../cluster/tools.ts";
import { dec } from "./_helpers.ts";

/** Every value of a topic our SimpleConsumer reads at `level`, per partition in order. */
export async function ourValues(
  topic: Topic,
  level: IsolationLevel,
  expect: number,
): Promise<string[]> {
  await using consumer = topic.getSimpleConsumer({
    isolationLevel: level,
    autoOffsetReset: OffsetType.EARLIEST,
    consumerTimeoutMs: 1500,
  });
  const got: string[] = [];
  for await (const m of consumer) {
    got.push(dec.decode(m.value!));
    if (got.length > expect + 100) break;
  }
  return got;
}

/** The values the Java console consumer (read_committed) reads: at most `max`. */
export async function javaReadCommitted(
  which: ClusterName,
  topic: string,
  max: number,
): Promise<string[]> {
  const out = await java("org.apache.kafka.tools.consumer.ConsoleConsumer", [
    "--bootstrap-server",
    cluster.bootstrap(which, "PLAINTEXT"),
    "--topic",
    topic,
    "--from-beginning",
    "--isolation-level",
    "read_committed",
    "--max-messages",
    String(max),
    "--timeout-ms",
    "20000",
  ]);
  return out.split("\n").filter((l) => l.length > 0);
}

/** The values kcat reads with `isolation.level=read_committed` (to the end). */
export async function kcatReadCommitted(
  which: ClusterName,
  topic: string,
): Promise<string[]> {
  const out = await run("kcat", [
    "-C",
    "-q",
    "-b",
    cluster.bootstrap(which, "PLAINTEXT"),
    "-t",
    topic,
    "-o",
    "beginning",
    "-e",
    "-X",
    "isolation.level=read_committed",
    "-f",
    "%s\n",
  ]);
  return out.split("\n").filter((l) => l.length > 0);
}

/** The last stable offset and the log end offset of a partition. */
export async function stableAndEnd(
  topic: Topic,
  partition: number,
): Promise<{ stable: number; end: number }> {
  const leader = topic.partitions.get(partition)!.leader;
  const ask = async (isolationLevel: number) => {
    const r = await leader.send(ListOffsets, {
      replicaId: -1,
      isolationLevel,
      topics: [{
        name: topic.name,
        partitions: [{ partitionIndex: partition, timestamp: -1 }],
      }],
    });
    return r.topics[0].partitions[0].offset ?? -1;
  };
  return { stable: await ask(1), end: await ask(0) };
}

export { IsolationLevel };
