/**
 * The HTTP load: autocannon against POST /api/messages on 127.0.0.1, Teams-shaped message activities with
 * deliveryMode expectReplies, real questions from the golden set, and a pool of rotating user ids (so the
 * per-user rate limiter and per-user state behave as with many clinicians, not one very busy one).
 */
import autocannon from 'autocannon';
import type { EvalCase } from '../../bot/knowledge/eval.js';
import { mapWithLimit } from '../../bot/concurrency.js';
import { round } from './stats.js';

/** Golden-set expectations kept in the load mix: Q&A turns. Escalations and urgent questions open tickets, so they stay out. */
export function loadQuestions(cases: EvalCase[]): string[] {
  return cases.filter((c) => c.expect !== 'escalate' && !c.urgent).map((c) => c.q);
}

/** A Teams personal-chat message activity from bench user `user`, expecting its replies in the HTTP response. */
export function benchActivity(user: number, seq: number, fields: { text?: string; value?: unknown }): Record<string, unknown> {
  const id = `29:bench-user-${user}`;
  return {
    type: 'message',
    id: `bench-${user}-${seq}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/amer/',
    deliveryMode: 'expectReplies',
    from: { id, name: 'Bench Clinician' },
    recipient: { id: '28:elbow-bot', name: 'Elbow' },
    conversation: { id: `a:${id}`, conversationType: 'personal', tenantId: 'bench-tenant' },
    channelData: { tenant: { id: 'bench-tenant' } },
    locale: 'en-US',
    textFormat: 'plain',
    ...fields,
  };
}

/** Request bodies for the load: users take turns, each asking the next question of the mix. */
export function loadBodies(questions: string[], users: number, count: number): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    bodies.push(JSON.stringify(benchActivity(i % users, i, { text: questions[(i * 7) % questions.length] })));
  }
  return bodies;
}

/** Every pool user picks a role first (as real users do on first contact), which also warms up the server. */
export async function introduceUsers(url: string, users: number, concurrency = 10): Promise<number> {
  const roles = ['nurse', 'physician', 'other'];
  const statuses = await mapWithLimit(Array.from({ length: users }, (_, user) => user), concurrency, async (user) => {
    const body = JSON.stringify(benchActivity(user, -1, { value: { action: 'role', role: roles[user % roles.length] } }));
    const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    return res.status;
  });
  return statuses.filter((status) => status !== 200).length;
}

/** Throughput and latency of one load run. */
export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 2xx responses without any reply activity (a turn that said nothing). */
  emptyReplies: number;
}

/** Runs autocannon: `connections` keep-alive connections for `seconds`, cycling through `bodies`. */
export async function runLoad(url: string, bodies: string[], options: { connections: number; seconds: number }): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: `${url}/api/messages`,
    connections: options.connections,
    duration: options.seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        path: '/api/messages',
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
    verifyBody: (body: string) => body.includes('"activities":[{'),
  });
  return {
    requests: result.requests.total,
    reqPerSec: round(result.requests.total / result.duration, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    emptyReplies: result.mismatches,
  };
}
