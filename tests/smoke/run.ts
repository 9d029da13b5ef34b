/**
 * `deno task smoke`: the runtime smoke suite (`tests/smoke/smoke.mjs`)
 * under Deno, Node and Bun against the local cluster (started if needed).
 * Deno imports `mod.ts` as Deno users do; Node and Bun import the build of
 * `deno task build` (`dist/mod.js`), made first.
 *
 * A runtime that is not installed is reported as skipped with the command
 * that installs it, unless `DENOKAFKA_REQUIRE_RUNTIMES=1` (set by `.ci/run`),
 * which makes it a failure. The last line is `N passed, N failed` over every
 * runtime (a runtime that is missing or crashes counts as one failure).
 *
 * ```sh
 * deno task smoke              # all three
 * deno task smoke node bun     # some
 * ```
 *
 * @module
 */
import { build } from "../../tools/build.ts";
import { cluster } from "../cluster/mod.ts";

const RUNTIMES = {
  deno: {
    install: "npm install -g deno@2",
    version: ["--version"],
    command: (smoke: string, lib: string, config: string) => [
      Deno.execPath(),
      "run",
      "--allow-net=127.0.0.1",
      // The library is imported by a computed specifier (the same file runs
      // the bundle on Node and Bun), which needs read access to it.
      `--allow-read=${
        new URL("../../", import.meta.url).pathname
      },${cluster.tls.caFile},${cluster.tls.clientCertFile},${cluster.tls.clientKeyFile}`,
      smoke,
      lib,
      config,
    ],
  },
  node: {
    install: "npm install -g node@22 (or any Node >= 20)",
    version: ["--version"],
    command: (smoke: string, lib: string, config: string) => [
      "node",
      smoke,
      lib,
      config,
    ],
  },
  bun: {
    install: "npm install -g bun",
    version: ["--version"],
    command: (smoke: string, lib: string, config: string) => [
      "bun",
      smoke,
      lib,
      config,
    ],
  },
} as const;

type Runtime = keyof typeof RUNTIMES;

async function version(name: Runtime): Promise<string | null> {
  const exe = name === "deno" ? Deno.execPath() : name;
  try {
    const out = await new Deno.Command(exe, {
      args: [...RUNTIMES[name].version],
      stdout: "piped",
      stderr: "null",
    }).output();
    if (!out.success) return null;
    return new TextDecoder().decode(out.stdout).split("\n")[0].trim();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

async function main(args: string[]): Promise<number> {
  const wanted = (args.length ? args : Object.keys(RUNTIMES)) as Runtime[];
  for (const r of wanted) {
    if (!(r in RUNTIMES)) throw new Error(`unknown runtime ${r}`);
  }
  const require = Deno.env.get("DENOKAFKA_REQUIRE_RUNTIMES") === "1";
  if (!Deno.env.get("DENOKAFKA_NO_CLUSTER")) await cluster.ensureUp();
  const root = new URL("../../", import.meta.url);
  const smoke = new URL("tests/smoke/smoke.mjs", root).pathname;
  const needsBuild = wanted.some((r) => r !== "deno");
  const dist = needsBuild ? await build({ quiet: true }) : "";
  const base = {
    plaintext: cluster.bootstrap("kafka39", "PLAINTEXT"),
    ssl: cluster.bootstrap("kafka39", "SSL"),
    mtls: cluster.bootstrap("kafka39", "MTLS"),
    saslPlaintext: cluster.bootstrap("kafka39", "SASL_PLAINTEXT"),
    saslSsl: cluster.bootstrap("kafka39", "SASL_SSL"),
    kraft: cluster.bootstrap("kafka4", "PLAINTEXT"),
    tls: cluster.tls,
    sasl: cluster.sasl.alice,
  };
  let passed = 0;
  let failed = 0;
  for (const name of wanted) {
    const v = await version(name);
    if (v === null) {
      const line = `${name}: not installed (install: ${
        RUNTIMES[name].install
      })`;
      if (require) {
        console.log(`[smoke] FAILED ${line}`);
        failed++;
      } else {
        console.log(`[smoke] SKIPPED ${line}`);
      }
      continue;
    }
    const lib = name === "deno"
      ? new URL("mod.ts", root).href
      : new URL("dist/mod.js", root).href;
    const cfg = JSON.stringify({
      ...base,
      networkModule: name === "deno"
        ? new URL("src/network/mod.ts", root).href
        : new URL("dist/src/network/mod.js", root).href,
    });
    console.log(
      `[smoke] ${name} (${v}) on ${name === "deno" ? "mod.ts" : dist}`,
    );
    const [exe, ...rest] = RUNTIMES[name].command(smoke, lib, cfg);
    const child = new Deno.Command(exe, {
      args: rest,
      stdout: "piped",
      stderr: "inherit",
      stdin: "null",
    }).spawn();
    // The suite takes seconds; a runtime still running after 3 minutes has
    // something left open (or hangs) and counts as failed.
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    const out = await child.output();
    clearTimeout(timer);
    const text = new TextDecoder().decode(out.stdout);
    for (const l of text.trimEnd().split("\n")) console.log(`  ${l}`);
    const m = /^(\d+) passed, (\d+) failed$/m.exec(text);
    if (!m) {
      console.log(
        `[smoke] FAILED ${name}: exited ${out.code} without a summary`,
      );
      failed++;
      continue;
    }
    passed += Number(m[1]);
    failed += Number(m[2]);
    if (!out.success && Number(m[2]) === 0) failed++;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
