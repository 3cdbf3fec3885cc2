/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and inclusive time for
 * the functions we care about, as a short table. Usage: tsx scripts/bench/profile-summary.ts FILE [--top 25] [--json]
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One line of the summary: a function (name + file:line) and its self/total milliseconds. */
export interface ProfileLine {
  fn: string;
  where: string;
  selfMs: number;
  totalMs: number;
  selfPct: number;
}

function where(node: ProfileNode): string {
  const url = node.callFrame.url.replace(/^file:\/\//, '');
  if (!url) return '(native)';
  const rel = url.includes('/node_modules/') ? url.slice(url.lastIndexOf('/node_modules/') + 14) : path.relative(process.cwd(), url);
  return `${rel}:${node.callFrame.lineNumber + 1}`;
}

/** Self and inclusive time per function (summed over all call sites), busiest first. */
export function summarizeProfile(profile: CpuProfile, top = 25): { totalMs: number; idleMs: number; lines: ProfileLine[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}\u0000${where(n)}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    totalUs += us;
    if (node.callFrame.functionName === '(idle)') idleUs += us;
    self.set(key(node), (self.get(key(node)) ?? 0) + us);
    // Inclusive time: count each function once per sample stack (recursion must not double count).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs || 1;
  const lines = [...self.entries()]
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => {
      const [fn, at] = k.split('\u0000');
      return { fn, where: at, selfMs: Math.round(us / 100) / 10, totalMs: Math.round((total.get(k) ?? 0) / 100) / 10, selfPct: Math.round((us / busyUs) * 1000) / 10 };
    });
  return { totalMs: Math.round(totalUs / 1000), idleMs: Math.round(idleUs / 1000), lines };
}

/** Inclusive milliseconds of every function whose name or file matches `pattern` (e.g. /bot\//). */
export function inclusiveMatching(profile: CpuProfile, pattern: RegExp, top = 25): Array<{ fn: string; where: string; totalMs: number; pct: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const total = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    busy += us;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const k = `${n.callFrame.functionName || '(anonymous)'}\u0000${where(n)}`;
      if (seen.has(k) || !pattern.test(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + us);
    }
  });
  return [...total.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => {
      const [fn, at] = k.split('\u0000');
      return { fn, where: at, totalMs: Math.round(us / 100) / 10, pct: Math.round((us / (busy || 1)) * 1000) / 10 };
    });
}

/** Reads a .cpuprofile file. */
export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: tsx scripts/bench/profile-summary.ts FILE.cpuprofile [--top N] [--match REGEX] [--json]\n');
    process.exit(1);
  }
  const top = Number(args[args.indexOf('--top') + 1]) || 25;
  const matchAt = args.indexOf('--match');
  const profile = readProfile(file);
  const summary = summarizeProfile(profile, top);
  const inclusive = matchAt >= 0 ? inclusiveMatching(profile, new RegExp(args[matchAt + 1]), top) : [];
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ ...summary, inclusive })}\n`);
  } else {
    console.log(`profile ${summary.totalMs} ms, idle ${summary.idleMs} ms`);
    console.log('self ms  total ms  self %  function');
    for (const l of summary.lines) console.log(`${String(l.selfMs).padStart(7)}  ${String(l.totalMs).padStart(8)}  ${String(l.selfPct).padStart(6)}  ${l.fn}  ${l.where}`);
    if (inclusive.length > 0) {
      console.log('\ninclusive ms  %  function');
      for (const l of inclusive) console.log(`${String(l.totalMs).padStart(10)}  ${String(l.pct).padStart(5)}  ${l.fn}  ${l.where}`);
    }
  }
}
