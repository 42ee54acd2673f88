/**
 * Publishing through the staff API on the embedded default (files in KNOWLEDGE_DIR): upload → proposal
 * → publish → a citizen's question is answered from the new document without a restart; supersede →
 * answers name the replacement; withdraw → gone from answers; the catalogue review lists facets citing
 * a withdrawn document; a restart keeps what was published. Bad input changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../src/knowledge/publication-events.js';
import { ADMIN, CLERK, docx, FIXTURE, knowledgeCopy, removeDir, startGateway, type Gateway } from './helpers.js';

const QUESTION = '夜市摊主社保补贴每月最多补多少';

describe('publishing from the console API (embedded store)', () => {
  let g: Gateway;
  let knowledgeDir: string;
  let dataDir: string;
  const heard: Publication[] = [];

  beforeAll(async () => {
    knowledgeDir = knowledgeCopy();
    dataDir = mkdtempSync(join(tmpdir(), 'epa-publish-'));
    g = await startGateway({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir });
    g.assistant.publications.on((p) => void heard.push(p));
  }, 60_000);
  afterAll(async () => {
    await g?.close();
    removeDir(knowledgeDir);
    removeDir(dataDir);
  });

  const upload = async (payload: Record<string, unknown>, who = ADMIN) =>
    g.app.inject({ method: 'POST', url: '/api/staff/documents', headers: await g.as(who), payload });
  const list = async () => (await g.app.inject({ method: 'GET', url: '/api/staff/documents', headers: await g.as(ADMIN) })).json().documents as Array<{ id: string; status: string; supersededBy: string | null }>;

  it('when a staff member (not admin) uploads, then 403 and the attempt is audited', async () => {
    const res = await upload({ filename: 'a.txt', text: FIXTURE }, CLERK);
    expect(res.statusCode).toBe(403);
    const audit = await g.assistant.staffAccounts.listAudit({ action: 'access_denied' });
    expect(audit.some((a) => a.actor === CLERK.username && a.data.route === '/api/staff/documents')).toBe(true);
  });

  it('when the input is bad (wrong type, empty, both or neither of text/content, too big), then a clear 400/413 and nothing is stored', async () => {
    const before = await list();
    const cases: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ filename: 'notice.doc', content: Buffer.from('x').toString('base64') }, 400, /只接受 \.txt、\.docx、\.pdf/],
      [{ filename: 'empty.txt', text: ' \n \n' }, 400, /没有文字/],
      [{ filename: 'a.txt' }, 400, /text 与 content/],
      [{ filename: 'a.txt', text: 'x', content: 'eA==' }, 400, /text 与 content/],
      [{ filename: 'a.pdf', content: Buffer.from('not a pdf at all').toString('base64') }, 400, /无法读取 PDF/],
      [{ filename: 'big.txt', text: '一'.repeat(400_001) }, 400, /文字过长/],
      [{ filename: 'latin1.txt', content: Buffer.from([0xc6, 0xbd, 0xff, 0xfe, 0x41]).toString('base64') }, 400, /UTF-8/],
    ];
    for (const [payload, status, message] of cases) {
      const res = await upload(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 60)).toBe(status);
      // The message, or the issue naming the field, says what is wrong.
      expect(JSON.stringify(res.json().error)).toMatch(message);
    }
    const huge = await g.app.inject({ method: 'POST', url: '/api/staff/documents', headers: await g.as(ADMIN), payload: { filename: 'huge.pdf', content: 'A'.repeat(12 * 1024 * 1024) } });
    expect(huge.statusCode).toBe(413);
    expect(await list()).toEqual(before);
  });

  it('when a policy text is uploaded, then the proposal reads its title, 文号, issuers, date, region, validity and clauses', async () => {
    const res = await upload({ filename: '夜市摊主社保补贴.txt', text: FIXTURE });
    expect(res.statusCode).toBe(200);
    const draft = res.json();
    expect(draft.preview).toMatchObject({
      title: '关于印发《平顶山市夜市摊主灵活就业社保补贴实施办法》的通知',
      aliases: ['平顶山市夜市摊主灵活就业社保补贴实施办法'],
      docNo: '平人社〔2026〕9号',
      issuers: ['平顶山市人力资源和社会保障局', '平顶山市财政局'],
      date: '2026-02-20',
      region: '平顶山市',
      validity: { start: '2026-03-01', end: '2028-12-31', endText: '本办法自2026年3月1日起施行，有效期至2028年12月31日。' },
    });
    expect(draft.preview.clauses.map((c: { label: string }) => c.label)).toEqual(['正文', '一、', '二、', '二、（一）', '二、（二）', '三、', '四、']);
    expect(draft.problems).toEqual([]);
    expect((await list()).find((d) => d.id === draft.id)?.status).toBe('draft');
    // A draft is not an answer.
    expect(await g.chat('citizen-0', QUESTION)).not.toContain('平人社〔2026〕9号');
  });

  it('when an admin publishes the corrected draft, then the next question is answered from it with its 文号 and clause, without a restart', async () => {
    const draft = (await upload({ filename: 'night.txt', text: FIXTURE })).json();
    const { clauses: _c, source: _s, ...meta } = draft.preview;
    const corrected = { ...meta, id: 'pds-2026-9-night-market', aliases: [...meta.aliases, '夜市摊主社保补贴'], personas: ['other'] };
    const res = await g.app.inject({ method: 'POST', url: `/api/staff/documents/${draft.id}/publish`, headers: await g.as(ADMIN), payload: corrected });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ docId: 'pds-2026-9-night-market', status: 'published', clauses: 7 });
    const answer = await g.chat('citizen-1', QUESTION);
    expect(answer).toContain('平人社〔2026〕9号');
    expect(answer).toContain('480元');
    expect(answer).toContain('二、（一）');
    // On the embedded store it is a knowledge-base file like the shipped ones.
    const file = readFileSync(join(knowledgeDir, 'docs', 'pds-2026-9-night-market.md'), 'utf8');
    expect(file).toMatch(/^---\nid: pds-2026-9-night-market\n/);
    expect(file).toContain('每人每月最高补贴480元');
    expect((await list()).find((d) => d.id === 'pds-2026-9-night-market')?.status).toBe('published');
    const audit = await g.assistant.staffAccounts.listAudit({ action: 'document_published' });
    expect(audit[0]).toMatchObject({ actor: ADMIN.username, target: 'pds-2026-9-night-market' });
    expect(heard.at(-1)).toMatchObject({ docId: 'pds-2026-9-night-market', action: 'published', docNo: '平人社〔2026〕9号', region: '平顶山市', by: ADMIN.username });
    // Publishing the same draft twice is refused.
    const again = await g.app.inject({ method: 'POST', url: `/api/staff/documents/${draft.id}/publish`, headers: await g.as(ADMIN), payload: corrected });
    expect(again.statusCode).toBe(409);
  });

  it('when corrected metadata is invalid, then publishing is refused with the field named and nothing changes', async () => {
    const draft = (await upload({ filename: 'night2.txt', text: FIXTURE })).json();
    const { clauses: _c, source: _s, ...meta } = draft.preview;
    const bad = await g.app.inject({ method: 'POST', url: `/api/staff/documents/${draft.id}/publish`, headers: await g.as(ADMIN), payload: { ...meta, id: 'pds-2026-9-x', docNo: '平人社2026-9' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/docNo/);
    const endText = await g.app.inject({ method: 'POST', url: `/api/staff/documents/${draft.id}/publish`, headers: await g.as(ADMIN), payload: { ...meta, id: 'pds-2026-9-x', validity: { ...meta.validity, endText: '有效期至2099年12月31日。', end: '2099-12-31' } } });
    expect(endText.statusCode).toBe(400);
    expect(endText.json().error.message).toMatch(/在正文中找不到/);
    const taken = await g.app.inject({ method: 'POST', url: `/api/staff/documents/${draft.id}/publish`, headers: await g.as(ADMIN), payload: { ...meta, id: 'pds-2023-7-yijiang-yibu' } });
    expect(taken.statusCode).toBe(400);
    expect(taken.json().error.message).toMatch(/已被使用/);
    expect(existsSync(join(knowledgeDir, 'docs', 'pds-2026-9-x.md'))).toBe(false);
    expect((await list()).find((d) => d.id === draft.id)?.status).toBe('draft');
  });

  it('when a .docx is uploaded as multipart, then the proposal is the same as for the text', async () => {
    const file = await docx(FIXTURE.trim().split('\n'));
    const boundary = '----publish-test-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="night.docx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await g.app.inject({ method: 'POST', url: '/api/staff/documents', headers: { ...(await g.as(ADMIN)), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ filename: 'night.docx', preview: { docNo: '平人社〔2026〕9号', date: '2026-02-20', source: { file: 'upload:night.docx' } } });
    expect(res.json().preview.clauses).toHaveLength(7);
    // The text was published by the test above: its 文号 is taken, which staff are told.
    expect(res.json().problems.map((p: { code: string }) => p.code)).toEqual(['doc_no_taken']);
  });

  it('when a text has no 文号 and no date, then the proposal says so', async () => {
    const text = FIXTURE.replace('平人社〔2026〕9号\n', '').replace('2026年2月20日\n', '');
    const draft = (await upload({ filename: 'no-number.txt', text })).json();
    expect(draft.preview.docNo).toBeNull();
    expect(draft.preview.date).toBeNull();
    expect(draft.problems.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['no_doc_no', 'no_date']));
  });

  it('when a document is marked superseded, then answers quoting it name the one that replaces it', async () => {
    const res = await g.app.inject({ method: 'POST', url: '/api/staff/documents/pds-2023-7-yijiang-yibu/supersede', headers: await g.as(ADMIN), payload: { supersededBy: 'pds-2026-9-night-market' } });
    expect(res.statusCode, res.body).toBe(200);
    const answer = await g.chat('citizen-2', '一奖一补的交通补贴标准是多少');
    expect(answer).toContain('平巩固脱贫成果办〔2023〕7号');
    expect(answer).toContain('该政策已被《平顶山市夜市摊主灵活就业社保补贴实施办法》（平人社〔2026〕9号）取代');
    expect((await list()).find((d) => d.id === 'pds-2023-7-yijiang-yibu')).toMatchObject({ status: 'superseded', supersededBy: 'pds-2026-9-night-market' });
    const review = (await g.app.inject({ method: 'GET', url: '/api/staff/documents/review', headers: await g.as(ADMIN) })).json().facets;
    expect(review.some((f: { docId: string; status: string }) => f.docId === 'pds-2023-7-yijiang-yibu' && f.status === 'superseded')).toBe(true);
  });

  it('when a document is withdrawn, then it is gone from answers and the catalogue facets citing it are listed for review', async () => {
    const res = await g.app.inject({ method: 'POST', url: '/api/staff/documents/pds-2026-9-night-market/withdraw', headers: await g.as(ADMIN), payload: { reason: '测试撤回' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await g.chat('citizen-3', QUESTION)).not.toContain('平人社〔2026〕9号');
    expect(existsSync(join(knowledgeDir, 'docs', 'pds-2026-9-night-market.md'))).toBe(false);
    expect(existsSync(join(knowledgeDir, 'withdrawn', 'pds-2026-9-night-market.md'))).toBe(true);
    expect((await list()).find((d) => d.id === 'pds-2026-9-night-market')?.status).toBe('withdrawn');
    expect(heard.at(-1)).toMatchObject({ docId: 'pds-2026-9-night-market', action: 'withdrawn' });

    const cited = await g.app.inject({ method: 'POST', url: '/api/staff/documents/pds-2023-73-internships/withdraw', headers: await g.as(ADMIN), payload: {} });
    expect(cited.statusCode).toBe(200);
    const review = (await g.app.inject({ method: 'GET', url: '/api/staff/documents/review', headers: await g.as(ADMIN) })).json().facets as Array<{ docId: string; status: string; programmeId: string }>;
    const internships = review.filter((f) => f.docId === 'pds-2023-73-internships');
    expect(internships.length).toBeGreaterThan(0);
    expect(internships.every((f) => f.status === 'withdrawn')).toBe(true);
    expect(heard.at(-1)?.programmeIds).toEqual(expect.arrayContaining([internships[0]!.programmeId]));
    expect(await g.chat('citizen-4', '平顶山就业见习补贴标准是多少')).not.toContain('平人社〔2023〕73号');
    // Withdrawing what is not live is a 404.
    const gone = await g.app.inject({ method: 'POST', url: '/api/staff/documents/pds-2026-9-night-market/withdraw', headers: await g.as(ADMIN), payload: {} });
    expect(gone.statusCode).toBe(404);
  });

  it('when the gateway restarts on the same folder, then what was published, superseded and withdrawn stays so', { timeout: 60_000 }, async () => {
    const again = await startGateway({ DATA_DIR: mkdtempSync(join(tmpdir(), 'epa-publish-restart-')), KNOWLEDGE_DIR: knowledgeDir }, {}, { accounts: false });
    try {
      const ids = again.assistant.documents.map((d) => d.meta.id);
      expect(ids).not.toContain('pds-2026-9-night-market');
      expect(ids).not.toContain('pds-2023-73-internships');
      expect(again.assistant.documents.find((d) => d.meta.id === 'pds-2023-7-yijiang-yibu')?.meta.supersededBy).toBe('pds-2026-9-night-market');
      expect(again.assistant.knowledge.current().withdrawn.map((d) => d.meta.id).sort()).toEqual(['pds-2023-73-internships', 'pds-2026-9-night-market']);
    } finally {
      await again.close();
    }
  });

  it('when `npm run index` runs on the folder, then it indexes the live documents and the catalogue check lists the withdrawn citations to review', { timeout: 90_000 }, async () => {
    const env = { ...process.env, KNOWLEDGE_DIR: knowledgeDir };
    const index = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/index-knowledge.ts'], { env, encoding: 'utf8' });
    expect(index).toMatch(/documents: 32 /);
    const check = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/programs.ts', 'check'], { env, encoding: 'utf8' });
    expect(check).toMatch(/! \S+: cites pds-2023-73-internships#\S+ \(withdrawn\) — to review/);
    expect(check).toMatch(/, 0 grounding problems/);
  });
});
