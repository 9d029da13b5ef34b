// pykafka's name for a consumer's per-partition state: `OwnedPartition` is
// the fetch engine's `Cursor` (see `_cursor.ts`), kept under this name with
// the ready ring for the code and tests that know it.

export {
  type ByteBudget,
  Cursor as OwnedPartition,
  type RawMessage,
} from "./_cursor.ts";
export { ReadyRing } from "./_ready_ring.ts";
