// Failure paths of the connection layer against a scripted fake peer:
// garbage, hostile length prefixes, unknown correlation ids, silence,
// mid-frame closes, version auto-detection of pre-0.10 brokers. Each must
// give a clear typed error, never hang, never leak (sanitizers are on).
import assert from "node:assert/strict";
import {
  AbortError,
  ConnectionTimeoutError,
  FrameTooLargeError,
  KafkaError,
  ProtocolError,
  RequestTimeoutError,
  SocketDisconnectedError,
  UnsupportedFeatureError,
} from "../../src/errors/mod.ts";
import type { ApiMessage } from "../../src/protocol/api.ts";
import type { Reader } from "../../src/protocol/reader.ts";
import type { Writer } from "../../src/protocol/writer.ts";
import { BrokerConnection } from "../../src/network/connection.ts";
import { ManagedConnection } from "../../src/network/managed_connection.ts";
import {
  apiVersionsV0Body,
  FakeBroker,
  type FakePeer,
} from "./_fake_server.ts";

/** A test-only API: request and response carry one `bytes` field. */
const Echo: ApiMessage<{ payload: Uint8Array }, { payload: Uint8Array }> = {
  apiKey: 1000,
  name: "Echo",
  minVersion: 0,
  maxVersion: 0,
  firstFlexibleVersion: -1,
  encodeRequest(w: Writer, _v: number, req: { payload: Uint8Array }) {
    w.bytes(req.payload);
  },
  decodeRequest(r: Reader) {
    return { payload: r.bytes() };
  },
  encodeResponse(w: Writer, _v: number, res: { payload: Uint8Array }) {
    w.bytes(res.payload);
  },
  decodeResponse(r: Reader) {
    return { payload: r.bytes() };
  },
};

function echoBody(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setInt32(0, payload.length);
  out.set(payload, 4);
  return out;
}

