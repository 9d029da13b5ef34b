// deno-lint-ignore-file no-control-regex
// The CLI's manners: one-line errors with distinct exit codes, a bounded
// failure without a broker, --help on every command and subcommand, and no
// progress bar or colour when piped.
import assert from "node:assert/strict";
import { cluster } from "../cluster/mod.ts";
import { cli, createTopic, deleteTopics, HOSTS, ok } from "./_helpers.ts";

const ANSI = /\x1b\[/;

function oneLine(stderr: string): void {
  const lines = stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.match(lines[0], /^denokafka: (usage )?error: /);
}

Deno.test("cli: a missing broker gives one line and exit code 1, quickly", async () => {
  for (const args of [["topics", "list"], ["consume", "t"], ["produce", "t"]]) {
    const r = await cli(args, {
      hosts: "127.0.0.1:1",
      stdin: "x\n",
      timeoutMs: 30_000,
    });
    assert.equal(r.code, 1, r.stderr);
    oneLine(r.stderr);
    assert.match(r.stderr, /NoBrokersAvailableError: .*127\.0\.0\.1:1/);
    assert.equal(r.stdout, "");
    assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
  }
  // KAFKA_HOSTS is read when -b is not given.
  const r = await cli(["brokers"], {
    hosts: false,
    env: { KAFKA_HOSTS: "127.0.0.1:2" },
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /127\.0\.0\.1:2/);
});

Deno.test("cli: usage errors exit 2 with one line naming the problem", async () => {
  const cases: [string[], RegExp][] = [
    [["nope"], /unknown command "nope"/],
    [["topics", "frobnicate"], /unknown command "frobnicate"/],
    [["consume"], /missing TOPIC/],
    [
      ["consume", "t", "--cuont", "3"],
      /unknown flag --cuont \(did you mean --count\?\)/,
    ],
    [["consume", "t", "-c", "three"], /-c takes an integer, got "three"/],
    [
      ["consume", "t", "--output", "xml"],
      /--output must be one of value, json/,
    ],
    [["consume", "t", "-o", "yesterday"], /--offset "yesterday"/],
    [["consume", "t", "-f", "%q"], /unknown token %q/],
    [["consume", "t", "-o", "stored"], /-o stored needs --group/],
    [["produce", "t", "--sasl-mechanism", "PLAIN"], /needs --sasl-username/],
    [
      ["produce", "t", "-z", "brotli"],
      /-z must be one of none, gzip, snappy, lz4, zstd/,
    ],
    [
      ["topics", "create", "t", "--replica-assignment", "x"],
      /--replica-assignment/,
    ],
    [["lag", "t"], /missing GROUP/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(args, { hosts: "127.0.0.1:1" });
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    oneLine(r.stderr);
    assert.match(r.stderr, re);
    assert.match(r.stderr, /see 'denokafka .*--help'/);
  }
  // No arguments at all: the help on stderr, exit 2.
  const r = await cli([], { hosts: false });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Usage: denokafka <command>/);
});

Deno.test("cli: --help on every command and subcommand", async () => {
  const top = await ok(["--help"], { hosts: false });
  assert.match(top.stdout, /Exit codes: 0 done; 1 runtime error/);
  const commands = [...top.stdout.matchAll(/^ {2}([a-z-]+)/gm)].map((m) =>
    m[1]
  );
  assert.deepEqual(commands, [
    "topics",
    "brokers",
    "produce",
    "consume",
    "offsets",
    "lag",
    "reset-offsets",
    "groups",
    "perf",
  ]);
  const paths: string[][] = [];
  for (const c of commands) {
    const h = await ok([c, "--help"], { hosts: false });
    const subs = [...h.stdout.matchAll(/^Commands:\n((?: {2}.*\n)+)/gm)];
    if (subs.length) {
      for (const m of subs[0][1].matchAll(/^ {2}([a-z-]+)/gm)) {
        paths.push([c, m[1]]);
      }
    } else paths.push([c]);
  }
  assert.deepEqual(paths.map((p) => p.join(" ")), [
    "topics list",
    "topics describe",
    "topics create",
    "topics delete",
    "topics alter-config",
    "topics add-partitions",
    "brokers",
    "produce",
    "consume",
    "offsets",
    "lag",
    "reset-offsets",
    "groups list",
    "groups describe",
    "groups delete",
    "perf produce",
    "perf consume",
  ]);
  for (const p of paths) {
    const h = await ok([...p, "--help"], { hosts: false });
    assert.match(h.stdout, new RegExp(`^denokafka ${p.join(" ")}: `));
    assert.match(h.stdout, /Usage: denokafka .*\[flags\]/);
    assert.match(h.stdout, /-h, --help/);
    assert.equal(h.stderr, "");
    assert.doesNotMatch(h.stdout, ANSI);
  }
  // pykafka's names reach the same commands.
  const alias = await ok(["print_consumer_lag", "-h"], { hosts: false });
  assert.match(alias.stdout, /^denokafka lag: /);
  assert.match(
    (await ok(["--version"], { hosts: false })).stdout,
    /^denokafka \d+\.\d+\.\d+/,
  );
});

Deno.test("cli: piped output has no progress bar and no colour; runtime errors exit 1", async () => {
  const topic = await createTopic("piped", 2);
  try {
    const lines = Array.from({ length: 20_000 }, (_, i) => `value ${i}`).join(
      "\n",
    );
    const p = await ok(["produce", topic, "-z", "lz4"], { stdin: lines });
    assert.equal(p.stdout, "");
    assert.equal(p.stderr, "");
    for (
      const args of [
        ["consume", topic],
        ["consume", topic, "-J"],
        ["topics", "describe", topic],
        ["topics", "list"],
        ["offsets", topic],
        ["perf", "produce", topic, "-c", "20000"],
      ]
    ) {
      const r = await ok(args);
      assert.equal(
        r.stderr,
        "",
        `${args.join(" ")} wrote to stderr:\n${r.stderr}`,
      );
      assert.doesNotMatch(r.stdout, ANSI, args.join(" "));
      assert.doesNotMatch(r.stdout, /\r/, args.join(" "));
    }
    // A reader that goes away (| head) ends the CLI quietly with 0.
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "cli/mod.ts", "consume", topic, "-b", HOSTS],
      cwd: new URL("../../", import.meta.url).pathname,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).spawn();
    const reader = child.stdout.getReader();
    const first = await reader.read();
    assert.ok(!first.done && first.value.length > 0);
    await reader.cancel();
    const [status, stderr] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
    ]);
    assert.equal(status.code, 0, stderr);
    assert.equal(stderr, "");
    // Connection flags may also come before the command, as with kcat.
    const before = await ok(["-b", HOSTS, "offsets", topic, "--json"], {
      hosts: false,
    });
    assert.equal(JSON.parse(before.stdout).topic, topic);
    // --verbose prints the summary even when piped.
    const v = await ok(["consume", topic, "-v", "-c", "10"]);
    assert.match(v.stderr, /^consumed 10 records \(.*\) from .* records\/s/);
    // A missing topic is a runtime error, in one line.
    const missing = await cli(["consume", `${topic}-missing`]);
    assert.equal(missing.code, 1);
    oneLine(missing.stderr);
    assert.match(missing.stderr, /does not exist/);
    const noCreate = await cli(["produce", `${topic}-missing`, "--no-create"], {
      stdin: "x",
    });
    assert.equal(noCreate.code, 1);
    oneLine(noCreate.stderr);
    // Bad JSON input names the line.
    const bad = await cli(["produce", topic, "--input", "json"], {
      stdin: '{"value":"a"}\nnot json\n',
    });
    assert.equal(bad.code, 1);
    oneLine(bad.stderr);
    assert.match(bad.stderr, /line 2: not JSON/);
  } finally {
    await deleteTopics([topic]);
  }
});

