/**
 * Cross-cutting HTTP concerns (security headers, rate limits, metrics) registered before the routes.
 */
import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../assistant.js';

export async function registerPlatform(_app: FastifyInstance, _assistant: Assistant): Promise<void> {
  // Platform plugins are registered here.
}