/** A peer that answers every Echo request with its own payload. */
async function echoServer(peer: FakePeer): Promise<void> {
  for (;;) {
    const req = await peer.readRequest();
    if (!req) return;
    // header v1: 2+2+4 + 2+len(clientId)
    const off = 10 + (req.clientId?.length ?? 0);
    const body = req.frame.subarray(off);
    await peer.respond(req.correlationId, body);
  }
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Legacy table mode: no ApiVersions exchange, so the fake peer needs none. */
function connect(port: number, extra: Record<string, unknown> = {}) {
  return BrokerConnection.connect({
    host: "127.0.0.1",
    port,
    brokerVersion: "0.9.0",
    socketTimeoutMs: 5000,
    ...extra,
  });
}

Deno.test("pipelined requests on one connection resolve with their own responses; frames of one tick share one write", async () => {
  await using server = new FakeBroker(echoServer);
  await using conn = await connect(server.port);
  const n = 200;
  const results = await Promise.all(
    Array.from(
      { length: n },
      (_, i) => conn.send(Echo, { payload: bytes(`m${i}`) }, { version: 0 }),
    ),
  );
  results.forEach((r, i) => assert.equal(text(r.payload), `m${i}`));
  const s = conn.stats;
  assert.equal(s.requests, n);
  assert.equal(s.responses, n);
  assert.equal(
    s.writes,
    1,
    "200 requests queued in one tick went out in one write",
  );
  assert.equal(conn.inFlight, 0);
});

Deno.test("a response larger than the read chunk is read straight into its own buffer and decoded intact", async () => {
  const big = new Uint8Array(3 * 1024 * 1024 + 17);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  await using server = new FakeBroker(async (peer) => {
    for (;;) {
      const req = await peer.readRequest();
      if (!req) return;
      await peer.respond(req.correlationId, echoBody(big));
    }
  });
  await using conn = await connect(server.port);
  const [a, b] = await Promise.all([
    conn.send(Echo, { payload: bytes("x") }, { version: 0 }),
    conn.send(Echo, { payload: bytes("y") }, { version: 0 }),
  ]);
  assert.deepEqual(a.payload, big);
  assert.deepEqual(b.payload, big);
});

Deno.test("a 2 GiB length prefix gives FrameTooLargeError, closes the connection and allocates nothing", async () => {
  await using server = new FakeBroker(async (peer) => {
    await peer.readRequest();
    await peer.write(new Uint8Array([0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4]));
    await peer.readFrame(); // until the client closes
  });
  await using conn = await connect(server.port);
  const before = Deno.memoryUsage().rss;
  const p1 = conn.send(Echo, { payload: bytes("a") }, { version: 0 });
  const p2 = conn.send(Echo, { payload: bytes("b") }, { version: 0 });
  for (const p of [p1, p2]) {
    await assert.rejects(p, (e) => {
      assert.ok(e instanceof FrameTooLargeError, String(e));
      assert.equal(e.size, 0x7fffffff);
      assert.equal(e.maxSize, 100 * 1024 * 1024);
      assert.equal(e.retriable, false);
      return true;
    });
  }
  assert.ok(
    Deno.memoryUsage().rss - before < 64 * 1024 * 1024,
    "no 2 GiB buffer",
  );
  assert.equal(conn.closed, true);
  assert.ok(conn.closeReason instanceof FrameTooLargeError);
  await assert.rejects(
    conn.send(Echo, { payload: bytes("c") }, { version: 0 }),
    FrameTooLargeError,
  );
});

Deno.test("garbage bytes: a negative length prefix gives FrameTooLargeError; TLS bytes name the likely cause", async () => {
  const answering = (reply: number[]) => async (peer: FakePeer) => {
    await peer.readRequest();
    await peer.write(new Uint8Array(reply));
    await peer.readFrame();
  };
  {
    // A TLS alert record, as an SSL listener sends to a plaintext client.
    await using server = new FakeBroker(answering([0x15, 3, 3, 0, 2, 2, 0x50]));
    await using conn = await connect(server.port);
    await assert.rejects(
      conn.send(Echo, { payload: bytes("a") }, { version: 0 }),
      (e) => e instanceof FrameTooLargeError && /look like TLS/.test(e.message),
    );
  }
  {
    await using server = new FakeBroker(
      answering([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0]),
    );
    await using conn = await connect(server.port);
    await assert.rejects(
      conn.send(Echo, { payload: bytes("a") }, { version: 0 }),
      (e) =>
        e instanceof FrameTooLargeError && e.size < 0 &&
        /negative/.test(e.message),
    );
  }
  {
    await using server = new FakeBroker(answering([0, 0, 4, 1, 0, 0, 0, 1]));
    await using conn = await connect(server.port, { maxFrameBytes: 1024 });
    await assert.rejects(
      conn.send(Echo, { payload: bytes("a") }, { version: 0 }),
      (e) =>
        e instanceof FrameTooLargeError && e.size === 1025 &&
        e.maxSize === 1024,
    );
  }
});

Deno.test("garbage inside a well-framed response fails only that request with ProtocolError", async () => {
  await using server = new FakeBroker(async (peer) => {
    const first = await peer.readRequest();
    // Body claims 1000 bytes but carries 3.
    await peer.respond(
      first!.correlationId,
      new Uint8Array([0, 0, 3, 232, 1, 2, 3]),
    );
    await echoServer(peer);
  });
  await using conn = await connect(server.port);
  await assert.rejects(
    conn.send(Echo, { payload: bytes("a") }, { version: 0 }),
    (e) =>
      e instanceof ProtocolError && /exceeds the 3 bytes left/.test(e.message),
  );
  assert.equal(conn.closed, false);
  const ok = await conn.send(Echo, { payload: bytes("still fine") }, {
    version: 0,
  });
  assert.equal(text(ok.payload), "still fine");
});

Deno.test("a response with an unknown correlation id gives ProtocolError and drops the connection", async () => {
  await using server = new FakeBroker(async (peer) => {
    const req = await peer.readRequest();
    await peer.respond(req!.correlationId + 1000, echoBody(bytes("?")));
    await peer.readFrame();
  });
  await using conn = await connect(server.port);
  await assert.rejects(
    conn.send(Echo, { payload: bytes("a") }, { version: 0 }),
    (e) =>
      e instanceof ProtocolError &&
      /unknown correlation id 1001/.test(e.message),
  );
  assert.equal(conn.closed, true);
});

Deno.test("a peer that never answers: RequestTimeoutError after timeoutMs; its late answer is dropped", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await using server = new FakeBroker(async (peer) => {
    const silent = await peer.readRequest();
    await released;
    await peer.respond(silent!.correlationId, echoBody(bytes("late")));
    await echoServer(peer);
  });
  await using conn = await connect(server.port);
  const t0 = performance.now();
  await assert.rejects(
    conn.send(Echo, { payload: bytes("a") }, { version: 0, timeoutMs: 150 }),
    (e) => {
      assert.ok(e instanceof RequestTimeoutError, String(e));
      assert.equal(e.retriable, true);
      assert.match(e.message, /Echo v0 .* no response after 150 ms/);
      return true;
    },
  );
  const waited = performance.now() - t0;
  assert.ok(waited >= 140 && waited < 2000, `waited ${waited} ms`);
  release();
  const ok = await conn.send(Echo, { payload: bytes("next") }, { version: 0 });
  assert.equal(
    text(ok.payload),
    "next",
    "the late answer was skipped, not delivered here",
  );
  assert.equal(conn.closed, false);
});

