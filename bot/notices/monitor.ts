import type { Logger } from 'pino';

/** One periodic background check. */
export interface MonitorTask {
  name: string;
  run: () => Promise<unknown>;
}

/**
 * Runs the background checks (notice "fixed" messages, burst detection, alert delivery, owner digests)
 * one after another every `everyMs`, or at once on `kick()`. A failing task is logged and retried next round.
 * All state lives in the database, so several instances may run the same checks.
 */
export class Monitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;

  constructor(
    private readonly tasks: MonitorTask[],
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly everyMs = 2_000,
  ) {}

  start(): void {
    this.started = true;
    this.schedule(this.everyMs);
  }

  /** Runs a round now, or right after the one in flight. */
  kick(): void {
    if (!this.started) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** One round of every task, in order. */
  async runOnce(): Promise<void> {
    for (const task of this.tasks) {
      try {
        await task.run();
      } catch (err) {
        this.logger.warn({ task: task.name, err: (err as Error).message }, 'background check failed; will try again');
      }
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref();
  }

  private tick(): void {
    if (!this.started || this.running) return;
    this.running = this.runOnce().then(() => {
      this.running = undefined;
      if (!this.started) return;
      const soon = this.again;
      this.again = false;
      this.schedule(soon ? 0 : this.everyMs);
    });
  }
}
