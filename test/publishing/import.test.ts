/**
 * The import of an uploaded policy document: text out of .txt, .docx (a real Word file built with
 * jszip) and a text-layer .pdf (built with pdf-lib), then the proposal (metadata, clauses, problems).
 * pdf-lib's standard fonts cannot draw Chinese and the machine has no CJK font (fc-list :lang=zh is
 * empty), so the PDF carries an ASCII text: it tests the PDF path and the clause structure, not Chinese.
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractText, UploadError } from '../../src/knowledge/publishing/extract-text.js';
import { findDocNo, parseChineseDate, proposeDocument } from '../../src/knowledge/publishing/propose.js';
import { docx, FIXTURE } from './helpers.js';

const none = { idTaken: () => false, docNoOwner: () => null };

async function pdf(lines: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 790 - i * 20, size: 11, font }));
  return Buffer.from(await doc.save());
}

describe('the import of an uploaded document', () => {
  it('when a .txt policy is read, then the proposal has its title, 文号, issuers, date, region, validity and clause tree', async () => {
    const text = await extractText('notice.txt', { content: Buffer.from(`\ufeff${FIXTURE.replace(/\n/g, '\r\n')}`, 'utf8') });
    const p = proposeDocument(text, { filename: 'notice.txt', ...none });
    expect(p.meta).toMatchObject({
      id: 'pds-2026-9',
      title: '关于印发《平顶山市夜市摊主灵活就业社保补贴实施办法》的通知',
      aliases: ['平顶山市夜市摊主灵活就业社保补贴实施办法'],
      docNo: '平人社〔2026〕9号',
      issuers: ['平顶山市人力资源和社会保障局', '平顶山市财政局'],
      date: '2026-02-20',
      region: '平顶山市',
      validity: { start: '2026-03-01', end: '2028-12-31', endText: '本办法自2026年3月1日起施行，有效期至2028年12月31日。' },
      source: { file: 'upload:notice.txt' },
    });
    expect(p.clauses.find((c) => c.label === '二、（一）')?.text).toContain('每人每月最高补贴480元');
    expect(p.clauses.find((c) => c.label === '一、')?.heading).toBe('补贴对象');
    expect(p.problems).toEqual([]);
  });

  it('when a .docx is read, then its paragraphs are the lines and the clauses come out as from the .txt', async () => {
    const file = await docx(FIXTURE.trim().split('\n'));
    const text = await extractText('notice.docx', { content: file });
    const fromDocx = proposeDocument(text, { filename: 'notice.docx', ...none });
    const fromTxt = proposeDocument(FIXTURE, { filename: 'notice.txt', ...none });
    expect(fromDocx.body).toBe(fromTxt.body);
    expect({ ...fromDocx.meta, source: null }).toEqual({ ...fromTxt.meta, source: null });
    expect(fromDocx.clauses.map((c) => c.label)).toEqual(['正文', '一、', '二、', '二、（一）', '二、（二）', '三、', '四、']);
  });

  it('when a text-layer .pdf is read (ASCII: no CJK font here), then its lines and numbered clauses come out', async () => {
    const file = await pdf(['Pingdingshan night market stall subsidy (test)', '1. Who: stall keepers registered in the city.', '2. Amount: at most 480 yuan a month, for 24 months.', '3. Where: the county employment service centre.']);
    const text = await extractText('notice.pdf', { content: file });
    expect(text).toContain('at most 480 yuan a month');
    const p = proposeDocument(text, { filename: 'notice.pdf', ...none });
    expect(p.clauses.map((c) => c.label)).toEqual(['正文', '1.', '2.', '3.']);
    expect(p.clauses.find((c) => c.label === '2.')?.text).toContain('480 yuan');
    // No 文号, no date and a title that is no Chinese title: all said.
    expect(p.problems.map((x) => x.code)).toEqual(expect.arrayContaining(['no_doc_no', 'no_date', 'no_title']));
  });

  it('when a text has no 文号 and no date, then both are reported as problems', () => {
    const text = FIXTURE.replace('平人社〔2026〕9号\n', '').replace('2026年2月20日\n', '');
    const p = proposeDocument(text, { filename: 'x.txt', ...none });
    expect(p.meta.docNo).toBeNull();
    expect(p.meta.date).toBeNull();
    expect(p.problems.filter((x) => x.code === 'no_doc_no' || x.code === 'no_date').map((x) => x.severity)).toEqual(['warning', 'warning']);
  });

  it('when a text is garbled or has no clause, then that is reported; a taken id or 文号 too', () => {
    const garbled = proposeDocument('ÃƒÂ¤Ã‚Â¸Ã‚Â­ÃƒÂ¦Ã‚â€“Ã‚â€¡ ÃƒÂ¥Ã‚Â¹Ã‚Â³\nÃƒÂ¤Ã‚ÂºÃ‚Âº', { filename: 'g.txt', ...none });
    expect(garbled.problems.map((x) => x.code)).toEqual(expect.arrayContaining(['unreadable', 'no_clauses']));
    const taken = proposeDocument(FIXTURE, { filename: 'n.txt', idTaken: (id) => id === 'pds-2026-9', docNoOwner: (no) => (no === '平人社〔2026〕9号' ? 'pds-2026-9-old' : null) });
    expect(taken.meta.id).toBe('pds-2026-9-2');
    expect(taken.problems.map((x) => x.code)).toEqual(['doc_no_taken']);
  });

  it('when the input is of a wrong type, empty, too large, damaged or not UTF-8, then a clear UploadError', async () => {
    const fails = async (name: string, input: { text: string } | { content: Buffer }, message: RegExp, tooLarge = false) => {
      const err = await extractText(name, input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UploadError);
      expect((err as UploadError).message).toMatch(message);
      expect((err as UploadError).tooLarge).toBe(tooLarge);
    };
    await fails('a.doc', { content: Buffer.from('x') }, /只接受 \.txt、\.docx、\.pdf/);
    await fails('noextension', { text: 'x' }, /无扩展名/);
    await fails('a.txt', { text: '\n \n' }, /没有文字/);
    await fails('a.txt', { content: Buffer.alloc(0) }, /空的/);
    await fails('a.pdf', { content: Buffer.alloc(8 * 1024 * 1024 + 1, 32) }, /文件过大/, true);
    await fails('a.txt', { text: '字'.repeat(400_001) }, /文字过长/, true);
    await fails('a.docx', { content: Buffer.from('PK not really a zip') }, /无法读取 Word/);
    await fails('a.pdf', { content: Buffer.from('%PDF-1.4 broken') }, /无法读取 PDF/);
    await fails('a.txt', { content: Buffer.from([0xc6, 0xbd, 0xb6, 0xa5, 0xc9, 0xbd]) }, /UTF-8/);
    await fails('a.docx', { text: '正文' }, /base64/);
    const blank = await pdf([]);
    await fails('scan.pdf', { content: blank }, /扫描件/);
  });

  it('reads 文号 in its usual spellings and dates in digits or Chinese numerals', () => {
    expect(findDocNo(['平人社 [2026] 9 号'])).toBe('平人社〔2026〕9号');
    expect(findDocNo(['豫人社规（2021）4号'])).toBe('豫人社规〔2021〕4号');
    expect(findDocNo(['关于做好就业工作的通知'])).toBeNull();
    expect(parseChineseDate('2026年2月20日')).toBe('2026-02-20');
    expect(parseChineseDate('二〇二六年二月二十日')).toBe('2026-02-20');
    expect(parseChineseDate('2026年2月30日')).toBeNull();
  });
});