const hasScript = await new Deno.Command("script", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
}).output().then((o) => o.success, () => false);

async function onTerminal(
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const cmd = [Deno.execPath(), "run", "-A", "cli/mod.ts", ...args]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const envObj = Deno.env.toObject();
  delete envObj.NO_COLOR;
  for (const k of Object.keys(envObj)) {
    if (k.startsWith("KAFKA_")) delete envObj[k];
  }
  const o = await new Deno.Command("script", {
    args: ["-qec", cmd, "/dev/null"],
    cwd: new URL("../../", import.meta.url).pathname,
    clearEnv: true,
    env: { ...envObj, ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  return new TextDecoder().decode(o.stdout);
}

Deno.test({
  name:
    `cli: on a terminal, a progress bar, a summary and colour; NO_COLOR turns colour off${
      hasScript
        ? ""
        : " [SKIPPED: script(1) not installed (apt-get install bsdutils)]"
    }`,
  ignore: !hasScript,
  fn: async () => {
    const topic = await createTopic("tty", 2);
    const file = await Deno.makeTempFile();
    try {
      await Deno.writeTextFile(
        file,
        Array.from({ length: 300_000 }, (_, i) => `v${i}`).join("\n"),
      );
      const out = await onTerminal([
        "produce",
        topic,
        file,
        "-b",
        cluster.bootstrap("kafka39", "PLAINTEXT"),
      ]);
      assert.match(
        out,
        /produced 300,000 records \(.*\) to .* in .*records\/s/,
      );
      const err = await onTerminal([
        "consume",
        `${topic}-missing`,
        "-b",
        cluster.bootstrap("kafka39", "PLAINTEXT"),
      ]);
      assert.match(err, /\x1b\[31mdenokafka: error:\x1b\[39m .*does not exist/);
      const plain = await onTerminal(
        [
          "consume",
          `${topic}-missing`,
          "-b",
          cluster.bootstrap("kafka39", "PLAINTEXT"),
        ],
        { NO_COLOR: "1" },
      );
      assert.match(plain, /^denokafka: error: .*does not exist/);
      assert.doesNotMatch(plain, ANSI);
      // A rate-limited run lasts long enough (0.5 s) for the bar to draw.
      const bar = await onTerminal([
        "perf",
        "produce",
        topic,
        "-c",
        "1000",
        "--rate",
        "2000",
        "-b",
        cluster.bootstrap("kafka39", "PLAINTEXT"),
      ]);
      assert.match(bar, /\rperf produce \S+ +\[.*\] +\d+% +[\d,]+\/1,000 /);
      assert.match(bar, /\r\x1b\[K1000 records sent/);
    } finally {
      await Deno.remove(file);
      await deleteTopics([topic]);
    }
  },
});
