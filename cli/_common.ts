/**
 * What the commands share: connecting, finding a topic without creating
 * it, printing text and JSON, and flags several commands take.
 *
 * @module
 */

import {
  type KafkaClient,
  type KafkaClientOptions,
  type Topic,
  UnknownTopicOrPartition,
} from "../mod.ts";
import type { FlagSpec, ParsedArgs } from "./_args.ts";
import { connect } from "./_connection.ts";
import { CliError, UsageError } from "./_errors.ts";
import { writeAll } from "./_io.ts";

const enc = new TextEncoder();

/** `--json`: machine-readable output. */
export const JSON_FLAG: FlagSpec = {
  name: "json",
  short: "J",
  type: "boolean",
  help: "print JSON instead of a table",
};

/** `--quiet`: no progress bar and no summary. */
export const QUIET_FLAG: FlagSpec = {
  name: "quiet",
  short: "q",
  type: "boolean",
  help: "no progress bar and no summary on stderr",
};

/** `--verbose`: the summary on stderr even when it is not a terminal. */
export const VERBOSE_FLAG: FlagSpec = {
  name: "verbose",
  short: "v",
  type: "boolean",
  help: "print the summary on stderr even when it is not a terminal",
};

/** Writes text to stdout. */
export async function print(text: string): Promise<void> {
  await writeAll(Deno.stdout, enc.encode(text));
}

/** Writes a value as JSON (one line) to stdout. */
export function printJson(value: unknown): Promise<void> {
  return print(JSON.stringify(value) + "\n");
}

/**
 * Runs `fn` with a connected client (closed afterwards).
 *
 * @param args the parsed command line (connection flags)
 * @param fn the work
 * @param extra more client options
 */
export async function withClient<T>(
  args: ParsedArgs,
  fn: (client: KafkaClient) => Promise<T>,
  extra: KafkaClientOptions = {},
): Promise<T> {
  const client = await connect(args, extra);
  try {
    return await fn(client);
  } finally {
    await client.close().catch(() => {});
  }
}

/** An existing topic (never auto-created): a clear error when it is missing. */
export async function existingTopic(
  client: KafkaClient,
  name: string,
): Promise<Topic> {
  try {
    return await client.topics.get(name, { autoCreate: false });
  } catch (e) {
    if (e instanceof UnknownTopicOrPartition) {
      throw new CliError(`topic ${name} does not exist`, { cause: e });
    }
    throw e;
  }
}

/** Parses `k=v` pairs (`-c retention.ms=1000`); `k` alone gives `null`. */
export function keyValues(
  items: readonly string[],
  what: string,
  command: readonly string[],
): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const item of items) {
    const i = item.indexOf("=");
    const k = i < 0 ? item : item.slice(0, i);
    if (k === "") {
      throw new UsageError(
        `${what}: empty name in ${JSON.stringify(item)}`,
        command,
      );
    }
    out.set(k, i < 0 ? null : item.slice(i + 1));
  }
  return out;
}
