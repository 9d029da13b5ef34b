// The generated codecs against real brokers (Kafka 3.9.1 broker 1 and Kafka
// 4.4.0 node 101, PLAINTEXT), with a tiny framing written here (the network
// layer is tested elsewhere): ApiVersions at every version, the
// UNSUPPORTED_VERSION fallback, and Metadata at every version both sides know.
import assert from "node:assert/strict";
import { cluster } from "../cluster/mod.ts";
import {
  API_BY_KEY,
  type ApiMessage,
  ApiVersions,
  decodeResponseHeader,
  encodeRequestHeader,
  ListGroups,
  Metadata,
  Reader,
  requestHeaderVersion,
  responseHeaderVersion,
  Writer,
} from "../../src/protocol/mod.ts";

const TIMEOUT_MS = 10_000;

/** One connection that sends one framed request at a time. */
class RawConnection {
  #conn: Deno.TcpConn;
  #correlationId = 0;

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  static async open(address: string): Promise<RawConnection> {
    const [hostname, port] = address.split(":");
    return new RawConnection(
      await Deno.connect({ hostname, port: Number(port) }),
    );
  }

  async #readExactly(n: number): Promise<Uint8Array> {
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const k = await this.#conn.read(buf.subarray(got));
      if (k === null) throw new Error("connection closed by the broker");
      got += k;
    }
    return buf;
  }

  /** Sends `request` (raw header version override for the fallback test). */
  async call<Req, Res>(
    api: ApiMessage<Req, Res>,
    version: number,
    request: Req,
    opts: { wireVersion?: number; decodeVersion?: number } = {},
  ): Promise<Res> {
    const correlationId = ++this.#correlationId;
    const w = new Writer();
    w.int32(0);
    const anyApi = api as ApiMessage<unknown, unknown>;
    encodeRequestHeader(w, {
      apiKey: api.apiKey,
      apiVersion: opts.wireVersion ?? version,
      correlationId,
      clientId: "denokafka-protocol-test",
    }, requestHeaderVersion(anyApi, version));
    api.encodeRequest(w, version, request);
    w.setInt32(0, w.length - 4);
    await this.#conn.write(w.finish());

    const timer = setTimeout(() => this.#conn.close(), TIMEOUT_MS);
    try {
      const size = new DataView((await this.#readExactly(4)).buffer).getInt32(
        0,
      );
      assert.ok(size > 0 && size < 64 * 1024 * 1024, `frame size ${size}`);
      const body = await this.#readExactly(size);
      const r = new Reader(body);
      const decodeVersion = opts.decodeVersion ?? version;
      const header = decodeResponseHeader(
        r,
        responseHeaderVersion(anyApi, decodeVersion),
      );
      assert.equal(header.correlationId, correlationId);
      const res = api.decodeResponse(r, decodeVersion);
      assert.equal(r.remaining, 0, `${api.name} v${version}: unread bytes`);
      return res;
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    try {
      this.#conn.close();
    } catch {
      // already closed by the timeout
    }
  }
}

const BROKERS = [
  { id: 1, expectBrokers: cluster.brokerIds("kafka39") },
  { id: 101, expectBrokers: cluster.brokerIds("kafka4") },
];

for (const b of BROKERS) {
  const address = cluster.address(b.id, "PLAINTEXT");

  Deno.test(`broker ${b.id}: ApiVersions v0-v4 and the UNSUPPORTED_VERSION answer`, async () => {
    const conn = await RawConnection.open(address);
    try {
      let v3Keys = new Map<number, { min: number; max: number }>();
      for (let v = ApiVersions.minVersion; v <= ApiVersions.maxVersion; v++) {
        const res = await conn.call(ApiVersions, v, {
          clientSoftwareName: "denokafka",
          clientSoftwareVersion: "0.1.0",
        });
        assert.equal(res.errorCode, 0);
        assert.ok(res.apiKeys.length > 40);
        if (v === 3) {
          v3Keys = new Map(
            res.apiKeys.map((
              k,
            ) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]),
          );
        }
        if (v >= 3 && b.id === 101) {
          // KRaft brokers finalize metadata.version; the tagged fields decode.
          assert.ok(
            res.finalizedFeatures!.some((f) => f.name === "metadata.version"),
          );
          assert.ok(res.finalizedFeaturesEpoch! > 0);
        }
      }
      const apiVersions = v3Keys.get(18)!;
      // Kafka 4.4 serves ApiVersions v5, newer than the 4.1 specs.
      assert.equal(apiVersions.min, 0);
      assert.ok(apiVersions.max >= 4);
      if (b.id === 1) {
        assert.deepEqual(v3Keys.get(0), { min: 0, max: 11 });
        assert.deepEqual(v3Keys.get(1), { min: 0, max: 17 });
        assert.deepEqual(v3Keys.get(3), { min: 0, max: 12 });
      } else {
        assert.ok(v3Keys.get(1)!.min >= 4, "Kafka 4 dropped Fetch v0-3");
        assert.equal(v3Keys.get(3)!.max, 13);
      }
      // Every API we generate that the broker serves overlaps its range,
      // and the core ones are all served.
      for (const [key, api] of API_BY_KEY) {
        const range = v3Keys.get(key);
        if (!range) {
          assert.ok(key >= 68, `broker ${b.id} lacks ${api.name}`);
          continue;
        }
        assert.ok(
          range.min <= api.maxVersion && api.minVersion <= range.max,
          `${api.name}: broker ${range.min}-${range.max}, ours ${api.minVersion}-${api.maxVersion}`,
        );
      }
      // An ApiVersions version the broker does not know is answered as v0
      // with UNSUPPORTED_VERSION (35) and the supported range (KIP-511).
      const fallback = await conn.call(ApiVersions, 3, {
        clientSoftwareName: "denokafka",
        clientSoftwareVersion: "0.1.0",
      }, { wireVersion: 99, decodeVersion: 0 });
      assert.equal(fallback.errorCode, 35);
      assert.deepEqual(
        fallback.apiKeys.map((k) => [k.apiKey, k.minVersion, k.maxVersion]),
        [[18, 0, apiVersions.max]],
      );
    } finally {
      conn.close();
    }
  });

  Deno.test(`broker ${b.id}: Metadata at every version both sides know`, async () => {
    const conn = await RawConnection.open(address);
    try {
      const av = await conn.call(ApiVersions, 3, {
        clientSoftwareName: "denokafka",
        clientSoftwareVersion: "0.1.0",
      });
      const range = av.apiKeys.find((k) => k.apiKey === Metadata.apiKey)!;
      const lo = Math.max(range.minVersion, Metadata.minVersion);
      const hi = Math.min(range.maxVersion, Metadata.maxVersion);
      assert.ok(hi - lo >= 12, `Metadata ${lo}-${hi}`);
      let clusterId: string | null | undefined;
      for (let v = lo; v <= hi; v++) {
        const res = await conn.call(Metadata, v, {
          topics: v === 0 ? [] : null,
          allowAutoTopicCreation: v >= 4 ? false : undefined,
        });
        const ids = res.brokers.map((x) => x.nodeId).sort((x, y) => x - y);
        assert.deepEqual(ids, b.expectBrokers, `v${v}`);
        for (const broker of res.brokers) {
          assert.equal(broker.host, "127.0.0.1");
          assert.equal(
            `${broker.host}:${broker.port}`,
            cluster.address(broker.nodeId, "PLAINTEXT"),
          );
        }
        if (v >= 1) assert.ok(b.expectBrokers.includes(res.controllerId!));
        if (v >= 2) {
          assert.ok(res.clusterId && res.clusterId.length > 0);
          clusterId ??= res.clusterId;
          assert.equal(res.clusterId, clusterId);
        }
        for (const t of res.topics) {
          assert.ok(t.name !== null && t.name.length > 0);
          assert.equal(t.errorCode, 0);
          assert.ok(t.partitions.length > 0);
          if (v >= 10) assert.notEqual(t.topicId, "AAAAAAAAAAAAAAAAAAAAAA");
          for (const p of t.partitions) {
            assert.ok(b.expectBrokers.includes(p.leaderId));
            assert.ok(p.replicaNodes.includes(p.leaderId));
          }
        }
      }
      const groups = await conn.call(ListGroups, 3, {});
      assert.equal(groups.errorCode, 0);
      assert.ok(Array.isArray(groups.groups));
    } finally {
      conn.close();
    }
  });
}
