/**
 * Builds the knowledge view from the store and swaps it into the live holder: after a publish on this
 * gateway (the caller waits for it), and on every other gateway when the store's version changes
 * (Redis: polled every `pollMs`). Builds run one at a time; a build that fails leaves the view as it was.
 */
import type { Logger } from 'pino';
import { ClauseIndex } from '../clause-index.js';
import { parseDocumentFile } from '../documents.js';
import { addAliasTerms, loadIndexedKnowledge } from '../index-snapshot.js';
import type { PolicyDocument } from '../types.js';
import type { KnowledgeStore } from './knowledge-store.js';
import type { LiveKnowledge } from './live-knowledge.js';

export interface LoadedKnowledge {
  documents: PolicyDocument[];
  withdrawn: PolicyDocument[];
  index: ClauseIndex;
  /** The store's version this was built from. */
  version: string;
  source: 'snapshot' | 'built';
}

const byId = (a: PolicyDocument, b: PolicyDocument) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0);

/** Documents and index as the store holds them now. On files, through the snapshot of `npm run index`. */
export async function loadKnowledge(store: KnowledgeStore, knowledgeDir: string, log?: Pick<Logger, 'warn'>): Promise<LoadedKnowledge> {
  const version = await store.version();
  const files = await store.load();
  const withdrawn = [...files.withdrawn].map(([id, text]) => parseDocumentFile(text, `${id}.md`)).sort(byId);
  if (store.kind === 'files' || files.overlaid === false) {
    const k = await loadIndexedKnowledge(knowledgeDir);
    if (k.saveError) log?.warn({ err: k.saveError }, 'clause index built but not saved; the next start builds it again');
    return { documents: k.documents, withdrawn, index: k.index, version, source: k.source };
  }
  const documents = [...files.live].map(([id, text]) => parseDocumentFile(text, `${id}.md`)).sort(byId);
  addAliasTerms(documents);
  return { documents, withdrawn, index: new ClauseIndex(documents), version, source: 'built' };
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
  refresh(): Promise<{ view: View; version: string; buildMs: number }> {
    const run = this.chain.then(async () => {
      // Let the caller's I/O proceed before the (synchronous) index build takes the CPU.
      await new Promise((r) => setImmediate(r));
      const t0 = performance.now();
      const loaded = await loadKnowledge(this.opts.store, this.opts.knowledgeDir, this.opts.log);
      const view = this.opts.assemble(loaded);
      this.opts.live.swap(view);
      this.applied = loaded.version;
      this.lastBuildMs = performance.now() - t0;
      this.opts.log.info({ version: loaded.version, documents: loaded.documents.length, clauses: loaded.index.entries.length, ms: Math.round(this.lastBuildMs) }, 'knowledge swapped in');
      return { view, version: loaded.version, buildMs: this.lastBuildMs };
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
