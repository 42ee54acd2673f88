/**
 * "转人工": the question goes to bureau staff as a consultation ticket with the conversation so far;
 * the person gets its number and is told the reply will come on this channel. While a consultation
 * of theirs is still open, asking again adds to it instead of opening another.
 */
import { createHash } from 'node:crypto';
import { ACCEPT_WORKING_DAYS, addWorkingDays } from '../../tickets/deadlines.js';
import type { TicketStore } from '../../tickets/ticket-store.js';
import type { TicketStatus } from '../../tickets/types.js';
import { text, type Handler } from '../turn.js';

const OPEN: TicketStatus[] = ['new', 'accepted', 'in_progress', 'reopened'];

export function humanHandoffHandler(deps: { tickets: TicketStore }): Handler {
  return async (ctx) => {
    const { channel, userId } = ctx.msg;
    const recent = ctx.state.history;
    const question = recent.filter((t) => t.from === 'user').map((t) => t.text).join('\n') || ctx.msg.text;

    const open = (await deps.tickets.findForOwner(channel, userId, 20)).find(
      (t) => t.kind === 'consultation' && OPEN.includes(t.status),
    );
    if (open) {
      if (question.trim()) await deps.tickets.addNote(open.id, 'worker', `群众补充：${question}`.slice(0, 4000));
      return [text(`您的咨询已在工作人员处理中，编号：${open.id}。新的问题已一并转给工作人员，回复会通过这里发给您。急事请拨打12333。`)];
    }

    // The same hand-over delivered twice (a retry, a double tap) files one ticket.
    const key = createHash('sha256').update(`${channel}|${userId}|${ctx.today}|${question}`).digest('hex');
    const { ticket } = await deps.tickets.file(
      {
        kind: 'consultation',
        channel,
        userId,
        phone: channel === 'sms' ? userId : null,
        description: question.slice(0, 4000),
        acceptDueAt: addWorkingDays(ctx.now, ACCEPT_WORKING_DAYS).toISOString(),
        transcript: [...recent, { from: 'user', text: ctx.msg.text, at: ctx.now.toISOString() }],
      },
      `handoff:${key}`,
    );
    return [
      text(`已为您转给人社局工作人员，咨询编号：${ticket.id}。工作人员会在工作时间通过这里回复您（一般5个工作日内）。急事请直接拨打12333。`),
    ];
  };
}
