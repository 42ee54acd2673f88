/**
 * Issue 18, item 3: the queue (as filtered on screen, with the new date range) and the statistics
 * exported to CSV and xlsx, on both backends. The files are opened by LibreOffice headless
 * (`soffice --convert-to csv`) as a spreadsheet user would, and the converted content checked:
 * Chinese intact, the rows those of the filter, no cell turned into a formula, personal data only
 * for administrators.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell } from '../../src/staff/table-export.js';
import { buildStaffTestApp, USERS, type StaffTestApp } from './helper.js';
import type { BackendName } from './backends.js';

const SOFFICE = ['/usr/bin/soffice', '/usr/local/bin/soffice'].find((p) => existsSync(p));
if (!SOFFICE) console.warn('LibreOffice conversion checks skipped: no soffice (apt-get install libreoffice-calc-nogui)');

/** Converts files with LibreOffice headless into CSV (UTF-8); returns each converted text. */
function libreOfficeToCsv(dir: string, files: string[]): string[] {
  const out = join(dir, 'converted');
  execFileSync(
    SOFFICE!,
    [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--infilter=CSV:44,34,76,1', '--outdir', out, ...files],
    { stdio: 'pipe', timeout: 120_000, env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } },
  );
  return files.map((f) => readFileSync(join(out, f.split('/').at(-1)!.replace(/\.\w+$/, '.csv')), 'utf8'));
}

/** The rows of a CSV text (RFC 4180 quoting). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += c;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** A spreadsheet pads every row to the widest table's columns: the row without its empty tail. */
const trimmed = (rows: string[][]) => rows.map((r) => {
  const copy = [...r];
  while (copy.length && copy.at(-1) === '') copy.pop();
  return copy;
});

