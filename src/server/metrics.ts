/**
 * Prometheus metrics (prom-client) at GET /metrics, one registry per app instance (tests build many).
 *
 *   epa_http_request_duration_seconds{method,route,status_code}  histogram, from fastify's onResponse
 *   epa_messages_total{channel,outcome}        outcome: answered | duplicate | rate_limited | error
 *   epa_intents_total{channel,intent}          the engine result's intent (handler or form:name)
 *   epa_message_duration_seconds{channel}      histogram of engine.handle
 *   epa_unanswered_total{channel,reason}       questions the knowledge base could not answer
 *                                              (unanswered rate = unanswered_total / messages_total)
 *   epa_notifications_total{channel,outcome}   staff replies/status notices to workers, by this process:
 *                                              sent | failed (will retry) | undeliverable (given up,
 *                                              the ticket tells staff to phone instead)
 *   epa_tickets{status}                        tickets per status (store stats at scrape time)
 *   epa_tickets_overdue                        open tickets past their running deadline
 *   epa_ticket_queue_oldest_age_seconds        age of the oldest ticket waiting for acceptance
 *   epa_*  (process/node defaults)             memory, event-loop lag, GC …
 *
 * Message and intent counts come from decorating the assistant in place: `engine.handle` and
 * `unanswered.record` are replaced by wrappers that time/count and then call the original. The
 * channels and handlers call these methods through the same objects, so every channel is counted.
 * Decorating twice (two apps over one assistant) re-points the wrappers at the newest registry.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Assistant } from '../assistant.js';
import { TICKET_STATUSES } from '../tickets/types.js';
import { ApiError } from './errors.js';

export interface AppMetrics {
  registry: Registry;
  messages: Counter<'channel' | 'outcome'>;
  intents: Counter<'channel' | 'intent'>;
  messageSeconds: Histogram<'channel'>;
  unanswered: Counter<'channel' | 'reason'>;
}

const SINK = Symbol.for('epa.metrics.sink');
type Decorated = { [SINK]?: { current: AppMetrics } };

/** A scrape never waits longer than this for the ticket figures. */
const COLLECT_TIMEOUT_MS = 1_000;
/** Tickets scanned for the queue-age gauge (the store's page limit). */
const QUEUE_SCAN = 500;

export function createMetrics(assistant: Assistant): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'epa_' });
  const metrics: AppMetrics = {
    registry,
    messages: new Counter({
      name: 'epa_messages_total',
      help: 'Inbound messages handled by the dialogue engine, by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    intents: new Counter({
      name: 'epa_intents_total',
      help: 'Answered messages by routed intent (handler name, or form:<name> inside a form)',
      labelNames: ['channel', 'intent'],
      registers: [registry],
    }),
    messageSeconds: new Histogram({
      name: 'epa_message_duration_seconds',
      help: 'Time the dialogue engine took per message',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    unanswered: new Counter({
      name: 'epa_unanswered_total',
      help: 'Questions the assistant could not answer from the policy texts',
      labelNames: ['channel', 'reason'],
      registers: [registry],
    }),
  };

  const tickets = assistant.stores.tickets;
  // One collect() (on the first of the three gauges, so the others are set before they are serialised).
  const overdue = new Gauge({ name: 'epa_tickets_overdue', help: 'Open tickets past their running deadline', registers: [] });
  const queueAge = new Gauge({
    name: 'epa_ticket_queue_oldest_age_seconds',
    help: `Age of the oldest ticket waiting for acceptance (status new; first ${QUEUE_SCAN} of the queue), 0 when none`,
    registers: [],
  });
  new Gauge({
    name: 'epa_tickets',
    help: 'Tickets per status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      let timer: NodeJS.Timeout | undefined;
      try {
        const [stats, page] = await Promise.race([
          Promise.all([tickets.stats(), tickets.list({ status: 'new', limit: QUEUE_SCAN })]),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('ticket figures timed out')), COLLECT_TIMEOUT_MS))),
        ]);
        for (const s of TICKET_STATUSES) this.set({ status: s }, stats.byStatus[s]);
        overdue.set(stats.overdue);
        const oldest = Math.min(...page.tickets.map((t) => Date.parse(t.createdAt)));
        queueAge.set(Number.isFinite(oldest) ? Math.max(0, (Date.now() - oldest) / 1000) : 0);
      } catch {
        // Storage away (Redis restarting) or slow: keep the last figures rather than failing the scrape.
      } finally {
        clearTimeout(timer);
      }
    },
  });
  const notifications = assistant.notifications;
  new Counter({
    name: 'epa_notifications_total',
    help: 'Notifications to workers (staff replies, status changes) by channel and outcome: sent, failed (retried), undeliverable (given up; staff told on the ticket)',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
    // The poller keeps the running totals; a scrape copies them.
    collect() {
      this.reset();
      for (const t of notifications.totals()) this.inc({ channel: t.channel, outcome: t.outcome }, t.count);
    },
  });
  registry.registerMetric(overdue);
  registry.registerMetric(queueAge);

  decorate(assistant, metrics);
  return metrics;
}

function decorate(assistant: Assistant, metrics: AppMetrics): void {
  const engine = assistant.engine as typeof assistant.engine & Decorated;
  if (engine[SINK]) {
    engine[SINK].current = metrics;
  } else {
    const sink = { current: metrics };
    engine[SINK] = sink;
    const original = engine.handle.bind(engine);
    engine.handle = async (msg) => {
      const m = sink.current;
      const end = m.messageSeconds.startTimer({ channel: msg.channel });
      try {
        const result = await original(msg);
        const outcome = result.duplicate ? 'duplicate' : result.intent === null ? 'rate_limited' : 'answered';
        m.messages.inc({ channel: msg.channel, outcome });
        if (result.intent !== null) m.intents.inc({ channel: msg.channel, intent: result.intent });
        return result;
      } catch (err) {
        m.messages.inc({ channel: msg.channel, outcome: 'error' });
        throw err;
      } finally {
        end();
      }
    };
  }

  const log = assistant.unanswered as typeof assistant.unanswered & Decorated;
  if (log[SINK]) {
    log[SINK].current = metrics;
  } else {
    const sink = { current: metrics };
    log[SINK] = sink;
    const original = log.record.bind(log);
    log.record = async (q) => {
      sink.current.unanswered.inc({ channel: q.channel, reason: q.reason });
      return original(q);
    };
  }
}

/**
 * HTTP latency per route, and GET /metrics. With METRICS_TOKEN set (env), the scrape needs
 * `Authorization: Bearer <METRICS_TOKEN>`; without it /metrics answers only internal clients (`internal`:
 * this machine or a private network, security.ts isInternalRequest) and 404 to anyone else — the
 * figures carry no personal data, but they describe the service.
 */
export function registerMetrics(
  app: FastifyInstance,
  metrics: AppMetrics,
  opts: { token?: string | undefined; internal?: (req: FastifyRequest) => boolean } = {},
): void {
  const http = new Histogram({
    name: 'epa_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, not the URL: ids and webhook tokens must not become label values.
    const route = req.routeOptions.url ?? 'unmatched';
    http.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  const expected = opts.token ? Buffer.from(`Bearer ${opts.token}`) : null;
  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false } }, async (req, reply) => {
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ApiError('UNAUTHORIZED');
    } else if (opts.internal && !opts.internal(req)) {
      throw new ApiError('NOT_FOUND', `没有这个地址：${req.method} /metrics`);
    }
    const body = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(body);
  });
}
