// BalancedConsumer under failures: a ZooKeeper session forced to expire
// under a consuming group, and churn (members joining, leaving and losing
// their sessions on a seeded random schedule) over 100 000 records. Every
// record must be consumed; a record may be consumed twice only when its
// first consumer departed (stopped, or lost its session) before a commit
// covered it.
import assert from "node:assert/strict";
import {
  type BalancedConsumer,
  RebalanceInProgressError,
  type Topic,
} from "../../mod.ts";
import { waitFor } from "../wait_for.ts";
import { connect, createTopic, produceMany, uniqueName } from "./_helpers.ts";
import {
  expireSession,
  member,
  memberIds,
  waitBalanced,
  zookeeper,
} from "./_balanced.ts";

/** What the members consumed and committed, in order. */
class Ledger {
  /** Record key -> the ids of the members that consumed it, in order. */
  readonly consumed = new Map<string, string[]>();
  /** Per member: when (event number) it consumed each record. */
  readonly at = new Map<string, Map<string, number>>();
  /** Per member and partition: [event number, committed offset] of its commits. */
  readonly commits = new Map<string, Map<number, [number, number][]>>();
  /** Per member: event numbers at which it departed (stopped, lost its session). */
  readonly departures = new Map<string, number[]>();
  /** Errors consume() threw. */
  readonly errors: string[] = [];
  /** Commits refused because the member lost its session meanwhile. */
  readonly uncommitted: string[] = [];
  seq = 0;

  consume(id: string, partition: number, offset: number): void {
    const k = `${partition}/${offset}`;
    const by = this.consumed.get(k);
    if (by) by.push(id);
    else this.consumed.set(k, [id]);
    let mine = this.at.get(id);
    if (!mine) this.at.set(id, mine = new Map());
    if (!mine.has(k)) mine.set(k, this.seq++);
  }

  commit(id: string, held: Map<number, number>): void {
    let mine = this.commits.get(id);
    if (!mine) this.commits.set(id, mine = new Map());
    const at = this.seq++;
    for (const [p, o] of held) {
      if (o < 0) continue;
      const list = mine.get(p) ?? [];
      list.push([at, o + 1]);
      mine.set(p, list);
    }
  }

  depart(id: string): void {
    const list = this.departures.get(id) ?? [];
    list.push(this.seq++);
    this.departures.set(id, list);
  }

  /**
   * The duplicates that are not explained by a departed owner's
   * uncommitted window: the first consumer of the record departed after
   * consuming it, and no commit of its own covered the record in between.
   */
  unexplainedDuplicates(): string[] {
    const bad: string[] = [];
    for (const [k, ids] of this.consumed) {
      if (ids.length < 2) continue;
      const [p, o] = k.split("/").map(Number);
      const first = ids[0];
      const t = this.at.get(first)!.get(k)!;
      const departed = (this.departures.get(first) ?? []).find((d) => d > t);
      const covered = departed !== undefined &&
        (this.commits.get(first)?.get(p) ?? []).some(([at, c]) =>
          at > t && at < departed && c > o
        );
      if (departed === undefined || covered) {
        bad.push(`${k} by ${ids.join(", ")}`);
      }
    }
    return bad;
  }
}

/**
 * Consumes with `m` until `signal` aborts, at a bounded pace (so that the
 * schedule's events happen while records remain), committing every
 * `commitEvery` messages.
 */
