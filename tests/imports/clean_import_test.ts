// A program outside the repository that imports mod.ts by path works with
// an empty Deno cache and only --allow-net: nothing needs this repository's
// import map, and nothing is downloaded (node-zookeeper-client is loaded
// only when `zookeeperHosts` is used; the benchmark peers live in
// bench/deno.lock).
import assert from "node:assert/strict";
import { cluster } from "../cluster/mod.ts";

const MOD = new URL("../../mod.ts", import.meta.url).href;

Deno.test("imports: mod.ts by path from an empty folder, fresh DENO_DIR, --allow-net only, no npm download", async () => {
  const dir = await Deno.makeTempDir({ prefix: "denokafka-import-" });
  try {
    await Deno.writeTextFile(
      `${dir}/main.ts`,
      `import { CompressionType, KafkaClient } from ${JSON.stringify(MOD)};
const client = await KafkaClient.connect({ hosts: ${
        JSON.stringify(cluster.bootstrap("kafka39", "PLAINTEXT"))
      } });
try {
  const name = "clean-import-" + crypto.randomUUID().slice(0, 8);
  await client.createTopics([{ name, numPartitions: 2 }]);
  const topic = await client.topics.get(name);
  const producer = topic.getSyncProducer({ compression: CompressionType.ZSTD });
  const m = await producer.produce(new TextEncoder().encode("hello"));
  await producer.stop();
  await client.deleteTopics([name]);
  console.log("delivered at offset " + m.offset);
} finally {
  await client.close();
}
`,
    );
    const denoDir = `${dir}/deno_dir`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--allow-net=127.0.0.1", "main.ts"],
      cwd: dir,
      env: { DENO_DIR: denoDir, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000),
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /delivered at offset 0/);
    assert.doesNotMatch(stderr, /Download/);
    // Deno creates an empty npm/ folder; packages would be under it.
    const fetched: string[] = [];
    try {
      for await (const e of Deno.readDir(`${denoDir}/npm`)) {
        fetched.push(e.name);
      }
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    assert.deepEqual(fetched, [], "npm packages were fetched");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
