/** `npm run chat`: talk to the assistant in a terminal, with the same engine the web chat uses. */
import { createInterface } from 'node:readline/promises';
import { stdin as input, stdout as output } from 'node:process';
import { createAssistant } from '../assistant.js';
import { loadConfig } from '../server/config.js';

const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
const assistant = await createAssistant(config);
const rl = createInterface({ input, output });
const userId = `terminal-${process.pid}`;
console.log('就业创业政策咨询助手（输入“退出”结束）\n');
try {
  for (;;) {
    const text = (await rl.question('您：')).trim();
    if (!text) continue;
    if (['退出', 'exit', 'quit'].includes(text)) break;
    const { replies } = await assistant.engine.handle({ channel: 'web', userId, text, receivedAt: new Date() });
    for (const r of replies) console.log(`\n助手：${r.text}\n`);
  }
} finally {
  rl.close();
  await assistant.close();
}
