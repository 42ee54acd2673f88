/**
 * `npx tsx bench/complaint-messages.ts [--json out.json]` (also `npm run bench:complaints`): what a
 * wage complaint costs the worker. Each case is played through the real DialogueEngine (real
 * understanding, routing and complaint form; SQLite stores in a temporary directory) as the dev
 * harness plays it (eval/dev/README.md): the scripted turns, then "对，确认" to a read-back, "不说" to
 * a name question, "没有" to an evidence question, "不知道" to anything else, up to 8 messages.
 *
 * Per case it counts the worker's messages (scripted + added) and the SMS segments of every reply
 * as the SMS channel would send them: replies joined as the channel joins them, paged at the
 * default 3 segments with "回复1看下一条", each page with the 【平顶山人社】 signature, every page
 * counted (the whole of what the intake says). Also the largest single reply, in segments.
 * Figures, never assertions.
 */
import { harnessAnswer } from '../src/eval/dialogues.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeIntent } from '../src/assistant.js';
import { repliesToText } from '../src/channels/reply-text.js';
import { lengthBudget, paginate, renderSms, segmentCount, smsLength, templateOverhead } from '../src/channels/sms/length.js';
import { complaintHandlers } from '../src/complaints/index.js';
import type { Channel } from '../src/core/types.js';
import { DialogueEngine, type HandlerName } from '../src/dialogue/engine.js';
import type { Handler } from '../src/dialogue/turn.js';
import { HANDLERS } from '../src/nlu/intents.js';
import { understand } from '../src/nlu/understand.js';
import { createStores } from '../src/storage/create-stores.js';

interface Case {
  id: string;
  channel: Channel;
  userId: string;
  turns: string[];
  /** The scripted turns carry everything required. */
  complete: boolean;
}

const TEMPLATE = { signName: '平顶山人社', template: '${content}' };
const BUDGET = lengthBudget(3) - templateOverhead(TEMPLATE);
const TODAY = '2026-11-20';

