/**
 * The composition root: knowledge, understanding, storage, handlers and the dialogue engine, put
 * together once from the configuration. Channels (web chat, WeChat, SMS) only call `engine.handle`.
 */
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { loadQuestionTypes } from './answers/question-types.js';
import { loadReferrals } from './answers/referrals.js';
import { buildQuery, regionFits } from './answers/policy-answer.js';
import { CatalogueAnswerer } from './programs/catalogue-answer.js';
import { loadCatalogue } from './programs/catalogue.js';
import { calculatorCompute } from './programs/calculated.js';
import { UnansweredLog } from './answers/unanswered-log.js';
import { todayOf, type Config } from './server/config.js';
import { loggerOptions } from './server/logger.js';
import { DialogueEngine, type HandlerName } from './dialogue/engine.js';
import { eligibilityForm } from './dialogue/forms/eligibility-form.js';
import { eligibilityHandler, namesProgramme } from './dialogue/handlers/eligibility.js';
import { menuHandlers } from './dialogue/handlers/menus.js';
import { outOfScopeHandler, policyQuestionHandler } from './dialogue/handlers/policy-question.js';
import { loadResponses } from './dialogue/responses.js';
import type { FormDefinition, Handler } from './dialogue/turn.js';
import { text } from './dialogue/turn.js';
import { createEvaluator } from './eligibility/evaluate.js';
import type { EligibilityEvaluate } from './eligibility/routes.js';
import type { ClauseIndex } from './knowledge/clause-index.js';
import { loadIndexedKnowledge } from './knowledge/index-snapshot.js';
import type { PolicyDocument } from './knowledge/types.js';
import { wageWords } from './nlu/lexicon.js';
import { cachedUnderstanding, warmUpUnderstanding, type Understanding } from './nlu/understand.js';
import { createStores, type Stores } from './storage/create-stores.js';
import { channelOutbounds } from './channels/index.js';
import { WebInbox } from './channels/web/web-inbox.js';
import { loadQuickReplyWords, quickRepliesFor } from './dialogue/quick-replies.js';
import type { ConversationState } from './dialogue/state.js';
import { ServiceInfo } from './server/service-info.js';
import { startRetentionJob } from './tickets/retention-job.js';
import { complaintHandlers, loggingOutbound, routeByChannel, startNotificationPoller, type Outbound, type Poller } from './complaints/index.js';
import type { Channel } from './core/types.js';
import { createStaffAccountStore } from './staff/create-account-store.js';
import type { StaffAccountStore } from './staff/account-store.js';
import { humanHandoffHandler } from './dialogue/handlers/human-handoff.js';
import { loadRoutingRules } from './dialogue/routing.js';

