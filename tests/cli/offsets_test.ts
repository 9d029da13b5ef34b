// offsets (print_offsets), lag (print_consumer_lag) and reset-offsets
// (reset_offsets) end to end: lag after a partial consume, resets to
// earliest / a time / explicit offsets and consuming again, and the refusal
// while the group has active members (a kcat -G member).
import assert from "node:assert/strict";
import { kcat } from "../cluster/interop.ts";
import { waitFor } from "../wait_for.ts";
import {
  cli,
  createTopic,
  deleteTopics,
  HOSTS,
  jsonLines,
  ok,
} from "./_helpers.ts";

interface LagJson {
  topic: string;
  group: string;
  totalLag: number;
  partitions: {
    partition: number;
    lag: number | null;
    latest: number;
    committed: number;
  }[];
}

// An hour ago, on a minute: recent enough that retention (7 days, checked
// every minute on the test cluster) never deletes these records.
const T0 = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;

/** 10 records in each of 3 partitions, timestamps T0 + i minutes. */
async function fill(topic: string): Promise<void> {
  const lines = [];
  for (let p = 0; p < 3; p++) {
    for (let i = 0; i < 10; i++) {
      lines.push(JSON.stringify({
        value: `p${p}-${i}`,
        partition: p,
        timestamp: T0 + i * 60_000,
      }));
    }
  }
  await ok(["produce", topic, "--input", "json"], { stdin: lines.join("\n") });
}

async function lag(topic: string, group: string): Promise<LagJson> {
  return JSON.parse((await ok(["lag", topic, group, "--json"])).stdout);
}

Deno.test("cli: offsets / print_offsets: limits, a time, JSON", async () => {
  const topic = await createTopic("offsets");
  try {
    await fill(topic);
    const all = JSON.parse((await ok(["offsets", topic, "--json"])).stdout);
    assert.deepEqual(all, {
      topic,
      partitions: [0, 1, 2].map((p) => ({
        partition: p,
        earliest: 0,
        latest: 10,
      })),
    });
    const text = (await ok(["print_offsets", topic])).stdout;
    assert.match(text, /Total records: 30/);
    const at = JSON.parse(
      (await ok([
        "print_offsets",
        topic,
        new Date(T0 + 4 * 60_000).toISOString(),
        "--json",
      ])).stdout,
    );
    assert.deepEqual(at.partitions.map((p: { offset: number }) => p.offset), [
      4,
      4,
      4,
    ]);
    const late = JSON.parse(
      (await ok(["offsets", topic, "@" + (T0 + 3_600_000), "-J"])).stdout,
    );
    assert.deepEqual(late.partitions.map((p: { offset: number }) => p.offset), [
      10,
      10,
      10,
    ]);
    const latest = await ok(["offsets", topic, "latest"]);
    assert.match(latest.stdout, /^Partition\s+Offset\n\s+0\s+10\n/);
  } finally {
    await deleteTopics([topic]);
  }
});

