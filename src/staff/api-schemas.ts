/**
 * Request and response schemas of the staff API (zod; fastify-type-provider-zod validates requests,
 * serialises responses and turns these into the OpenAPI document at /api/docs). Response schemas use
 * plain types, never transforms: they are used to encode.
 */
import { z } from 'zod';
import { CHANNELS } from '../core/types.js';
import { TICKET_EVENT_TYPES, TICKET_KINDS, TICKET_STATUSES } from '../tickets/types.js';
import { DisplayNameSchema, PasswordSchema, STAFF_AUDIT_ACTIONS, STAFF_ROLES, StaffRoleSchema, UsernameSchema } from './types.js';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error', description: '错误：code 取自统一错误目录' });

/** The error statuses a staff route may answer, documented once. */
export const errors = (...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 429>) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<number, typeof ErrorBody>;

export const bearer = [{ bearerAuth: [] }];

// ---- session and accounts -----------------------------------------------------------------------

export const LoginBody = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64),
  password: z.string().min(1, '请输入密码').max(200),
});

export const StaffRole = z.enum(STAFF_ROLES);

export const AccountOut = z
  .object({
    username: z.string(),
    role: StaffRole,
    displayName: z.string().nullable(),
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'StaffAccount' });

export const LoginOut = z.object({
  token: z.string().describe('放在 Authorization: Bearer <token> 中'),
  expiresAt: z.string().describe('会话最迟结束时间；闲置超时更早'),
  idleTimeoutSeconds: z.number().int(),
  account: AccountOut,
});

export const DirectoryEntry = z.object({ username: z.string(), displayName: z.string().nullable(), role: StaffRole });

export const MeOut = z.object({
  account: AccountOut,
  session: z.object({ createdAt: z.string(), expiresAt: z.string(), idleExpiresAt: z.string() }),
});

export const PasswordChangeBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: PasswordSchema,
});

export const AccountCreateBody = z.object({
  username: UsernameSchema,
  role: StaffRoleSchema,
  password: PasswordSchema,
  displayName: DisplayNameSchema.nullable().optional(),
});

export const AccountPatchBody = z
  .object({
    role: StaffRoleSchema.optional(),
    displayName: DisplayNameSchema.nullable().optional(),
    disabled: z.boolean().optional(),
    password: PasswordSchema.optional().describe('重置密码；该账号的所有会话随即结束'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), '没有要修改的内容');

export const UsernameParams = z.object({ username: z.string().trim().toLowerCase().min(1).max(64) });

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  actor: z.string().trim().min(1).max(64).optional(),
  action: z.enum(STAFF_AUDIT_ACTIONS).optional(),
});

export const AuditOut = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      actor: z.string(),
      action: z.enum(STAFF_AUDIT_ACTIONS),
      target: z.string().nullable(),
      ip: z.string().nullable(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
});

// ---- tickets ------------------------------------------------------------------------------------

const TicketStatus = z.enum(TICKET_STATUSES);
const TicketKind = z.enum(TICKET_KINDS);

export const DeadlineOut = z
  .object({
    kind: z.enum(['accept', 'investigation']).describe('accept: 受理期限（5个工作日）；investigation: 查处期限（60个工作日）'),
    dueAt: z.string(),
    workingDaysLeft: z.number().int().describe('剩余工作日；当天为0，超期为负'),
    state: z.enum(['ok', 'soon', 'overdue']),
  })
  .nullable()
  .meta({ id: 'Deadline' });

const nullableText = z.string().nullable();
const nullableNumber = z.number().nullable();

export const TicketSummaryOut = z
  .object({
    id: z.string(),
    status: TicketStatus,
    kind: TicketKind,
    channel: z.enum(CHANNELS),
    userId: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    priority: z.number().int(),
    priorityReasons: z.array(z.string()),
    acceptDueAt: z.string(),
    investigationDueAt: nullableText,
    acceptedAt: nullableText,
    resolvedAt: nullableText,
    closedAt: nullableText,
    refusalReason: nullableText,
    assignee: nullableText,
    leaseExpiresAt: nullableText,
    rev: z.number().int(),
    workerName: nullableText,
    phone: nullableText,
    employer: nullableText,
    site: nullableText,
    county: nullableText,
    isConstruction: z.boolean().nullable(),
    generalContractor: nullableText,
    amountOwed: nullableNumber,
    perPersonAmount: nullableNumber,
    period: nullableText,
    monthsOwed: nullableNumber,
    workers: nullableNumber,
    evidence: z.array(z.string()),
    description: nullableText,
    deadline: DeadlineOut,
  })
  .meta({ id: 'TicketSummary', description: '工单（含诉求信息，不含对话记录）' });