Deno.test("the default request timeout is socketTimeoutMs", async () => {
  await using server = new FakeBroker(async (peer) => {
    await peer.readRequest();
    await peer.readFrame();
  });
  await using conn = await connect(server.port, { socketTimeoutMs: 100 });
  await assert.rejects(
    conn.send(Echo, { payload: bytes("a") }, { version: 0 }),
    RequestTimeoutError,
  );
});

Deno.test("AbortSignal cancels one request (before or after it is written) without hurting the connection", async () => {
  const written = Promise.withResolvers<void>();
  const gaveUp = Promise.withResolvers<void>();
  await using server = new FakeBroker(async (peer) => {
    const first = await peer.readRequest(); // the aborted one, answered late
    written.resolve();
    await gaveUp.promise;
    await peer.respond(first!.correlationId, echoBody(bytes("late")));
    await echoServer(peer);
  });
  await using conn = await connect(server.port);
  try {
    // Aborted after the broker has the request: the late answer is dropped.
    const c = new AbortController();
    const p = conn.send(Echo, { payload: bytes("a") }, {
      version: 0,
      signal: c.signal,
    });
    await written.promise;
    c.abort(new Error("user gave up"));
    await assert.rejects(p, (e) => {
      assert.ok(e instanceof AbortError, String(e));
      assert.equal((e.cause as Error).message, "user gave up");
      return true;
    });
  } finally {
    gaveUp.resolve();
  }
  // Aborted before the flush: never written.
  const c2 = new AbortController();
  const p2 = conn.send(Echo, { payload: bytes("never") }, {
    version: 0,
    signal: c2.signal,
  });
  c2.abort();
  await assert.rejects(p2, AbortError);
  await assert.rejects(
    conn.send(Echo, { payload: bytes("x") }, {
      version: 0,
      signal: AbortSignal.abort(),
    }),
    AbortError,
  );
  const ok = await conn.send(Echo, { payload: bytes("b") }, { version: 0 });
  assert.equal(text(ok.payload), "b");
  assert.equal(
    conn.stats.requests,
    2,
    "the request aborted before its flush was never sent",
  );
});

Deno.test("a peer closing mid-frame rejects every in-flight request at once with SocketDisconnectedError", async () => {
  await using server = new FakeBroker(async (peer) => {
    for (let i = 0; i < 3; i++) await peer.readRequest();
    await peer.write(new Uint8Array([0, 0, 0, 100, 0, 0, 0, 1, 9, 9])); // 10 of 104 bytes
    peer.close();
  });
  await using conn = await connect(server.port);
  const ps = [1, 2, 3].map((i) =>
    conn.send(Echo, { payload: bytes(String(i)) }, { version: 0 })
  );
  const errors = await Promise.all(ps.map((p) => p.then(() => null, (e) => e)));
  for (const e of errors) {
    assert.ok(e instanceof SocketDisconnectedError, String(e));
    assert.match(e.message, /mid-frame/);
    assert.equal(e.retriable, true);
  }
  assert.equal(new Set(errors).size, 1, "one reason for all");
  assert.equal(conn.closed, true);
  const reason = await conn.whenClosed();
  assert.equal(reason, errors[0]);
});

Deno.test("close() rejects pending requests, and later sends fail fast", async () => {
  const received = Promise.withResolvers<void>();
  await using server = new FakeBroker(async (peer) => {
    await peer.readRequest();
    received.resolve();
    await peer.readFrame();
  });
  const conn = await connect(server.port);
  const p = conn.send(Echo, { payload: bytes("a") }, { version: 0 })
    .then(() => null, (e) => e);
  await received.promise; // written and waiting for its response
  await conn.close();
  const e = await p;
  assert.ok(
    e instanceof SocketDisconnectedError &&
      /closed by the client/.test(e.message),
    String(e),
  );
  await assert.rejects(
    conn.send(Echo, { payload: bytes("b") }, { version: 0 }),
    SocketDisconnectedError,
  );
  await conn.close(); // idempotent
});

