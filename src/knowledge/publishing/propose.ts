/**
 * What the system proposes for an uploaded text: the cleaned body (src/knowledge/clean.ts, as the seed
 * import cleans), the metadata it can read from the text (title, 文号, issuing bodies, date, region,
 * validity from src/knowledge/validity.ts) and the clause tree as it will be quoted, with the problems
 * staff should look at before publishing. Staff correct the metadata; nothing here is final.
 */
import { cleanLines } from './../clean.js';
import { parseClauses } from '../clauses.js';
import { innerTitle } from '../documents.js';
import type { Clause, DocumentMeta } from '../types.js';
import { findDateStatements } from '../validity.js';
import type { Persona, Region } from '../../core/types.js';

export interface Problem {
  /** Stable code for scripts: no_doc_no, no_date, no_title, no_clauses, empty_clause, unreadable, id_taken, doc_no_taken, date_not_recorded. */
  code: string;
  /** error: publishing is refused until corrected; warning: staff decide. */
  severity: 'error' | 'warning';
  message: string;
}

export interface Proposal {
  meta: DocumentMeta;
  body: string;
  clauses: Clause[];
  problems: Problem[];
}

const DOC_NO_RE = /([\u4e00-\u9fff]{1,14})\s*[〔[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d{1,4})\s*号/;
const DATE_RE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;
const CN_DIGIT: Record<string, string> = { 〇: '0', 零: '0', O: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' };
const ORG_RE = /(局|厅|委员会|办公室|人民政府|领导小组|中心|总工会|委|部|院|分行|联合会)$/;
const TITLE_END_RE = /(通知|意见|办法|方案|细则|规程|措施|决定|规定|要点|通告|公告|计划|指南|（试行）)$/;

/** 文号 in its canonical form "平人社〔2026〕9号", or null. */
export function findDocNo(lines: string[]): string | null {
  for (const line of lines.slice(0, 12)) {
    const m = DOC_NO_RE.exec(line);
    if (m) return `${m[1]}〔${m[2]}〕${m[3]}号`;
  }
  return null;
}

/** "2026年3月1日" or "二〇二六年三月一日" → "2026-03-01". */
export function parseChineseDate(line: string): string | null {
  const t = line.replace(/\s+/g, '');
  let m = DATE_RE.exec(t);
  if (!m) {
    const cn = /^([〇零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$/.exec(t);
    if (!cn) return null;
    m = [t, [...cn[1]!].map((c) => CN_DIGIT[c] ?? '').join(''), String(cnNumber(cn[2]!)), String(cnNumber(cn[3]!))] as unknown as RegExpExecArray;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function cnNumber(s: string): number {
  const digit = (c: string | undefined) => Number(CN_DIGIT[c ?? ''] ?? 0);
  if (!s.includes('十')) return digit(s);
  const [tens, ones] = s.split('十');
  return (tens ? digit(tens) : 1) * 10 + (ones ? digit(ones) : 0);
}

/** The title: the line that starts (after the issuing body's name) with 关于 or ends like a title. */
export function findTitle(lines: string[], docNo: string | null): string | null {
  const head = lines.slice(0, 10).filter((l) => !DOC_NO_RE.test(l) && !/文件$/.test(l) && !DATE_RE.test(l.replace(/\s+/g, '')));
  for (const line of head) {
    const about = line.indexOf('关于');
    if (about >= 0 && TITLE_END_RE.test(line) && !/[。；]/.test(line)) return line.slice(about).trim();
  }
  for (const line of head) if (TITLE_END_RE.test(line) && line.length <= 80 && !/[。；，]/.test(line)) return line.trim();
  void docNo;
  return null;
}

/** Issuing bodies: the "XX文件" header and the signature lines just before the date at the end. */
export function findIssuers(lines: string[]): string[] {
  const found: string[] = [];
  const header = lines.slice(0, 3).find((l) => /文件$/.test(l));
  if (header) found.push(...header.replace(/文件$/, '').split(/\s+/));
  const dateAt = lastDateLine(lines);
  if (dateAt >= 0) {
    for (let i = dateAt - 1; i >= Math.max(0, dateAt - 8); i--) {
      const parts = (lines[i] ?? '').split(/\s+/).filter(Boolean);
      if (parts.length === 0 || !parts.every((p) => ORG_RE.test(p) && p.length <= 30)) break;
      found.unshift(...parts);
    }
  }
  return [...new Set(found.filter((p) => ORG_RE.test(p)))];
}

function lastDateLine(lines: string[]): number {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 15); i--) if (parseChineseDate(lines[i] ?? '')) return i;
  return -1;
}

/** The region the issuers, the 文号 or the title name. */
export function regionOf(issuers: string[], docNo: string | null, title: string | null): Region {
  const words = `${issuers.join(' ')} ${docNo ?? ''} ${title ?? ''}`;
  if (/济宁/.test(words)) return '济宁市';
  if (/平顶山|^平|\s平/.test(words) || /^平/.test(docNo ?? '')) return '平顶山市';
  if (/河南|^豫/.test(words) || /^豫/.test(docNo ?? '')) return '河南省';
  if (/国务院|人力资源社会保障部|人社部|^国/.test(words)) return '全国';
  return '平顶山市';
}

const PERSONA_WORDS: Array<[Persona, RegExp]> = [
  ['graduate', /毕业生|高校|青年|见习/],
  ['migrant', /农民工|务工|返乡/],
  ['poverty', /脱贫|监测对象|乡村振兴/],
  ['employer', /企业|用人单位|吸纳/],
];

function personasOf(text: string): Persona[] {
  const found = PERSONA_WORDS.filter(([, re]) => re.test(text)).map(([p]) => p);
  return found.length > 0 ? found : ['other'];
}

/** An id like the shipped ones: "<region>-<year>-<number>" from the 文号, else from the date. */
export function proposeId(region: Region, docNo: string | null, date: string | null, taken: (id: string) => boolean): string {
  const prefix = { 平顶山市: 'pds', 河南省: 'henan', 济宁市: 'jining', 全国: 'national' }[region];
  const m = docNo ? /〔(\d{4})〕(\d+)号/.exec(docNo) : null;
  const base = m ? `${prefix}-${m[1]}-${m[2]}` : `${prefix}-${(date ?? new Date().toISOString()).slice(0, 4)}-upload`;
  let id = base;
  for (let n = 2; taken(id); n++) id = `${base}-${n}`;
  return id;
}

/** Share of characters that are neither Chinese, ASCII, nor common punctuation: a wrong decoding shows here. */
function unreadableShare(text: string): number {
  const chars = [...text.replace(/\s+/g, '')];
  if (chars.length === 0) return 1;
  const odd = chars.filter((c) => !/[\u3400-\u9fff\uf900-\ufaff\u0020-\u007e\u3000-\u303f\uff00-\uffef“”‘’—…·●○■□√×～]/.test(c)).length;
  return odd / chars.length;
}

export interface ProposeOptions {
  filename: string;
  /** Whether a document id is already in use (live or withdrawn). */
  idTaken: (id: string) => boolean;
  /** The live document already carrying this 文号, if any. */
  docNoOwner: (docNo: string) => string | null;
}

export function proposeDocument(raw: string, options: ProposeOptions): Proposal {
  const cleaned = cleanLines(raw.split('\n').map((text, i) => ({ no: i + 1, text })));
  const lines = cleaned.map((l) => l.text);
  const body = lines.join('\n');
  const docNo = findDocNo(lines);
  const title = findTitle(lines, docNo);
  const issuers = findIssuers(lines);
  const dateLine = lastDateLine(lines);
  const date = dateLine >= 0 ? parseChineseDate(lines[dateLine]!) : null;
  const region = regionOf(issuers, docNo, title);
  const statements = findDateStatements(body);
  const start = statements.find((s) => s.kind === 'start');
  const end = statements.find((s) => s.kind === 'end' && s.date);
  const inner = title ? innerTitle(title) : null;
  const quoted = title ? [...title.matchAll(/《([^》]+)》/g)].map((m) => m[1]!) : [];
  const meta: DocumentMeta = {
    id: proposeId(region, docNo, date, options.idTaken),
    title: title ?? options.filename.replace(/\.[^.]+$/, ''),
    aliases: [...new Set([...(inner ? [inner] : []), ...quoted])],
    docNo,
    issuers,
    date,
    region,
    personas: personasOf(body),
    validity: {
      start: start ? (start.date ?? date) : date,
      end: end?.date ?? null,
      endText: end ? end.sentence : null,
    },
    clauseValidity: [],
    source: { file: `upload:${options.filename}`, lines: [1, Math.max(1, raw.split('\n').length)] },
  };
  const clauses = parseClauses(meta.id, body, { validity: meta.validity, clauseValidity: [], ownTitles: [meta.title, inner ?? ''] });
  return { meta, body, clauses, problems: problemsOf(meta, body, clauses, options) };
}

/** What staff should look at: checked again on the corrected metadata before publishing. */
export function problemsOf(meta: DocumentMeta, body: string, clauses: Clause[], options: Pick<ProposeOptions, 'idTaken' | 'docNoOwner'>): Problem[] {
  const problems: Problem[] = [];
  const flat = body.replace(/\s+/g, '');
  if (!meta.docNo) problems.push({ code: 'no_doc_no', severity: 'warning', message: '没有找到文号（如 平人社〔2026〕9号）：请核对后填写；确无文号的文件可以不填' });
  else if (!flat.includes(meta.docNo)) problems.push({ code: 'doc_no_not_in_text', severity: 'warning', message: `文号 ${meta.docNo} 在正文中没有出现，请核对` });
  else {
    const owner = options.docNoOwner(meta.docNo);
    if (owner && owner !== meta.id) problems.push({ code: 'doc_no_taken', severity: 'warning', message: `文号 ${meta.docNo} 已属于已发布的文件 ${owner}：如是同一文件的新版本，请发布后把旧文件标为“已被取代”或撤回` });
  }
  if (!meta.date) problems.push({ code: 'no_date', severity: 'warning', message: '没有找到成文日期（如 2026年3月1日）：请核对后填写' });
  if (!meta.title.trim() || !/[\u4e00-\u9fff]/.test(meta.title)) problems.push({ code: 'no_title', severity: 'warning', message: '没有找到文件标题，请填写' });
  if (options.idTaken(meta.id)) problems.push({ code: 'id_taken', severity: 'error', message: `编号 ${meta.id} 已被使用，请换一个` });
  const numbered = clauses.filter((c) => c.path.length > 0);
  if (numbered.length === 0) problems.push({ code: 'no_clauses', severity: 'warning', message: '没有识别出编号条款（一、（一）1. 第X条）：回答只能整段引用正文' });
  const empty = clauses.filter((c) => c.text.replace(/[\s\p{P}]/gu, '').length < 2);
  if (clauses.length === 0 || empty.length === clauses.length) problems.push({ code: 'empty_clauses', severity: 'error', message: '正文为空，没有可引用的内容' });
  else for (const c of empty.slice(0, 5)) problems.push({ code: 'empty_clause', severity: 'warning', message: `条款 ${c.label} 没有内容` });
  const odd = unreadableShare(body);
  if (odd > 0.05 || body.includes('\ufffd')) problems.push({ code: 'unreadable', severity: 'error', message: `正文有 ${(odd * 100).toFixed(0)}% 的字符无法识别（乱码）：请检查文件编码或换用 Word 文件` });
  for (const q of [meta.validity.endText, ...meta.clauseValidity.map((c) => c.endText)]) {
    if (q && !flat.includes(q.replace(/\s+/g, ''))) problems.push({ code: 'end_text_not_in_text', severity: 'error', message: `有效期原文“${q.slice(0, 40)}”在正文中找不到：请按正文原样填写` });
  }
  const declared = new Set([meta.validity.start, meta.validity.end, ...meta.clauseValidity.map((c) => c.end)]);
  for (const s of findDateStatements(body)) {
    if (s.date && !declared.has(s.date)) problems.push({ code: 'date_not_recorded', severity: 'warning', message: `正文写了${s.kind === 'end' ? '截止' : '起始'}日期 ${s.date}，有效期中没有记录：${s.sentence.slice(0, 60)}` });
  }
  return problems;
}
