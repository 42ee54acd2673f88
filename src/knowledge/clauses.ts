/**
 * Splits the body of a policy document into numbered clauses with their hierarchy.
 *
 * A marker counts only at the start of a line (never in a table row):
 *   附件 / 附件 2                     attachment (top level; everything after it belongs to it)
 *   第X部分 / 第X章 / 第X节            headings; articles are numbered through the whole document, so a
 *                                      第X条 is cited on its own ("第十一条"), not under its chapter
 *   第X条                              article
 *   一、                               section
 *   ——短标题                           unnumbered sub-heading (a short line without punctuation)
 *   （一） (一)                        subsection
 *   1. 1、 1．                         item (not "1.5万元", not "2023年")
 *   （1） (1)                          sub-item
 * Lines before the first marker form the preamble ("正文", path []). A clause's text is its own lines,
 * its children excluded. The heading is the title-like phrase after the marker up to the first "。".
 */
import type { Clause, DocumentMeta } from './types.js';

type Kind = 'attachment' | 'part' | 'chapter' | 'section' | 'article' | 'l1' | 'dash' | 'l2' | 'l3' | 'l4';

const LEVEL: Record<Kind, number> = {
  attachment: 0,
  part: 1,
  chapter: 2,
  section: 3,
  article: 4,
  l1: 5,
  dash: 5.5,
  l2: 6,
  l3: 7,
  l4: 8,
};

interface Marker {
  kind: Kind;
  /** Normalised marker as it appears in paths: "附件2", "第三章", "第十一条", "一、", "（一）", "1.", "（1）". */
  marker: string;
  /** Text after the marker. */
  rest: string;
}

const NUM_CN = '[一二三四五六七八九十百零〇两]+';
const PART_RE = new RegExp(`^第(${NUM_CN})部分\\s*(.*)$`);
const CHAPTER_RE = new RegExp(`^第(${NUM_CN})章\\s*(.*)$`);
const SECTION_RE = new RegExp(`^第(${NUM_CN})节\\s*(.*)$`);
const ARTICLE_RE = new RegExp(`^第(${NUM_CN})条(?:\\s+|(?=[^\\s，。、；：]))(.*)$`);

