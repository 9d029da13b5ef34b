// The fault proxy itself (tests/fault/proxy.ts), against the real cluster:
// every connection of a client goes through it (rewritten addresses on
// plaintext, the transport option on TLS), and each command breaks the
// connections as it says.
import assert from "node:assert/strict";
import {
  KafkaClient,
  RequestTimeoutError,
  SocketDisconnectedError,
} from "../../mod.ts";
import { BrokerConnection } from "../../src/network/mod.ts";
import { Metadata } from "../../src/protocol/mod.ts";
import { cluster } from "../cluster/mod.ts";
import { FaultCluster } from "./proxy.ts";

const enc = new TextEncoder();
const unique = (p: string) =>
  `${p}-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 6)}`;

Deno.test("fault proxy, rewrite mode: the client learns only proxy addresses (metadata and coordinator)", async () => {
  await using faults = new FaultCluster(
    cluster.bootstrap("kafka39", "PLAINTEXT"),
  );
  await using client = await KafkaClient.connect({ hosts: faults.bootstrap });
  const proxyPorts = new Set(faults.proxies.map((p) => p.port));
  assert.equal(client.brokers.size, 2);
  for (const b of client.brokers.values()) {
    assert.ok(proxyPorts.has(b.port), `broker ${b.id} at ${b.address}`);
  }
  const group = unique("fp-g");
  const coordinator = await client.cluster.getGroupCoordinator(group);
  assert.ok(proxyPorts.has(coordinator.port));
  // Two partitions on two brokers lead one each, so both proxies carry
  // produce and fetch traffic whichever broker bootstrap and the
  // coordinator landed on.
  const name = unique("fp");
  await client.createTopics([{ name, numPartitions: 2, replicationFactor: 1 }]);
  const topic = await client.topics.get(name);
  await using producer = topic.getSyncProducer();
  for (const partition of [0, 1]) {
    await producer.produce(enc.encode(`through the proxy ${partition}`), {
      partition,
    });
  }
  await using consumer = topic.getSimpleConsumer({
    consumerGroup: group,
    consumerTimeoutMs: 5000,
  });
  const got: string[] = [];
  for (let i = 0; i < 2; i++) {
    const m = await consumer.consume({ timeoutMs: 10_000 });
    assert.ok(m, "a record within 10 s");
    got.push(new TextDecoder().decode(m.value!));
  }
  assert.deepEqual(got.sort(), ["through the proxy 0", "through the proxy 1"]);
  await consumer.commitOffsets();
  await client.deleteTopics([name]).catch(() => {});
  for (const p of faults.proxies) assert.ok(p.accepted > 0, p.address);
});

Deno.test("fault proxy, transport mode: TLS connections go through the proxies too", async () => {
  await using faults = new FaultCluster(
    cluster.bootstrap("kafka39", "SSL"),
    "transport",
  );
  await using client = await KafkaClient.connect({
    hosts: faults.bootstrap,
    sslConfig: { cafile: cluster.tls.caFile },
    transport: faults.transport,
  });
  await client.listGroups();
  for (const b of client.brokers.values()) {
    assert.equal(b.address, cluster.address(b.id, "SSL"), "real addresses");
    assert.ok(faults.opened.get(b.address)! > 0);
    assert.ok(faults.proxy(b.address)!.accepted > 0);
  }
});

Deno.test("fault proxy commands: drop, stall, truncate, half-close, delay, refuse", async () => {
  const real = cluster.address(1, "PLAINTEXT");
  await using faults = new FaultCluster(real);
  const p = faults.proxy(real)!;
  // A pinned release: a connection closed on ApiVersions is an error, not
  // a pre-0.10 broker.
  const open = () =>
    BrokerConnection.connect({
      host: "127.0.0.1",
      port: p.port,
      socketTimeoutMs: 1000,
      brokerVersion: "2.8.0",
    });
  const metadata = (c: BrokerConnection) =>
    c.send(Metadata, { topics: [], allowAutoTopicCreation: false });

  // drop: the connection closes; a new one works.
  let c = await open();
  await metadata(c);
  p.drop();
  await assert.rejects(metadata(c), SocketDisconnectedError);
  await c.close();

  // stall: requests time out; resume: a new connection works.
  c = await open();
  p.stall();
  await assert.rejects(metadata(c), RequestTimeoutError);
  p.resume();
  await c.close();
  c = await open();
  await metadata(c);

  // truncate: the response is cut short and the connection closed.
  p.truncate();
  await assert.rejects(metadata(c), (e) => {
    assert.ok(e instanceof SocketDisconnectedError, String(e));
    assert.match(e.message, /mid-frame|closed/);
    return true;
  });
  await c.close();

  // half-close: the client reads end-of-stream.
  c = await open();
  p.halfClose();
  await assert.rejects(metadata(c), SocketDisconnectedError);
  await c.close();

  // delay: every chunk waits.
  c = await open();
  p.delay(150);
  const t0 = performance.now();
  await metadata(c);
  assert.ok(performance.now() - t0 >= 290, "request and response delayed");
  p.delay(0);
  await c.close();

  // refuse: new connections are closed at once.
  p.refuse(true);
  await assert.rejects(open(), SocketDisconnectedError);
  p.refuse(false);
  c = await open();
  await metadata(c);
  await c.close();
  assert.equal(p.broken, 3, "drop, truncate, half-close");
});
