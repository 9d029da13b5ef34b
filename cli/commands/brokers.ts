/**
 * `denokafka brokers`: the brokers of the cluster and the controller (the
 * broker half of kcat's `-L`).
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../_args.ts";
import { JSON_FLAG, print, printJson, withClient } from "../_common.ts";
import { stdoutColor, table } from "../_io.ts";

async function run(args: ParsedArgs): Promise<void> {
  await withClient(args, async (client) => {
    const controller = client.cluster.controllerId;
    const brokers = [...client.brokers.values()].sort((a, b) => a.id - b.id);
    const rows = brokers.map((b) => ({
      id: b.id,
      host: b.host,
      port: b.port,
      rack: b.rack,
      controller: b.id === controller,
    }));
    if (args.bool("json")) {
      await printJson({
        clusterId: client.cluster.clusterId,
        controller,
        brokers: rows,
      });
      return;
    }
    await print(
      `Cluster ${
        client.cluster.clusterId ?? "(no id)"
      }: ${brokers.length} broker${brokers.length === 1 ? "" : "s"}\n` +
        table(
          ["Broker", "Address", "Rack", "Controller"],
          rows.map((r) => [
            r.id,
            `${r.host}:${r.port}`,
            r.rack ?? "",
            r.controller ? "yes" : "",
          ]),
          stdoutColor(),
        ),
    );
  });
}

/** The `brokers` command. */
export const brokersCommand: CommandSpec = {
  name: "brokers",
  summary: "the brokers of the cluster and its controller",
  connection: true,
  flags: [JSON_FLAG],
  examples: ["denokafka brokers -b kafka1:9092"],
  run,
};
