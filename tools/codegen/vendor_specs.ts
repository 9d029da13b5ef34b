/**
 * Copies the Kafka JSON message specs the generator reads from a specs
 * checkout (default `../shared/kafka-message-specs`, or `KAFKA_SPECS_DIR`)
 * into `tools/codegen/specs/`, so `deno task codegen` and `codegen:check`
 * work from a clean clone. The copies are Apache Kafka's files, unchanged
 * (Apache License 2.0, headers kept).
 *
 * ```sh
 * deno task codegen:vendor
 * ```
 *
 * @module
 */
import { APIS, DATA_SCHEMAS } from "./model.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const source = Deno.env.get("KAFKA_SPECS_DIR") ??
  `${ROOT}/../shared/kafka-message-specs`;
const target = `${ROOT}/tools/codegen/specs`;

const names = [
  ...APIS.flatMap((a) => [`${a}Request`, `${a}Response`]),
  ...DATA_SCHEMAS,
  "RequestHeader",
  "ResponseHeader",
];
let copied = 0;
for (const version of ["3.9", "4.1"]) {
  await Deno.mkdir(`${target}/${version}`, { recursive: true });
  for (const name of names) {
    const from = `${source}/${version}/${name}.json`;
    try {
      await Deno.copyFile(from, `${target}/${version}/${name}.json`);
      copied++;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
}
console.log(`copied ${copied} spec files from ${source} to ${target}`);