export const TranscriptOut = z.array(z.object({ from: z.enum(['user', 'assistant']), text: z.string(), at: z.string() }));

export const TicketOut = TicketSummaryOut.extend({ transcript: TranscriptOut }).meta({ id: 'Ticket' });

export const EventOut = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    at: z.string(),
    actor: z.string(),
    type: z.enum(TICKET_EVENT_TYPES),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'TicketEvent' });

export const TicketDetailOut = z.object({ ticket: TicketOut, events: z.array(EventOut) });
export const TicketChangeOut = z.object({ ticket: TicketOut });

const StatusCounts = z.object(Object.fromEntries(TICKET_STATUSES.map((s) => [s, z.number().int()])) as Record<
  (typeof TICKET_STATUSES)[number],
  z.ZodNumber
>);

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), '不是有效日期');

/** The queue's filters, shared by the list and its export. */
export const TicketFilterQuery = z.object({
  status: TicketStatus.optional(),
  kind: TicketKind.optional(),
  county: z.string().trim().min(1).max(50).optional(),
  assignee: z.string().trim().min(1).max(64).optional().describe('"me" 我的，"none" 未分配，或用户名'),
  overdue: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
    .describe('只看已超期'),
  q: z.string().trim().min(1).max(100).optional().describe('工单号、电话或单位名称的一部分'),
  from: Day.optional().describe('登记日期起（含），YYYY-MM-DD，北京时间'),
  to: Day.optional().describe('登记日期止（含），YYYY-MM-DD，北京时间'),
});

const fromNotAfterTo = (q: { from?: string | undefined; to?: string | undefined }) => !q.from || !q.to || q.from <= q.to;
const FROM_AFTER_TO = { message: '起始日期不能晚于截止日期', path: ['from'] };

export const TicketListQuery = TicketFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).refine(fromNotAfterTo, FROM_AFTER_TO);

export const ExportFormat = z.enum(['csv', 'xlsx'], 'format 应为 csv 或 xlsx');
export const TicketExportQuery = TicketFilterQuery.extend({ format: ExportFormat }).refine(fromNotAfterTo, FROM_AFTER_TO);
export const StatsExportQuery = z.object({ format: ExportFormat });

export const TicketListOut = z.object({
  tickets: z.array(TicketSummaryOut),
  total: z.number().int(),
  countsByStatus: StatusCounts,
  limit: z.number().int(),
  offset: z.number().int(),
});

export const TicketParams = z.object({ id: z.string().trim().min(1).max(40) });

const Text = (what: string) => z.string().trim().min(1, `${what}不能为空`).max(2000, `${what}最长2000字`);
export const NoteBody = z.object({ text: Text('备注') });
export const ReplyBody = z.object({ text: Text('答复') });
export const AssignBody = z.object({ assignee: z.string().trim().toLowerCase().min(1).max(64).nullable() });

export const TransitionBody = z.object({
  to: TicketStatus.exclude(['new']).describe('accepted 受理 / refused 不予受理 / in_progress 调查处理 / resolved 处理完毕 / closed 办结 / reopened 重新开启'),
  reason: z.string().trim().min(1).max(500).optional().describe('不予受理时必填'),
  notice: z.string().trim().min(1).max(500).optional().describe('发给诉求人的话；省略时用标准通知'),
});

export const ReplyOut = z.object({
  event: EventOut,
  notification: z.object({
    id: z.string(),
    ticketId: z.string(),
    channel: z.enum(CHANNELS),
    userId: z.string(),
    text: z.string(),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  }),
});

// ---- dashboard ----------------------------------------------------------------------------------

export const StatsOut = z.object({
  generatedAt: z.string(),
  tickets: z.object({
    total: z.number().int(),
    byStatus: StatusCounts,
    perDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
    perCounty: z.array(z.object({ county: z.string(), count: z.number().int() })),
    medianMsToAcceptance: z.number().nullable(),
    overdue: z.number().int(),
  }),
  unanswered: z.array(z.object({ text: z.string(), at: z.string(), count: z.number().int() })).nullable(),
});
