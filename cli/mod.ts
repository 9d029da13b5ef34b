/**
 * `denokafka`, the command-line tool of `@denokafka/kafka`: pykafka's
 * kafka-tools and kcat's everyday jobs, built on the library's public API.
 *
 * ```sh
 * deno run -A jsr:@denokafka/kafka/cli topics list -b kafka1:9092
 * deno install -g -A -n denokafka jsr:@denokafka/kafka/cli
 * denokafka --help
 * ```
 *
 * Commands: `topics` (list, describe, create, delete, alter-config,
 * add-partitions), `brokers`, `produce`, `consume`, `offsets`
 * (`print_offsets`), `lag` (`print_consumer_lag`), `reset-offsets`
 * (`reset_offsets`), `groups` (list, describe, delete) and `perf`
 * (produce, consume). `denokafka <command> --help` documents each.
 *
 * Exit codes: 0 done, 1 runtime error (cluster, network, files), 2 usage
 * error, 3 refused because of the cluster's state (`reset-offsets` on a
 * group with active members), 130 interrupted. Errors are one line on
 * stderr. Progress bars and colour appear only on a terminal (never with
 * `NO_COLOR`).
 *
 * @module
 */

import { VERSION } from "../mod.ts";
import { type CommandSpec, parseArgs, renderHelp } from "./_args.ts";
import { CONNECTION_FLAGS } from "./_connection.ts";
import { errorLine, EXIT, exitCodeOf, UsageError } from "./_errors.ts";
import { errLine, stderrColor, styles } from "./_io.ts";
import { brokersCommand } from "./commands/brokers.ts";
import { consumeCommand } from "./commands/consume.ts";
import { groupsCommand } from "./commands/groups.ts";
import { lagCommand } from "./commands/lag.ts";
import { offsetsCommand } from "./commands/offsets.ts";
import { perfCommand } from "./commands/perf.ts";
import { produceCommand } from "./commands/produce.ts";
import { resetOffsetsCommand } from "./commands/reset_offsets.ts";
import { topicsCommand } from "./commands/topics.ts";

const COMMANDS: readonly CommandSpec[] = [
  topicsCommand,
  brokersCommand,
  produceCommand,
  consumeCommand,
  offsetsCommand,
  lagCommand,
  resetOffsetsCommand,
  groupsCommand,
  perfCommand,
];

const ROOT: CommandSpec = {
  name: "denokafka",
  summary: `Kafka from the command line (@denokafka/kafka ${VERSION})`,
  description: `
Connection: -b/--hosts (or KAFKA_HOSTS), TLS (--tls-*) and SASL (--sasl-*)
flags on every command that talks to the cluster; see '<command> --help'.

Exit codes: 0 done; 1 runtime error (cluster, network, files, failed
deliveries); 2 usage error; 3 refused because of the cluster's state
(reset-offsets on a group with active members, without --force);
130 interrupted (Ctrl-C).`,
  subcommands: COMMANDS,
};

/** pykafka's kafka-tools names, as top-level commands. */
function aliasPaths(): Map<string, CommandSpec[]> {
  const out = new Map<string, CommandSpec[]>();
  for (const c of COMMANDS) {
    for (const a of c.aliases ?? []) out.set(a, [c]);
    for (const s of c.subcommands ?? []) {
      for (const a of s.aliases ?? []) out.set(a, [c, s]);
    }
  }
  return out;
}

function pick(
  list: readonly CommandSpec[],
  name: string,
  path: string[],
): CommandSpec {
  const c = list.find((x) => x.name === name || x.aliases?.includes(name));
  if (c) return c;
  throw new UsageError(
    `unknown command ${JSON.stringify(name)}; commands: ${
      list.map((x) => x.name).join(", ")
    }`,
    path,
  );
}

const enc = new TextEncoder();

/**
 * Connection flags given before the command (`denokafka -b host:9092
 * topics list`), split from the rest.
 */
