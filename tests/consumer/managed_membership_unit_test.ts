// The group membership state machines against a scripted coordinator (no
// broker): every rejoin path of the classic protocol (MEMBER_ID_REQUIRED,
// UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS), the
// coordinator loading and moving, heartbeats that keep failing (reported,
// partitions lost, rejoined), the fatal errors, cooperative's second
// rebalance; and KIP-848's reconciliation, fencing and fatal errors.
import assert from "node:assert/strict";
import {
  FencedInstanceIdError,
  InconsistentGroupProtocolError,
  SocketDisconnectedError,
  UnknownMemberIdError,
  UnsupportedVersionError,
} from "../../src/errors/mod.ts";
import {
  ClassicMembership,
  type ClassicSettings,
} from "../../src/consumer/_classic_membership.ts";
import {
  Kip848Membership,
  type Kip848Settings,
} from "../../src/consumer/_kip848_membership.ts";
import { RangeAssignor } from "../../src/consumer/assignors/range.ts";
import { CooperativeStickyAssignor } from "../../src/consumer/assignors/cooperative_sticky.ts";
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
} from "../../src/consumer/_consumer_protocol.ts";
import { FakeChannel, FakeHost, type Handler } from "./_fake_group.ts";
import { waitFor } from "../wait_for.ts";

const SETTINGS: ClassicSettings = {
  groupId: "g",
  sessionTimeoutMs: 400,
  rebalanceTimeoutMs: 2000,
  heartbeatIntervalMs: 20,
  groupInstanceId: null,
  assignors: [RangeAssignor],
  rebalanceMaxRetries: 3,
  rebalanceBackoffMs: 10,
  requestTimeoutMs: 1000,
};

const quick = { timeoutMs: 5000, intervalMs: 5 };

/**
 * A one-member coordinator: JoinGroup asks for a member id first (v4+),
 * then makes this member the leader of a new generation; SyncGroup
 * answers the leader's own assignment (or `syncAssignment`); queued codes
 * (or errors) come first.
 */
function coordinator() {
  const q = {
    join: [] as (number | Error)[],
    sync: [] as number[],
    heartbeat: [] as (number | Error)[],
    syncAssignment: undefined as Uint8Array | undefined,
    failHeartbeats: false,
  };
  let generation = 0;
  let ids = 0;
  const handler: Handler = (api, req) => {
    if (api === "JoinGroup") {
      const next = q.join.shift();
      if (next instanceof Error) throw next;
      const base = {
        errorCode: 0,
        generationId: -1,
        protocolName: null,
        leader: "",
        memberId: req.memberId,
        members: [],
      };
      if (next) return { ...base, errorCode: next };
      if (req.memberId === "" && req.groupInstanceId === null) {
        return { ...base, errorCode: 79, memberId: `m-${++ids}` };
      }
      const memberId = req.memberId || `m-${++ids}`;
      generation++;
      return {
        ...base,
        generationId: generation,
        protocolName: req.protocols[0].name,
        leader: memberId,
        memberId,
        members: [{
          memberId,
          groupInstanceId: req.groupInstanceId,
          metadata: req.protocols[0].metadata,
        }],
      };
    }
    if (api === "SyncGroup") {
      const code = q.sync.shift() ?? 0;
      if (code) return { errorCode: code, assignment: new Uint8Array() };
      const mine = q.syncAssignment ??
        req.assignments.find((a: { memberId: string }) =>
          a.memberId === req.memberId
        )?.assignment ?? new Uint8Array();
      q.syncAssignment = undefined;
      return { errorCode: 0, assignment: mine };
    }
    if (api === "Heartbeat") {
      if (q.failHeartbeats) {
        throw new SocketDisconnectedError("coordinator unreachable");
      }
      const next = q.heartbeat.shift() ?? 0;
      if (next instanceof Error) throw next;
      return { errorCode: next };
    }
    if (api === "LeaveGroup") return { errorCode: 0, members: [] };
    throw new Error(`unexpected ${api}`);
  };
  return {
    q,
    handler,
    get generation() {
      return generation;
    },
  };
}

