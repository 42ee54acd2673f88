/** Entry point of `npm start`: configuration, assembly, listen, graceful shutdown. */
import { createAssistant } from '../assistant.js';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const assistant = await createAssistant(config);
const app = await buildApp(assistant);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down: no new requests, finishing in-flight ones');
  try {
    await app.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.PORT, host: config.HOST });
