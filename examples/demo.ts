/**
 * The demo: every class of denokafka at work against a real cluster,
 * narrated and checked.
 *
 * 1. `KafkaClient` and metadata: brokers, the controller, the protocol
 *    versions negotiated with each broker; a new topic with 3 partitions
 *    and its leaders.
 * 2. `Producer`: 100 000 records with keys and headers, lz4-compressed,
 *    with a progress bar (on a terminal) and a delivery report for each.
 * 3. `SimpleConsumer` in a consumer group: every record read back and
 *    checked (each one exactly once, its key, its header, the order per
 *    key), then the offsets committed.
 * 4. The balanced consumers: a managed group of two
 *    `ManagedBalancedConsumer`s (Kafka's group protocol) and a ZooKeeper
 *    group of two `BalancedConsumer`s (when the cluster's ZooKeeper is
 *    given) each read everything again, split between the members and
 *    checked the same way.
 * 5. A summary: throughput, offsets per partition, and the group's lag
 *    (zero on every partition), then the topic and group are deleted.
 *
 * Run it against any cluster with the bootstrap hosts as argument (or in
 * `KAFKA_HOSTS`), and its ZooKeeper as the second argument for the
 * ZooKeeper group (or in `KAFKA_ZOOKEEPER_HOSTS` with `deno task demo`).
 * In the repository, `deno task demo` (`tools/demo.ts`) first starts the
 * project's local test cluster when `KAFKA_HOSTS` is not set (`deno task
 * cluster:up`, which downloads Kafka from Maven Central on the first run)
 * and runs the demo against both its Kafka 3.9 brokers (with its
 * ZooKeeper) and its Kafka 4.x KRaft node.
 *
 * ```sh
 * deno run --allow-net=127.0.0.1 examples/demo.ts 127.0.0.1:9092 127.0.0.1:2181
 * deno task demo
 * KAFKA_HOSTS=127.0.0.1:9092 deno task demo
 * ```
 *
 * @module
 */

import { Fetch, Produce } from "../src/protocol/mod.ts";
import {
  CompressionType,
  KafkaClient,
  type Message,
  type SimpleConsumer,
  type Topic,
  ZookeeperClient,
} from "../mod.ts";
import { Progress } from "../cli/_progress.ts";

/** Records the demo produces and consumes. */
export const DEMO_RECORDS = 100_000;
const KEYS = 100;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Options of {@linkcode demo}. */
export interface DemoOptions {
  /** Records to produce and consume (default 100 000). */
  records?: number;
  /**
   * The cluster's ZooKeeper (with its chroot) for the ZooKeeper group;
   * without it that part is skipped.
   */
  zookeeperHosts?: string;
}

function rate(n: number, ms: number): string {
  return `${Math.round(n / (ms / 1000)).toLocaleString("en-US")} records/s`;
}

function mbps(bytes: number, ms: number): string {
  return `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
}

/** Checks that every record arrived once, with its key and header, in order per key. */
class Checker {
  readonly #seen: Uint8Array;
  readonly #lastByKey = new Int32Array(KEYS).fill(-1);
  readonly #partitionOfKey = new Int32Array(KEYS).fill(-1);
  count = 0;
  bytes = 0;

  constructor(n: number) {
    this.#seen = new Uint8Array(n);
  }

  check(m: Message): void {
    const value = dec.decode(m.value!);
    const i = Number(value.slice("hello #".length));
    if (!value.startsWith("hello #") || !(i >= 0 && i < this.#seen.length)) {
      throw new Error(`unexpected record ${JSON.stringify(value)}`);
    }
    if (this.#seen[i]++) throw new Error(`record #${i} arrived twice`);
    const k = i % KEYS;
    if (dec.decode(m.partitionKey!) !== `user-${k}`) {
      throw new Error(`record #${i} has key ${dec.decode(m.partitionKey!)}`);
    }
    const [name, v] = m.headers[0] ?? [];
    if (name !== "source" || dec.decode(v!) !== "demo") {
      throw new Error(`record #${i} lost its header`);
    }
    if (this.#lastByKey[k] > i) {
      throw new Error(`key user-${k}: #${i} after #${this.#lastByKey[k]}`);
    }
    if (
      this.#partitionOfKey[k] >= 0 && this.#partitionOfKey[k] !== m.partitionId
    ) {
      throw new Error(`key user-${k} is in two partitions`);
    }
    this.#lastByKey[k] = i;
    this.#partitionOfKey[k] = m.partitionId;
    this.count++;
    this.bytes += m.value!.length + m.partitionKey!.length;
  }
}