Deno.test("requests that expect no response resolve once written", async () => {
  const seen: string[] = [];
  await using server = new FakeBroker(async (peer) => {
    for (;;) {
      const req = await peer.readRequest();
      if (!req) return;
      const off = 10 + (req.clientId?.length ?? 0);
      const payload = text(req.frame.subarray(off + 4));
      seen.push(payload);
      if (payload === "ping") {
        await peer.respond(req.correlationId, echoBody(bytes("pong")));
      }
    }
  });
  await using conn = await connect(server.port);
  const r = await conn.send(Echo, { payload: bytes("fire") }, {
    version: 0,
    expectResponse: false,
  });
  assert.equal(r, undefined);
  const pong = await conn.send(Echo, { payload: bytes("ping") }, {
    version: 0,
  });
  assert.equal(text(pong.payload), "pong");
  assert.deepEqual(seen, ["fire", "ping"]);
});

Deno.test("connecting to a closed port gives SocketDisconnectedError within the timeout", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  const t0 = performance.now();
  await assert.rejects(
    BrokerConnection.connect({
      host: "127.0.0.1",
      port,
      connectTimeoutMs: 2000,
    }),
    (e) => {
      assert.ok(e instanceof SocketDisconnectedError, String(e));
      assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.ok(e.cause instanceof Deno.errors.ConnectionRefused);
      return true;
    },
  );
  assert.ok(performance.now() - t0 < 2000);
});

Deno.test("a TLS handshake the peer never answers gives ConnectionTimeoutError after connectTimeoutMs", async () => {
  await using server = new FakeBroker(async (peer) => {
    await peer.readFrame(); // never answers the ClientHello; waits for close
  });
  const t0 = performance.now();
  await assert.rejects(
    BrokerConnection.connect({
      host: "127.0.0.1",
      port: server.port,
      connectTimeoutMs: 200,
      sslConfig: {},
    }),
    (e) =>
      e instanceof ConnectionTimeoutError &&
      e instanceof SocketDisconnectedError,
  );
  const waited = performance.now() - t0;
  assert.ok(waited >= 190 && waited < 3000, `waited ${waited}`);
});

Deno.test("AbortSignal aborts connecting", async () => {
  const accepted = Promise.withResolvers<void>();
  await using server = new FakeBroker(async (peer) => {
    accepted.resolve();
    await peer.readFrame();
  });
  const c = new AbortController();
  // Aborted during the TLS handshake (which the peer never answers).
  const connecting = BrokerConnection.connect({
    host: "127.0.0.1",
    port: server.port,
    sslConfig: {},
    signal: c.signal,
  });
  await accepted.promise;
  c.abort(new Error("stop"));
  await assert.rejects(connecting, AbortError);
  await assert.rejects(
    BrokerConnection.connect({
      host: "127.0.0.1",
      port: server.port,
      signal: AbortSignal.abort(),
    }),
    AbortError,
  );
});

Deno.test("brokerVersion auto: a broker that closes on ApiVersions is 0.8.2 (the only legacy detection)", async () => {
  await using closing = new FakeBroker(async (peer) => {
    const req = await peer.readRequest();
    if (req?.apiKey === 18) return; // close, as 0.8.x does
    await echoServer(peer);
  });
  await using conn = await BrokerConnection.connect({
    host: "127.0.0.1",
    port: closing.port,
  });
  assert.equal(conn.versions.release, "0.8.2");
  assert.equal(conn.versions.source, "release-table");
  assert.match(
    conn.versionDetection!,
    /closed the connection on ApiVersions/,
  );
  assert.deepEqual(conn.versions.range(1), { min: 0, max: 0 });
  assert.equal(closing.accepted, 2, "the probe connection was replaced");
});

Deno.test("brokerVersion auto: a broker that does not answer ApiVersions is a RequestTimeoutError, not a downgrade to 0.9", async () => {
  await using silent = new FakeBroker(async (peer) => {
    const req = await peer.readRequest();
    if (req?.apiKey === 18) {
      await peer.readFrame(); // no answer: waits for the client to close
      return;
    }
    await echoServer(peer);
  });
  for (
    const options of [{ apiVersionsTimeoutMs: 300 }, { socketTimeoutMs: 300 }]
  ) {
    const started = performance.now();
    await assert.rejects(
      BrokerConnection.connect({
        host: "127.0.0.1",
        port: silent.port,
        ...options,
      }),
      (e: unknown) => {
        assert.ok(e instanceof RequestTimeoutError, String(e));
        assert.match(e.message, /did not answer ApiVersions within 300 ms/);
        assert.match(e.message, /brokerVersion: "0.9.0"/);
        return true;
      },
    );
    const took = performance.now() - started;
    assert.ok(took >= 250 && took < 300 + 2000, `settled after ${took} ms`);
  }
  assert.equal(
    silent.accepted,
    2,
    "one connection per attempt, no legacy retry",
  );
  // Pinned, the same broker is used on the 0.9 table without asking.
  await using pinned = await BrokerConnection.connect({
    host: "127.0.0.1",
    port: silent.port,
    brokerVersion: "0.9.0",
  });
  assert.equal(pinned.versions.release, "0.9.0");
  assert.equal(pinned.versionDetection, undefined);
  assert.deepEqual(pinned.versions.range(1), { min: 0, max: 1 });
});

