// Drives a real pykafka 2.8 BalancedConsumer (tests/consumer/pykafka_member.py,
// run by the interpreter of the pykafka virtual environment) through JSON
// lines on its stdin and stdout.
import { PYKAFKA_PYTHON } from "../cluster/interop.ts";
import { cluster } from "../cluster/mod.ts";

const SCRIPT = new URL("./pykafka_member.py", import.meta.url).pathname;

/** One event of the Python member. */
export interface PyEvent {
  event: string;
  [k: string]: unknown;
}

/** A pykafka member of a group. */
export class PykafkaMember {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #events: PyEvent[] = [];
  #waiters: (() => void)[] = [];
  #stderr = "";
  #closed = false;
  readonly #done: Promise<void>;
  /** The member's consumer id (after `started`). */
  id = "";

  constructor(
    topic: string,
    group: string,
    options: { protocol?: "range" | "roundrobin"; backoffMs?: number } = {},
  ) {
    this.#child = new Deno.Command(PYKAFKA_PYTHON, {
      args: [
        SCRIPT,
        "--hosts",
        cluster.bootstrap("kafka39", "PLAINTEXT"),
        "--zookeeper",
        cluster.zookeeper,
        "--topic",
        topic,
        "--group",
        group,
        "--protocol",
        options.protocol ?? "range",
        "--rebalance-backoff-ms",
        String(options.backoffMs ?? 300),
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: { PYTHONUNBUFFERED: "1" },
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    const out = this.#read(this.#child.stdout, (line) => {
      const e = JSON.parse(line) as PyEvent;
      this.#events.push(e);
      this.#wake();
    });
    const err = this.#read(this.#child.stderr, (line) => {
      this.#stderr += line + "\n";
    });
    this.#done = Promise.all([out, err, this.#child.status]).then(() => {
      this.#closed = true;
      this.#wake();
    });
  }

  async #read(
    stream: ReadableStream<Uint8Array>,
    onLine: (line: string) => void,
  ): Promise<void> {
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of stream) {
      buf += dec.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line) onLine(line);
      }
    }
  }

  #wake(): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const f of w) f();
  }

  /** Waits for the next event named `name` (an `error` event throws). */
  async next(name: string, timeoutMs = 60_000): Promise<PyEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.#events.findIndex((e) =>
        e.event === name || e.event === "error"
      );
      if (i >= 0) {
        const [e] = this.#events.splice(i, 1);
        if (e.event === "error") {
          throw new Error(`pykafka member: ${e.error}\n${this.#stderr}`);
        }
        return e;
      }
      if (this.#closed) {
        throw new Error(
          `pykafka member exited before "${name}"; stderr:\n${this.#stderr}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `pykafka member: no "${name}" within ${timeoutMs} ms; stderr:\n${this.#stderr}`,
        );
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sends one command. */
  async send(cmd: Record<string, unknown>): Promise<void> {
    await this.#writer.write(
      new TextEncoder().encode(JSON.stringify(cmd) + "\n"),
    );
  }

  /** Waits until the member runs; its consumer id. */
  async started(): Promise<string> {
    const e = await this.next("started");
    this.id = String(e.id);
    return this.id;
  }

  /** The partitions the member holds and its held offsets. */
  async state(): Promise<{ partitions: number[]; held: Map<number, number> }> {
    await this.send({ cmd: "state" });
    const e = await this.next("state");
    return {
      partitions: e.partitions as number[],
      held: new Map(
        Object.entries(e.held as Record<string, number>).map((
          [k, v],
        ) => [Number(k), v]),
      ),
    };
  }

  /** Consumes up to `max` messages, until `idleMs` pass without one. */
  async consume(
    max: number,
    idleMs = 1000,
  ): Promise<[number, number, string | null][]> {
    await this.send({ cmd: "consume", max, idle_ms: idleMs });
    const e = await this.next("messages", 120_000);
    return e.messages as [number, number, string | null][];
  }

  /** Commits the consumed offsets. */
  async commit(): Promise<void> {
    await this.send({ cmd: "commit" });
    await this.next("committed");
  }

  /** Stops the member (it leaves the group) and waits for the process. */
  async stop(): Promise<void> {
    if (!this.#closed) {
      try {
        await this.send({ cmd: "stop" });
        await this.next("stopped", 30_000);
      } catch {
        // exited already
      }
    }
    await this.close();
  }

  /** Ends the process (without leaving politely if it still runs). */
  async close(): Promise<void> {
    try {
      await this.#writer.close();
    } catch {
      // closed
    }
    const timer = setTimeout(() => {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // gone
      }
    }, 15_000);
    await this.#done;
    clearTimeout(timer);
  }

  /** What the process wrote to stderr. */
  get stderr(): string {
    return this.#stderr;
  }
}
