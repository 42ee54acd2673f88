/**
 * The citizen's reference pages (issue 19): each policy document in full with an anchor per clause
 * (`/docs/:id`), one clause with its document's particulars and neighbours for the chat page
 * (`GET /api/sources/:docId?clause=`), and the 关于本服务 and 个人信息保护说明 pages. Pages are
 * rendered on the server without any script (the CSP allows none inline); styles in /pages.css.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { displayTitle } from '../../knowledge/citation-text.js';
import type { Clause, PolicyDocument } from '../../knowledge/types.js';
import { ApiError } from '../../server/errors.js';
import { ABOUT_PATH, PRIVACY_PATH, type ServiceInfo } from '../../server/service-info.js';
import type { PolicySources } from './sources.js';

export interface InfoRoutesOptions {
  sources: PolicySources;
  service: ServiceInfo;
  /** The date validity is judged against (YYYY-MM-DD, China time). */
  today: () => string;
}

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - 就业创业政策咨询助手</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/pages.css">
</head>
<body>
<header><a href="/">← 返回咨询</a></header>
<main>
${body}
</main>
<footer><a href="${ABOUT_PATH}">关于本服务</a> · <a href="${PRIVACY_PATH}">个人信息保护说明</a></footer>
</body>
</html>
`;
}

/** "有效（至2025年12月31日）", "已于2023年12月31日到期", "未写明有效期". */
export function validityText(end: string | null, today: string): string {
  if (!end) return '文件未写明有效期';
  const [y, m, d] = end.split('-').map(Number);
  const date = `${y}年${m}月${d}日`;
  return end < today ? `已于${date}到期` : `有效（至${date}）`;
}

const dateText = (iso: string | null): string => {
  if (!iso) return '未注明';
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

function particulars(doc: PolicyDocument, today: string) {
  const m = doc.meta;
  return {
    id: m.id,
    title: displayTitle(m.title),
    fullTitle: m.title,
    docNo: m.docNo,
    issuers: m.issuers,
    date: m.date,
    region: m.region,
    validity: { end: m.validity.end, text: validityText(m.validity.end, today) },
  };
}

const ClauseJson = z.object({ label: z.string(), heading: z.string().nullable(), text: z.string(), anchor: z.string(), validity: z.string() });
const SourceJson = z.object({
  document: z.object({
    id: z.string(),
    title: z.string(),
    fullTitle: z.string(),
    docNo: z.string().nullable(),
    issuers: z.array(z.string()),
    date: z.string().nullable(),
    region: z.string(),
    validity: z.object({ end: z.string().nullable(), text: z.string() }),
    href: z.string(),
  }),
  clause: ClauseJson,
  /** The clause's sub-clauses, which are part of its wording. */
  children: z.array(ClauseJson),
  before: z.array(ClauseJson),
  after: z.array(ClauseJson),
});

const DocId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, '文件编号格式不对').max(120);

export const infoRoutes: FastifyPluginAsync<InfoRoutesOptions> = async (app, { sources, service, today }) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const clauseJson = (c: Clause, anchor: string) => ({
    label: c.label,
    heading: c.heading,
    text: c.text,
    anchor,
    validity: validityText(c.end, today()),
  });

  api.get(
    '/api/sources/:docId',
    {
      schema: {
        summary: '一条政策条款的原文，连同文件标题、文号、日期、有效期和前后条款',
        params: z.object({ docId: DocId }),
        querystring: z.object({ clause: z.string().trim().min(1, 'clause 不能为空').max(60) }),
        response: { 200: SourceJson },
      },
    },
    async (req) => {
      const found = sources.clauseInContext(req.params.docId, req.query.clause);
      if (!found) throw new ApiError('NOT_FOUND', `没有找到这条条款：${req.params.docId} ${req.query.clause}`);
      return {
        document: { ...particulars(found.doc, today()), href: `/docs/${found.doc.meta.id}` },
        clause: clauseJson(found.clause, found.anchor),
        children: found.children.map((x) => clauseJson(x.clause, x.anchor)),
        before: found.before.map((x) => clauseJson(x.clause, x.anchor)),
        after: found.after.map((x) => clauseJson(x.clause, x.anchor)),
      };
    },
  );

  api.get('/docs/:id', { schema: { hide: true, params: z.object({ id: DocId }) } }, async (req, reply) => {
    const doc = sources.document(req.params.id);
    if (!doc) throw new ApiError('NOT_FOUND', `没有这份文件：${req.params.id}`);
    const p = particulars(doc, today());
    const facts = [
      p.docNo ? `<dt>文号</dt><dd>${escapeHtml(p.docNo)}</dd>` : '',
      p.issuers.length ? `<dt>发文单位</dt><dd>${escapeHtml(p.issuers.join('、'))}</dd>` : '',
      `<dt>发文日期</dt><dd>${dateText(p.date)}</dd>`,
      `<dt>有效期</dt><dd>${escapeHtml(p.validity.text)}</dd>`,
    ].join('');
    const clauses = sources
      .clauses(doc)
      .map(({ clause, anchor }) => {
        const depth = Math.min(clause.path.length, 4);
        const own = clause.end !== doc.meta.validity.end && clause.end ? `<p class="validity">本条${escapeHtml(validityText(clause.end, today()))}</p>` : '';
        return `<section id="${escapeHtml(anchor)}" class="clause depth-${depth}"><a class="anchor" href="#${escapeHtml(anchor)}" aria-label="本条链接：${escapeHtml(clause.label)}">${escapeHtml(clause.label)}</a><div class="text">${escapeHtml(clause.text)}</div>${own}</section>`;
      })
      .join('\n');
    const body = `<h1>${escapeHtml(p.title)}</h1>${p.fullTitle !== p.title ? `<p class="full-title">${escapeHtml(p.fullTitle)}</p>` : ''}<dl class="facts">${facts}</dl>\n${clauses}`;
    return reply.type('text/html; charset=utf-8').send(page(p.title, body));
  });

  const infoPage = (content: { title: string; lines: string[] }) =>
    page(content.title, `<h1>${escapeHtml(content.title)}</h1>${content.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}`);
  app.get(PRIVACY_PATH, { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(infoPage(service.privacy())));
  app.get(ABOUT_PATH, { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(infoPage(service.about())));
};