Deno.test("brokerVersion auto: a slow ApiVersions answer within the timeout is used; a later one is a timeout", async () => {
  const delays = [100, 1500];
  await using slow = new FakeBroker(async (peer) => {
    const delay = delays.shift()!;
    for (;;) {
      const req = await peer.readRequest();
      if (!req) return;
      await new Promise((r) => setTimeout(r, delay));
      // v3+ first: UNSUPPORTED_VERSION, then the v0 answer.
      const body = req.apiVersion > 0
        ? apiVersionsV0Body(35, [[18, 0, 0]])
        : apiVersionsV0Body(0, [[18, 0, 0], [3, 0, 1]]);
      try {
        await peer.respond(req.correlationId, body);
      } catch {
        return; // the client gave up and closed
      }
    }
  });
  {
    await using conn = await BrokerConnection.connect({
      host: "127.0.0.1",
      port: slow.port,
      apiVersionsTimeoutMs: 1000,
    });
    assert.equal(conn.versions.source, "broker");
    assert.equal(conn.versionDetection, undefined);
  }
  await assert.rejects(
    BrokerConnection.connect({
      host: "127.0.0.1",
      port: slow.port,
      apiVersionsTimeoutMs: 1000,
    }),
    RequestTimeoutError,
  );
});

Deno.test("ApiVersions: UNSUPPORTED_VERSION is answered in v0 format and the client retries at the broker's max", async () => {
  const versionsSeen: number[] = [];
  await using server = new FakeBroker(async (peer) => {
    for (;;) {
      const req = await peer.readRequest();
      if (!req) return;
      versionsSeen.push(req.apiVersion);
      if (req.apiVersion > 2) {
        await peer.respond(
          req.correlationId,
          apiVersionsV0Body(35, [[18, 0, 2]]),
        );
      } else {
        // v2 response: error, [key,min,max], throttle
        const body = apiVersionsV0Body(0, [[18, 0, 2], [3, 0, 7], [1, 0, 10]]);
        const withThrottle = new Uint8Array(body.length + 4);
        withThrottle.set(body);
        await peer.respond(req.correlationId, withThrottle);
      }
    }
  });
  await using conn = await BrokerConnection.connect({
    host: "127.0.0.1",
    port: server.port,
  });
  assert.equal(versionsSeen[0] >= 3, true);
  assert.equal(versionsSeen.at(-1), 2);
  assert.deepEqual(conn.versions.range(3), { min: 0, max: 7 });
  assert.equal(conn.versions.source, "broker");
});

Deno.test("sourceAddress binds the local end (node:net under Deno); bad values are rejected", async () => {
  await using server = new FakeBroker(echoServer);
  await using conn = await connect(server.port, {
    sourceAddress: "127.0.0.2:0",
  });
  assert.match(conn.localAddress!, /^127\.0\.0\.2:\d+$/);
  const r = await conn.send(Echo, { payload: bytes("via node:net") }, {
    version: 0,
  });
  assert.equal(text(r.payload), "via node:net");
  await assert.rejects(
    connect(server.port, { sourceAddress: "nonsense:port" }),
    {
      name: "RangeError",
      message:
        'BrokerConnection option sourceAddress must be "host" or "host:port" (IPv6 in brackets; port 0 or none: any), got the string "nonsense:port" (the port "port" is not a number)',
    },
  );
});

