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
import type { PolicyDocument } from './knowledge/types.js';
import { PublicationEvents } from './knowledge/publication-events.js';
import { openKnowledge, type KnowledgeView } from './knowledge/publishing/open-knowledge.js';
import type { LiveKnowledge } from './knowledge/publishing/live-knowledge.js';
import type { DocumentDesk } from './knowledge/publishing/document-desk.js';
import { withSupersededNotices } from './knowledge/publishing/superseded-notice.js';
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
import { AnswerLog } from './feedback/answer-log.js';
import { answeringLayer } from './feedback/answer-layer.js';
import { StaffFixes } from './feedback/staff-fixes.js';
import { answerFeedbackHandler } from './dialogue/handlers/answer-feedback.js';
import { channelRuntime } from './channels/index.js';
import { createSubscriptions, type Subscriptions } from './subscriptions/index.js';
import type { SubscriptionStore } from './subscriptions/types.js';

export interface Assistant {
  config: Config;
  log: Logger;
  /** The documents and index answers are given from now (they change when staff publish). */
  readonly documents: PolicyDocument[];
  readonly index: ClauseIndex;
  /** The one holder of the knowledge a turn answers from (documents, index, catalogue answerer). */
  knowledge: LiveKnowledge<KnowledgeView>;
  /** Publishing from the console: upload, publish, withdraw, supersede (issue 18). */
  documentDesk: DocumentDesk;
  /** Told after a publish / withdraw / supersede is live on this gateway. */
  publications: PublicationEvents;
  stores: Stores;
  /** Bureau staff accounts and their sessions (same backend as the tickets). */
  staffAccounts: StaffAccountStore;
  engine: DialogueEngine;
  unanswered: UnansweredLog;
  /** Answers with their ids and the people's verdicts on them, and the staff fixes (src/feedback). */
  feedback: { answers: AnswerLog; fixes: StaffFixes };
  /** Staff replies and status notices sent to workers (delivered, retrying, given up). */
  notifications: Pick<Poller, 'totals'>;
  evaluateEligibility: EligibilityEvaluate;
  /** 政策找人: people's subscriptions and the notices publications send them. */
  subscriptions: Subscriptions;
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
  /** The clock of policy notices (quiet hours, one per day); tests inject one. */
  clock?: () => Date;
  /** How often due policy notices are sent (default a minute; 0: only on publications). */
  noticeIntervalMs?: number;
  /** Where subscriptions and notices are kept (default: the configured backend). */
  subscriptionStore?: SubscriptionStore;
  /** Prefix of the knowledge keys in Redis (default "epa:"); tests isolate their gateways with it. */
  knowledgeKeyPrefix?: string;
  /** How often a gateway looks for documents another one published (Redis; default 2 s). */
  knowledgePollMs?: number;
}