/** Recognises a clause marker at the start of a line; null for ordinary text and table rows. */
export function detectMarker(rawLine: string): Marker | null {
  if (rawLine.includes('\t')) return null;
  const line = rawLine.replace(/^\s*#{1,6}\s*/, '').replace(/\*\*/g, '').trim();
  let m: RegExpExecArray | null;
  if ((m = /^附\s*件\s*(\d{1,2})?$/.exec(line))) return { kind: 'attachment', marker: `附件${m[1] ?? ''}`, rest: '' };
  if ((m = PART_RE.exec(line)))
    return { kind: 'part', marker: `第${m[1]}部分`, rest: m[2] ?? '' };
  if ((m = CHAPTER_RE.exec(line))) return { kind: 'chapter', marker: `第${m[1]}章`, rest: m[2] ?? '' };
  if ((m = SECTION_RE.exec(line))) return { kind: 'section', marker: `第${m[1]}节`, rest: m[2] ?? '' };
  if ((m = ARTICLE_RE.exec(line)))
    return { kind: 'article', marker: `第${m[1]}条`, rest: m[2] ?? '' };
  if ((m = /^([一二三四五六七八九十百]+)、\s*(.*)$/.exec(line)) && m[2])
    return { kind: 'l1', marker: `${m[1]}、`, rest: m[2] };
  if ((m = /^——\s*([^，。；：、,;:！？]{2,15})$/.exec(line))) return { kind: 'dash', marker: `——${m[1]}`, rest: m[1] ?? '' };
  if ((m = /^[（(]\s*([一二三四五六七八九十百]+)\s*[)）]\s*(.*)$/.exec(line)) && m[2])
    return { kind: 'l2', marker: `（${m[1]}）`, rest: m[2] };
  if ((m = /^(\d{1,3})\s*[.．、](?![\d.．])\s*(.*)$/.exec(line)) && m[2])
    return { kind: 'l3', marker: `${m[1]}.`, rest: m[2] };
  if ((m = /^[（(]\s*(\d{1,3})\s*[)）]\s*(.*)$/.exec(line)) && m[2]) return { kind: 'l4', marker: `（${m[1]}）`, rest: m[2] };
  return null;
}

/** The title-like phrase after a marker: "强化稳岗扶持政策。全面…" → "强化稳岗扶持政策". */
export function headingOf(rest: string): string | null {
  const text = rest.replace(/\*\*/g, '').trim();
  if (text === '') return null;
  const stop = text.indexOf('。');
  // "强化稳岗扶持政策。全面…": a phrase closed by 。 and followed by the provision itself;
  // "一、稳定和扩大农民工就业岗位": a line without sentence punctuation.
  // A clause that is one sentence ("收集相关资料。") has no heading.
  if (stop >= 0 && text.slice(stop + 1).trim() === '') return null;
  const candidate = (stop >= 0 ? text.slice(0, stop) : text).trim();
  if (candidate.length === 0 || candidate.length > 30) return null;
  if (/[，；：,;:！？]/.test(candidate)) return null;
  // A sentence opening ("对…的", "经…", "由…") is not a title.
  if (/^(对|经|由|在|凡|如|各|本|根据|按照|依据)/.test(candidate)) return null;
  return candidate;
}

function renderMarker(marker: string, last: boolean): string {
  if (marker.startsWith('附件')) return last ? marker : `${marker} `;
  if (marker.startsWith('——')) return last ? marker.slice(2) : `${marker.slice(2)} `;
  if (/^第.+[章节部分]$/.test(marker)) return last ? marker : `${marker} `;
  return marker;
}

/** Human label for a path: ["三、","（二）"] → "三、（二）"; ["附件2","一、"] → "附件2 一、"; [] → "正文". */
export function labelOf(path: string[]): string {
  if (path.length === 0) return '正文';
  return path.map((p, i) => renderMarker(p, i === path.length - 1)).join('');
}

function compact(s: string): string {
  return s.replace(/\s+/g, '');
}

export interface ParseClausesOptions {
  validity?: DocumentMeta['validity'];
  clauseValidity?: DocumentMeta['clauseValidity'];
  /**
   * Titles of the document itself (e.g. the 方案 that a 通知 issues). An "附件" line followed by one of
   * these titles is the document's own text, not an attachment, and does not open a section.
   */
  ownTitles?: string[];
}

interface Open {
  kind: Kind;
  marker: string;
  index: number;
}

/** Parses a document body into clauses (preamble first, then in document order). */
export function parseClauses(docId: string, body: string, options: ParseClausesOptions = {}): Clause[] {
  const lines = body.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
  const ownTitles = (options.ownTitles ?? []).map(compact).filter((t) => t.length > 0);
  const clauses: Clause[] = [];
  const texts: string[][] = [];
  const stack: Open[] = [];
  const seen = new Map<string, number>();

  const preamble: string[] = [];
  let current: string[] = preamble;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const marker = detectMarker(line);
    if (!marker) {
      current.push(line);
      continue;
    }
    let heading: string | null;
    if (marker.kind === 'attachment') {
      const next = lines[i + 1] ?? '';
      const nextTitle = next.includes('\t') || detectMarker(next) || next.includes('。') || next.length > 60 ? null : next.trim();
      if (nextTitle && ownTitles.some((t) => compact(nextTitle) === t || compact(nextTitle).endsWith(t))) {
        current.push(line);
        continue;
      }
      heading = nextTitle;
    } else if (marker.kind === 'dash') {
      heading = marker.rest;
    } else if (marker.kind === 'chapter' || marker.kind === 'section' || marker.kind === 'part') {
      heading = marker.rest.trim() || null;
    } else {
      heading = headingOf(marker.rest);
    }

    const level = LEVEL[marker.kind];
    while (stack.length > 0 && LEVEL[(stack[stack.length - 1] as Open).kind] >= level) stack.pop();
    stack.push({ kind: marker.kind, marker: marker.marker, index: clauses.length });
    const inArticle = stack.some((o) => o.kind === 'article');
    const path = stack
      .filter((o) => !(inArticle && (o.kind === 'part' || o.kind === 'chapter' || o.kind === 'section')))
      .map((o) => o.marker);
    const baseId = `${docId}#${path.join('/')}`;
    const count = (seen.get(baseId) ?? 0) + 1;
    seen.set(baseId, count);
    const own: string[] = [line];
    texts.push(own);
    current = own;
    clauses.push({
      id: count === 1 ? baseId : `${baseId}~${count}`,
      docId,
      path,
      label: labelOf(path),
      heading,
      text: '',
      end: null,
      endText: null,
    });
  }

  clauses.forEach((c, i) => {
    c.text = (texts[i] ?? []).join('\n');
    // "（四）三方机制的重点任务。" followed by numbered items: the one short sentence is the heading.
    const next = clauses[i + 1];
    const own = texts[i] ?? [];
    if (c.heading === null && own.length === 1 && next && next.path.length > c.path.length) {
      const rest = detectMarker(own[0] ?? '')?.rest.trim() ?? '';
      const m = /^([^，。；：,;:]{2,30})。$/.exec(rest);
      if (m?.[1]) c.heading = m[1];
    }
  });
  if (preamble.length > 0) {
    clauses.unshift({ id: `${docId}#`, docId, path: [], label: '正文', heading: null, text: preamble.join('\n'), end: null, endText: null });
  }
  applyValidity(clauses, options);
  return clauses;
}

/** Carries end dates: a clause's own (or its nearest ancestor's) clauseValidity, else the document's. */
function applyValidity(clauses: Clause[], options: ParseClausesOptions): void {
  const byLabel = new Map<string, { end: string; endText: string }>();
  for (const cv of options.clauseValidity ?? []) byLabel.set(compact(cv.clause), { end: cv.end, endText: cv.endText });
  const docEnd = options.validity?.end ?? null;
  const docEndText = options.validity?.endText ?? null;
  for (const c of clauses) {
    let own: { end: string; endText: string } | undefined;
    for (let n = c.path.length; n > 0 && !own; n--) own = byLabel.get(compact(labelOf(c.path.slice(0, n))));
    c.end = own ? own.end : docEnd;
    c.endText = own ? own.endText : docEndText;
  }
}
