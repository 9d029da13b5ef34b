/**
 * `deno task demo`: runs `examples/demo.ts` against `KAFKA_HOSTS` (and the
 * ZooKeeper of `KAFKA_ZOOKEEPER_HOSTS`, if set), or, when
 * it is not set, starts the project's local test cluster (downloading Kafka
 * from Maven Central on the first run) and runs the demo against both its
 * Kafka 3.9 brokers (with its ZooKeeper) and its Kafka 4.x KRaft node.
 *
 * @module
 */
import { demo } from "../examples/demo.ts";
import { clusterUp } from "../tests/cluster/manager.ts";
import { cluster } from "../tests/cluster/mod.ts";

const fromEnv = Deno.env.get("KAFKA_HOSTS");
if (fromEnv) {
  await demo(fromEnv, {
    zookeeperHosts: Deno.env.get("KAFKA_ZOOKEEPER_HOSTS"),
  });
} else {
  console.log(
    "KAFKA_HOSTS is not set: starting the local test cluster (deno task cluster:up) ...",
  );
  await clusterUp();
  await demo(cluster.bootstrap("kafka39", "PLAINTEXT"), {
    zookeeperHosts: cluster.zookeeper,
  });
  await demo(cluster.bootstrap("kafka4", "PLAINTEXT"));
}
