/** One home for how a document is cited (issue 19): a notice that issues a document is cited by what it issues. */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { bookTitle, citationText, compactCitationText, displayTitle } from '../../src/knowledge/citation-text.js';
import { repliesToText } from '../../src/channels/reply-text.js';
import { loadKnowledgeBase } from '../../src/knowledge/documents.js';

describe('titles as cited', () => {
  it.each([
    ['关于印发《河南省根治欠薪工作行政约谈办法（试行）》的通知', '河南省根治欠薪工作行政约谈办法（试行）'],
    ['关于印发高校毕业生就业创业十二条政策措施的通知', '高校毕业生就业创业十二条政策措施'],
    ['河南省人民政府办公厅关于印发2023年河南省支持高校毕业生等青年就业创业若干政策措施的通知', '2023年河南省支持高校毕业生等青年就业创业若干政策措施'],
    ['《平顶山市创业担保贷款精细化操作规程》', '平顶山市创业担保贷款精细化操作规程'],
    ['关于进一步支持农民工就业创业的实施意见', '关于进一步支持农民工就业创业的实施意见'],
  ])('%s → %s', (title, shown) => {
    expect(displayTitle(title)).toBe(shown);
    expect(bookTitle(title)).toBe(`《${shown}》`);
  });

  it('writes a citation with its 文号 and clause, never with nested book-title marks', () => {
    const c = { title: '关于印发《河南省根治欠薪工作行政约谈办法（试行）》的通知', docNo: '豫农工〔2023〕3号', clause: '第四条' };
    expect(citationText(c)).toBe('《河南省根治欠薪工作行政约谈办法（试行）》（豫农工〔2023〕3号）第四条');
    expect(citationText(c, { clausePrefix: ' ' })).toBe('《河南省根治欠薪工作行政约谈办法（试行）》（豫农工〔2023〕3号） 第四条');
    expect(compactCitationText({ ...c, docNo: null })).toBe('《河南省根治欠薪工作行政约谈办法（试行）》 第四条');
    expect(repliesToText([{ text: '施工总承包单位负总责。', citations: [c] }])).toBe('施工总承包单位负总责。\n来源：《河南省根治欠薪工作行政约谈办法（试行）》（豫农工〔2023〕3号）第四条');
  });

  it('no document of the knowledge base, and no citation in the complaint form, is cited with nested marks', async () => {
    const docs = await loadKnowledgeBase('knowledge/docs');
    for (const d of docs) expect(bookTitle(d.meta.title)).not.toMatch(/《[^》]*《/);
    const form = YAML.parse(readFileSync('intents/forms/wage-complaint.yaml', 'utf8')) as { citations: Array<{ title: string }>; construction_citation: { title: string } };
    for (const c of [...form.citations, form.construction_citation]) expect(bookTitle(c.title)).not.toMatch(/《[^》]*《/);
  });
});
