/**
 * The benchmark's child processes: each measured server (echo, Elbow) and each search measurement runs in
 * its own Node process, so the load generator and the measured code never share an event loop or a heap.
 * Children talk to the parent over the IPC channel with small JSON messages.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (children run from there so `--import tsx` and relative paths resolve). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A message between parent and child; `type` says what it is. */
export type BenchMessage = { type: string } & Record<string, unknown>;

/** A running child: send it messages, wait for typed replies, stop it. */
export interface BenchChild {
  process: ChildProcess;
  /** Milliseconds from spawn to the first message of `type` (start-up as the operator sees it). */
  waitFor(type: string, timeoutMs?: number): Promise<BenchMessage & { elapsedMs: number }>;
  send(message: BenchMessage): void;
  /** Asks the child to stop and waits for it to exit (killed after a grace period). */
  stop(graceMs?: number): Promise<void>;
}

/** Options for `startChild`. */
export interface ChildOptions {
  env?: Record<string, string>;
  args?: string[];
  /** Extra Node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

/** Forks `scripts/bench/<script>` under tsx with gc exposed. */
export function startChild(script: string, options: ChildOptions = {}): BenchChild {
  const started = performance.now();
  const child = fork(path.join(REPO_ROOT, 'scripts', 'bench', script), options.args ?? [], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    execArgv: ['--import', 'tsx', '--expose-gc', '--no-deprecation', ...(options.nodeFlags ?? [])],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const inbox: BenchMessage[] = [];
  const waiters: Array<{ type: string; resolve: (m: BenchMessage) => void }> = [];
  child.on('message', (m: BenchMessage) => {
    const at = waiters.findIndex((w) => w.type === m.type);
    if (at >= 0) waiters.splice(at, 1)[0].resolve(m);
    else inbox.push(m);
  });
  // A child may exit (or close its IPC channel) at any moment, e.g. right after its last report. Writing to
  // the closed channel then fails asynchronously with EPIPE on the child's 'error' event, which would crash
  // the parent if unhandled. So: track the channel, never write after it closed, and treat send errors as
  // "the child is gone" (its exit is awaited elsewhere).
  let channelOpen = child.connected;
  child.on('disconnect', () => { channelOpen = false; });
  child.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_IPC_CHANNEL_CLOSED') channelOpen = false;
    else stderr += `\n[parent] child error: ${error.message}`;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => { channelOpen = false; resolve(code); });
  });
  /** Sends if the channel is open; resolves false when the child was already gone. */
  const trySend = (message: BenchMessage): Promise<boolean> => new Promise((resolve) => {
    if (!channelOpen || !child.connected) return resolve(false);
    child.send(message, (error) => {
      if (error) channelOpen = false;
      resolve(!error);
    });
  });

  return {
    process: child,
    waitFor(type, timeoutMs = 120_000) {
      const queued = inbox.findIndex((m) => m.type === type);
      if (queued >= 0) return Promise.resolve({ ...inbox.splice(queued, 1)[0], elapsedMs: performance.now() - started });
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script}: no "${type}" within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
        waiters.push({ type, resolve: (m) => { clearTimeout(timer); resolve({ ...m, elapsedMs: performance.now() - started }); } });
        exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${script} exited (${code}) before "${type}"\n${stderr}`));
        });
      });
    },
    send(message) {
      if (!channelOpen || !child.connected) throw new Error(`${script}: child has exited, cannot send "${message.type}"\n${stderr}`);
      void trySend(message);
    },
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      // If the channel is already closed the child is exiting on its own: just wait for it.
      await trySend({ type: 'stop' });
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Child side: sends a message to the parent (no-op when run by hand without IPC). */
export function tellParent(message: BenchMessage): void {
  process.send?.(message);
}

/** Child side: calls `handler` for each message of `type` from the parent. */
export function onParent(type: string, handler: (message: BenchMessage) => void | Promise<void>): void {
  process.on('message', (m: BenchMessage) => {
    if (m?.type === type) void handler(m);
  });
}

/** Child side: a full garbage collection when --expose-gc is on, so memory figures are live data. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Child side: answers the parent's measurement requests. {type:'cpu-mark'} starts a CPU-time window;
 * {type:'memory'} replies with memoryUsage() after a full GC, the CPU milliseconds (user + system) used
 * since the mark, and whatever `extra()` adds.
 */
export function serveMeasurements(extra: () => Record<string, unknown> = () => ({})): void {
  let mark = process.cpuUsage();
  onParent('cpu-mark', () => {
    mark = process.cpuUsage();
    tellParent({ type: 'cpu-marked' });
  });
  onParent('memory', () => {
    const cpu = process.cpuUsage(mark);
    collectGarbage();
    tellParent({ type: 'memory', memory: process.memoryUsage(), cpuMs: (cpu.user + cpu.system) / 1000, ...extra() });
  });
}
