/** Builds the fastify app around an assembled assistant; server.ts only listens. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Assistant } from '../assistant.js';
import { registerChannels } from '../channels/index.js';
import { chatRoute } from '../channels/web/chat-route.js';
import { feedbackRoute } from '../channels/web/feedback-route.js';
import { TicketLookup } from '../channels/web/ticket-lookup.js';
import { WebInbox } from '../channels/web/web-inbox.js';
import { infoRoutes } from '../channels/web/info-routes.js';
import { PolicySources } from '../channels/web/sources.js';
import { loadWageComplaintConfig } from '../complaints/form-config.js';
import { eligibilityRoutes } from '../eligibility/routes.js';
import { staffRoutes } from '../staff/routes.js';
import { publicationReachRoutes } from '../subscriptions/reach-route.js';
import { installErrorHandler } from './error-handler.js';
import { healthRoute } from './health-route.js';
import { fastifyTrustProxy, todayOf } from './config.js';
import { ServiceInfo } from './service-info.js';
import { loggerOptions } from './logger.js';
import { registerPlatform } from './platform.js';

export interface AppOptions {
  /** Log level; tests pass 'silent'. */
  logLevel?: string;
  /** Where log lines go (default stdout); tests read them. */
  logStream?: { write(line: string): void };
}

export async function buildApp(assistant: Assistant, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { ...loggerOptions(opts.logLevel ?? assistant.config.LOG_LEVEL), ...(opts.logStream ? { stream: opts.logStream } : {}) },
    bodyLimit: 64 * 1024,
    trustProxy: fastifyTrustProxy(assistant.config.TRUST_PROXY),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);
  await registerPlatform(app, assistant);

  await app.register(healthRoute, { check: () => assistant.health() });
  const sources = new PolicySources(assistant.documents);
  await app.register(infoRoutes, { sources, service: new ServiceInfo(assistant.config), today: () => todayOf(assistant.config) });
  await app.register(chatRoute, {
    engine: assistant.engine,
    sessions: assistant.stores.sessions,
    inbox: new WebInbox(assistant.stores.sessions),
    sessionTtlSeconds: assistant.config.SESSION_TTL_SECONDS,
    sources,
    quickReplies: (state) => assistant.quickReplies(state),
    lookup: new TicketLookup({
      tickets: assistant.stores.tickets,
      sessions: assistant.stores.sessions,
      config: loadWageComplaintConfig(join(assistant.config.INTENTS_DIR, 'forms/wage-complaint.yaml')),
    }),
  });
  await app.register(feedbackRoute, { answers: assistant.feedback.answers });
  await app.register(eligibilityRoutes, { evaluate: assistant.evaluateEligibility });
  await registerChannels(app, assistant);
  await app.register(staffRoutes, {
    tickets: assistant.stores.tickets,
    accounts: assistant.staffAccounts,
    unanswered: assistant.unanswered,
    feedback: assistant.feedback,
    documents: assistant.documentDesk,
  });
  await app.register(publicationReachRoutes, { subscriptions: assistant.subscriptions, accounts: assistant.staffAccounts });
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('../channels/web/public/', import.meta.url)),
    prefix: '/',
  });

  app.addHook('onClose', async () => assistant.close());
  return app;
}
