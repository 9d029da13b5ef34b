/**
 * The test command (`deno task test`): starts the local Kafka cluster if it
 * is not running, then runs every test in two phases:
 *
 * 1. everything except `tests/failover/` and `bench/`, files in parallel,
 *    JSDoc examples included (`--doc`); then `bench/`'s own tests with its
 *    lockfile (`bench/deno.lock`). The JSDoc examples find the local
 *    cluster through the environment variables they read, set here
 *    ({@linkcode docEnv}): `KAFKA_HOSTS` (the Kafka 3.9 brokers' plaintext
 *    listeners), `KAFKA_TLS_HOSTS` and `KAFKA_SASL_TLS_HOSTS` (their SSL and
 *    SASL_SSL listeners), `KAFKA_TLS_CAFILE`, `KAFKA_USERNAME`,
 *    `KAFKA_PASSWORD` and `KAFKA_ZOOKEEPER` (of these, the command-line
 *    tool reads only `KAFKA_HOSTS`, so its own examples are not steered to
 *    SASL or ZooKeeper); `console.assert` throws in this run
 *    (`tests/docs/_strict_console_assert.ts`), so an example that states a
 *    result with it fails when the result is wrong;
 * 2. `tests/failover/` one file at a time (these tests stop and restart
 *    brokers, which would disturb tests running beside them; they run only
 *    here, where `DENOKAFKA_FAILOVER_TESTS=1` is set, and are skipped by a
 *    plain `deno test -A`).
 *
 * First it checks for the interop tools some tests compare against (kcat,
 * kafka-python, pykafka 2.8.0 in its virtual environment) and prints one line per missing tool with the command that
 * installs it; those tests are then reported as skipped (their names say
 * why), or fail when `DENOKAFKA_REQUIRE_INTEROP=1` (as in `.ci/run`).
 *
 * Extra arguments go to both `deno test` runs. `--junit-path=FILE` writes one
 * JUnit report with both phases.
 *
 * ```sh
 * deno task test
 * deno task test --junit-path=.cache/junit.xml
 * deno task test --filter "SimpleConsumer"
 * ```
 *
 * @module
 */
import { clusterUp } from "./cluster/manager.ts";
import { missingTools, REQUIRE_INTEROP } from "./cluster/interop.ts";
import { cluster } from "./cluster/mod.ts";

const FAILOVER_DIR = "tests/failover/";

async function deno(
  args: string[],
  env: Record<string, string> = {},
): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    stdin: "null",
    env,
  }).spawn();
  return (await child.status).code;
}

/**
 * The environment the JSDoc examples read to find the local cluster (each
 * falls back to a placeholder such as `127.0.0.1:9092` when a variable is
 * unset, so a reader can run it against their own cluster).
 */
export function docEnv(): Record<string, string> {
  return {
    KAFKA_HOSTS: cluster.bootstrap("kafka39", "PLAINTEXT"),
    KAFKA_TLS_HOSTS: cluster.bootstrap("kafka39", "SSL"),
    KAFKA_SASL_TLS_HOSTS: cluster.bootstrap("kafka39", "SASL_SSL"),
    KAFKA_TLS_CAFILE: cluster.tls.caFile,
    KAFKA_USERNAME: cluster.sasl.alice.username,
    KAFKA_PASSWORD: cluster.sasl.alice.password,
    KAFKA_ZOOKEEPER: cluster.zookeeper,
  };
}

async function hasTests(dir: string): Promise<boolean> {
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.name.endsWith("_test.ts")) return true;
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return false;
}

async function main(argv: string[]): Promise<number> {
  let junit: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--junit-path=")) junit = a.slice("--junit-path=".length);
    else if (a === "--junit-path") junit = argv[++i];
    else rest.push(a);
  }
  for (const t of await missingTools()) {
    console.log(
      `[test] ${
        REQUIRE_INTEROP ? "MISSING (required)" : "missing"
      }: ${t.name} (${t.description}); its tests are ${
        REQUIRE_INTEROP ? "failures" : "skipped"
      }. Install: ${t.install}`,
    );
  }
  if (!Deno.env.get("DENOKAFKA_NO_CLUSTER")) await clusterUp();

  const parts: string[] = [];
  const phase1 = [
    "test",
    "--allow-all",
    "--doc",
    "--parallel",
    // console.assert throws here, so an example stating a wrong result fails.
    "--preload=tests/docs/_strict_console_assert.ts",
    // --ignore replaces deno.json's "exclude", so repeat it here. bench/
    // runs below with its own lockfile; README.md's blocks need the cluster's
    // address (tests/docs/readme_test.ts runs them).
    `--ignore=${FAILOVER_DIR},bench/,README.md,.cache/,wasm/target/,node_modules/,dist/`,
    ...rest,
  ];
  if (junit) {
    parts.push(`${junit}.parallel.xml`);
    phase1.push(`--junit-path=${junit}.parallel.xml`);
  }
  let code = await deno(phase1, docEnv());
  // The benchmark harness's own tests, with bench/deno.lock (the benchmark
  // peers stay out of the library's lockfile).
  const bench = ["test", "--allow-all", "--lock=bench/deno.lock", ...rest];
  if (junit) {
    parts.push(`${junit}.bench.xml`);
    bench.push(`--junit-path=${junit}.bench.xml`);
  }
  bench.push("bench/");
  code = (await deno(bench)) || code;
  if (await hasTests(FAILOVER_DIR)) {
    const phase2 = ["test", "--allow-all", ...rest];
    if (junit) {
      parts.push(`${junit}.failover.xml`);
      phase2.push(`--junit-path=${junit}.failover.xml`);
    }
    phase2.push(FAILOVER_DIR);
    const code2 = await deno(phase2, { DENOKAFKA_FAILOVER_TESTS: "1" });
    code = code || code2;
  }
  if (junit) {
    // Merge the <testsuite> elements of both reports into one <testsuites>.
    const suites: string[] = [];
    for (const p of parts) {
      try {
        const xml = await Deno.readTextFile(p);
        const m = /<testsuites[^>]*>([\s\S]*)<\/testsuites>/.exec(xml);
        if (m) suites.push(m[1]);
        await Deno.remove(p);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
    }
    await Deno.writeTextFile(
      junit,
      `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="deno test">${
        suites.join("")
      }</testsuites>\n`,
    );
  }
  return code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
