/**
 * Publishing policy documents from the console (administrators; issue 18). Scriptable:
 *   POST /api/staff/documents                 upload (JSON {filename, text} or {filename, content: base64},
 *                                             or multipart with one file) → proposal + problems
 *   GET  /api/staff/documents                 every document with its status (drafts, published, withdrawn, superseded)
 *   GET  /api/staff/documents/:id             a draft as proposed
 *   POST /api/staff/documents/:id/check       the draft with corrected metadata: clauses and problems
 *   POST /api/staff/documents/:id/publish     publish with corrected metadata; answers once it is live here
 *   POST /api/staff/documents/:id/withdraw    take a live document out of answers
 *   POST /api/staff/documents/:id/supersede   mark a live document replaced by another
 *   GET  /api/staff/documents/review          catalogue facets citing withdrawn / superseded / re-published documents
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PERSONAS, REGIONS } from '../core/types.js';
import { documentMetaSchema } from '../knowledge/documents.js';
import type { DocumentDesk } from '../knowledge/publishing/document-desk.js';
import { MAX_TEXT_CHARS, MAX_UPLOAD_BYTES } from '../knowledge/publishing/extract-text.js';
import { ApiError } from '../server/errors.js';
import { bearer, errors } from './api-schemas.js';
import { adminOnly, caller } from './auth-hook.js';

const BASE64_MAX = Math.ceil(MAX_UPLOAD_BYTES / 3) * 4;
const DOC_ID = documentMetaSchema.shape.id;

const UploadBody = z
  .object({
    filename: z.string().trim().min(1, '请给出文件名（.txt / .docx / .pdf）').max(200),
    text: z.string().max(MAX_TEXT_CHARS, `文字过长：最多 ${MAX_TEXT_CHARS} 字`).optional().describe('.txt 的文字'),
    content: z
      .string()
      .max(BASE64_MAX, `文件过大：最多 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'content 应为 base64')
      .optional()
      .describe('文件本身，base64（.docx / .pdf / .txt）'),
  })
  .refine((b) => (b.text === undefined) !== (b.content === undefined), { message: 'text 与 content 二者给且只给一个', path: ['text'] });

const ClauseOut = z.object({ label: z.string(), heading: z.string().nullable(), text: z.string() });
const ProblemOut = z.object({ code: z.string(), severity: z.enum(['error', 'warning']), message: z.string() });
const Validity = z.object({ start: z.string().nullable(), end: z.string().nullable(), endText: z.string().nullable() });
const MetaOut = z.object({
  id: z.string(),
  title: z.string(),
  aliases: z.array(z.string()),
  docNo: z.string().nullable(),
  issuers: z.array(z.string()),
  date: z.string().nullable(),
  region: z.enum(REGIONS),
  personas: z.array(z.enum(PERSONAS)),
  validity: Validity,
  clauseValidity: z.array(z.object({ clause: z.string(), end: z.string(), endText: z.string() })),
  source: z.object({ file: z.string(), lines: z.tuple([z.number(), z.number()]) }).nullable(),
});
const DraftOut = z
  .object({
    id: z.string().describe('草稿编号，发布时用'),
    filename: z.string(),
    status: z.enum(['draft', 'published']),
    docId: z.string().nullable().describe('发布后的文件编号'),
    preview: MetaOut.extend({ clauses: z.array(ClauseOut).describe('条款，按回答中引用的样子') }),
    problems: z.array(ProblemOut).describe('error 须改正后才能发布；warning 请核对'),
  })
  .meta({ id: 'DocumentDraft' });

/** The metadata staff confirm (the system keeps `source`). */
const CorrectedBody = documentMetaSchema.omit({ source: true, supersededBy: true }).extend({
  aliases: z.array(z.string().min(1)).default([]),
  personas: z.array(z.enum(PERSONAS)).default([]),
  clauseValidity: documentMetaSchema.shape.clauseValidity.default([]),
});

const DocumentItem = z.object({
  id: z.string(),
  status: z.enum(['draft', 'published', 'withdrawn', 'superseded']),
  title: z.string(),
  docNo: z.string().nullable(),
  region: z.string(),
  date: z.string().nullable(),
  supersededBy: z.string().nullable(),
  origin: z.string().describe('shipped（随系统发布）或 upload:<文件名>'),
  uploadedBy: z.string().nullable(),
});
const ChangeOut = z.object({ docId: z.string(), version: z.string().describe('知识库版本：本网关已使用') });

