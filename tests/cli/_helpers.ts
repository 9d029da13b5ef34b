// Helpers of the CLI tests: run `cli/mod.ts` as a subprocess (stdin, env,
// a deadline), unique names, and topics made through the CLI itself.
import assert from "node:assert/strict";
import { cluster } from "../cluster/mod.ts";

const CLI = new URL("../../cli/mod.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

/** The Kafka 3.9 cluster's PLAINTEXT bootstrap list. */
export const HOSTS = cluster.bootstrap("kafka39", "PLAINTEXT");
/** The Kafka 4.x node's bootstrap address. */
export const HOSTS4 = cluster.bootstrap("kafka4", "PLAINTEXT");

export const enc = new TextEncoder();
export const dec = new TextDecoder();

/** What a CLI run gave. */
export interface CliResult {
  /** Exit code. */
  code: number;
  /** stdout bytes. */
  out: Uint8Array;
  /** stdout as text. */
  stdout: string;
  /** stderr as text. */
  stderr: string;
  /** How long it ran, in ms. */
  ms: number;
}

/** Options of {@linkcode cli}. */
export interface CliOptions {
  /** Bytes or text for stdin (default: none, stdin closed). */
  stdin?: Uint8Array | string;
  /** Extra environment (NO_COLOR is removed unless given here). */
  env?: Record<string, string>;
  /** Deadline (default 60 s). */
  timeoutMs?: number;
  /** Add `-b HOSTS` (default true). */
  hosts?: string | false;
}

/** Runs the CLI with `args` (adding `-b` for the 3.9 cluster). */
export async function cli(
  args: string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const env = Deno.env.toObject();
  delete env.NO_COLOR;
  // The CLI reads KAFKA_* variables (tests/run.ts sets some for the JSDoc
  // examples); a test gives the ones it means through options.env.
  for (const k of Object.keys(env)) if (k.startsWith("KAFKA_")) delete env[k];
  Object.assign(env, options.env ?? {});
  const hosts = options.hosts ?? HOSTS;
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--no-prompt",
      CLI,
      ...args,
      ...(hosts === false ? [] : ["-b", hosts]),
    ],
    cwd: ROOT,
    clearEnv: true,
    env,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  }).spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(
      typeof options.stdin === "string"
        ? enc.encode(options.stdin)
        : options.stdin,
    );
    await w.close();
  }
  const o = await child.output();
  return {
    code: o.code,
    out: o.stdout,
    stdout: dec.decode(o.stdout),
    stderr: dec.decode(o.stderr),
    ms: performance.now() - t0,
  };
}

/** Runs the CLI and asserts exit code 0; returns the result. */
export async function ok(
  args: string[],
  options: CliOptions = {},
): Promise<CliResult> {
  const r = await cli(args, options);
  assert.equal(
    r.code,
    0,
    `denokafka ${
      args.join(" ")
    } exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
  );
  return r;
}

/** A name unique to this run. */
export function uniqueName(prefix: string): string {
  return `cli-${prefix}-${Date.now().toString(36)}-${
    crypto.randomUUID().slice(0, 8)
  }`;
}

/** Creates a topic through the CLI; returns its name. */
export async function createTopic(
  prefix: string,
  partitions = 3,
  hosts: string = HOSTS,
  replication = 1,
): Promise<string> {
  const name = uniqueName(prefix);
  await ok(
    [
      "topics",
      "create",
      name,
      "-p",
      String(partitions),
      "-r",
      String(replication),
    ],
    { hosts },
  );
  return name;
}

/** Deletes topics through the CLI (ignoring missing ones). */
export async function deleteTopics(
  names: string[],
  hosts: string = HOSTS,
): Promise<void> {
  await ok(["topics", "delete", "--if-exists", "-q", ...names], { hosts });
}

/** The lines of JSON output, parsed. */
export function jsonLines<T = Record<string, unknown>>(text: string): T[] {
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

/** Base64 of bytes. */
export function b64(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}

/** Bytes of base64. */
export function unb64(s: string): Uint8Array {
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
}
