// The README's TypeScript code blocks run against the local cluster.
//
// Every ```ts block is written to a temporary folder outside the repository
// with the package name mapped to this checkout's entry points and the
// placeholder address "127.0.0.1:9092" replaced by the cluster's brokers
// ("127.0.0.1:2181" by its ZooKeeper, with the chroot),
// then type-checked and run with `deno run --check --allow-net=127.0.0.1`
// and nothing else. A block that cannot run says why on its fence:
// ```ts ignore <reason> (the reason is required). `deno test --doc` leaves README.md to this test (tests/run.ts
// passes --ignore=README.md), because the blocks need the address replaced.
import assert from "node:assert/strict";
import { cluster } from "../cluster/mod.ts";

const ROOT = new URL("../../", import.meta.url);
const README = new URL("README.md", ROOT);
const TIMEOUT_MS = 120_000;

interface Block {
  line: number;
  info: string;
  code: string;
}

/** The fenced blocks of a Markdown text whose language is `ts`. */
export function tsBlocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const info = open[2].trim();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].startsWith(fence); j++) {
      body.push(lines[j]);
    }
    if (/^(ts|typescript)\b/.test(info)) {
      out.push({ line: i + 1, info, code: body.join("\n") });
    }
    i = j;
  }
  return out;
}

/** The block as a program for this checkout and the local cluster. */
function localize(code: string, hosts: string): string {
  const entry = (path: string) => new URL(path, ROOT).href;
  return code
    .replaceAll(
      '"@denokafka/kafka/network"',
      `"${entry("src/network/mod.ts")}"`,
    )
    .replaceAll(
      '"@denokafka/kafka/protocol"',
      `"${entry("src/protocol/mod.ts")}"`,
    )
    .replaceAll('"@denokafka/kafka"', `"${entry("mod.ts")}"`)
    .replaceAll('"127.0.0.1:9092"', JSON.stringify(hosts))
    .replaceAll('"127.0.0.1:2181"', JSON.stringify(cluster.zookeeper));
}

const blocks = tsBlocks(await Deno.readTextFile(README));

Deno.test("README: has TypeScript examples, and every ignored one says why", () => {
  assert.ok(blocks.length > 0, "no ```ts block in README.md");
  for (const b of blocks) {
    const ignore = /\bignore\b(.*)$/.exec(b.info);
    if (ignore) {
      assert.ok(
        ignore[1].trim().split(/\s+/).length >= 3,
        `README.md:${b.line}: an ignored block must give its reason (\`\`\`ts ignore <why it cannot run>)`,
      );
    }
  }
});

for (const b of blocks) {
  if (/\bignore\b/.test(b.info)) continue;
  Deno.test(`README.md:${b.line}: the example runs against the cluster`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "denokafka-readme-" });
    try {
      const file = `${dir}/example.ts`;
      await Deno.writeTextFile(
        file,
        localize(b.code, cluster.bootstrap("kafka39", "PLAINTEXT")),
      );
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--check", "--no-prompt", "--allow-net=127.0.0.1", file],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
        stdin: "null",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }).output();
      const dec = new TextDecoder();
      assert.equal(
        out.code,
        0,
        `README.md:${b.line} failed:\n${dec.decode(out.stdout)}\n${
          dec.decode(out.stderr)
        }`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
