// The producer's message: a records `Message` that also reads as a
// `RecordInput` (`key`), so a batch's messages go to encodeRecords as they
// are, without a copy per record.
import { Message } from "../records/mod.ts";

/** A message queued by a producer (internal). */
export class ProducedMessage extends Message {
  /** The key bytes (`partitionKey`), as `encodeRecords` reads them. */
  get key(): Uint8Array | null {
    return this.partitionKey;
  }
}
