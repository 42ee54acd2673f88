/**
 * "转人工": the question goes to bureau staff as a consultation ticket with the conversation so far;
 * the person gets its number and is told the reply will come on this channel.
 */
import { createHash } from 'node:crypto';
import { ACCEPT_WORKING_DAYS, addWorkingDays } from '../../tickets/deadlines.js';
import type { TicketStore } from '../../tickets/ticket-store.js';
import { text, type Handler } from '../turn.js';

export function humanHandoffHandler(deps: { tickets: TicketStore }): Handler {
  return async (ctx) => {
    const recent = ctx.state.history.slice(-10);
    const question = recent.filter((t) => t.from === 'user').map((t) => t.text).join('\n') || ctx.msg.text;
    const day = ctx.today;
    // One hand-over per person per day and question: a repeated "转人工" does not open a second ticket.
    const key = createHash('sha256').update(`${ctx.msg.channel}|${ctx.msg.userId}|${day}|${question}`).digest('hex');
    const { ticket } = await deps.tickets.file(
      {
        kind: 'consultation',
        channel: ctx.msg.channel,
        userId: ctx.msg.userId,
        phone: ctx.msg.channel === 'sms' ? ctx.msg.userId : null,
        description: question.slice(0, 4000),
        acceptDueAt: addWorkingDays(ctx.now, ACCEPT_WORKING_DAYS).toISOString(),
        transcript: [...recent, { from: 'user', text: ctx.msg.text, at: ctx.now.toISOString() }],
      },
      `handoff:${key}`,
    );
    return [
      text(
        `已为您转给人社局工作人员，咨询编号：${ticket.id}。工作人员会在工作时间通过这里回复您（一般5个工作日内）。急事请直接拨打12333。`,
      ),
    ];
  };
}
