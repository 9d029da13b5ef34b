// The round-robin order in which a consumer takes queued messages from its
// cursors (pykafka's partition cycle).

import type { Cursor, RawMessage } from "./_cursor.ts";

/**
 * The cursors holding messages, in round-robin order: `take()` takes one
 * message from the head cursor and moves it to the back, so every cursor
 * with data gets its turn. Cursors that were emptied (flushed, revoked) or
 * paused while in the ring drop out when they reach the head; a resumed
 * cursor is added again.
 */
export class ReadyRing {
  #items: (Cursor | undefined)[] = new Array(16);
  #head = 0;
  #size = 0;
  /** The cursor the last `take()` took from. */
  last: Cursor | undefined;

  /** Cursors in the ring (some may have been emptied or paused since). */
  get size(): number {
    return this.#size;
  }

  /** Adds a cursor that just got messages (if not already in the ring). */
  add(p: Cursor): void {
    if (p.inRing) return;
    p.inRing = true;
    this.#push(p);
  }

  #push(p: Cursor): void {
    if (this.#size === this.#items.length) {
      const next = new Array<Cursor | undefined>(this.#size * 2);
      for (let i = 0; i < this.#size; i++) {
        next[i] = this.#items[(this.#head + i) % this.#items.length];
      }
      this.#items = next;
      this.#head = 0;
    }
    this.#items[(this.#head + this.#size) % this.#items.length] = p;
    this.#size++;
  }

  /**
   * Takes one message from the next cursor with messages that is not
   * paused, or returns `undefined` when none holds any.
   */
  take(): RawMessage | undefined {
    while (this.#size > 0) {
      const items = this.#items;
      const p = items[this.#head]!;
      items[this.#head] = undefined;
      this.#head = this.#head + 1 === items.length ? 0 : this.#head + 1;
      this.#size--;
      if (p.count === 0 || p.paused) {
        p.inRing = false;
        continue;
      }
      const m = p.take();
      this.last = p;
      if (p.count > 0) this.#push(p);
      else p.inRing = false;
      return m;
    }
    return undefined;
  }

  /** Empties the ring. */
  clear(): void {
    for (let i = 0; i < this.#size; i++) {
      const p = this.#items[(this.#head + i) % this.#items.length];
      if (p) p.inRing = false;
    }
    this.#items = new Array(16);
    this.#head = 0;
    this.#size = 0;
  }
}
