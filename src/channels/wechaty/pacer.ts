/** Sends one at a time with at least `intervalMs` between them (WeChat throttles fast senders). */
export class Pacer {
  private tail: Promise<void> = Promise.resolve();
  private last = 0;

  constructor(private readonly intervalMs: number) {}

  run(task: () => Promise<void>): Promise<void> {
    const next = this.tail.then(async () => {
      const wait = this.last + this.intervalMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        await task();
      } finally {
        this.last = Date.now();
      }
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves when everything queued so far has been sent. */
  idle(): Promise<void> {
    return this.tail;
  }
}
