import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { testRedisUrl } from './helpers/redis.js';

describe('test infrastructure', () => {
  it('when the run starts, then a real Redis answers PING', async () => {
    const redis = new Redis(testRedisUrl());
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });
});