async function started(
  settings: Partial<ClassicSettings> = {},
  host = new FakeHost(),
) {
  const c = coordinator();
  const channel = new FakeChannel(c.handler);
  const m = new ClassicMembership(host, channel, { ...SETTINGS, ...settings });
  await m.start(new AbortController().signal);
  return { m, host, channel, c };
}

Deno.test("classic: MEMBER_ID_REQUIRED rejoins with the given id; the leader assigns with range; standard subscription bytes", async () => {
  const { m, host, channel } = await started();
  try {
    const joins = channel.requests("JoinGroup");
    assert.equal(joins[0].memberId, "");
    assert.equal(joins[1].memberId, "m-1");
    assert.equal(joins[1].protocolType, "consumer");
    assert.equal(joins[1].protocols[0].name, "range");
    assert.equal(joins[1].sessionTimeoutMs, 400);
    assert.equal(joins[1].rebalanceTimeoutMs, 2000);
    const sub = decodeSubscription("m-1", null, joins[1].protocols[0].metadata);
    assert.deepEqual(sub.topics, ["t"]);
    assert.equal(m.stats.rejoins.MemberIdRequired, 1);
    assert.equal(host.holding, "t/0,t/1,t/2");
    assert.equal(m.isLeader, true);
    assert.equal(host.memberId, "m-1");
    assert.equal(host.generationId, 1);
    assert.deepEqual(
      decodeAssignment(
        channel.requests("SyncGroup")[0].assignments[0].assignment,
      )
        .map((p) => p.partition),
      [0, 1, 2],
    );
    await waitFor(() => channel.requests("Heartbeat").length >= 3, quick);
    const hb = channel.requests("Heartbeat")[0];
    assert.deepEqual([hb.generationId, hb.memberId], [1, "m-1"]);
  } finally {
    await m.stop();
  }
  assert.equal(channel.requests("LeaveGroup").length, 1);
  assert.ok(channel.closed);
});

Deno.test("classic: REBALANCE_IN_PROGRESS on a heartbeat: eager members revoke (with commit) before rejoining", async () => {
  const { m, host, channel, c } = await started();
  try {
    c.q.heartbeat.push(27);
    await waitFor(() => c.generation === 2 && host.held.length === 3, quick);
    assert.deepEqual(host.log, [
      "assign t/0,t/1,t/2",
      "rebalanced +3",
      "revoke t/0,t/1,t/2 +commit",
      "assign t/0,t/1,t/2",
      "rebalanced +3",
    ]);
    assert.equal(channel.requests("JoinGroup").at(-1).memberId, "m-1");
    assert.equal(m.generationId, 2);
  } finally {
    await m.stop();
  }
});

Deno.test("classic: ILLEGAL_GENERATION loses the partitions and rejoins with the same member id", async () => {
  const { m, host, channel, c } = await started();
  try {
    c.q.heartbeat.push(22);
    await waitFor(() => c.generation === 2 && host.held.length === 3, quick);
    assert.ok(host.log.includes("lose t/0,t/1,t/2"));
    assert.ok(!host.log.some((l) => l.startsWith("revoke")));
    assert.equal(channel.requests("JoinGroup").at(-1).memberId, "m-1");
    assert.equal(m.stats.rejoins.IllegalGeneration, 1);
  } finally {
    await m.stop();
  }
});

Deno.test("classic: UNKNOWN_MEMBER_ID loses the partitions and rejoins with a new member id", async () => {
  const { m, host, channel, c } = await started();
  try {
    c.q.heartbeat.push(25);
    await waitFor(() => c.generation === 2 && host.held.length === 3, quick);
    assert.ok(host.log.includes("lose t/0,t/1,t/2"));
    const joins = channel.requests("JoinGroup").map((r) => r.memberId);
    assert.deepEqual(joins, ["", "m-1", "", "m-2"]);
    assert.equal(m.memberId, "m-2");
  } finally {
    await m.stop();
  }
});

