/** `npm run staff -- <command>`: staff accounts on the server's storage (see src/staff/cli.ts). */
import { createInterface } from 'node:readline';
import { loadConfig } from '../server/config.js';
import { runStaffCli } from '../staff/cli.js';
import { createStaffAccountStore } from '../staff/create-account-store.js';

const config = loadConfig();
const store = createStaffAccountStore({ dataDir: config.DATA_DIR, redisUrl: config.REDIS_URL });

async function firstLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

let code = 1;
try {
  code = await runStaffCli(process.argv.slice(2), store, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    readStdin: firstLine,
  });
} catch (err) {
  console.error(`出错了：${(err as Error).message}`);
} finally {
  await store.close();
}
process.exitCode = code;
