/**
 * Complaint conversations (eval/dev/dialogues.dev.jsonl): the scripted turns are sent to /api/chat,
 * then a harness answers what the intake still asks as a worker who knows no more would — a
 * read-back or confirmation with "对，确认", the worker's name with "不说", evidence with "没有",
 * anything else with "不知道" — up to 8 messages, and the ticket filed for the conversation is checked.
 * The harness's messages are counted: with everything required said, a good intake needs at most 2.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Reply } from '../core/types.js';
import type { Ticket } from '../tickets/types.js';

const DialogueCase = z.object({
  id: z.string(),
  channel: z.string(),
  turns: z.array(z.string()).min(1),
  expect_ticket: z.object({
    employer_contains: z.string().nullable(),
    amount: z.number().nullable(),
    workers: z.number().nullable(),
    phone: z.string().nullable(),
  }),
  lookup_ticket: z.string().optional(),
  notes: z.string().optional(),
});
export type DialogueCase = z.infer<typeof DialogueCase>;

export interface DialogueResult {
  id: string;
  passed: boolean;
  problems: string[];
  ticketId: string | null;
  /** Messages the harness had to add after the scripted turns. */
  extraMessages: number;
  transcript: Array<{ from: 'user' | 'assistant'; text: string }>;
}

export function loadDialogueCases(path: string): DialogueCase[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => DialogueCase.parse(JSON.parse(l)));
}

export const ASKS_CONFIRMATION = /确认|对吗|对不对|是否正确|有没有(错|问题)|核对/;
export const ASKS_NAME = /怎么称呼|姓名|名字|贵姓|您姓/;
export const ASKS_EVIDENCE = /欠条|合同|考勤|证据|工资条|聊天记录|转账记录/;
export const ASKS_SOMETHING = /[?？]|请(问|告诉|发|回复|提供|说)|麻烦/;

/**
 * What a worker who knows no more answers to the intake's last message (eval/dev/README.md), or null
 * when it asks nothing: the one rule of the eval, the complaint tests and the complaint benchmark.
 */
export function harnessAnswer(last: string): string | null {
  if (ASKS_CONFIRMATION.test(last)) return '对，确认';
  if (ASKS_NAME.test(last)) return '不说';
  if (ASKS_EVIDENCE.test(last)) return '没有';
  if (ASKS_SOMETHING.test(last)) return '不知道';
  return null;
}
const MAX_HARNESS_TURNS = 8;

export async function runDialogue(
  c: DialogueCase,
  chat: (userId: string, text: string) => Promise<Reply[]>,
  ticketsOf: (userId: string) => Promise<Ticket[]>,
): Promise<DialogueResult> {
  const userId = `eval-${c.id}`;
  const transcript: DialogueResult['transcript'] = [];
  const say = async (text: string): Promise<string> => {
    transcript.push({ from: 'user', text });
    const replies = await chat(userId, text);
    const joined = replies.map((r) => r.text).join('\n');
    transcript.push({ from: 'assistant', text: joined });
    return joined;
  };
  let last = '';
  for (const t of c.turns) last = await say(t);
  const e = c.expect_ticket;
  const expectsTicket = e.employer_contains !== null || e.amount !== null || e.phone !== null;
  let extraMessages = 0;
  // A status enquiry opens no intake: there is nothing for the harness to answer.
  for (; expectsTicket && extraMessages < MAX_HARNESS_TURNS; extraMessages++) {
    if ((await ticketsOf(userId)).length > 0) break;
    const answer = harnessAnswer(last);
    if (answer === null) break;
    last = await say(answer);
  }

  const tickets = await ticketsOf(userId);
  const problems: string[] = [];
  const ticket = tickets[0] ?? null;
  if (!expectsTicket) {
    if (tickets.length > 0) problems.push(`不应新建工单，却建了 ${tickets.map((t) => t.id).join(', ')}`);
  } else if (!ticket) {
    problems.push('没有生成工单');
  } else {
    if (tickets.length > 1) problems.push(`生成了 ${tickets.length} 张工单，应为 1 张`);
    const employerText = [ticket.employer, ticket.site, ticket.description].filter(Boolean).join(' ');
    if (e.employer_contains && !employerText.includes(e.employer_contains)) {
      problems.push(`单位/工地应包含“${e.employer_contains}”，实际：${employerText || '（空）'}`);
    }
    if (e.amount !== null && ticket.amountOwed !== e.amount) problems.push(`金额应为 ${e.amount}，实际：${ticket.amountOwed}`);
    const workersOk = e.workers === null ? ticket.workers === null || ticket.workers === 1 : ticket.workers === e.workers;
    if (!workersOk) problems.push(`人数应为 ${e.workers ?? 'null 或 1'}，实际：${ticket.workers}`);
    if (e.phone !== null && (ticket.phone ?? '').replace(/\D/g, '') !== e.phone) problems.push(`电话应为 ${e.phone}，实际：${ticket.phone}`);
  }
  return { id: c.id, passed: problems.length === 0, problems, ticketId: ticket?.id ?? null, extraMessages, transcript };
}