export interface Assistant {
  config: Config;
  log: Logger;
  documents: PolicyDocument[];
  index: ClauseIndex;
  stores: Stores;
  /** Bureau staff accounts and their sessions (same backend as the tickets). */
  staffAccounts: StaffAccountStore;
  engine: DialogueEngine;
  unanswered: UnansweredLog;
  /** Staff replies and status notices sent to workers (delivered, retrying, given up). */
  notifications: Pick<Poller, 'totals'>;
  evaluateEligibility: EligibilityEvaluate;
  /** What the web page offers to tap next in this conversation state (issue 19). */
  quickReplies(state: ConversationState | null): string[];
  health(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Which handler serves a message. A low classifier confidence alone does not make a message vague:
 * a real question goes to retrieval, which says plainly when the texts do not answer. Only a bare
 * topic word, a lone "?" or a message with no content asks for a choice.
 */
export function routeIntent(u: Understanding): HandlerName {
  if (!u.ambiguous) return withContent(u, u.handler);
  const bare = u.tokens.length <= 1 && u.normalized.replace(/[^\p{L}\p{N}]/gu, '').length <= 4;
  if (bare || u.handler === 'ambiguous') return 'ambiguous';
  // An unsure guess gets the same sanity checks as a sure one: "考个焊工证政府给报销不" is no complaint.
  return withContent(u, u.handler === 'eligibility' || u.handler === 'help' ? 'policy_question' : u.handler);
}

/** Words without which a message is not about owed wages, whatever the classifier says (knowledge/lexicon/wage.yaml). */
const WAGE_SIGNAL = wageWords('owed', 'runaway', 'pay', 'payer', 'complain');
/** Words without which a message is no goodbye or thanks ("23岁" looked like "88" to the classifier). */
const CLOSING_SIGNAL = /谢|辛苦|3q|thx|thank|好人|再见|拜|88|bye|没事|这样|没别的|走了|再问|再聊|再会|去办|去问|不聊|晚安|再说|先忙|没有别的|没啥|就问这些|不问了|挂了|回头/i;
/** Words without which a message is not asking about a filed complaint. */
const STATUS_SIGNAL = /投诉|举报|进度|编号|查询|处理|结果|工单|受理|怎么样了|咋样了/;
/** Words without which a message is not asking for a person ("同工同酬" only shares 工 with 人工). */
const HANDOFF_SIGNAL = /人|客服|领导|局长|机器|回电|电话|打过来|当面|窗口/;

/**
 * Sanity checks on the classifier: a greeting with a real question in it is a question; a
 * "complaint" or "status enquiry" without a single word of one ("后天会下雨不") goes to retrieval,
 * which answers from the texts or says plainly that they do not cover it.
 */
function withContent(u: Understanding, handler: HandlerName): HandlerName {
  if ((handler === 'help' || handler === 'greeting') && u.tokens.length >= 3) return 'policy_question';
  if (handler === 'wage_complaint' && !WAGE_SIGNAL.test(u.normalized)) return 'policy_question';
  if ((handler === 'goodbye' || handler === 'thanks') && !CLOSING_SIGNAL.test(u.normalized)) return 'ambiguous';
  if (handler === 'ticket_status' && u.entities.tickets.length === 0 && !STATUS_SIGNAL.test(u.normalized)) return 'policy_question';
  if (handler === 'human_handoff' && !HANDOFF_SIGNAL.test(u.normalized)) return 'policy_question';
  return handler;
}

/** How long after the last answer a short message still follows up on its topic. */
const TOPIC_OPEN_MS = 30 * 60_000;

export interface AssistantOverrides {
  stores?: Stores;
  log?: Logger;
  /** Push adapters of channels (WeChat, SMS …) for staff replies and status notices. */
  outbound?: Partial<Record<Channel, Outbound>>;
}

export async function createAssistant(config: Config, overrides: AssistantOverrides = {}): Promise<Assistant> {
  const log = overrides.log ?? pino(loggerOptions(config.LOG_LEVEL));
  // The index saved by `npm run index` when it matches the knowledge files; else built (and saved).
  const knowledge = await loadIndexedKnowledge(config.KNOWLEDGE_DIR);
  const { documents, index } = knowledge;
  if (knowledge.saveError) log.warn({ err: knowledge.saveError }, 'clause index built but not saved; the next start builds it again');
  else log.info({ source: knowledge.source, documents: documents.length, clauses: index.entries.length }, 'clause index ready');
  // Train the intent classifier and load the lexicons now, not on the first person's message.
  warmUpUnderstanding();
  const stores = overrides.stores ?? createStores({ dataDir: config.DATA_DIR, redisUrl: config.REDIS_URL, logger: log });
  const staffAccounts = createStaffAccountStore({ dataDir: config.DATA_DIR, redisUrl: config.REDIS_URL });
  const responses = loadResponses(config.INTENTS_DIR);
  const unanswered = new UnansweredLog(stores.sessions);
  const evaluator = createEvaluator(join(config.KNOWLEDGE_DIR, 'rules'), {
    ...(config.MIN_WAGE_MONTHLY ? { minWageMonthly: config.MIN_WAGE_MONTHLY } : {}),
  });

  const questionTypes = loadQuestionTypes(config.INTENTS_DIR);
  const routing = loadRoutingRules(config.INTENTS_DIR);
  const eligibilityFlow = eligibilityForm({ evaluator, configFile: join(config.INTENTS_DIR, 'forms/eligibility.yaml') });
  const personWords = new Set(Object.values(evaluator.vocabulary).flatMap((section) => Object.keys(section)));
  const catalogue = new CatalogueAnswerer(
    loadCatalogue(join(config.KNOWLEDGE_DIR, 'programs')),
    documents,
    index,
    questionTypes,
    buildQuery,
    regionFits,
    personWords,
    calculatorCompute(evaluator),
  );
  const policyDeps = {
    index,
    questionTypes,
    referrals: loadReferrals(config.INTENTS_DIR),
    unanswered,
    responses,
    catalogue,
    readFacts: eligibilityFlow.readFacts,
  };
  const policy = policyQuestionHandler(policyDeps);
  const outOfScope = outOfScopeHandler(policyDeps, policy);
  const menus = menuHandlers(responses);
  const service = new ServiceInfo(config);
  const complaints = complaintHandlers({
    tickets: stores.tickets,
    config: join(config.INTENTS_DIR, 'forms/wage-complaint.yaml'),
    privacyNotice: (channel) => service.privacyNotice(channel),
  });
  const quickReplyWords = loadQuickReplyWords(join(config.INTENTS_DIR, 'quick-replies.yaml'));
  const forms: Record<string, FormDefinition> = {
    [eligibilityFlow.form.name]: eligibilityFlow.form,
    [complaints.form.name]: complaints.form,
  };
  const handlers: Record<HandlerName, Handler> = {
    policy_question: policy,
    out_of_scope: outOfScope,
    ...menus,
    eligibility: eligibilityHandler(
      policyDeps,
      policy,
      outOfScope,
      eligibilityFlow.start,
      evaluator.programs.map((p) => p.title),
    ),
    wage_complaint: complaints.wage_complaint,
    ticket_status: complaints.ticket_status,
    human_handoff: humanHandoffHandler({ tickets: stores.tickets }),
    cancel: async () => [text('好的。还有什么可以帮您？')],
  };

  // Staff replies and status changes reach the worker on the channel they used. Channel adapters
  // that can push register here (see src/channels); the web chat shows them on the next turn.
  const webInbox = new WebInbox(stores.sessions);
  const outbound = routeByChannel(
    { web: webInbox, ...channelOutbounds(config, { sessions: stores.sessions, log }), ...(overrides.outbound ?? {}) },
    loggingOutbound(log),
  );
  const poller = startNotificationPoller(stores.tickets, outbound, { intervalMs: 2_000, log });
  const retention = startRetentionJob(stores.tickets, { days: config.TICKET_RETENTION_DAYS, log });

  const engine = new DialogueEngine({
    inbox: webInbox,
    sessions: stores.sessions,
    understand: cachedUnderstanding(),
    handlerFor: (u, state, now) => {
      const classified = routeIntent(u);
      // A topic answered in the last half hour is still open for follow-ups.
      const topicOpen = state.lastTopic !== null && now.getTime() - Date.parse(state.updatedAt) < TOPIC_OPEN_MS;
      return routing.route(u.normalized, classified, { topicOpen, namesTopic: () => namesProgramme(u.normalized) || catalogue.names(u.normalized) || policyDeps.referrals.find(u.normalized) !== null });
    },
    handlers,
    forms,
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    today: (now) => todayOf(config, now),
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    log,
  });

  return {
    config,
    log,
    documents,
    index,
    stores,
    staffAccounts,
    engine,
    unanswered,
    notifications: { totals: () => poller.totals() },
    evaluateEligibility: (input) => evaluator.evaluate(input),
    quickReplies: (state) => quickRepliesFor(state, quickReplyWords, (id) => Object.keys(catalogue.program(id)?.facets ?? {})),
    health: async () => {
      await stores.ready();
      return { storage: stores.backend, documents: documents.length, clauses: index.entries.length };
    },
    close: async () => {
      await poller.stop();
      await retention.stop();
      await staffAccounts.close();
      await stores.close();
    },
  };
}