/** A multipart upload becomes the JSON form before validation, so both are checked by the same schema. */
async function multipartAsJson(req: FastifyRequest): Promise<void> {
  if (!req.isMultipart()) return;
  const file = await req.file({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
  if (!file) throw new ApiError('BAD_REQUEST', '请上传一个文件', [{ path: 'file', message: '缺少文件' }]);
  let bytes: Buffer;
  try {
    bytes = await file.toBuffer();
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new ApiError('PAYLOAD_TOO_LARGE', `文件过大：最多 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
    throw err;
  }
  req.body = { filename: file.filename, content: bytes.toString('base64') };
}

export const documentRoutes: FastifyPluginAsync<{ desk: DocumentDesk }> = async (app, { desk }) => {
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5 } });
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['政策文件'];
  const admin = { preHandler: adminOnly };
  const who = (req: FastifyRequest) => caller(req).account.username;
  const IdParams = z.object({ id: z.string().min(1).max(120) });

  api.post(
    '/api/staff/documents',
    {
      ...admin,
      bodyLimit: BASE64_MAX + 64 * 1024,
      preValidation: multipartAsJson,
      schema: {
        tags,
        summary: '上传政策文件（.txt / .docx / 带文字层的 .pdf），返回系统识别的标题、文号、发文机关、日期、地区、有效期、条款和问题（管理员）',
        description: 'JSON：{"filename","text"}（.txt）或 {"filename","content": base64}；也可 multipart/form-data 上传一个文件。只生成草稿，不改变回答。',
        security: bearer,
        body: UploadBody,
        response: { 200: DraftOut, ...errors(400, 401, 403, 413) },
      },
    },
    async (req) => {
      const { filename, text, content } = req.body;
      return desk.upload(filename, text !== undefined ? { text } : { content: Buffer.from(content ?? '', 'base64') }, who(req));
    },
  );

  api.get(
    '/api/staff/documents',
    {
      ...admin,
      schema: { tags, summary: '政策文件及状态：草稿、已发布、已撤回、已被取代（随系统发布的文件为已发布）', security: bearer, response: { 200: z.object({ documents: z.array(DocumentItem) }), ...errors(401, 403) } },
    },
    async () => ({ documents: await desk.list() }),
  );

  api.get(
    '/api/staff/documents/review',
    {
      ...admin,
      schema: {
        tags,
        summary: '需复核的项目目录条目：引用了已撤回、已被取代或重新发布的文件',
        security: bearer,
        response: {
          200: z.object({
            facets: z.array(
              z.object({
                programmeId: z.string(),
                programmeName: z.string(),
                facet: z.string(),
                cite: z.string(),
                docId: z.string(),
                status: z.enum(['withdrawn', 'superseded', 'changed', 'missing']),
                supersededBy: z.string().nullable(),
              }),
            ),
          }),
          ...errors(401, 403),
        },
      },
    },
    async () => ({ facets: desk.review() }),
  );

  api.get(
    '/api/staff/documents/:id',
    { ...admin, schema: { tags, summary: '草稿：系统识别的元数据、条款与问题', security: bearer, params: IdParams, response: { 200: DraftOut, ...errors(401, 403, 404) } } },
    async (req) => desk.draft(req.params.id),
  );

  api.post(
    '/api/staff/documents/:id/check',
    {
      ...admin,
      schema: { tags, summary: '按修改后的元数据预览条款并检查问题（不发布）', security: bearer, params: IdParams, body: CorrectedBody, response: { 200: DraftOut, ...errors(400, 401, 403, 404) } },
    },
    async (req) => desk.draft(req.params.id, req.body),
  );

  api.post(
    '/api/staff/documents/:id/publish',
    {
      ...admin,
      schema: {
        tags,
        summary: '发布草稿：写入知识库并重建索引；本网关开始用新索引回答后才返回，其他网关几秒内跟上',
        security: bearer,
        params: IdParams,
        body: CorrectedBody,
        response: {
          200: z.object({
            docId: z.string(),
            status: z.literal('published'),
            version: z.string(),
            buildMs: z.number().describe('读取与重建索引用时（毫秒）'),
            builtIn: z.enum(['worker', 'main']).describe('索引在后台线程（worker）还是主线程重建'),
            clauses: z.number(),
            problems: z.array(ProblemOut),
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (req) => ({ ...(await desk.publish(req.params.id, req.body, who(req))), status: 'published' as const }),
  );

  api.post(
    '/api/staff/documents/:id/withdraw',
    {
      ...admin,
      schema: {
        tags,
        summary: '撤回现行文件：不再用于回答（文本保留备查）',
        security: bearer,
        params: z.object({ id: DOC_ID }),
        body: z.object({ reason: z.string().trim().max(200).optional() }).default({}),
        response: { 200: ChangeOut, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => desk.withdraw(req.params.id, who(req), req.body.reason ?? null),
  );

  api.post(
    '/api/staff/documents/:id/supersede',
    {
      ...admin,
      schema: {
        tags,
        summary: '标记现行文件已被另一份文件取代：引用它的回答会注明“该政策已被《…》取代”',
        security: bearer,
        params: z.object({ id: DOC_ID }),
        body: z.object({ supersededBy: DOC_ID.describe('取代它的现行文件编号') }),
        response: { 200: ChangeOut, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req) => desk.supersede(req.params.id, req.body.supersededBy, who(req)),
  );
};
