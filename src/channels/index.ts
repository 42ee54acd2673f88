/**
 * Channel adapters beyond the web chat (WeChat Official Account, SMS uplinks, wechaty). Each turns its
 * provider's payload into an InboundMessage for the dialogue engine and the replies into what the
 * provider accepts; a channel whose configuration is absent is simply off.
 */
import type { FastifyInstance } from 'fastify';
import type { Assistant } from '../assistant.js';

export async function registerChannels(_app: FastifyInstance, _assistant: Assistant): Promise<void> {
  // Channel plugins are registered here.
}
