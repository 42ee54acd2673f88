/**
 * Loads a Lua script that sits beside its caller and registers it with ioredis (EVALSHA, falling
 * back to EVAL after a restart flushed the script cache). The file name ends in its key count.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export type ScriptRunner = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

/** `prelude`: Lua files of shared local functions, put before the script (Redis scripts cannot import). */
export function defineScript(redis: Redis, fileUrl: URL, prelude: readonly URL[] = []): ScriptRunner {
  const m = /([a-z-]+)-(\d+)\.lua$/.exec(fileUrl.pathname);
  if (!m) throw new Error(`script file name must end in -<keycount>.lua: ${fileUrl.pathname}`);
  const name = m[1]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const numberOfKeys = Number(m[2]);
  const lua = [...prelude, fileUrl].map((u) => readFileSync(u, 'utf8')).join('\n');
  redis.defineCommand(name, { lua, numberOfKeys });
  const command = (redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!;
  return (keys, args) => {
    if (keys.length !== numberOfKeys) throw new Error(`${name} takes ${numberOfKeys} keys, got ${keys.length}`);
    return command.call(redis, ...keys, ...args);
  };
}
