/**
 * Where published documents live, as knowledge-base files (front matter + text, documents.ts):
 *  - embedded default: the files themselves, <KNOWLEDGE_DIR>/docs/<id>.md; a withdrawn document moves to
 *    <KNOWLEDGE_DIR>/withdrawn/<id>.md (out of `npm run index` and start-up, kept for the record);
 *  - Redis: the shipped files of KNOWLEDGE_DIR overlaid by what staff published (hash kb:docs) minus
 *    what they withdrew (hash kb:withdrawn), with a version counter (kb:version) every gateway polls.
 *    Nothing is written to the gateways' disks: every gateway reads the same Redis.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';

export interface KnowledgeFiles {
  /** id → file text of every document answers are given from. */
  live: Map<string, string>;
  /** id → file text of every withdrawn document. */
  withdrawn: Map<string, string>;
  /** Redis: whether staff changed anything (else the shipped files and their snapshot are the knowledge). */
  overlaid?: boolean;
}

export interface KnowledgeStore {
  readonly kind: 'files' | 'redis';
  load(): Promise<KnowledgeFiles>;
  /** Publishes (or rewrites) a document; returns the store's new version. */
  put(id: string, fileText: string): Promise<string>;
  /** Takes a document out of answers, keeping its text among the withdrawn. */
  withdraw(id: string, fileText: string): Promise<string>;
  /** Changes with every put/withdraw (on any gateway sharing the store). */
  version(): Promise<string>;
}

function readMarkdownDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) files.set(name.slice(0, -3), readFileSync(join(dir, name), 'utf8'));
  return files;
}

/** Written aside, then renamed: `npm run index` or a starting gateway never reads half a file. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export class FileKnowledgeStore implements KnowledgeStore {
  readonly kind = 'files';
  private counter = 0;

  constructor(private readonly knowledgeDir: string) {}

  private get docs(): string {
    return join(this.knowledgeDir, 'docs');
  }

  private get withdrawnDir(): string {
    return join(this.knowledgeDir, 'withdrawn');
  }

  async load(): Promise<KnowledgeFiles> {
    return { live: readMarkdownDir(this.docs), withdrawn: readMarkdownDir(this.withdrawnDir) };
  }

  async put(id: string, fileText: string): Promise<string> {
    writeAtomically(join(this.docs, `${id}.md`), fileText);
    rmSync(join(this.withdrawnDir, `${id}.md`), { force: true });
    return String(++this.counter);
  }

  async withdraw(id: string, fileText: string): Promise<string> {
    mkdirSync(this.withdrawnDir, { recursive: true });
    writeAtomically(join(this.withdrawnDir, `${id}.md`), fileText);
    rmSync(join(this.docs, `${id}.md`), { force: true });
    return String(++this.counter);
  }

  /** One process writes the files: its own counter is the version. */
  async version(): Promise<string> {
    return String(this.counter);
  }
}

export class RedisKnowledgeStore implements KnowledgeStore {
  readonly kind = 'redis';
  private readonly keys: { docs: string; withdrawn: string; version: string };

  constructor(
    private readonly redis: Redis,
    private readonly shippedDir: string,
    prefix: string,
  ) {
    this.keys = { docs: `${prefix}kb:docs`, withdrawn: `${prefix}kb:withdrawn`, version: `${prefix}kb:version` };
  }

  async load(): Promise<KnowledgeFiles> {
    const [published, withdrawn] = await Promise.all([this.redis.hgetall(this.keys.docs), this.redis.hgetall(this.keys.withdrawn)]);
    const live = readMarkdownDir(join(this.shippedDir, 'docs'));
    for (const [id, text] of Object.entries(published)) live.set(id, text);
    for (const id of Object.keys(withdrawn)) live.delete(id);
    const overlaid = Object.keys(published).length + Object.keys(withdrawn).length > 0;
    return { live, withdrawn: new Map(Object.entries(withdrawn)), overlaid };
  }

  async put(id: string, fileText: string): Promise<string> {
    const res = await this.redis.multi().hset(this.keys.docs, id, fileText).hdel(this.keys.withdrawn, id).incr(this.keys.version).exec();
    return String(res?.[2]?.[1] ?? '');
  }

  async withdraw(id: string, fileText: string): Promise<string> {
    const res = await this.redis.multi().hset(this.keys.withdrawn, id, fileText).hdel(this.keys.docs, id).incr(this.keys.version).exec();
    return String(res?.[2]?.[1] ?? '');
  }

  async version(): Promise<string> {
    return (await this.redis.get(this.keys.version)) ?? '0';
  }
}
