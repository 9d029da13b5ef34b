// What the produce engine does with a batch the broker refused (internal):
// the decision alone, from the error, the batch and the idempotence state;
// the engine carries it out (`ProduceEngine.batchError`).
import {
  InvalidProducerEpochError,
  InvalidProducerIdMappingError,
  InvalidTxnStateError,
  KafkaError,
  MessageSizeTooLarge,
  OutOfOrderSequenceNumber,
  ProducerFencedError,
  TransactionAbortableError,
  TransactionalIdAuthorizationFailedError,
  UnknownProducerId,
} from "../errors/mod.ts";
import type { Batch, PartitionState } from "./_batch.ts";
import type { Idempotence } from "./_idempotence.ts";

/**
 * - `fatal`: the transactional producer is fenced or broken for good;
 * - `resequence`: sent under a producer id being replaced: queued again
 *   without its sequence;
 * - `wait`: an earlier batch of the partition failed first: queued again
 *   behind it;
 * - `abort-only`: the transaction cannot commit (its abort takes a new
 *   epoch); the batch fails;
 * - `reset`: the broker lost track of this idempotent producer: a new
 *   producer id, then the batch again (a retry);
 * - `split`: too large for the broker: two halves queued;
 * - `fail`: not retriable;
 * - `retry`: retriable: again after a backoff (a retry).
 */
export type BatchErrorAction =
  | "fatal"
  | "resequence"
  | "wait"
  | "abort-only"
  | "reset"
  | "split"
  | "fail"
  | "retry";

/** What to do with batch `b` after `err`. */
export function batchErrorAction(
  b: Batch,
  err: Error,
  idem: Idempotence,
  transactional: boolean,
): BatchErrorAction {
  if (
    transactional && (
      err instanceof InvalidProducerEpochError ||
      err instanceof ProducerFencedError ||
      err instanceof TransactionalIdAuthorizationFailedError ||
      err instanceof InvalidTxnStateError
    )
  ) return "fatal";
  if (idem.enabled && b.baseSequence !== -1) {
    if (
      b.producerId !== idem.id || b.producerEpoch !== idem.epoch ||
      idem.resetting
    ) return "resequence";
    if (err instanceof OutOfOrderSequenceNumber && hasPredecessor(b.ps, b)) {
      return "wait";
    }
    if (
      err instanceof OutOfOrderSequenceNumber ||
      err instanceof UnknownProducerId ||
      err instanceof InvalidProducerEpochError ||
      err instanceof InvalidProducerIdMappingError ||
      err instanceof TransactionAbortableError
    ) return transactional ? "abort-only" : "reset";
  }
  if (err instanceof MessageSizeTooLarge && b.count > 1) return "split";
  return err instanceof KafkaError && err.retriable ? "retry" : "fail";
}

/** An earlier batch of the partition is sequenced and not finished. */
function hasPredecessor(ps: PartitionState, b: Batch): boolean {
  for (const x of ps.queue) {
    if (x.serial < b.serial && x.baseSequence !== -1) return true;
  }
  for (const x of ps.inFlight) if (x.serial < b.serial) return true;
  return false;
}
