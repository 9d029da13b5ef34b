/**
 * The demo: connects to a Kafka cluster and prints what it finds.
 *
 * Without `KAFKA_HOSTS` it first starts the project's local test cluster
 * (`deno task cluster:up`), which downloads Kafka from Maven Central on the
 * first run.
 *
 * ```sh
 * deno task demo
 * KAFKA_HOSTS=127.0.0.1:9092 deno task demo
 * ```
 *
 * @module
 */

import { clusterUp } from "../tests/cluster/manager.ts";
import { cluster } from "../tests/cluster/mod.ts";
import { probeApiVersions, probeBrokers } from "../tests/cluster/probe.ts";

function parseHost(hostPort: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hostPort.trim());
  if (!m) throw new Error(`bad host:port "${hostPort}"`);
  return { host: m[1], port: Number(m[2]) };
}

async function main(): Promise<void> {
  let hosts = Deno.env.get("KAFKA_HOSTS");
  if (!hosts) {
    console.log(
      "KAFKA_HOSTS is not set: starting the local test cluster (deno task cluster:up) ...",
    );
    await clusterUp();
    hosts = cluster.bootstrap("kafka39", "PLAINTEXT") + "," +
      cluster.bootstrap("kafka4", "PLAINTEXT");
  }
  for (const hostPort of hosts.split(",")) {
    const target = parseHost(hostPort);
    const started = performance.now();
    const versions = await probeApiVersions(target);
    const brokers = await probeBrokers(target);
    const ms = (performance.now() - started).toFixed(1);
    console.log(`\n${hostPort}: answered ApiVersions + Metadata in ${ms} ms`);
    console.log(
      `  brokers: ${
        brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(", ")
      }`,
    );
    const p = versions.get(0)!, f = versions.get(1)!;
    console.log(
      `  Produce v${p.min}-${p.max}, Fetch v${f.min}-${f.max}, ${versions.size} APIs advertised`,
    );
  }
}

if (import.meta.main) await main();
