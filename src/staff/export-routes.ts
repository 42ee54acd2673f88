/**
 * Exports for the bureau's own reporting (issue 18, item 3):
 *
 *   GET /api/tickets/export?format=csv|xlsx&<the queue's filters>   the queue as filtered on screen
 *   GET /api/stats/export?format=csv|xlsx                            the dashboard's figures
 *
 * Personal data (the worker's name, phone, and any in the description) goes into a bulk file only for
 * administrators; other staff get it masked (see personalDataInExports).
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { maskPersonalData } from '../core/privacy.js';
import { chinaDay } from '../tickets/china-day.js';
import type { Clock, TicketStore } from '../tickets/ticket-store.js';
import type { Ticket, TicketStatus } from '../tickets/types.js';
import { bearer, errors, StatsExportQuery, TicketExportQuery } from './api-schemas.js';
import { staffUser } from './auth-hook.js';
import { UNANSWERED_SHOWN, type UnansweredSource } from './stats-route.js';
import { toCsv, toXlsx, type Table } from './table-export.js';
import type { StaffUser, TicketDesk } from './ticket-desk.js';
import type { StaffRole } from './types.js';
import labels from './console/labels.json' with { type: 'json' };

/** Bulk files travel further than a screen: only administrators export personal data unmasked. */
export function personalDataInExports(role: StaffRole): boolean {
  return role === 'admin';
}

/** At most this many tickets in one file (a year of the city's tickets is far fewer). */
export const EXPORT_MAX_ROWS = 20_000;
const PAGE = 500;

// Labels as the console shows them: one file both read.
const STATUS: Record<TicketStatus, string> = labels.status;
const KIND: Record<string, string> = labels.kind;
const CHANNEL: Record<string, string> = labels.channel;
const DEADLINE: Record<string, string> = { ok: '正常', soon: '临近', overdue: '已超期' };

/** "2026-11-23 14:05", China time. */
function chinaTime(iso: string | null): string | null {
  if (!iso) return null;
  const t = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 16)}`;
}

const MIME = { csv: 'text/csv; charset=utf-8', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

async function send(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, tables: Table[]) {
  const body = format === 'csv' ? toCsv(tables) : await toXlsx(tables);
  const file = `${name}.${format}`;
  reply
    .header('content-type', MIME[format])
    .header('content-disposition', `attachment; filename="${file.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file)}`);
  return reply.send(body);
}

export const exportRoutes: FastifyPluginAsync<{ desk: TicketDesk; tickets: TicketStore; clock: Clock; unanswered?: UnansweredSource | undefined }> = async (
  app,
  { desk, tickets, clock, unanswered },
) => {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/tickets/export',
    {
      schema: {
        tags: ['导出'],
        summary: '按当前筛选导出工单队列（CSV 或 Excel）；个人信息仅管理员导出时完整',
        security: bearer,
        querystring: TicketExportQuery,
        response: errors(400, 401),
      },
    },
    async (req, reply) => {
      const { format, ...filters } = req.query;
      const me = staffUser(req);
      const rows: Ticket[] = [];
      for (let offset = 0; offset < EXPORT_MAX_ROWS; offset += PAGE) {
        const page = await desk.queue({ ...filters, limit: PAGE, offset }, me);
        rows.push(...page.tickets);
        if (page.tickets.length < PAGE || rows.length >= page.total) break;
      }
      const table = ticketTable(rows.slice(0, EXPORT_MAX_ROWS), desk, me);
      const span = filters.from || filters.to ? `-${filters.from ?? ''}至${filters.to ?? ''}` : '';
      return send(reply, format, `工单${span}-${chinaDay(clock())}`, [table]);
    },
  );

  api.get(
    '/api/stats/export',
    {
      schema: {
        tags: ['导出'],
        summary: '导出统计（CSV 或 Excel）：概况、各状态、每日、各县区、助手未能回答的问题',
        security: bearer,
        querystring: StatsExportQuery,
        response: errors(400, 401),
      },
    },
    async (req, reply) => {
      const now = clock();
      const [s, questions] = await Promise.all([tickets.stats(now), unanswered ? unanswered.list(UNANSWERED_SHOWN) : []]);
      const tables: Table[] = [
        {
          name: '概况',
          columns: ['指标', '数值'],
          rows: [
            ['统计时间', chinaTime(now.toISOString())],
            ['工单总数', s.total],
            ['已超期', s.overdue],
            ['受理用时中位数（小时）', s.medianMsToAcceptance === null ? null : Math.round((s.medianMsToAcceptance / 3600_000) * 10) / 10],
          ],
        },
        { name: '各状态', columns: ['状态', '工单数'], rows: Object.entries(s.byStatus).map(([k, n]) => [STATUS[k as TicketStatus] ?? k, n]) },
        { name: '每日', columns: ['日期', '工单数'], rows: s.perDay.map((d) => [d.day, d.count]) },
        { name: '各县区', columns: ['县区', '工单数'], rows: s.perCounty.map((c) => [c.county, c.count]) },
        { name: '未能回答的问题', columns: ['问题', '次数', '最近'], rows: questions.map((q) => [q.text, q.count, chinaTime(q.at)]) },
      ];
      return send(reply, req.query.format, `统计-${chinaDay(now)}`, tables);
    },
  );
};

function ticketTable(rows: Ticket[], desk: TicketDesk, me: StaffUser): Table {
  const personal = personalDataInExports(me.role);
  const hide = (v: string | null) => (v === null || personal ? v : maskPersonalData(v));
  return {
    name: '工单',
    columns: ['工单号', '类型', '状态', '渠道', '登记时间', '县区', '单位', '工地', '欠薪金额（元）', '涉及人数', '欠薪月数', '处理人', '期限', '剩余工作日', '期限状态', '诉求人', '电话', '诉求描述'],
    rows: rows.map((t) => {
      const d = desk.summary(t).deadline;
      return [
        t.id,
        KIND[t.kind] ?? t.kind,
        STATUS[t.status] ?? t.status,
        CHANNEL[t.channel] ?? t.channel,
        chinaTime(t.createdAt),
        t.county,
        t.employer,
        t.site,
        t.amountOwed,
        t.workers,
        t.monthsOwed,
        t.assignee,
        d ? chinaTime(d.dueAt) : null,
        d ? d.workingDaysLeft : null,
        d ? DEADLINE[d.state] ?? d.state : null,
        personal ? t.workerName : t.workerName ? `${t.workerName.slice(0, 1)}**` : null,
        personal ? t.phone : t.phone ? `${t.phone.slice(0, 3)}****${t.phone.slice(-4)}` : null,
        hide(t.description),
      ];
    }),
  };
}