async function consumeLoop(
  m: BalancedConsumer,
  ledger: Ledger,
  signal: AbortSignal,
  commitEvery = 500,
): Promise<void> {
  let n = 0;
  while (!signal.aborted && m.running) {
    let msg;
    try {
      msg = await m.consume({ timeoutMs: 200, signal });
    } catch (e) {
      if (!m.running) return;
      throw e;
    }
    if (!msg) continue;
    ledger.consume(m.consumerId, msg.partitionId, msg.offset);
    if (++n % 50 === 0) await new Promise((r) => setTimeout(r, 20));
    if (n % commitEvery === 0) {
      const held = m.heldOffsets;
      try {
        await m.commitOffsets();
        ledger.commit(m.consumerId, held);
      } catch (e) {
        // Its session ended while the commit waited: the partitions named
        // were released uncommitted (the ledger records no commit).
        if (!(e instanceof RebalanceInProgressError) || !m.running) throw e;
        ledger.uncommitted.push(e.message);
      }
    }
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Running {
  m: BalancedConsumer;
  loop: Promise<void>;
  stop: AbortController;
}

function startMember(
  topic: Topic,
  group: string,
  ledger: Ledger,
  backoffMs: number,
): Running {
  const m = member(topic, group, { rebalanceBackoffMs: backoffMs });
  const stop = new AbortController();
  const loop = m.start().then(() => consumeLoop(m, ledger, stop.signal))
    .catch((e) => {
      ledger.errors.push(`${m.consumerId}: ${e}`);
    });
  return { m, loop, stop };
}

async function leave(r: Running, ledger: Ledger): Promise<void> {
  r.stop.abort();
  await r.loop;
  ledger.depart(r.m.consumerId);
  await r.m.stop();
}

Deno.test("BalancedConsumer: a forced ZooKeeper session expiry under a consuming group: ownership recovers within the rebalance backoff, no record skipped", async () => {
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "expiry", { partitions: 6 });
  const COUNT = 30_000;
  await produceMany(topic, COUNT);
  const group = uniqueName("expiry");
  const BACKOFF = 2000; // pykafka's default rebalance_backoff_ms
  const ledger = new Ledger();
  const members = [0, 1, 2].map(() =>
    startMember(topic, group, ledger, BACKOFF)
  );
  try {
    await Promise.all(members.map((r) => r.m.start()));
    await waitBalanced(members.map((r) => r.m), 6, zk);
    await waitFor(() => ledger.consumed.size > 3000, { what: "consuming" });
    const victim = members[1].m;
    const oldSession = victim.zookeeper!.clientId!.sessionId;
    await expireSession(victim.zookeeper!);
    const t0 = performance.now();
    ledger.depart(victim.consumerId);
    assert.notEqual(victim.zookeeper!.clientId?.sessionId, oldSession);
    // The victim is registered again and the group is balanced again, with
    // ZooKeeper agreeing, within the backoff.
    await waitBalanced(members.map((r) => r.m), 6, zk, BACKOFF);
    const ids = await memberIds(zk, group);
    assert.ok(ids.includes(victim.consumerId));
    const took = performance.now() - t0;
    assert.ok(took < BACKOFF, `recovery took ${took.toFixed(0)} ms`);
    assert.ok(victim.partitions.size > 0);
    assert.ok(victim.running);
    // Everything is consumed (no record skipped).
    await waitFor(() => ledger.consumed.size === COUNT, {
      timeoutMs: 60_000,
      what: `all ${COUNT} records consumed (${ledger.consumed.size})`,
    });
    assert.deepEqual(ledger.unexplainedDuplicates(), []);
    assert.deepEqual(ledger.errors, []);
  } finally {
    for (const r of members) r.stop.abort();
    await Promise.all(members.map((r) => r.loop.catch(() => {})));
    await Promise.all(members.map((r) => r.m.stop().catch(() => {})));
  }
});

Deno.test("BalancedConsumer: churn on a seeded random schedule over 100 000 records: every record consumed, duplicates only from departed owners' uncommitted windows", async () => {
  const seed = Number(Deno.env.get("DENOKAFKA_CHURN_SEED") ?? 20260515);
  const random = mulberry32(seed);
  await using client = await connect();
  await using zk = await zookeeper();
  const topic = await createTopic(client, "churn", { partitions: 6 });
  const COUNT = 100_000;
  await produceMany(topic, COUNT);
  const group = uniqueName("churn");
  const ledger = new Ledger();
  const BACKOFF = 300;
  const running: Running[] = [0, 1, 2].map(() =>
    startMember(topic, group, ledger, BACKOFF)
  );
  const all = [...running];
  const events: string[] = [];
  try {
    await Promise.all(running.map((r) => r.m.start()));
    for (let i = 0; i < 14 && ledger.consumed.size < COUNT * 0.9; i++) {
      await new Promise((r) => setTimeout(r, 150 + Math.floor(random() * 300)));
      // At least one expiry in every schedule.
      const forceExpiry = i === 4 && !events.includes("expire");
      const roll = forceExpiry ? 0.9 : random();
      if (
        !forceExpiry &&
        ((roll < 0.4 && running.length < 5) || running.length < 2)
      ) {
        const r = startMember(topic, group, ledger, BACKOFF);
        running.push(r);
        all.push(r);
        events.push("join");
      } else if (roll < 0.75) {
        const [r] = running.splice(Math.floor(random() * running.length), 1);
        await leave(r, ledger);
        events.push("leave");
      } else {
        // A member that joined just now may have no session yet.
        const pick = running[Math.floor(random() * running.length)];
        const r = pick.m.zookeeper ? pick : running.find((x) => x.m.zookeeper);
        if (r) {
          await expireSession(r.m.zookeeper!);
          ledger.depart(r.m.consumerId);
          events.push("expire");
        }
      }
    }
    await waitBalanced(running.map((r) => r.m), 6, zk);
    await waitFor(() => ledger.consumed.size === COUNT, {
      timeoutMs: 120_000,
      what:
        `all ${COUNT} records consumed (${ledger.consumed.size}; seed ${seed}; ${events})`,
    });
    const dups = ledger.unexplainedDuplicates();
    assert.deepEqual(
      dups.slice(0, 20),
      [],
      `${dups.length} unexplained duplicates (seed ${seed}, events ${events})`,
    );
    assert.ok(events.length >= 5, `only ${events.length} events`);
    assert.ok(events.includes("expire"), `no expiry in ${events}`);
    assert.deepEqual(ledger.errors, []);
  } finally {
    for (const r of all) r.stop.abort();
    await Promise.all(all.map((r) => r.loop.catch(() => {})));
    await Promise.all(all.map((r) => r.m.stop().catch(() => {})));
  }
});
