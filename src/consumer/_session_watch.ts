// How long a group member has gone without reaching its coordinator. Past
// the session timeout the coordinator has dropped the member and the
// partitions it held are lost (another member may own them already): that
// is reported once per silence. Shared by the classic and the KIP-848
// memberships.

import { KafkaError } from "../errors/mod.ts";
import { errorText } from "../util/error_text.ts";
import type { TopicPartition } from "./assignors/assignor.ts";
import { describePartitions } from "./_membership.ts";

/** Watches a member's contact with its group coordinator. */
export class SessionWatch {
  #lastContact = 0;
  #reported = false;

  /**
   * @param groupId the group, for the error text
   * @param sessionTimeoutMs how long the coordinator waits for the member
   * @param sent what the member sends ("request", "heartbeat"), for the text
   */
  constructor(
    readonly groupId: string,
    readonly sessionTimeoutMs: number,
    readonly sent: string,
  ) {}

  /** An answer came from the coordinator. */
  contact(): void {
    this.#lastContact = Date.now();
    this.#reported = false;
  }

  /**
   * After a failed request: the error to report when nothing reached the
   * coordinator for the session timeout (once per silence; none before the
   * first contact), else `undefined`.
   */
  expired(
    failure: unknown,
    owned: () => TopicPartition[],
  ): KafkaError | undefined {
    const silentMs = Date.now() - this.#lastContact;
    if (
      this.#lastContact === 0 || this.#reported ||
      silentMs <= this.sessionTimeoutMs
    ) return undefined;
    this.#reported = true;
    const lost = owned();
    return new KafkaError(
      `group ${
        JSON.stringify(this.groupId)
      }: no ${this.sent} reached the coordinator for ${silentMs} ms (sessionTimeoutMs ${this.sessionTimeoutMs})${
        failure === undefined ? "" : `: ${errorText(failure)}`
      }; the coordinator has dropped this member${
        lost.length > 0
          ? `, so its partitions (${describePartitions(lost)}) are lost`
          : ""
      }; rejoining`,
      { cause: failure, retriable: true },
    );
  }
}