describe('csvCell', () => {
  it('when a text cell starts with = + - @ or a tab, then it is prefixed so no spreadsheet runs it', () => {
    for (const bad of ['=1+2', '+86', '-3', '@SUM(A1)', '\t=1']) expect(csvCell(bad)).toBe(`"'${bad.replace(/"/g, '""')}"`);
    expect(csvCell('郏县 "老王" 饭店')).toBe('"郏县 ""老王"" 饭店"');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
});

describe.each(['sqlite', 'redis'] as BackendName[])('exports (%s)', (backend) => {
  let t: StaffTestApp;
  let now = new Date('2026-11-02T03:00:00Z');
  const dir = mkdtempSync(join(tmpdir(), 'epa-export-'));
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await buildStaffTestApp({ backend, clock: () => now });
    // Filed on three days (China time): the ticket number carries the day.
    ids.a = (await t.file({ county: '鲁山县', employer: '=HYPERLINK("http://evil.example","点我")有限公司', workerName: '赵大山', phone: '13937501234' })).id;
    now = new Date('2026-11-05T03:00:00Z');
    ids.b = (await t.file({ county: '郏县', employer: '平顶山市宏达建筑劳务有限公司', workerName: '钱小河', phone: '15838751234' })).id;
    now = new Date('2026-11-09T03:00:00Z');
    ids.c = (await t.file({ county: '郏县', employer: '叶县某纺织厂', workerName: '孙二牛', phone: '13603751234' })).id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (url: string, user: { username: string; password: string } = USERS.admin) => t.app.inject({ method: 'GET', url, headers: await t.as(user) });

  it('when the queue is filtered by a date range, then only tickets filed in it come back, on the list as on the export', async () => {
    const list = await get('/api/tickets?status=new&from=2026-11-04&to=2026-11-09');
    expect(list.statusCode).toBe(200);
    expect(list.json().tickets.map((x: { id: string }) => x.id).sort()).toEqual([ids.b, ids.c].sort());
    expect((await get('/api/tickets?from=2026-11-02&to=2026-11-02')).json().total).toBe(1);
    for (const bad of ['from=2026-11-09&to=2026-11-02', 'from=2026-13-45', 'from=11/02/2026']) {
      const res = await get(`/api/tickets?${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('BAD_REQUEST');
    }
    expect((await get('/api/tickets/export?format=pdf')).statusCode).toBe(400);
    const reversed = (await get('/api/tickets/export?format=csv&from=2026-11-09&to=2026-11-01')).json();
    expect(reversed.error.issues).toContainEqual({ path: 'from', message: '起始日期不能晚于截止日期' });
    expect((await t.app.inject({ method: 'GET', url: '/api/tickets/export?format=csv' })).statusCode).toBe(401);
  });

  it('when an administrator exports the filtered queue to CSV and xlsx, then LibreOffice reads the same rows, Chinese intact, no formula', async () => {
    const filter = 'county=%E9%83%8F%E5%8E%BF&from=2026-11-04&to=2026-11-09'; // 郏县
    const csv = await get(`/api/tickets/export?format=csv&${filter}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(csv.headers['content-disposition'])).toMatch(/attachment; filename=.*filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(String(csv.headers['content-disposition']))![1]!)).toContain('工单-2026-11-04至2026-11-09');
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.body).toContain('\r\n');
    const xlsx = await get(`/api/tickets/export?format=xlsx&${filter}`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    // Our own reading first: the rows of the filter, in queue order, with the personal columns whole.
    const own = parseCsv(csv.rawPayload.subarray(3).toString('utf8'));
    expect(own[0]).toContain('诉求人');
    expect(own.slice(1).filter((r) => r.length > 1).map((r) => r[0]).sort()).toEqual([ids.b, ids.c].sort());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('工单');
    expect(sheet.rowCount).toBe(3);

    if (!SOFFICE) return;
    writeFileSync(join(dir, `queue-${backend}.csv`), csv.rawPayload);
    writeFileSync(join(dir, `queue-${backend}-book.xlsx`), xlsx.rawPayload);
    const [fromCsv, fromXlsx] = libreOfficeToCsv(dir, [join(dir, `queue-${backend}.csv`), join(dir, `queue-${backend}-book.xlsx`)]);
    for (const converted of [fromCsv!, fromXlsx!]) {
      const rows = parseCsv(converted).filter((r) => r.length > 1);
      expect(rows[0]!.slice(0, 6)).toEqual(['工单号', '类型', '状态', '渠道', '登记时间', '县区']);
      expect(rows.slice(1).map((r) => r[0]).sort()).toEqual([ids.b, ids.c].sort());
      const b = rows.find((r) => r[0] === ids.b)!;
      expect(b).toContain('平顶山市宏达建筑劳务有限公司');
      expect(b).toContain('郏县');
      expect(b).toContain('欠薪投诉');
      expect(b).toContain('待受理');
      expect(b).toContain('钱小河');
      expect(b).toContain('15838751234');
    }
  }, 180_000);

  it('when a cell would start a formula, then the CSV carries it as text and LibreOffice does not evaluate it', async () => {
    const csv = await get('/api/tickets/export?format=csv&from=2026-11-02&to=2026-11-02');
    const rows = parseCsv(csv.rawPayload.subarray(3).toString('utf8')).filter((r) => r.length > 1);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`'=HYPERLINK("http://evil.example","点我")有限公司`);
    if (!SOFFICE) return;
    writeFileSync(join(dir, `formula-${backend}.csv`), csv.rawPayload);
    const [converted] = libreOfficeToCsv(dir, [join(dir, `formula-${backend}.csv`)]);
    expect(converted).toContain(`=HYPERLINK(""http://evil.example"",""点我"")有限公司`);
    expect(converted).not.toMatch(/,点我,/);
  }, 180_000);

  it('when a staff member (not an administrator) exports, then names and phone numbers are masked', async () => {
    const csv = await get('/api/tickets/export?format=csv&county=%E9%83%8F%E5%8E%BF', USERS.staff);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain('15838751234');
    expect(csv.body).not.toContain('钱小河');
    expect(csv.body).toContain('158****1234');
    expect(csv.body).toContain('钱**');
  });

  it('when the statistics are exported, then CSV and xlsx hold the same figures, readable by LibreOffice', async () => {
    const csv = await get('/api/stats/export?format=csv');
    const xlsx = await get('/api/stats/export?format=xlsx');
    expect(csv.statusCode).toBe(200);
    expect(xlsx.statusCode).toBe(200);
    expect((await get('/api/stats/export?format=doc')).statusCode).toBe(400);
    const rows = parseCsv(csv.rawPayload.subarray(3).toString('utf8'));
    expect(rows).toContainEqual(['工单总数', '3']);
    expect(rows).toContainEqual(['郏县', '2']);
    expect(rows).toContainEqual(['待受理', '3']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    expect(book.worksheets.map((s) => s.name)).toEqual(['概况', '各状态', '每日', '各县区', '未能回答的问题']);
    expect(book.getWorksheet('各县区')!.getRow(2).values).toEqual([undefined, '郏县', 2]);

    if (!SOFFICE) return;
    writeFileSync(join(dir, `stats-${backend}.csv`), csv.rawPayload);
    writeFileSync(join(dir, `stats-${backend}-book.xlsx`), xlsx.rawPayload);
    const [fromCsv, fromXlsx] = libreOfficeToCsv(dir, [join(dir, `stats-${backend}.csv`), join(dir, `stats-${backend}-book.xlsx`)]);
    expect(trimmed(parseCsv(fromCsv!))).toContainEqual(['郏县', '2']);
    expect(trimmed(parseCsv(fromCsv!))).toContainEqual(['各县区']);
    // The first worksheet is what a CSV conversion of the workbook holds.
    expect(trimmed(parseCsv(fromXlsx!))).toContainEqual(['工单总数', '3']);
  }, 180_000);
});