const dev = readFileSync(new URL('../eval/dev/dialogues.dev.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: string; channel: Channel; turns: string[]; expect_ticket: { amount: number | null } })
  .filter((c) => c.expect_ticket.amount !== null)
  .map((c): Case => ({ id: c.id, channel: c.channel, userId: `bench-${c.id}`, turns: c.turns, complete: true }));

/** The issue's cases (issue 15), as workers write them; SMS from the worker's own phone. */
const OWN: Case[] = [
  { id: 'one-sms', channel: 'sms', userId: '13700001111', complete: true, turns: ['叶县鑫达纸箱厂 老板姓刘 欠我们3个人工资 一个月3500 欠了4个月 电话13803750404'] },
  { id: 'one-sms-2', channel: 'sms', userId: '13700001112', complete: true, turns: ['俺在宝丰县城东工地干活 包工头姓王 欠俺两万三 干了五个月'] },
  { id: 'correction', channel: 'sms', userId: '13700001113', complete: true, turns: ['舞钢宏达机械厂欠我工资 大概两万出头 准数是20350'] },
  { id: 'two-people', channel: 'wechat', userId: 'o_bench_2p', complete: true, turns: ['鲁山县丰源牧业欠钱 我五千 我兄弟四千五 电话15237500909'] },
  { id: 'loose', channel: 'wechat', userId: 'o_bench_loose', complete: false, turns: ['老板不给钱', '就那个厂子', '不知道', '反正就是不给'] },
];

interface Result {
  id: string;
  channel: Channel;
  workerMessages: number;
  added: number;
  segments: number;
  maxReplySegments: number;
  ticket: boolean;
  /** What the ticket says: total, workers, employer, county. */
  filed: string | null;
}

function segmentsOf(text: string): number {
  return paginate(text, BUDGET).reduce((n, page) => n + segmentCount(smsLength(renderSms(TEMPLATE, page))), 0);
}

async function play(c: Case): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-complaints-'));
  const stores = createStores({ dataDir: dir, clock: () => new Date(`${TODAY}T02:00:00Z`) });
  try {
    const complaints = complaintHandlers({ tickets: stores.tickets });
    const elsewhere: Handler = async () => [{ text: '（政策问答）', citations: [] }];
    const handlers = Object.fromEntries(HANDLERS.map((h) => [h, elsewhere])) as Record<HandlerName, Handler>;
    handlers.wage_complaint = complaints.wage_complaint;
    handlers.ticket_status = complaints.ticket_status;
    const engine = new DialogueEngine({
      sessions: stores.sessions,
      understand: (t, today) => understand(t, { today }),
      handlerFor: routeIntent,
      handlers,
      forms: { [complaints.form.name]: complaints.form },
      sessionTtlSeconds: 3600,
      today: () => TODAY,
      rateLimitPerMinute: 1000,
    });
    let seq = 0;
    let segments = 0;
    let maxReply = 0;
    let workerMessages = 0;
    const say = async (text: string): Promise<string> => {
      workerMessages++;
      const r = await engine.handle({ channel: c.channel, userId: c.userId, text, messageId: `b${++seq}`, receivedAt: new Date(`${TODAY}T02:00:00Z`) });
      const out = repliesToText(r.replies);
      const n = segmentsOf(out);
      segments += n;
      maxReply = Math.max(maxReply, n);
      if (process.env.BENCH_VERBOSE) console.log(`> ${text}\n${out}\n  [${n} segments]`);
      return r.replies.map((x) => x.text).join('\n');
    };
    let last = '';
    for (const t of c.turns) last = await say(t);
    let added = 0;
    const filed = async () => (await stores.tickets.findForOwner(c.channel, c.userId)).length > 0;
    for (; added < 8 && !(await filed()); added++) {
      const answer = harnessAnswer(last);
      if (answer === null) break;
      last = await say(answer);
    }
    const [t] = await stores.tickets.findForOwner(c.channel, c.userId);
    const filedAs = t ? `${t.amountOwed}元 ${t.workers ?? '?'}人 ${t.county ?? '?'} ${t.employer ?? t.site ?? '?'}` : null;
    return { id: c.id, channel: c.channel, workerMessages, added, segments, maxReplySegments: maxReply, ticket: Boolean(t), filed: filedAs };
  } finally {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const c of [...dev, ...OWN]) results.push(await play(c));
// The same cases as SMS from the worker's own phone (the dev WeChat cases too): what the texts cost
// where every segment is paid.
let n = 0;
for (const c of [...dev, ...OWN].filter((x) => x.channel !== 'sms')) {
  results.push({ ...(await play({ ...c, id: `${c.id}/sms`, channel: 'sms', userId: `1390000${String(++n).padStart(4, '0')}` })) });
}
console.log('case          channel  worker msgs  (added)  SMS segments  largest reply  ticket');
for (const r of results) {
  console.log(
    `${r.id.padEnd(13)} ${r.channel.padEnd(8)} ${String(r.workerMessages).padStart(11)}  ${`(+${r.added})`.padStart(7)}  ${String(r.segments).padStart(12)}  ${String(r.maxReplySegments).padStart(13)}  ${r.filed ?? 'NONE'}`,
  );
}
const avg = (list: Result[], k: 'workerMessages' | 'segments') => (list.reduce((a, r) => a + r[k], 0) / list.length).toFixed(1);
const sms = results.filter((r) => r.channel === 'sms');
console.log(`mean, all cases: ${avg(results, 'workerMessages')} worker messages, ${avg(results, 'segments')} SMS segments per complaint`);
console.log(`mean, over SMS:  ${avg(sms, 'workerMessages')} worker messages, ${avg(sms, 'segments')} SMS segments per complaint`);
const out = process.argv.indexOf('--json');
if (out > 0 && process.argv[out + 1]) writeFileSync(process.argv[out + 1]!, `${JSON.stringify(results, null, 2)}\n`);
