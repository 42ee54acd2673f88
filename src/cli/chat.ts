/** `npm run chat`: talk to the assistant in a terminal, with the same engine the web chat uses. */
import { createInterface } from 'node:readline/promises';
import { stdin as input, stdout as output } from 'node:process';
import { createAssistant } from '../assistant.js';
import { loadConfig } from '../server/config.js';

const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' });
const assistant = await createAssistant(config);
const rl = createInterface({ input, output, terminal: input.isTTY });
const userId = `terminal-${process.pid}`;
console.log('就业创业政策咨询助手（输入“退出”结束）\n');
// Lines are read as a stream, not with question(): piped input (a file of questions) ends before
// the replies are ready, and question() on a closed interface throws.
const prompt = () => output.write('您：');
try {
  prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (!input.isTTY) output.write(`${text}\n`);
    if (['退出', 'exit', 'quit'].includes(text)) break;
    if (text) {
      const { replies } = await assistant.engine.handle({ channel: 'web', userId, text, receivedAt: new Date() });
      for (const r of replies) console.log(`\n助手：${r.text}\n`);
    }
    prompt();
  }
} finally {
  rl.close();
  await assistant.close();
}