Deno.test("cli: lag after a partial consume; reset-offsets earliest, to a time, explicit; consume again", async () => {
  const topic = await createTopic("lag");
  const group = `${topic}-g`;
  try {
    await fill(topic);
    // No commits yet: every partition without a committed offset.
    let l = await lag(topic, group);
    assert.deepEqual(l.partitions.map((p) => p.lag), [null, null, null]);

    // A partial consume: 12 records, committed.
    const r = await ok(["consume", topic, "-g", group, "-c", "12"]);
    assert.equal(r.stdout.trimEnd().split("\n").length, 12);
    l = await lag(topic, group);
    assert.equal(l.totalLag, 18);
    for (const p of l.partitions) {
      assert.equal(p.latest, 10);
      assert.equal(p.lag, 10 - p.committed);
    }
    const table = (await ok(["print_consumer_lag", topic, group])).stdout;
    assert.match(table, /Total lag: 18/);

    // Reset to the earliest offsets: everything is lag again, and the
    // group reads all 30 records.
    const reset = await ok([
      "reset-offsets",
      topic,
      group,
      "earliest",
      "--json",
    ]);
    assert.deepEqual(
      JSON.parse(reset.stdout).partitions.map((p: { after: number }) =>
        p.after
      ),
      [0, 0, 0],
    );
    assert.equal((await lag(topic, group)).totalLag, 30);
    let again = await ok(["consume", topic, "-g", group]);
    assert.equal(again.stdout.trimEnd().split("\n").length, 30);
    assert.equal((await lag(topic, group)).totalLag, 0);

    // To a time: the first record at or after it (minute 7).
    await ok([
      "reset_offsets",
      topic,
      group,
      new Date(T0 + 7 * 60_000).toISOString(),
    ]);
    l = await lag(topic, group);
    assert.deepEqual(l.partitions.map((p) => p.committed), [7, 7, 7]);
    again = await ok(["consume", topic, "-g", group, "-p", "1"]);
    assert.equal(again.stdout, "p1-7\np1-8\np1-9\n");

    // Explicit offsets (clamped to the partition's end), and a dry run.
    const dry = await ok([
      "reset-offsets",
      topic,
      group,
      "0:1,2:99",
      "-n",
      "-J",
    ]);
    assert.deepEqual(JSON.parse(dry.stdout).partitions, [
      { partition: 0, before: 7, after: 1 },
      { partition: 2, before: 7, after: 10 },
    ]);
    assert.deepEqual(
      (await lag(topic, group)).partitions.map((p) => p.committed),
      [7, 10, 7],
    );
    await ok(["reset-offsets", topic, group, "0:1,2:99"]);
    assert.deepEqual(
      (await lag(topic, group)).partitions.map((p) => p.committed),
      [1, 10, 10],
    );
    again = await ok(["consume", topic, "-g", group, "-f", "%s\\n"]);
    assert.deepEqual(
      again.stdout.trimEnd().split("\n").sort(),
      ["p0-1", "p0-2", "p0-3", "p0-4", "p0-5", "p0-6", "p0-7", "p0-8", "p0-9"],
    );
    // The latest offsets, for one partition only.
    await ok(["reset-offsets", topic, group, "latest", "-p", "0"]);
    assert.equal((await lag(topic, group)).totalLag, 0);

    // groups describe shows the same offsets and lag.
    const described = JSON.parse(
      (await ok(["groups", "describe", group, "--json"])).stdout,
    );
    assert.equal(described[0].groupId, group);
    assert.deepEqual(
      described[0].offsets.map((
        o: { partition: number; committed: number; lag: number },
      ) => [o.partition, o.committed, o.lag]),
      [[0, 10, 0], [1, 10, 0], [2, 10, 0]],
    );
  } finally {
    await deleteTopics([topic]);
    await cli(["groups", "delete", "-q", group]);
  }
});

Deno.test("cli: reset-offsets usage errors exit 2", async () => {
  let r = await cli(["reset-offsets", "some-topic", "some-group", "yesterday"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /expected earliest, latest/);
  r = await cli(["reset-offsets", "some-topic"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /missing GROUP/);
});

kcat.test("cli: reset-offsets refuses while the group has active members (exit 3) unless --force", async () => {
  const topic = await createTopic("active", 1);
  const group = `${topic}-g`;
  await ok(["produce", topic], { stdin: "a\nb\nc\n" });
  const member = new Deno.Command("kcat", {
    args: ["-b", HOSTS, "-G", group, topic, "-q", "-o", "beginning"],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitFor(async () => {
      const d = JSON.parse(
        (await ok(["groups", "describe", group, "--json"])).stdout,
      );
      return d[0].members.length > 0 && d[0].state === "Stable";
    }, { what: "the kcat member to join", timeoutMs: 60_000, intervalMs: 500 });
    const listed = jsonLines<{ groupId: string }[]>(
      (await ok(["groups", "list", "--topic", topic, "--json"])).stdout,
    )[0];
    assert.deepEqual(listed.map((g) => g.groupId), [group]);
    const r = await cli(["reset-offsets", topic, group, "earliest"]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr.trimEnd().split("\n").length, 1);
    assert.match(r.stderr, /has 1 active member .*--force/);
    // --force skips the check (a dry run commits nothing).
    const forced = await ok([
      "reset-offsets",
      topic,
      group,
      "earliest",
      "--force",
      "--dry-run",
    ]);
    assert.match(forced.stdout, /dry run/);
  } finally {
    member.kill("SIGTERM");
    await member.status;
    await deleteTopics([topic]);
    await cli(["groups", "delete", "-q", group]);
  }
});