function leadingConnectionFlags(
  argv: readonly string[],
): [string[], readonly string[]] {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (!a.startsWith("-") || ["--help", "-h", "--version", "-V"].includes(a)) {
      break;
    }
    const long = a.startsWith("--");
    const name = long ? a.slice(2).split("=")[0] : a.slice(1, 2);
    const flag = CONNECTION_FLAGS.find((f) =>
      long ? f.name === name || f.aliases?.includes(name) : f.short === name
    );
    if (!flag) {
      throw new UsageError(
        `${a}: only connection flags (-b, --tls-*, --sasl-*, ...) may come before the command`,
      );
    }
    globals.push(a);
    const attached = long ? a.includes("=") : a.length > 2;
    if (flag.type !== "boolean" && !attached && i + 1 < argv.length) {
      globals.push(argv[++i]);
    }
    i++;
  }
  return [globals, argv.slice(i)];
}

function out(text: string): void {
  const b = enc.encode(text);
  let off = 0;
  while (off < b.length) off += Deno.stdout.writeSync(b.subarray(off));
}

/**
 * Runs the CLI with `args` (without the program name) and resolves with
 * the exit code; errors are printed as one line on stderr.
 *
 * @param args the command line, e.g. `["topics", "list", "-b", "kafka:9092"]`
 * @returns the exit code (0 done, 1 runtime error, 2 usage error, 3 refused, 130 interrupted)
 *
 * @example
 * ```ts
 * import { main } from "@denokafka/kafka/cli";
 *
 * const hosts = Deno.env.get("KAFKA_HOSTS") ?? "127.0.0.1:9092";
 * const code = await main(["brokers", "-b", hosts]); // prints the brokers
 * if (code !== 0) throw new Error(`exit code ${code}`); // a script: Deno.exit(code)
 * ```
 */
export async function main(argv: readonly string[]): Promise<number> {
  const path: string[] = [];
  try {
    const [globals, args] = leadingConnectionFlags(argv);
    if (args.length === 0) {
      errLine(renderHelp(ROOT, ["denokafka"], CONNECTION_FLAGS));
      return EXIT.USAGE;
    }
    const first = args[0];
    if (first === "--help" || first === "-h" || first === "help") {
      out(renderHelp(ROOT, ["denokafka"], CONNECTION_FLAGS));
      return EXIT.OK;
    }
    if (first === "--version" || first === "-V") {
      out(`denokafka ${VERSION}\n`);
      return EXIT.OK;
    }
    let chain: CommandSpec[];
    let rest: readonly string[];
    const alias = aliasPaths().get(first);
    if (alias) {
      chain = alias;
      rest = args.slice(1);
    } else {
      chain = [pick(COMMANDS, first, [])];
      rest = args.slice(1);
    }
    let spec = chain[chain.length - 1];
    while (spec.subcommands) {
      path.splice(0, path.length, ...chain.map((c) => c.name));
      const next = rest[0];
      if (next === undefined || next === "--help" || next === "-h") {
        const text = renderHelp(spec, ["denokafka", ...path], CONNECTION_FLAGS);
        if (next === undefined) {
          errLine(text);
          return EXIT.USAGE;
        }
        out(text);
        return EXIT.OK;
      }
      spec = pick(spec.subcommands, next, path);
      chain.push(spec);
      rest = rest.slice(1);
    }
    path.splice(0, path.length, ...chain.map((c) => c.name));
    if (globals.length > 0 && !spec.connection) {
      throw new UsageError(
        `${globals[0]}: this command does not connect to a cluster`,
        path,
      );
    }
    const parsed = parseArgs(
      [...globals, ...rest],
      {
        flags: [
          ...(spec.flags ?? []),
          ...(spec.connection ? CONNECTION_FLAGS : []),
        ],
        positionals: spec.positionals,
      },
      path,
      (name) => Deno.env.get(name),
    );
    if (parsed.bool("help")) {
      out(renderHelp(spec, ["denokafka", ...path], CONNECTION_FLAGS));
      return EXIT.OK;
    }
    const code = await spec.run!(parsed);
    return code ?? EXIT.OK;
  } catch (e) {
    if (e instanceof Deno.errors.BrokenPipe) return EXIT.OK;
    const { red } = styles(stderrColor());
    const kind = e instanceof UsageError ? "usage error:" : "error:";
    errLine(`${red(`denokafka: ${kind}`)} ${errorLine(e)}`);
    return exitCodeOf(e);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