Deno.test("classic: FENCED_INSTANCE_ID is fatal, with a clear error; a static member never leaves", async () => {
  const { m, host, channel, c } = await started({ groupInstanceId: "i-1" });
  try {
    // A static member joins with its instance id directly.
    assert.equal(channel.requests("JoinGroup").length, 1);
    assert.equal(channel.requests("JoinGroup")[0].groupInstanceId, "i-1");
    c.q.heartbeat.push(82);
    await waitFor(() => host.fatals.length === 1, quick);
    const e = host.fatals[0];
    assert.ok(e instanceof FencedInstanceIdError);
    assert.equal(e.code, 82);
    assert.match(
      e.message,
      /groupInstanceId "i-1"\): FencedInstanceIdError.*another consumer joined with the same groupInstanceId/,
    );
    await assert.rejects(m.waitStable(-1, 1000), /FencedInstanceId/);
  } finally {
    await m.stop();
  }
  assert.equal(channel.requests("LeaveGroup").length, 0);
});

Deno.test("classic: a static member's stop does not send LeaveGroup", async () => {
  const { m, channel } = await started({ groupInstanceId: "i-2" });
  await m.stop();
  assert.equal(channel.requests("LeaveGroup").length, 0);
});

Deno.test("classic: NOT_COORDINATOR on a heartbeat looks the coordinator up again and heartbeats on", async () => {
  const { m, channel, c, host } = await started();
  try {
    c.q.heartbeat.push(16, 16);
    const before = channel.requests("Heartbeat").length;
    await waitFor(() => channel.gone >= 2, quick);
    await waitFor(
      () => channel.requests("Heartbeat").length >= before + 5,
      quick,
    );
    assert.equal(host.errors.length, 0);
    assert.equal(c.generation, 1, "no rebalance");
  } finally {
    await m.stop();
  }
});

Deno.test("classic: heartbeats failing past the session timeout are reported, the partitions lost, and the member rejoins", async () => {
  const { m, host, channel, c } = await started();
  try {
    c.q.failHeartbeats = true;
    await waitFor(() => host.errors.length > 0, quick);
    assert.equal(host.errors.length, 1);
    assert.match(
      host.errors[0].message,
      /no request reached the coordinator for \d+ ms \(sessionTimeoutMs 400\).*coordinator unreachable.*partitions \(t\/0, t\/1, t\/2\) are lost; rejoining/,
    );
    await waitFor(() => host.log.includes("lose t/0,t/1,t/2"), quick);
    assert.ok(channel.gone > 0);
    c.q.failHeartbeats = false;
    await waitFor(() => c.generation === 2 && host.held.length === 3, quick);
    assert.equal(host.errors.length, 1, "reported once");
  } finally {
    await m.stop();
  }
});

Deno.test("classic: COORDINATOR_LOAD_IN_PROGRESS is retried with backoff; SyncGroup REBALANCE_IN_PROGRESS rejoins", async () => {
  const c = coordinator();
  c.q.join.push(79, 14, 14);
  c.q.sync.push(27);
  const host = new FakeHost();
  const channel = new FakeChannel(c.handler);
  const m = new ClassicMembership(host, channel, SETTINGS);
  try {
    await m.start(new AbortController().signal);
    assert.equal(host.holding, "t/0,t/1,t/2");
    assert.equal(m.stats.rejoins["RebalanceInProgress (sync)"], 1);
  } finally {
    await m.stop();
  }
});

Deno.test("classic: start fails after rebalanceMaxRetries failed attempts, and at once on a fatal error", async () => {
  {
    const c = coordinator();
    c.q.join.push(
      new SocketDisconnectedError("down"),
      new SocketDisconnectedError("down"),
      new SocketDisconnectedError("down"),
    );
    const channel = new FakeChannel(c.handler);
    const m = new ClassicMembership(new FakeHost(), channel, SETTINGS);
    await assert.rejects(
      m.start(new AbortController().signal),
      /rebalance of group "g" failed 3 times: .*down/,
    );
    assert.equal(channel.gone, 3);
    await m.stop();
  }
  {
    const c = coordinator();
    c.q.join.push(23);
    const m = new ClassicMembership(
      new FakeHost(),
      new FakeChannel(c.handler),
      {
        ...SETTINGS,
        assignors: [RangeAssignor, CooperativeStickyAssignor],
      },
    );
    await assert.rejects(
      m.start(new AbortController().signal),
      (e) =>
        e instanceof InconsistentGroupProtocolError && e.code === 23 &&
        /list none of this member's protocols: range, cooperative-sticky/.test(
          e.message,
        ),
    );
    await m.stop();
  }
});