/** Waits (at most 30 s) until `ok()` holds, checking every 50 ms. */
async function until(ok: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Deletes a ZooKeeper node and everything under it (missing is fine). */
async function deleteTree(zk: ZookeeperClient, path: string): Promise<void> {
  let children: string[];
  try {
    children = await zk.getChildren(path);
  } catch {
    return;
  }
  for (const c of children) await deleteTree(zk, `${path}/${c}`);
  await zk.delete(path).catch(() => {});
}

/** What the demo needs of a group member (both balanced consumers). */
interface GroupMember {
  consume(options: { timeoutMs: number }): Promise<Message | null>;
  commitOffsets(): Promise<void>;
}

/**
 * The members of a group read the `n` records between them, each checked by
 * a new `Checker` (so each exactly once), with a progress bar; then they
 * commit. Returns the summary line.
 */
async function readAsGroup(
  title: string,
  members: GroupMember[],
  split: string,
  n: number,
  t0: number,
): Promise<string> {
  const checker = new Checker(n);
  const counts = members.map(() => 0);
  const progress = new Progress({
    label: `   ${title.toLowerCase()}`,
    total: n,
  });
  await Promise.all(members.map(async (m, i) => {
    const deadline = Date.now() + 120_000;
    while (checker.count < n) {
      if (Date.now() > deadline) {
        throw new Error(`the group consumed ${checker.count} of ${n}`);
      }
      const msg = await m.consume({ timeoutMs: 200 });
      if (!msg) continue;
      checker.check(msg);
      counts[i]++;
      progress.update(checker.count, checker.bytes);
    }
  }));
  progress.finish();
  const ms = performance.now() - t0;
  await Promise.all(members.map((m) => m.commitOffsets()));
  return `${title} of ${members.length} (partitions ${split}): consumed ${n} records in ${
    ms.toFixed(0)
  } ms: ${rate(n, ms)}; each exactly once (${
    counts.join(" + ")
  }), checked as above`;
}

/**
 * A ZooKeeper group of two `BalancedConsumer`s reads the topic again: both
 * join (sharing one `ZookeeperClient` of ours), split the 3 partitions,
 * and read every record between them, checked by a new `Checker`; then
 * they commit and leave, and the group's nodes are removed.
 */
async function zookeeperGroup(
  topic: Topic,
  zookeeperHosts: string,
  n: number,
): Promise<{ group: string; line: string }> {
  const group = `${topic.name}-zk`;
  await using zk = await ZookeeperClient.connect(zookeeperHosts);
  const options = {
    consumerGroup: group,
    zookeeper: zk,
    rebalanceBackoffMs: 500,
  };
  const members = [
    topic.getBalancedConsumer(options),
    topic.getBalancedConsumer(options),
  ];
  const t0 = performance.now();
  try {
    await Promise.all(members.map((m) => m.start()));
    await until(
      () =>
        members.every((m) => m.partitions.size > 0) &&
        members[0].partitions.size + members[1].partitions.size === 3,
      "both members to hold partitions",
    );
    const split = members.map((m) => [...m.partitions.keys()].sort().join(","))
      .join(" | ");
    return {
      group,
      line: await readAsGroup("ZooKeeper group", members, split, n, t0),
    };
  } finally {
    await Promise.all(members.map((m) => m.stop()));
    await deleteTree(zk, `/consumers/${group}`);
  }
}

/**
 * A managed group of two `ManagedBalancedConsumer`s (Kafka's group
 * protocol, no ZooKeeper) reads the topic again: both join, the
 * coordinator splits the 3 partitions between them, and they read every
 * record, checked by a new `Checker`; then they commit and leave.
 */
async function managedGroup(
  topic: Topic,
  n: number,
): Promise<{ group: string; line: string }> {
  const group = `${topic.name}-managed`;
  const options = {
    consumerGroup: group,
    managed: true as const,
    autoCommitEnable: true, // commits before a rebalance moves a partition
  };
  const members = [
    topic.getBalancedConsumer(options),
    topic.getBalancedConsumer(options),
  ];
  const t0 = performance.now();
  try {
    await Promise.all(members.map((m) => m.start()));
    await until(
      () =>
        members.every((m) => m.assignment.length > 0) &&
        members[0].assignment.length + members[1].assignment.length === 3,
      "both managed members to hold partitions",
    );
    const split = members.map((m) =>
      m.assignment.map((tp) => tp.partition).sort().join(",")
    ).join(" | ");
    return {
      group,
      line: await readAsGroup("managed group", members, split, n, t0),
    };
  } finally {
    await Promise.all(members.map((m) => m.stop()));
  }
}

/**
 * The balanced consumers: a managed group of two, and a ZooKeeper group of
 * two when the cluster's ZooKeeper is given. Returns the groups to check
 * the lag of, and one line per group for the summary.
 */
async function balancedConsumers(
  topic: Topic,
  n: number,
  zookeeperHosts: string | undefined,
): Promise<{ groups: string[]; lines: string[] }> {
  const managed = await managedGroup(topic, n);
  if (zookeeperHosts === undefined) {
    return {
      groups: [managed.group],
      lines: [
        managed.line,
        "ZooKeeper group: skipped (give the cluster's ZooKeeper as the second argument)",
      ],
    };
  }
  const { group, line } = await zookeeperGroup(topic, zookeeperHosts, n);
  return { groups: [managed.group, group], lines: [managed.line, line] };
}

/**
 * The demo against the cluster at `hosts`.
 *
 * @param hosts bootstrap brokers, `"host1:9092,host2:9092"`
 * @param options how many records
 */
export async function demo(
  hosts: string,
  options: DemoOptions = {},
): Promise<void> {
  const n = options.records ?? DEMO_RECORDS;
  let t = performance.now();
  const elapsed = () => {
    const now = performance.now();
    const ms = now - t;
    t = now;
    return ms;
  };

  // 1. Client and metadata.
  await using client = await KafkaClient.connect({
    hosts,
    clientId: "denokafka-demo",
  });
  console.log(
    `\n== ${hosts}: connected in ${
      elapsed().toFixed(0)
    } ms, cluster ${client.cluster.clusterId}, controller ${client.cluster.controllerId}`,
  );
  for (
    const broker of [...client.brokers.values()].sort((a, b) => a.id - b.id)
  ) {
    const [produce, fetch] = await Promise.all([
      broker.apiVersion(Produce),
      broker.apiVersion(Fetch),
    ]);
    console.log(
      `   broker ${broker.id} at ${broker.host}:${broker.port}: Produce v${produce}, Fetch v${fetch}`,
    );
  }
  const name = `denokafka-demo-${crypto.randomUUID().slice(0, 8)}`;
  const group = `${name}-group`;
  await client.createTopics([{
    name,
    numPartitions: 3,
    replicationFactor: Math.min(2, client.brokers.size),
  }]);
  try {
    const topic = await client.topics.get(name);
    const leaders = [...topic.partitions.values()].map((p) =>
      `${p.id}@${p.leader.id}`
    ).join(", ");
    console.log(`   created topic ${name}: partitions (id@leader) ${leaders}`);

    // 2. Producer: lz4, keys spread over the partitions (murmur2, like Java).
    elapsed();
    let produceMs = 0;
    let delivered = 0;
    let producedBytes = 0;
    {
      const progress = new Progress({ label: "   producing", total: n });
      // acks=all: a delivered record is on every in-sync replica, so the
      // partitions' high watermarks count it as soon as it is reported.
      await using producer = topic.getProducer({
        compression: CompressionType.LZ4,
        requiredAcks: -1,
        deliveryReports: true,
      });
      const reports = (async () => {
        for await (const [m, err] of producer.deliveryReports()) {
          if (err) throw err;
          delivered++;
          producedBytes += m.value!.length + m.partitionKey!.length;
          progress.update(delivered, producedBytes);
        }
      })();
      const header: [string, Uint8Array][] = [["source", enc.encode("demo")]];
      for (let i = 0; i < n; i++) {
        await producer.produce(enc.encode(`hello #${i}`), {
          partitionKey: enc.encode(`user-${i % KEYS}`),
          headers: header,
        });
      }
      await producer.flush();
      await producer.stop();
      await reports;
      progress.finish();
      produceMs = elapsed();
    }
    if (delivered !== n) throw new Error(`${delivered} of ${n} delivered`);
    console.log(
      `   produced ${n} records (lz4, acks=all) in ${
        produceMs.toFixed(0)
      } ms: ${rate(n, produceMs)}, ${
        mbps(producedBytes, produceMs)
      }; ${delivered} delivery reports, no errors`,
    );
    const latest = await topic.latestAvailableOffsets();
    const total = [...latest.values()].reduce((a, b) => a + b, 0);
    if (total !== n) {
      throw new Error(`the partitions hold ${total} records, not ${n}`);
    }

    // 3. SimpleConsumer in a group: read everything back, check it, commit.
    const checker = new Checker(n);
    let consumer: SimpleConsumer | undefined;
    let consumeMs = 0;
    try {
      consumer = topic.getSimpleConsumer({
        consumerGroup: group,
        consumerTimeoutMs: 10_000,
      });
      const progress = new Progress({ label: "   consuming", total: n });
      for await (const m of consumer) {
        checker.check(m);
        progress.update(checker.count, checker.bytes);
        if (checker.count === n) break;
      }
      progress.finish();
      consumeMs = elapsed();
      if (checker.count !== n) {
        throw new Error(`consumed ${checker.count} of ${n} records`);
      }
      await consumer.commitOffsets();
    } finally {
      await consumer?.stop();
    }
    console.log(
      `   consumed ${n} records in ${consumeMs.toFixed(0)} ms: ${
        rate(n, consumeMs)
      }, ${
        mbps(checker.bytes, consumeMs)
      }; each exactly once, keys, headers and order per key checked`,
    );

    // 4. The balanced consumers.
    const balanced = await balancedConsumers(topic, n, options.zookeeperHosts);
    for (const line of balanced.lines) console.log(`   ${line}`);

    // 5. Summary.
    const lag = await client.consumerGroupLag(group, name);
    const lags = [...lag.values()].sort((a, b) => a.partition - b.partition);
    if (lags.some((l) => l.lag !== 0)) {
      throw new Error(`group ${group} still lags: ${JSON.stringify(lags)}`);
    }
    for (const g of balanced.groups) {
      const l = [...(await client.consumerGroupLag(g, name)).values()];
      if (l.length !== 3 || l.some((x) => x.lag !== 0)) {
        throw new Error(`group ${g} still lags: ${JSON.stringify(l)}`);
      }
    }
    console.log(`   summary:`);
    console.log(
      `     throughput: produce ${rate(n, produceMs)} (${
        mbps(producedBytes, produceMs)
      }), consume ${rate(n, consumeMs)} (${mbps(checker.bytes, consumeMs)})`,
    );
    console.log(
      `     offsets per partition: ${
        [...latest].sort((a, b) => a[0] - b[0]).map(([p, o]) => `${p}:${o}`)
          .join(" ")
      } (${total} records)`,
    );
    console.log(
      `     lag of group ${group}: ${
        lags.map((l) => `${l.partition}:${l.lag}`).join(" ")
      } (zero on every partition${
        balanced.groups.length > 1
          ? ", and for the managed and ZooKeeper groups"
          : ", and for the managed group"
      })`,
    );
    await client.deleteGroups([group, ...balanced.groups]);
  } finally {
    await client.deleteTopics([name]);
    console.log(`   deleted topic ${name}`);
  }
}

if (import.meta.main) {
  const hosts = Deno.args[0] ??
    (Deno.permissions.querySync({ name: "env", variable: "KAFKA_HOSTS" })
        .state === "granted"
      ? Deno.env.get("KAFKA_HOSTS")
      : undefined) ??
    "127.0.0.1:9092";
  await demo(hosts, { zookeeperHosts: Deno.args[1] });
}
