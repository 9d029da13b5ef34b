// Pipelined request throughput on one connection against the local cluster
// (run: deno bench -A tests/network/pipeline_bench.ts; needs the cluster up).
// Each iteration sends N requests at once on one connection and waits for
// all N responses, so time per iteration / N is the per-request cost.
import { ApiVersions, Metadata } from "../../src/protocol/mod.ts";
import { BrokerConnection } from "../../src/network/connection.ts";
import { cluster } from "../cluster/mod.ts";

const [host, port] = cluster.address(1, "PLAINTEXT").split(":");
const [host4, port4] = cluster.address(101, "PLAINTEXT").split(":");
const conn39 = await BrokerConnection.connect({ host, port: Number(port) });
const conn4 = await BrokerConnection.connect({
  host: host4,
  port: Number(port4),
});
const tlsConn = await BrokerConnection.connect({
  host,
  port: Number(cluster.address(1, "SSL").split(":")[1]),
  sslConfig: { cafile: cluster.tls.caFile },
});

for (const n of [1, 100, 1000]) {
  Deno.bench({
    name: `${n} pipelined ApiVersions, Kafka 3.9 PLAINTEXT`,
    group: `pipelined x${n}`,
    baseline: true,
    async fn() {
      await Promise.all(
        Array.from({ length: n }, () => conn39.send(ApiVersions, {})),
      );
    },
  });
  Deno.bench({
    name: `${n} pipelined ApiVersions, Kafka 4.x PLAINTEXT`,
    group: `pipelined x${n}`,
    async fn() {
      await Promise.all(
        Array.from({ length: n }, () => conn4.send(ApiVersions, {})),
      );
    },
  });
  Deno.bench({
    name: `${n} pipelined ApiVersions, Kafka 3.9 SSL`,
    group: `pipelined x${n}`,
    async fn() {
      await Promise.all(
        Array.from({ length: n }, () => tlsConn.send(ApiVersions, {})),
      );
    },
  });
  Deno.bench({
    name: `${n} pipelined Metadata (all topics), Kafka 3.9 PLAINTEXT`,
    group: `pipelined x${n}`,
    async fn() {
      await Promise.all(
        Array.from(
          { length: n },
          () =>
            conn39.send(Metadata, {
              topics: null,
              allowAutoTopicCreation: false,
            }),
        ),
      );
    },
  });
}

globalThis.addEventListener("unload", () => {
  conn39.close();
  conn4.close();
  tlsConn.close();
});