Deno.test("bad options are refused with clear errors before or right after connecting", async () => {
  await using server = new FakeBroker(echoServer);
  // Option errors (checked before connecting): TypeError / RangeError.
  await assert.rejects(
    connect(server.port, { brokerVersion: "banana" }),
    (e) =>
      e instanceof RangeError &&
      /^BrokerConnection option brokerVersion must be "auto" or a Kafka release/
        .test(e.message),
  );
  const cert = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----";
  await assert.rejects(
    connect(server.port, { sslConfig: { cert } }),
    (e) =>
      e instanceof RangeError &&
      /^BrokerConnection option sslConfig: a client certificate needs both cert\/certfile and key\/keyfile/
        .test(e.message),
  );
  await assert.rejects(
    connect(server.port, { sslConfig: { ca: cert, cafile: "y" } }),
    (e) =>
      e instanceof RangeError &&
      /sslConfig: give either ca \(PEM text\) or cafile/.test(e.message),
  );
  await assert.rejects(
    connect(server.port, { sasl: { mechanism: "PLAIN", username: "u" } }),
    {
      name: "TypeError",
      message:
        "BrokerConnection option sasl.password must be a string, got undefined",
    },
  );
  // What only the broker or the file system can tell: KafkaError subclasses.
  await assert.rejects(
    connect(server.port, {
      sasl: { mechanism: "PLAIN", username: "u", password: "p" },
    }),
    (e) =>
      e instanceof UnsupportedFeatureError &&
      /needs Kafka 0\.10\.0 or later/.test(e.message),
  );
  await assert.rejects(
    connect(server.port, { sslConfig: { cafile: "/nonexistent/ca.pem" } }),
    (e) =>
      e instanceof KafkaError &&
      /sslConfig.cafile: cannot read/.test(e.message),
  );
  const notPem = await Deno.makeTempFile({ suffix: ".pem" });
  try {
    await Deno.writeTextFile(notPem, "hello");
    await assert.rejects(
      connect(server.port, { sslConfig: { cafile: notPem } }),
      (e) =>
        e instanceof KafkaError &&
        e.message === `sslConfig.cafile: ${notPem} holds no PEM certificate`,
    );
  } finally {
    await Deno.remove(notPem);
  }
});

Deno.test("ManagedConnection reconnects on next use after a drop, with bounded backoff", async () => {
  let connections = 0;
  await using server = new FakeBroker(async (peer) => {
    connections++;
    const req = await peer.readRequest();
    if (!req) return;
    if (connections === 1) return; // drop the first connection
    await peer.respond(req.correlationId, echoBody(bytes("second")));
    await echoServer(peer);
  });
  await using mc = new ManagedConnection({
    host: "127.0.0.1",
    port: server.port,
    brokerVersion: "0.9.0",
    reconnectBackoff: { initialMs: 10, maxMs: 50 },
  });
  await assert.rejects(
    mc.send(Echo, { payload: bytes("a") }, { version: 0 }),
    SocketDisconnectedError,
  );
  const r = await mc.send(Echo, { payload: bytes("b") }, { version: 0 });
  assert.equal(text(r.payload), "second");
  assert.equal(mc.connects, 2);

  // A broker that is down: bounded attempts, then the connection error.
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  await using down = new ManagedConnection({
    host: "127.0.0.1",
    port,
    brokerVersion: "0.9.0",
    connectAttempts: 3,
    reconnectBackoff: { initialMs: 20, maxMs: 40, jitter: 0 },
  });
  const t0 = performance.now();
  await assert.rejects(
    down.send(Echo, { payload: bytes("x") }, { version: 0 }),
    SocketDisconnectedError,
  );
  const took = performance.now() - t0;
  assert.ok(
    took >= 55 && took < 2000,
    `3 attempts with 20+40 ms backoff took ${took} ms`,
  );
});

Deno.test("ManagedConnection closed during a reconnect backoff: a retriable SocketDisconnectedError, not an AbortError", async () => {
  // What a consumer saw when the cluster dropped a stopped broker from its
  // metadata while a fetch waited to reconnect to it.
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = l.addr.port;
  l.close();
  const mc = new ManagedConnection({
    host: "127.0.0.1",
    port,
    brokerVersion: "0.9.0",
    connectAttempts: 1,
    reconnectBackoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 },
  });
  // The first use fails (nothing listens) and sets a 60 s backoff, which the
  // next use waits out before it connects: that wait starts at once.
  await assert.rejects(mc.connection(), SocketDisconnectedError);
  const result = mc.connection().then(() => null, (e) => e);
  const t0 = performance.now();
  await mc.close();
  const err = await result;
  assert.ok(
    performance.now() - t0 < 10_000,
    "close ends the 60 s wait at once",
  );
  assert.ok(
    err instanceof SocketDisconnectedError,
    `got ${err?.name}: ${err?.message}`,
  );
  assert.equal(err.retriable, true);
});
