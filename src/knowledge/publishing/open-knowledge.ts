/**
 * The knowledge of one gateway, put together at start-up: the store (files, or Redis shared by every
 * gateway), the first view, the holder turns read it through, the reloader that swaps in new views,
 * and the publishing desk of the console.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionStore } from '../../dialogue/session-store.js';
import type { CatalogueAnswerer } from '../../programs/catalogue-answer.js';
import type { Program } from '../../programs/catalogue.js';
import { catalogueWithout } from '../../programs/catalogue-review.js';
import type { Config } from '../../server/config.js';
import { newAuditEntry } from '../../staff/audit.js';
import type { StaffAccountStore } from '../../staff/account-store.js';
import { newRedis } from '../../storage/redis/connect.js';
import { DEFAULT_KEY_PREFIX } from '../../storage/redis/keys.js';
import { quietQuit } from '../../storage/redis/session-store.js';
import type { ClauseIndex } from '../clause-index.js';
import type { PublicationEvents } from '../publication-events.js';
import type { PolicyDocument } from '../types.js';
import { DocumentDesk } from './document-desk.js';
import { FileKnowledgeStore, RedisKnowledgeStore, type KnowledgeStore } from './knowledge-store.js';
import { LiveKnowledge } from './live-knowledge.js';
import { KnowledgeReloader, loadKnowledge, type LoadedKnowledge } from './reloader.js';
import { supersededLookup, type SupersededLookup } from './superseded-notice.js';

/** One immutable state of the knowledge: swapped whole, never changed in place. */
export interface KnowledgeView {
  documents: PolicyDocument[];
  withdrawn: PolicyDocument[];
  index: ClauseIndex;
  catalogue: CatalogueAnswerer;
  superseded: SupersededLookup;
  version: string;
}

export interface OpenKnowledgeOptions {
  config: Pick<Config, 'KNOWLEDGE_DIR' | 'REDIS_URL'>;
  log: Logger;
  sessions: SessionStore;
  staffAccounts: StaffAccountStore;
  publications: PublicationEvents;
  programs: Program[];
  catalogue: (programs: Program[], documents: PolicyDocument[], index: ClauseIndex) => CatalogueAnswerer;
  keyPrefix?: string;
  pollMs?: number;
}

export interface OpenedKnowledge {
  live: LiveKnowledge<KnowledgeView>;
  desk: DocumentDesk;
  reloader: KnowledgeReloader<KnowledgeView>;
  close(): Promise<void>;
}

export async function openKnowledge(o: OpenKnowledgeOptions): Promise<OpenedKnowledge> {
  let redis: Redis | null = null;
  let store: KnowledgeStore;
  if (o.config.REDIS_URL) {
    redis = newRedis(o.config.REDIS_URL, { maxRetriesPerRequest: 3, retryStrategy: (times) => Math.min(times * 50, 500) });
    redis.on('error', (err: Error) => o.log.warn({ err: err.message }, 'redis connection error (knowledge)'));
    store = new RedisKnowledgeStore(redis, o.config.KNOWLEDGE_DIR, o.keyPrefix ?? DEFAULT_KEY_PREFIX);
  } else {
    store = new FileKnowledgeStore(o.config.KNOWLEDGE_DIR);
  }
  const assemble = (k: LoadedKnowledge): KnowledgeView => ({
    documents: k.documents,
    withdrawn: k.withdrawn,
    index: k.index,
    catalogue: o.catalogue(catalogueWithout(o.programs, new Set(k.withdrawn.map((d) => d.meta.id))), k.documents, k.index),
    superseded: supersededLookup(k.documents),
    version: k.version,
  });
  const t0 = performance.now();
  let first: LoadedKnowledge;
  try {
    first = await loadKnowledge(store, o.config.KNOWLEDGE_DIR, o.log);
  } catch (err) {
    if (store.kind !== 'redis') throw err;
    // Redis away at start-up: answer from the shipped files; the reloader brings in what staff
    // published as soon as Redis answers (the version "unavailable" matches none).
    o.log.warn({ err: (err as Error).message }, 'published documents unavailable (Redis); starting with the shipped ones');
    first = { ...(await loadKnowledge(new FileKnowledgeStore(o.config.KNOWLEDGE_DIR), o.config.KNOWLEDGE_DIR, o.log)), withdrawn: [], version: 'unavailable' };
  }
  o.log.info(
    { source: first.source, store: store.kind, documents: first.documents.length, withdrawn: first.withdrawn.length, clauses: first.index.entries.length, ms: Math.round(performance.now() - t0) },
    'clause index ready',
  );
  const live = new LiveKnowledge(assemble(first));
  const reloader = new KnowledgeReloader({ store, knowledgeDir: o.config.KNOWLEDGE_DIR, live, assemble, log: o.log, ...(o.pollMs ? { pollMs: o.pollMs } : {}) }, first.version);
  reloader.start();
  const desk = new DocumentDesk({
    drafts: o.sessions,
    store,
    reloader,
    current: () => live.current(),
    programs: o.programs,
    publications: o.publications,
    audit: (actor, action, target, data) => o.staffAccounts.appendAudit(newAuditEntry(new Date(), actor, action, { target, data })),
    log: o.log,
  });
  return {
    live,
    desk,
    reloader,
    close: async () => {
      await reloader.stop();
      if (redis) await quietQuit(redis);
    },
  };
}
