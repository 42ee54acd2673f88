/** What the worker reads when staff change a ticket or reply: short enough for one SMS segment or two. */
import { chinaDay } from './china-day.js';
import type { Ticket, TicketStatus } from './types.js';

export function statusNotice(ticket: Ticket, to: TicketStatus): string {
  const id = ticket.id;
  switch (to) {
    case 'accepted':
      return ticket.investigationDueAt
        ? `您反映的问题（工单号 ${id}）已受理，预计 ${chinaDay(ticket.investigationDueAt)} 前调查处理完毕。`
        : `您反映的问题（工单号 ${id}）已受理，我们会尽快调查处理。`;
    case 'refused':
      return `您的工单 ${id} 未予受理，原因：${ticket.refusalReason ?? '不属于受理范围'}。如有疑问请拨打 12333。`;
    case 'in_progress':
      return `您的工单 ${id} 正在调查处理中。`;
    case 'resolved':
      return `您的工单 ${id} 已处理完毕。如对结果有异议，请回复说明。`;
    case 'closed':
      return `您的工单 ${id} 已办结，感谢您的反映。`;
    case 'reopened':
      return `您的工单 ${id} 已重新开启，我们将继续处理。`;
    case 'new':
      return `您的工单 ${id} 已登记。`;
  }
}

export function replyNotice(ticket: Ticket, text: string): string {
  return `关于工单 ${ticket.id}：${text}`;
}
