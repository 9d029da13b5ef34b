// Failure paths of metadata that real brokers do not produce on demand: a
// broker id moving to a new address, brokers added and removed. Two fake
// brokers answer ApiVersions and Metadata from a shared, scripted state.
import assert from "node:assert/strict";
import {
  ApiVersions,
  FindCoordinator,
  type FindCoordinatorResponse,
  Metadata,
  type MetadataResponse,
  Writer,
} from "../../src/protocol/mod.ts";
import { KafkaClient } from "../../src/client/mod.ts";
import {
  CoordinatorNotAvailable,
  GroupAuthorizationFailed,
  RequestTimeoutError,
} from "../../src/errors/mod.ts";
import { FakeBroker, type FakePeer } from "../network/_fake_server.ts";

function body(encode: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  encode(w);
  return w.finish();
}

/**
 * Serves ApiVersions (v0 only), Metadata v0-1 from `state()` and, when
 * given, FindCoordinator v0 from `coordinator()`.
 */
function script(
  state: () => MetadataResponse,
  coordinator?: () => FindCoordinatorResponse,
) {
  return async (peer: FakePeer): Promise<void> => {
    for (;;) {
      const req = await peer.readRequest();
      if (req === null) return;
      if (req.apiKey === ApiVersions.apiKey) {
        const ok = req.apiVersion === 0;
        await peer.respond(
          req.correlationId,
          body((w) =>
            ApiVersions.encodeResponse(w, 0, {
              errorCode: ok ? 0 : 35,
              apiKeys: ok
                ? [
                  { apiKey: 3, minVersion: 0, maxVersion: 1 },
                  { apiKey: 9, minVersion: 1, maxVersion: 1 },
                  { apiKey: 10, minVersion: 0, maxVersion: 0 },
                  { apiKey: 18, minVersion: 0, maxVersion: 0 },
                ]
                : [{ apiKey: 18, minVersion: 0, maxVersion: 0 }],
            })
          ),
        );
      } else if (req.apiKey === Metadata.apiKey) {
        await peer.respond(
          req.correlationId,
          body((w) => Metadata.encodeResponse(w, req.apiVersion, state())),
        );
      } else if (req.apiKey === FindCoordinator.apiKey && coordinator) {
        await peer.respond(
          req.correlationId,
          body((w) => FindCoordinator.encodeResponse(w, 0, coordinator())),
        );
      } else if (req.apiKey === 9) {
        // OffsetFetch: never answered (the offsets channel times out).
      } else {
        return;
      }
    }
  };
}

Deno.test("cluster: a broker that moves is followed; brokers added and removed", async () => {
  let md: MetadataResponse = { brokers: [], topics: [], controllerId: 7 };
  await using a = new FakeBroker(script(() => md));
  await using b = new FakeBroker(script(() => md));
  const at = (nodeId: number, port: number) => ({
    nodeId,
    host: "127.0.0.1",
    port,
    rack: null,
  });
  md = {
    brokers: [at(7, a.port)],
    controllerId: 7,
    topics: [{
      errorCode: 0,
      name: "t",
      isInternal: false,
      partitions: [{
        errorCode: 0,
        partitionIndex: 0,
        leaderId: 7,
        replicaNodes: [7],
        isrNodes: [7],
      }],
    }],
  };
  await using client = await KafkaClient.connect({
    hosts: `127.0.0.1:${a.port}`,
    metadataRefreshIntervalMs: 0,
  });
  const b7 = client.brokers.get(7)!;
  assert.equal(b7.port, a.port);
  assert.equal(client.cluster.controller, b7);
  const topic = await client.topics.get("t", { autoCreate: false });
  assert.equal(topic.partitions.get(0)!.leader, b7);
  await b7.connect();
  assert.ok(b7.connected);

  // Broker 7 moves to b's address: same object, new address, reconnects there.
  md = { ...md, brokers: [at(7, b.port)] };
  const acceptedBefore = b.accepted;
  await client.updateCluster();
  assert.equal(client.brokers.get(7), b7);
  assert.equal(b7.port, b.port);
  assert.equal(b7.connected, false, "the connection to the old address closed");
  await b7.connect();
  assert.ok(b.accepted > acceptedBefore, "connected to the new address");
  assert.equal(topic.partitions.get(0)!.leader, b7);

  // Broker 8 joins, then broker 7 leaves and 8 leads.
  md = { ...md, brokers: [at(7, b.port), at(8, a.port)] };
  await client.updateCluster();
  assert.deepEqual([...client.brokers.keys()].sort(), [7, 8]);
  md = {
    ...md,
    brokers: [at(8, a.port)],
    controllerId: 8,
    topics: [{
      ...md.topics[0],
      partitions: [{
        errorCode: 0,
        partitionIndex: 0,
        leaderId: 8,
        replicaNodes: [8, 7],
        isrNodes: [8],
      }],
    }],
  };
  await client.updateCluster();
  assert.deepEqual([...client.brokers.keys()], [8]);
  assert.ok(b7.closed);
  const p = topic.partitions.get(0)!;
  assert.equal(p.leader, client.brokers.get(8));
  assert.deepEqual(p.replicaIds, [8, 7]);
  assert.deepEqual(p.replicas.map((x) => x.id), [8]);
  assert.equal(client.cluster.controllerId, 8);

  // The topic disappears from the metadata.
  md = { ...md, topics: [] };
  await client.updateCluster();
  assert.equal(client.topics.has("t"), false);
});

