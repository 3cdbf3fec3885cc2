/**
 * Start-up as an operator sees it: spawns `npm start` (compiled JavaScript) with a given DATA_DIR, polls
 * GET /healthz (liveness: the port is open) until it answers 200, then GET /readyz (readiness: knowledge base and
 * database open, turns served) until it answers 200, reports both in milliseconds from spawn, then stops the
 * process with SIGTERM.
 * `measureNpmStart(dataDir)` twice on one directory gives the first start (fresh) and a restart (existing).
 * By hand: npx tsx scripts/bench/startup.ts [--runs 3]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './ipc.js';

/** A free TCP port on 127.0.0.1 (bound, read, released). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Milliseconds from spawn until /healthz, and until /readyz, first answered 200. */
export interface StartTimes {
  healthzMs: number;
  readyzMs: number;
  /**
   * CPU (user + system) the started processes (npm and node) had used when /healthz, resp. /readyz, answered:
   * steadier than wall time on a shared machine. Linux only (/proc); undefined elsewhere.
   */
  healthzCpuMs?: number;
  readyzCpuMs?: number;
  /** Resident memory (VmRSS, MB) of the server process (node scripts/start.mjs) when /readyz answered; Linux only. */
  readyzRssMb?: number;
  /** The same, `settleMs` of idling after /readyz (V8 collects the start-up garbage when the process goes idle). */
  settledRssMb?: number;
}

/** VmRSS in MB of the process of group `pgid` that runs scripts/start.mjs (the server, not npm), or undefined. */
function serverRssMb(pgid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (path.basename(argv[0]!) !== 'node' || !argv.some((a) => a.endsWith('scripts/start.mjs'))) continue; // not sh -c, not npm
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (kb) return Math.round(Number(kb[1]) / 1024);
    } catch {
      // the process ended while we read it
    }
  }
  return undefined;
}

/** CPU milliseconds used so far by every live process of process group `pgid` (Linux /proc), or undefined. */
function groupCpuMs(pgid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces): state ppid pgrp ... utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / ticksPerMs;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(500) });
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Resolves once no process of group `pgid` is left (or after `timeoutMs`). */
async function groupGone(pgid: number, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Spawns `npm start` on `dataDir` and returns ms until /healthz and /readyz answer 200 (rejects after `timeoutMs`). */
export async function measureNpmStart(dataDir: string, env: Record<string, string> = {}, timeoutMs = 120_000, settleMs = 0): Promise<StartTimes> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', HOT_RELOAD: 'false', MicrosoftAppId: '', DATABASE_URL: '', ...env, DATA_DIR: dataDir, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true, // its own process group: npm's child node is stopped with it
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => { exitCode = code; });
  const waitFor = async (route: string): Promise<[number, number | undefined]> => {
    while (performance.now() - started < timeoutMs) {
      if (exitCode !== undefined) throw new Error(`npm start exited (${exitCode}) before ${route} answered\n${stderr}`);
      if (await healthy(`http://127.0.0.1:${port}${route}`)) return [performance.now() - started, groupCpuMs(child.pid!)];
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`npm start: no 200 from ${route} within ${timeoutMs} ms\n${stderr}`);
  };
  try {
    const [healthzMs, healthzCpuMs] = await waitFor('/healthz');
    const [readyzMs, readyzCpuMs] = await waitFor('/readyz');
    const readyzRssMb = serverRssMb(child.pid!);
    if (settleMs <= 0) return { healthzMs, readyzMs, healthzCpuMs, readyzCpuMs, readyzRssMb };
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return { healthzMs, readyzMs, healthzCpuMs, readyzCpuMs, readyzRssMb, settledRssMb: serverRssMb(child.pid!) };
  } finally {
    if (exitCode === undefined && child.pid) {
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    // npm exits at once; its node child is still draining and closing the database. The next start would find
    // DATA_DIR locked by it, so wait until the whole process group is gone.
    if (child.pid) await groupGone(child.pid, 15_000);
  }
}

/** First start on a fresh DATA_DIR, then `runs` restarts on it; ms each. */
export async function measureStartups(runs = 3, env: Record<string, string> = {}): Promise<{ fresh: StartTimes; existing: StartTimes[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elbow-start-'));
  try {
    const fresh = await measureNpmStart(dir, env);
    const existing: StartTimes[] = [];
    for (let i = 0; i < runs; i++) existing.push(await measureNpmStart(dir, env));
    return { fresh, existing };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--runs');
  const result = await measureStartups(at > 0 ? Number(process.argv[at + 1]) : 3);
  const rounded = (t: StartTimes) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v as number)]));
  process.stdout.write(`${JSON.stringify({ fresh: rounded(result.fresh), existing: result.existing.map(rounded) })}\n`);
}