export async function createAssistant(config: Config, overrides: AssistantOverrides = {}): Promise<Assistant> {
  const log = overrides.log ?? pino(loggerOptions(config.LOG_LEVEL));
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
  // Words that tell who is asking or where they work (大专, 脱贫户, 工地): the person's situation, not the subject asked.
  const { household_type: households = {}, category: categories = {}, student_level: levels = {} } = evaluator.vocabulary;
  const personWords = new Set([
    ...Object.values(evaluator.vocabulary).flatMap((section) => Object.keys(section)),
    // the rules' own words for a person (脱贫户, 本专科), besides the everyday ones that map to them
    ...[households, categories, levels].flatMap((section) => Object.values(section)),
    ...eligibilityFlow.config.work_places,
  ]);
  const publications = new PublicationEvents();
  // The index saved by `npm run index` when it matches the knowledge files (plus what staff published);
  // rebuilt and swapped in without a restart when they publish, here or on another gateway.
  const knowledge = await openKnowledge({
    config,
    log,
    sessions: stores.sessions,
    staffAccounts,
    publications,
    programs: loadCatalogue(join(config.KNOWLEDGE_DIR, 'programs')),
    catalogue: (programs, documents, index) =>
      new CatalogueAnswerer(programs, documents, index, questionTypes, buildQuery, regionFits, personWords, calculatorCompute(evaluator)),
    ...(overrides.knowledgeKeyPrefix !== undefined ? { keyPrefix: overrides.knowledgeKeyPrefix } : {}),
    ...(overrides.knowledgePollMs !== undefined ? { pollMs: overrides.knowledgePollMs } : {}),
  });
  const live = knowledge.live;
  // Read per turn through the holder: a handler never keeps an index of its own.
  const policyDeps = {
    get index() {
      return live.current().index;
    },
    questionTypes,
    referrals: loadReferrals(config.INTENTS_DIR),
    unanswered,
    responses,
    get catalogue() {
      return live.current().catalogue;
    },
    readFacts: eligibilityFlow.readFacts,
  };
  // Staff fixes answer first and every answer gets an id for 有用 / 没用 (src/feedback).
  const answers = new AnswerLog(stores.sessions);
  const fixes = new StaffFixes(stores.sessions, () => live.current(), log);
  await fixes.start();
  const answering = answeringLayer({ answers, fixes, log });
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
  const unpinned: Record<HandlerName, Handler> = {
    policy_question: answering('policy_question', policy),
    out_of_scope: answering('out_of_scope', outOfScope),
    ...menus,
    answer_feedback: answerFeedbackHandler({ answers, responses }, menus.ambiguous),
    eligibility: answering('eligibility', eligibilityHandler(
      policyDeps,
      policy,
      outOfScope,
      eligibilityFlow.start,
      evaluator.programs.map((p) => p.title),
      routing.cue('asks_to_calculate'),
    )),
    wage_complaint: complaints.wage_complaint,
    ticket_status: complaints.ticket_status,
    human_handoff: humanHandoffHandler({ tickets: stores.tickets }),
    cancel: async () => [text('好的。还有什么可以帮您？')],
    // Built below with the channels' push adapters (called only once a message arrives).
    subscribe: (ctx) => subscriptions.handlers.subscribe(ctx),
    unsubscribe: (ctx) => subscriptions.handlers.unsubscribe(ctx),
  };
  // A turn answers from the knowledge current when it starts, even if a publication swaps in a new
  // one meanwhile; an answer quoting a superseded document says which one replaces it.
  const handlers = Object.fromEntries(
    Object.entries(unpinned).map(([name, handler]) => [
      name,
      (ctx: Parameters<Handler>[0]) =>
        live.pinned(async () => withSupersededNotices(await handler(ctx), live.current().superseded, responses.superseded_notice)),
    ]),
  ) as Record<HandlerName, Handler>;

  // Staff replies and status changes reach the worker on the channel they used. Channel adapters
  // that can push register here (see src/channels); the web chat shows them on the next turn.
  const webInbox = new WebInbox(stores.sessions);
  const pushers = { web: webInbox, ...channelOutbounds(config, { sessions: stores.sessions, log }), ...(overrides.outbound ?? {}) };
  const outbound = routeByChannel(pushers, loggingOutbound(log));
  const subscriptions = createSubscriptions({
    config,
    sessions: stores.sessions,
    publications,
    outbound: pushers,
    wechatClient: channelRuntime({ config })?.wechatClient ?? null,
    programmeName: (id) => live.current().catalogue.program(id)?.name,
    log,
    ...(overrides.clock ? { clock: overrides.clock } : {}),
    ...(overrides.noticeIntervalMs !== undefined ? { intervalMs: overrides.noticeIntervalMs } : {}),
    ...(overrides.subscriptionStore ? { store: overrides.subscriptionStore } : {}),
  });
  forms[subscriptions.form.name] = subscriptions.form;
  const poller = startNotificationPoller(stores.tickets, outbound, { intervalMs: 2_000, log });
  const retention = startRetentionJob(stores.tickets, { days: config.TICKET_RETENTION_DAYS, log });

  const handlerFor = (u: Understanding, state: ConversationState, now: Date) => {
    const classified = routeIntent(u);
    // A topic answered in the last half hour is still open for follow-ups.
    const topicOpen = state.lastTopic !== null && now.getTime() - Date.parse(state.updatedAt) < TOPIC_OPEN_MS;
    const decided = routing.route(u.normalized, classified, { topicOpen, namesTopic: () => namesProgramme(u.normalized) || live.current().catalogue.names(u.normalized) || policyDeps.referrals.find(u.normalized) !== null });
    return { ...decided, offer: decided.offer ? responses.offers[decided.offer]! : null };
  };
  const ownUnpaidWages = routing.cue('own_unpaid_wages');
  for (const key of routing.offers()) if (!responses.offers[key]) throw new Error(`intents/routing.yaml offers "${key}", which intents/responses.yaml offers does not word`);
  const engine = new DialogueEngine({
    inbox: webInbox,
    sessions: stores.sessions,
    // A wording staff added as a programme's alias is read as the programme's name.
    understand: ((read) => (message: string, today: string) => read(fixes.rewrite(message), today))(cachedUnderstanding()),
    handlerFor,
    // A complaint of one's own unpaid wages interrupts any other form; that form is offered again after.
    interrupts: (u, state, now) => {
      if (!state.form || state.form.name === complaints.form.name || !ownUnpaidWages.test(u.normalized)) return null;
      const route = handlerFor(u, state, now);
      return route.handler === 'wage_complaint' ? { handler: 'wage_complaint', reason: route.rule ?? 'a complaint of unpaid wages' } : null;
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
    get documents() {
      return live.current().documents;
    },
    get index() {
      return live.current().index;
    },
    knowledge: live,
    documentDesk: knowledge.desk,
    publications,
    stores,
    staffAccounts,
    engine,
    unanswered,
    feedback: { answers, fixes },
    notifications: { totals: () => poller.totals() },
    evaluateEligibility: (input) => evaluator.evaluate(input),
    subscriptions,
    quickReplies: (state) => quickRepliesFor(state, quickReplyWords, (id) => Object.keys(live.current().catalogue.program(id)?.facets ?? {})),
    health: async () => {
      await stores.ready();
      const { documents, index } = live.current();
      return { storage: stores.backend, documents: documents.length, clauses: index.entries.length };
    },
    close: async () => {
      fixes.stop();
      await poller.stop();
      await subscriptions.close();
      await knowledge.close();
      await retention.stop();
      await staffAccounts.close();
      await stores.close();
    },
  };
}
