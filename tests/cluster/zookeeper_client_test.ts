// ZookeeperClient against the test cluster's ZooKeeper (with its chroot):
// node requests and their typed errors, a standing children watch through
// changes, a lost session (ephemeral nodes gone, a new session at once, the
// watch set again), close() ending watches and requests, and checked options.
import assert from "node:assert/strict";
import {
  ZookeeperClient,
  ZookeeperError,
  type ZookeeperState,
} from "../../mod.ts";
import { cluster } from "./mod.ts";
import { expireSession } from "../consumer/_balanced.ts";

const ZK = cluster.zookeeper;

function uniquePath(prefix: string): string {
  return `/denokafka-test/${prefix}-${Date.now().toString(36)}-${
    crypto.randomUUID().slice(0, 8)
  }`;
}

/** Resolves with the first children list for which `ok` holds. */
function nextChildren(
  ok: (c: string[]) => boolean,
): { listener: (c: string[]) => void; seen: Promise<string[]> } {
  let resolve!: (c: string[]) => void;
  const seen = new Promise<string[]>((r) => resolve = r);
  return { listener: (c) => ok(c) && resolve([...c].sort()), seen };
}

async function deleteTree(zk: ZookeeperClient, path: string): Promise<void> {
  for (const c of await zk.getChildren(path).catch(() => [])) {
    await deleteTree(zk, `${path}/${c}`);
  }
  await zk.delete(path).catch(() => {});
}

/** `p` or a failure after `ms` naming `what` (a bounded wait). */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no ${what} within ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

Deno.test("ZookeeperClient: create, get, getChildren, exists, delete, with ZooKeeper's errors as ZookeeperError", async () => {
  await using zk = await ZookeeperClient.connect(ZK);
  assert.equal(zk.state, "connected");
  assert.equal(zk.sessionGeneration, 1);
  assert.match(zk.clientId!.sessionId, /^[0-9a-f]{16}$/);
  const base = uniquePath("nodes");
  try {
    assert.equal(
      await zk.create(`${base}/a`, "hello", { makepath: true }),
      `${base}/a`,
    );
    const n = await zk.get(`${base}/a`);
    assert.equal(new TextDecoder().decode(n.data!), "hello");
    assert.equal(n.stat.ephemeralOwner, null);
    assert.equal(n.stat.dataLength, 5);
    await zk.create(`${base}/b`, new Uint8Array([1, 2]), { ephemeral: true });
    const b = await zk.get(`${base}/b`);
    assert.equal(b.stat.ephemeralOwner, zk.clientId!.sessionId);
    assert.ok(n.stat.czxid < b.stat.czxid, "older nodes compare lower");
    assert.deepEqual((await zk.getChildren(base)).sort(), ["a", "b"]);
    assert.equal((await zk.exists(base))!.numChildren, 2);
    await assert.rejects(
      zk.create(`${base}/a`),
      (e) =>
        e instanceof ZookeeperError &&
        e.zkCode === ZookeeperError.NODE_EXISTS,
    );
    await assert.rejects(
      zk.get(`${base}/missing`),
      (e) => e instanceof ZookeeperError && e.zkCode === ZookeeperError.NO_NODE,
    );
    await assert.rejects(
      zk.delete(base),
      (e) =>
        e instanceof ZookeeperError && e.zkCode === ZookeeperError.NOT_EMPTY,
    );
    await zk.delete(`${base}/a`);
    assert.equal(await zk.exists(`${base}/a`), null);
  } finally {
    await deleteTree(zk, base);
  }
});

Deno.test("ZookeeperClient: watchChildren reports each change, survives a lost session (ephemeral nodes gone, new session, watch set again), and ends on close", async () => {
  await using other = await ZookeeperClient.connect(ZK);
  const zk = await ZookeeperClient.connect(ZK, { sessionTimeoutMs: 6000 });
  const base = uniquePath("watch");
  const states: ZookeeperState[] = [];
  zk.onStateChange((s) => states.push(s));
  try {
    await zk.ensurePath(base);
    let next = nextChildren((c) => c.length === 1);
    let listener = next.listener;
    const watch = await zk.watchChildren(base, (c) => listener(c));
    assert.deepEqual(watch.children, []);
    await other.create(`${base}/x`, "", { ephemeral: true });
    assert.deepEqual(await within(next.seen, 10_000, "change"), ["x"]);
    // Our own ephemeral node, then our session is expired from outside.
    next = nextChildren((c) => c.length === 2);
    listener = next.listener;
    await zk.create(`${base}/mine`, "", { ephemeral: true });
    assert.deepEqual(await within(next.seen, 10_000, "change"), [
      "mine",
      "x",
    ]);
    next = nextChildren((c) => c.length === 1 && c[0] === "x");
    listener = next.listener;
    await expireSession(zk);
    assert.deepEqual(await within(next.seen, 10_000, "the node's loss"), [
      "x",
    ]);
    assert.ok(states.includes("lost"), `states ${states}`);
    assert.equal(zk.sessionGeneration, 2);
    await within(
      new Promise<void>((r) => {
        if (zk.state === "connected") return r();
        const off = zk.onStateChange((s) => s === "connected" && (off(), r()));
      }),
      10_000,
      "new session",
    );
    // The watch is set again on the new session.
    next = nextChildren((c) => c.length === 2);
    listener = next.listener;
    await other.create(`${base}/y`, "");
    assert.deepEqual(
      await within(next.seen, 10_000, "change on the new session"),
      ["x", "y"],
    );
    // close(): the watch ends, requests fail with a clear error.
    let after = 0;
    listener = () => after++;
    await zk.close();
    assert.equal(zk.state, "closed");
    await assert.rejects(zk.getChildren(base), /is closed/);
    await other.create(`${base}/z`, "");
    // A watch of the other client sees z; ours, closed, must not.
    const probe = nextChildren((c) => c.includes("z"));
    const w2 = await other.watchChildren(base, probe.listener);
    if (!w2.children.includes("z")) await within(probe.seen, 10_000, "z");
    w2.cancel();
    assert.equal(after, 0);
  } finally {
    await zk.close();
    await deleteTree(other, base);
  }
});

Deno.test("ZookeeperClient: options are checked; an unreachable server fails start() after connectionTimeoutMs", async () => {
  assert.throws(() => new ZookeeperClient(""), TypeError);
  assert.throws(
    () => new ZookeeperClient(ZK, { sessionTimeout: 1 } as never),
    /unknown option "sessionTimeout"/,
  );
  assert.throws(
    () => new ZookeeperClient(ZK, { sessionTimeoutMs: 0 }),
    RangeError,
  );
  assert.throws(
    () =>
      new ZookeeperClient(ZK, {
        clientId: { sessionId: "xyz", password: new Uint8Array(16) },
      }),
    RangeError,
  );
  const zk = new ZookeeperClient("127.0.0.1:1", { connectionTimeoutMs: 500 });
  const t0 = performance.now();
  await assert.rejects(zk.start(), /no session within 500 ms/);
  assert.ok(performance.now() - t0 < 5000);
  await zk.close();
  await assert.rejects(
    new ZookeeperClient(ZK).getChildren("/"),
    /call start\(\) first/,
  );
});