Deno.test("classic: cooperative members revoke only what moved, then rejoin for a second rebalance", async () => {
  const { m, host, channel, c } = await started({
    assignors: [CooperativeStickyAssignor],
  });
  try {
    assert.equal(m.rebalanceProtocol, "cooperative");
    // The next rebalance takes t/2 away: revoke it alone, keep the others
    // (no revoke before joining), then rejoin at once.
    c.q.syncAssignment = encodeAssignment([
      { topic: "t", partition: 0 },
      { topic: "t", partition: 1 },
    ]);
    c.q.heartbeat.push(27);
    await waitFor(() => c.generation === 3 && host.held.length === 3, quick);
    assert.deepEqual(host.log, [
      "assign t/0,t/1,t/2",
      "rebalanced +3",
      "revoke t/2 +commit",
      "rebalanced +0",
      "assign t/2",
      "rebalanced +1",
    ]);
    // The second join's subscription reports what it owns, with its generation.
    const sub = decodeSubscription(
      "x",
      null,
      channel.requests("JoinGroup").at(-1).protocols[0].metadata,
    );
    assert.deepEqual(sub.ownedPartitions, [{ topic: "t", partitions: [0, 1] }]);
    assert.equal(sub.generationId, 2);
    assert.equal(m.stats.rejoins["partitions revoked"], 1);
  } finally {
    await m.stop();
  }
});

Deno.test("classic: a commit's rebalance error triggers the rejoin it asks for; waitStable waits for the next generation", async () => {
  const { m, c } = await started();
  try {
    const seq = m.stableSeq;
    const waiting = m.waitStable(seq, 3000);
    // A stale generation's failure changes nothing.
    m.commitFailed(new UnknownMemberIdError("commit"), 0);
    assert.equal(m.hasGeneration, true);
    m.commitFailed(new UnknownMemberIdError("commit"), m.generationId);
    assert.equal(m.hasGeneration, false);
    await waiting;
    assert.equal(c.generation, 2);
    assert.equal(m.memberId, "m-2");
    await assert.rejects(m.waitStable(m.stableSeq, 50), /no stable generation/);
  } finally {
    await m.stop();
  }
});

// ------------------------------------------------------------ KIP-848

const KIP848: Kip848Settings = {
  groupId: "g",
  groupInstanceId: null,
  rebalanceTimeoutMs: 2000,
  sessionTimeoutMs: 400,
  serverAssignor: null,
  rebalanceMaxRetries: 3,
  rebalanceBackoffMs: 10,
  requestTimeoutMs: 1000,
};

const T = "AAAAAAAAAAAAAAAAAAAAAQ";

/** A KIP-848 coordinator: the target assignment and queued codes are scripted. */
function coordinator848() {
  const q = {
    codes: [] as (number | Error)[],
    target: [0, 1, 2],
    epoch: 1,
    message: null as string | null,
  };
  const handler: Handler = (api, req) => {
    if (api !== "ConsumerGroupHeartbeat") throw new Error(`unexpected ${api}`);
    const next = q.codes.shift();
    if (next instanceof Error) throw next;
    if (next) {
      return {
        throttleTimeMs: 0,
        errorCode: next,
        errorMessage: q.message,
        memberId: null,
        memberEpoch: 0,
        heartbeatIntervalMs: 0,
        assignment: null,
      };
    }
    if (req.memberEpoch < 0) {
      return {
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        memberId: req.memberId,
        memberEpoch: req.memberEpoch,
        heartbeatIntervalMs: 0,
        assignment: null,
      };
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      memberId: req.memberId,
      memberEpoch: q.epoch,
      heartbeatIntervalMs: 20,
      assignment: { topicPartitions: [{ topicId: T, partitions: q.target }] },
    };
  };
  return { q, handler };
}

