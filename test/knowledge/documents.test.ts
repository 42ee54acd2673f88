import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildDocument, readManifest } from '../../scripts/import-seeds.js';
import { DocumentFormatError, parseDocumentFile, serializeDocumentFile } from '../../src/knowledge/documents.js';
import type { DocumentMeta } from '../../src/knowledge/types.js';

const meta: DocumentMeta = {
  id: 'sample-doc',
  title: '关于印发《某某实施方案》的通知',
  aliases: ['某某实施方案'],
  docNo: '平人社〔2023〕99号',
  issuers: ['平顶山市人力资源和社会保障局'],
  date: '2023-05-01',
  region: '平顶山市',
  personas: ['graduate'],
  validity: { start: '2023-05-01', end: '2025-12-31', endText: '执行期限截止2025年12月31日。' },
  clauseValidity: [{ clause: '一、', end: '2023-12-31', endText: '延续至2023年12月31日。' }],
  source: { file: '002.txt', lines: [1, 20] },
};

const body = '关于印发《某某实施方案》的通知\n一、补贴。延续至2023年12月31日。\n二、期限。执行期限截止2025年12月31日。';

describe('knowledge-base files', () => {
  it('when a file is written and read back, then metadata and clauses survive', () => {
    const doc = parseDocumentFile(serializeDocumentFile(meta, body), 'sample-doc.md');
    expect(doc.meta).toEqual(meta);
    expect(doc.clauses.map((c) => [c.label, c.end])).toEqual([
      ['正文', '2025-12-31'],
      ['一、', '2023-12-31'],
      ['二、', '2025-12-31'],
    ]);
  });

  it('when the front matter has no title, then loading fails with a message naming the file and the field', () => {
    const text = serializeDocumentFile(meta, body).replace(/^title: .*\n/m, '');
    expect(() => parseDocumentFile(text, 'sample-doc.md')).toThrow(DocumentFormatError);
    expect(() => parseDocumentFile(text, 'sample-doc.md')).toThrow(/sample-doc\.md.*"title"/);
  });

  it('when a field has a wrong value, then the message names it', () => {
    const text = serializeDocumentFile(meta, body).replace('region: 平顶山市', 'region: 郑州市').replace('date: 2023-05-01', 'date: 2023/5/1');
    expect(() => parseDocumentFile(text, 'sample-doc.md')).toThrow(/sample-doc\.md.*"date".*"region"|sample-doc\.md.*"region".*"date"/);
  });

  it('when the front matter has a field DocumentMeta does not know, then it is rejected', () => {
    const text = serializeDocumentFile(meta, body).replace('title:', 'titel: x\ntitle:');
    expect(() => parseDocumentFile(text, 'sample-doc.md')).toThrow(/sample-doc\.md/);
  });

  it('when the id does not match the file name, then it is rejected', () => {
    expect(() => parseDocumentFile(serializeDocumentFile(meta, body), 'other-doc.md')).toThrow(/other-doc\.md.*"id"/);
  });

  it('when a file has no front matter, then the error says so', () => {
    expect(() => parseDocumentFile(body, 'plain.md')).toThrow(/plain\.md: missing YAML front matter/);
  });
});

describe('importing the seeds', () => {
  it('when the import runs again, then it produces exactly the shipped documents', async () => {
    const manifest = await readManifest();
    for (const entry of manifest.documents) {
      const built = await buildDocument(manifest, entry);
      const shipped = await readFile(`knowledge/docs/${entry.id}.md`, 'utf8');
      expect(serializeDocumentFile(built.meta, built.body), `${entry.id} is out of date: run npx tsx scripts/import-seeds.ts`).toBe(shipped);
      expect(built.warnings, entry.id).toEqual([]);
    }
  });
});
