/**
 * Builds the knowledge view from the store and swaps it into the live holder: after a publish on this
 * gateway (the caller waits for it), and on every other gateway when the store's version changes
 * (Redis: polled every `pollMs`). Builds run one at a time; a build that fails leaves the view as it was.
 */
import type { Logger } from 'pino';
import { ClauseIndex } from '../clause-index.js';
import { parseDocumentFile } from '../documents.js';
import type { PolicyDocument } from '../types.js';
import { buildIndex, buildIndexHere, type IndexJob } from './build-index.js';
import type { KnowledgeStore } from './knowledge-store.js';
import type { LiveKnowledge } from './live-knowledge.js';

export interface LoadedKnowledge {
  documents: PolicyDocument[];
  withdrawn: PolicyDocument[];
  index: ClauseIndex;
  /** The store's version this was built from. */
  version: string;
  source: 'snapshot' | 'built';
  /** Where the index was analysed. */
  thread: 'worker' | 'main';
}

const byId = (a: PolicyDocument, b: PolicyDocument) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0);

/**
 * Documents and index as the store holds them now. On files, and on Redis before staff changed
 * anything, through the snapshot of `npm run index`. `worker`: analyse off the main thread.
 */
export async function loadKnowledge(store: KnowledgeStore, knowledgeDir: string, log?: Pick<Logger, 'warn'>, options: { worker?: boolean } = {}): Promise<LoadedKnowledge> {
  const version = await store.version();
  const files = await store.load();
  const withdrawn = [...files.withdrawn].map(([id, text]) => parseDocumentFile(text, `${id}.md`)).sort(byId);
  const job: IndexJob =
    store.kind === 'files' || files.overlaid === false
      ? { kind: 'files', knowledgeDir }
      : { kind: 'documents', files: [...files.live].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
  const built = options.worker
    ? await buildIndex(job, (err) => log?.warn({ err: err.message }, 'index worker unavailable; building on the main thread'))
    : { ...(await buildIndexHere(job)), thread: 'main' as const };
  if (built.saveError) log?.warn({ err: built.saveError }, 'clause index built but not saved; the next start builds it again');
  const index = 'index' in built ? built.index : new ClauseIndex(built.documents, built.packed);
  return { documents: built.documents, withdrawn, index, version, source: built.source, thread: built.thread };
}

export interface ReloaderOptions<View extends object> {
  store: KnowledgeStore;
  knowledgeDir: string;
  live: LiveKnowledge<View>;
  /** The answering view (catalogue answerer …) over freshly loaded knowledge. */
  assemble: (k: LoadedKnowledge) => View;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How often other gateways' publications are looked for (Redis only). */
  pollMs?: number;
}

export class KnowledgeReloader<View extends object> {
  private applied: string;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastBuildMs = 0;

  constructor(
    private readonly opts: ReloaderOptions<View>,
    initialVersion: string,
  ) {
    this.applied = initialVersion;
  }

  /** Loads, builds and swaps in the current knowledge; resolves once it is live on this gateway. */
  refresh(): Promise<{ view: View; version: string; buildMs: number; thread: 'worker' | 'main' }> {
    const run = this.chain.then(async () => {
      const t0 = performance.now();
      const loaded = await loadKnowledge(this.opts.store, this.opts.knowledgeDir, this.opts.log, { worker: true });
      const view = this.opts.assemble(loaded);
      this.opts.live.swap(view);
      this.applied = loaded.version;
      this.lastBuildMs = performance.now() - t0;
      this.opts.log.info({ version: loaded.version, documents: loaded.documents.length, clauses: loaded.index.entries.length, ms: Math.round(this.lastBuildMs), thread: loaded.thread }, 'knowledge swapped in');
      return { view, version: loaded.version, buildMs: this.lastBuildMs, thread: loaded.thread };
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Polls the store's version (Redis): another gateway's publication is built and swapped in here. */
  start(): void {
    const pollMs = this.opts.pollMs ?? 2_000;
    if (this.opts.store.kind !== 'redis' || this.timer) return;
    const tick = async () => {
      try {
        const v = await this.opts.store.version();
        if (v !== this.applied) await this.refresh();
      } catch (err) {
        this.opts.log.warn({ err: (err as Error).message }, 'knowledge update check failed; retrying');
      } finally {
        if (this.timer) this.timer = setTimeout(tick, pollMs).unref();
      }
    };
    this.timer = setTimeout(tick, pollMs).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
  }

  get version(): string {
    return this.applied;
  }
}