Deno.test("cluster: metadata comes from a live known broker, not the seed list", async () => {
  let seedRequests = 0;
  let md: MetadataResponse = { brokers: [], topics: [], controllerId: 1 };
  await using known = new FakeBroker(script(() => md));
  await using seed = new FakeBroker(script(() => {
    seedRequests++;
    return md;
  }));
  md = {
    brokers: [{ nodeId: 1, host: "127.0.0.1", port: known.port, rack: null }],
    topics: [],
    controllerId: 1,
  };
  await using client = await KafkaClient.connect({
    hosts: `127.0.0.1:${seed.port}`,
    metadataRefreshIntervalMs: 0,
  });
  assert.equal(seedRequests, 1);
  await client.updateCluster();
  await client.updateCluster();
  assert.equal(seedRequests, 1, "later metadata went to broker 1");
  // With the known broker gone, the seed list is the fallback.
  await known.close();
  await client.updateCluster();
  assert.equal(seedRequests, 2);
});

Deno.test("cluster: coordinator lookup retries COORDINATOR_NOT_AVAILABLE, caches, fails fast on authorization, times out", async () => {
  let lookups = 0;
  let answers: FindCoordinatorResponse[] = [];
  let md: MetadataResponse = { brokers: [], topics: [], controllerId: 7 };
  await using fake = new FakeBroker(script(() => md, () => {
    lookups++;
    return answers.length > 1 ? answers.shift()! : answers[0];
  }));
  md = {
    brokers: [{ nodeId: 7, host: "127.0.0.1", port: fake.port, rack: null }],
    topics: [],
    controllerId: 7,
  };
  await using client = await KafkaClient.connect({
    hosts: `127.0.0.1:${fake.port}`,
    metadataRefreshIntervalMs: 0,
    coordinatorTimeoutMs: 1500,
  });
  const found = { errorCode: 0, nodeId: 7, host: "127.0.0.1", port: fake.port };
  answers = [{ errorCode: 15 }, { errorCode: 14 }, found];
  const c = await client.cluster.getGroupCoordinator("g");
  assert.equal(c, client.brokers.get(7));
  assert.equal(lookups, 3);
  await client.cluster.getGroupCoordinator("g");
  assert.equal(lookups, 3, "cached");
  // Concurrent lookups of one group share a request.
  client.cluster.invalidateCoordinator("g");
  answers = [found];
  await Promise.all([
    client.cluster.getGroupCoordinator("g"),
    client.cluster.getGroupCoordinator("g"),
  ]);
  assert.equal(lookups, 4);

  answers = [{ errorCode: 30 }];
  await assert.rejects(
    client.cluster.getGroupCoordinator("denied"),
    GroupAuthorizationFailed,
  );
  const before = lookups;
  answers = [{ errorCode: 15 }];
  const started = Date.now();
  await assert.rejects(
    client.cluster.getGroupCoordinator("never"),
    (e: unknown) =>
      e instanceof CoordinatorNotAvailable && /within 1500 ms/.test(e.message),
  );
  assert.ok(Date.now() - started >= 1400);
  assert.ok(lookups - before >= 3, "retried with backoff");
});

Deno.test("broker: the offsets channel has its own timeout; main, offsets and group connections are separate", async () => {
  let md: MetadataResponse = { brokers: [], topics: [], controllerId: 7 };
  await using fake = new FakeBroker(script(() => md));
  md = {
    brokers: [{ nodeId: 7, host: "127.0.0.1", port: fake.port, rack: null }],
    topics: [],
    controllerId: 7,
  };
  await using client = await KafkaClient.connect({
    hosts: `127.0.0.1:${fake.port}`,
    metadataRefreshIntervalMs: 0,
    socketTimeoutMs: 20_000,
    offsetsChannelSocketTimeoutMs: 300,
  });
  const broker = client.brokers.get(7)!;
  const accepted = fake.accepted; // the bootstrap connection
  const started = Date.now();
  await assert.rejects(
    broker.fetchConsumerGroupOffsets("g", [{ topic: "t", partitions: [0] }]),
    RequestTimeoutError,
  );
  const took = Date.now() - started;
  assert.ok(took >= 250 && took < 5000, `timed out after ${took} ms`);
  assert.ok(broker.offsetsChannelConnected);
  // The main connection is another socket and still answers.
  await broker.requestMetadata(null);
  assert.ok(broker.connected);
  const conn = broker.groupConnection("member-a");
  assert.equal(broker.groupConnection("member-a"), conn);
  await conn.send(ApiVersions, {}, { version: 0 });
  assert.equal(fake.accepted - accepted, 3, "offsets, main and group sockets");
  await broker.closeGroupConnection("member-a");
  assert.equal(conn.current, undefined);
});