Deno.test("KIP-848: joins with epoch 0 and a client-made member id, reconciles (revoke first), acknowledges, leaves with -1", async () => {
  const c = coordinator848();
  const host = new FakeHost();
  const channel = new FakeChannel(c.handler);
  const m = new Kip848Membership(host, channel, KIP848);
  try {
    await m.start(new AbortController().signal);
    const join = channel.requests("ConsumerGroupHeartbeat")[0];
    assert.equal(join.memberEpoch, 0);
    assert.equal(join.memberId.length, 22);
    assert.deepEqual(join.subscribedTopicNames, ["t"]);
    assert.deepEqual(join.topicPartitions, []);
    assert.equal(host.holding, "t/0,t/1,t/2");
    assert.equal(m.generationId, 1);
    // A new target without t/2 and with... nothing new: revoke t/2 only.
    c.q.epoch = 2;
    c.q.target = [0, 1];
    await waitFor(() => host.holding === "t/0,t/1", quick);
    await waitFor(
      () =>
        channel.requests("ConsumerGroupHeartbeat").some((r) =>
          r.memberEpoch === 2 &&
          r.topicPartitions?.[0]?.partitions.join() === "0,1"
        ),
      quick,
    );
    assert.ok(host.log.includes("revoke t/2 +commit"));
    assert.equal(host.generationId, 2);
  } finally {
    await m.stop();
  }
  const leave = channel.requests("ConsumerGroupHeartbeat").at(-1);
  assert.equal(leave.memberEpoch, -1);
});

Deno.test("KIP-848: FENCED_MEMBER_EPOCH loses the partitions and rejoins with epoch 0; a static member leaves with -2", async () => {
  const c = coordinator848();
  const host = new FakeHost();
  const channel = new FakeChannel(c.handler);
  const m = new Kip848Membership(host, channel, {
    ...KIP848,
    groupInstanceId: "i-1",
  });
  try {
    await m.start(new AbortController().signal);
    const id = m.memberId;
    c.q.codes.push(110);
    await waitFor(() => host.log.includes("lose t/0,t/1,t/2"), quick);
    await waitFor(() => host.held.length === 3, quick);
    const joins = channel.requests("ConsumerGroupHeartbeat").filter((r) =>
      r.memberEpoch === 0
    );
    assert.equal(joins.length, 2);
    assert.equal(joins[1].memberId, id);
    assert.equal(joins[1].instanceId, "i-1");
  } finally {
    await m.stop();
  }
  assert.equal(
    channel.requests("ConsumerGroupHeartbeat").at(-1).memberEpoch,
    -2,
  );
});

Deno.test("KIP-848: UNSUPPORTED_VERSION (a broker without the consumer protocol) fails the start with a clear error", async () => {
  const c = coordinator848();
  c.q.codes.push(35);
  const m = new Kip848Membership(
    new FakeHost(),
    new FakeChannel(c.handler),
    KIP848,
  );
  await assert.rejects(
    m.start(new AbortController().signal),
    (e) =>
      e instanceof UnsupportedVersionError &&
      /groupProtocol "consumer" needs Kafka 4\.0\+/.test(e.message),
  );
  await m.stop();
});

Deno.test("KIP-848: heartbeats failing past the session timeout are reported and lose the partitions", async () => {
  const c = coordinator848();
  const host = new FakeHost();
  const channel = new FakeChannel(c.handler);
  const m = new Kip848Membership(host, channel, KIP848);
  try {
    await m.start(new AbortController().signal);
    for (let i = 0; i < 200; i++) {
      c.q.codes.push(new SocketDisconnectedError("gone"));
    }
    await waitFor(() => host.errors.length > 0, quick);
    assert.match(
      host.errors[0].message,
      /no heartbeat reached the coordinator/,
    );
    await waitFor(() => host.log.includes("lose t/0,t/1,t/2"), quick);
    c.q.codes.length = 0;
    await waitFor(() => host.held.length === 3, quick);
  } finally {
    await m.stop();
  }
});
