// A connection Deno's permissions refuse is fatal and says what to allow:
// a program run with `--allow-net=<broker 1 only>` against the two-broker
// cluster gets a NetworkPermissionError naming broker 2's address and the
// `--allow-net` entry, within the socket timeout, from every kind of call
// that needs broker 2 (it used to be retried as a disconnect, forever in
// admin and consumer calls).
import assert from "node:assert/strict";
import { KafkaClient, NetworkPermissionError } from "../../mod.ts";
import { cluster } from "../cluster/mod.ts";
import { uniqueName } from "../client/_helpers.ts";

const SOCKET_TIMEOUT_MS = 5000;
const BROKER1 = cluster.address(1, "PLAINTEXT");
const BROKER2 = cluster.address(2, "PLAINTEXT");

/**
 * A group name whose coordinator is `brokerId`, or "-" when that broker
 * leads no partition of `__consumer_offsets` now (after broker restarts
 * every partition may be led by the other broker until the next preferred
 * leader election): the probe then skips the steps that need it.
 */
async function groupOn(client: KafkaClient, brokerId: number) {
  for (let i = 0; i < 100; i++) {
    const g = uniqueName("perm-group");
    const c = await client.cluster.getGroupCoordinator(g);
    if (c.id === brokerId) return g;
  }
  return "-";
}

Deno.test("permissions: --allow-net for one broker of two fails fast, naming the other", async () => {
  await using client = await KafkaClient.connect({
    hosts: cluster.bootstrap("kafka39", "PLAINTEXT"),
  });
  const topic = uniqueName("perm");
  await client.createTopics([{ name: topic, replicaAssignment: [[1], [2]] }]);
  try {
    const group = await groupOn(client, 2);
    const committedGroup = await groupOn(client, 1);
    if (committedGroup !== "-") {
      await client.commitConsumerGroupOffsets(committedGroup, [
        { topic, partition: 1, offset: 0 },
      ]);
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--allow-net=${BROKER1}`,
        "--no-prompt",
        new URL("./_denied_probe.ts", import.meta.url).pathname,
        BROKER1,
        topic,
        group,
        committedGroup,
      ],
      // From a folder outside the repository: no deno.json, no import map.
      cwd: Deno.env.get("TMPDIR") ?? "/tmp",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `probe failed:\n${stdout}\n${stderr}`);
    const steps = stdout.trim().split("\n").map((l) =>
      JSON.parse(l) as {
        step: string;
        ms: number;
        ok: boolean;
        errors: string[];
      }
    );
    assert.deepEqual(
      steps.map((s) => s.step),
      [
        "produce to partition 1",
        "consume partition 1",
        ...(committedGroup === "-"
          ? []
          : ["consume partition 1 from a committed offset"]),
        ...(group === "-" ? [] : ["commit to a group on broker 2"]),
        "listGroups",
        ...(group === "-" ? [] : ["describeGroups"]),
        "consumerGroupLag",
        "createTopics",
      ],
    );
    for (const s of steps) {
      const where = `${s.step}: ${JSON.stringify(s)}\n${stderr}`;
      assert.equal(s.ok, false, where);
      assert.ok(s.ms < SOCKET_TIMEOUT_MS, where);
      const denied = s.errors.find((e) =>
        e.startsWith("NetworkPermissionError")
      );
      assert.ok(denied, where);
      assert.ok(denied.includes(`--allow-net=${BROKER2}`), where);
    }
  } finally {
    await client.deleteTopics([topic]);
    // The probe's createTopics reaches the controller (it may be broker 1)
    // before its wait for the new topic fails on broker 2.
    await client.deleteTopics([`${topic}-more`]).catch(() => {});
  }
});

Deno.test("permissions: NetworkPermissionError names the entry, IPv6 in brackets", () => {
  const e = new NetworkPermissionError("::1", 9092, {
    cause: new Error("Requires net access"),
  });
  assert.equal(e.allowNet, "[::1]:9092");
  assert.equal(e.host, "::1");
  assert.equal(e.retriable, false);
  assert.match(e.message, /--allow-net=\[::1\]:9092/);
  assert.match(e.message, /Requires net access/);
});
