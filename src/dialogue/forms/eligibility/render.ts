/**
 * The calculator's results as one reply a person can read on a phone: what they can get (amount and
 * arithmetic), what they cannot and why (one line), what has expired, what is still undecided, each
 * with its source; the documents' full titles at the end and every source in `citations`.
 * Every figure shown is one the calculator returned; nothing is computed here.
 */
import type { Citation, Region, Reply } from '../../../core/types.js';
import { formatDateZh } from '../../../eligibility/dates.js';
import { yuan } from '../../../eligibility/money.js';
import type { QuestionBook } from '../../../eligibility/questions.js';
import type { ProgramResult } from '../../../eligibility/types.js';
import type { EligibilityFormConfig } from './config.js';
import { bookTitle, compactCitationText } from '../../../knowledge/citation-text.js';

export interface RenderInput {
  results: ProgramResult[];
  /** Programmes of the persona not evaluated (no fact pointed to them), for the closing hint. */
  more: string | null;
  /** "2023年7月毕业" … : what the answer is based on. */
  facts: string[];
  region: Region;
  regionDefaulted: boolean;
  asOf: string;
  /** Fields asked but not answered, or not asked because of the question limit. */
  unknown: string[];
  cfg: EligibilityFormConfig;
  questions: QuestionBook;
}

type Kind = 'eligible' | 'failed' | 'expired' | 'undecided';

export function kindOf(r: ProgramResult): Kind {
  if (r.expired) return 'expired';
  if (r.eligible) return 'eligible';
  if (r.reasons.some((x) => x.startsWith('不符合：'))) return 'failed';
  return 'undecided';
}

export function fieldLabel(field: string, cfg: EligibilityFormConfig, questions: QuestionBook): string {
  return cfg.labels[field] ?? questions.get(field)?.prompt.replace(/[？?].*$/, '') ?? field;
}

/** "平人社办函〔2023〕31号 附件《…》" — the document number (or title) and the clause. */
export function citeText(c: Citation): string {
  return compactCitationText(c);
}

/** Drops the trailing "（文号 条款）" a calculator reason ends with (nested brackets allowed). */
export function stripRef(reason: string): { text: string; ref: string | null } {
  const s = reason.trim();
  if (!s.endsWith('）')) return { text: s, ref: null };
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const ch = s[i];
    if (ch === '）') depth++;
    else if (ch === '（') {
      depth--;
      if (depth === 0) {
        const inner = s.slice(i + 1, -1);
        if (/〔\d{4}〕|号|《/.test(inner)) return { text: s.slice(0, i), ref: inner };
        return { text: s, ref: null };
      }
    }
  }
  return { text: s, ref: null };
}

const PREFIX = /^(符合|不符合|待核实|待补充|说明)：/;

function firstReason(r: ProgramResult, prefix: string): { text: string; ref: string | null } | null {
  const found = r.reasons.find((x) => x.startsWith(prefix));
  return found ? stripRef(found.replace(PREFIX, '')) : null;
}

/** The arithmetic, unless it only repeats the title and amount ("一次性求职创业补贴 300 元"). */
function arithmeticOf(r: ProgramResult): string | null {
  if (!r.arithmetic) return null;
  // a label and one amount: nothing more than the headline says
  if (/^[^\d]*\d[\d,.]*\s*元$/.test(r.arithmetic)) return null;
  return r.arithmetic;
}

function eligibleLines(n: number, r: ProgramResult, cfg: EligibilityFormConfig, questions: QuestionBook): string[] {
  const head = r.amount !== null ? `${n}. ${r.title}：${yuan(r.amount)}` : `${n}. ${r.title}：符合条件`;
  const lines = [head];
  const arith = arithmeticOf(r);
  if (arith) lines.push(`   计算：${arith}`);
  else if (r.amount === null) {
    const note = firstReason(r, '说明：');
    if (note) lines.push(`   ${note.text}`);
  }
  const verify = (r.missing ?? []).map((f) => fieldLabel(f, cfg, questions));
  if (verify.length) lines.push(`   待核实：${verify.join('、')}`);
  const cite = r.citations[0];
  if (cite) lines.push(`   依据：${citeText(cite)}`);
  return lines;
}

function failedLine(n: number, r: ProgramResult): string {
  const why = firstReason(r, '不符合：');
  const ref = why?.ref ?? (r.citations[0] ? citeText(r.citations[0]) : null);
  return `${n}. ${r.title}：${why?.text ?? '不符合条件'}${ref ? `（${ref}）` : ''}`;
}

function expiredLine(n: number, r: ProgramResult): string {
  const end = r.expired ? formatDateZh(r.expired.end) : '';
  const reason = r.reasons.find((x) => x.includes('到期（')) ?? '';
  const m = /到期（(.+?)：“/.exec(reason);
  const ref = m?.[1] ?? (r.citations[0] ? citeText(r.citations[0]) : null);
  return `${n}. ${r.title}：已于${end}到期，不再受理${ref ? `（${ref}）` : ''}`;
}

function undecidedLine(n: number, r: ProgramResult, cfg: EligibilityFormConfig, questions: QuestionBook): string {
  const need = (r.missing ?? []).map((f) => fieldLabel(f, cfg, questions));
  const cite = r.citations[0];
  return `${n}. ${r.title}：还需要知道${need.length ? need.join('、') : '更多情况'}${cite ? `（${citeText(cite)}）` : ''}`;
}

export function renderResults(input: RenderInput): Reply {
  const { cfg, questions } = input;
  const groups: Record<Kind, ProgramResult[]> = { eligible: [], failed: [], expired: [], undecided: [] };
  for (const r of input.results) groups[kindOf(r)].push(r);
  const shown = [...groups.eligible, ...groups.failed, ...groups.expired, ...groups.undecided].slice(0, cfg.max_results);
  const hidden = input.results.length - shown.length;
  const isShown = (r: ProgramResult) => shown.includes(r);

  const out: string[] = [];
  out.push(`按您说的情况测算（${input.region}，${formatDateZh(input.asOf)}）：`);
  if (input.regionDefaulted) out.push(`· 您没有说在哪里，按${input.region}的政策测算`);
  if (input.facts.length) out.push(`· ${input.facts.join('；')}`);

  let n = 0;
  const section = (title: string, rs: ProgramResult[], line: (r: ProgramResult) => string[]) => {
    const visible = rs.filter(isShown);
    if (!visible.length) return;
    out.push('', title);
    for (const r of visible) out.push(...line(r));
  };
  section('【可以申请】', groups.eligible, (r) => eligibleLines(++n, r, cfg, questions));
  section('【不符合】', groups.failed, (r) => [failedLine(++n, r)]);
  section('【已到期】', groups.expired, (r) => [expiredLine(++n, r)]);
  section('【还不能确定】', groups.undecided, (r) => [undecidedLine(++n, r, cfg, questions)]);
  if (hidden > 0) out.push(`（另有${hidden}项不一一列出，可以问我具体政策。）`);

  const decided = groups.eligible.length + groups.failed.length + groups.expired.length;
  if (decided === 0) {
    const need = [...new Set(input.results.flatMap((r) => r.missing ?? []))].map((f) => fieldLabel(f, cfg, questions));
    out.push('', `根据目前的信息还判断不了${need.length ? `，还需要知道：${need.join('、')}` : ''}。可以回复“我能领什么补贴”重新测算，或拨打12333人社服务热线咨询。`);
  } else if (input.unknown.length) {
    out.push('', `以下情况会影响结果：${input.unknown.map((f) => fieldLabel(f, cfg, questions)).join('、')}。`);
  }
  if (input.more) out.push(input.more);

  const citations = uniqueCitations(input.results.filter(isShown).flatMap((r) => r.citations));
  const docs = new Map<string, string>();
  for (const c of citations) docs.set(c.docNo ?? c.title, c.title);
  if (docs.size) {
    out.push('', '依据文件：');
    for (const [key, title] of docs) out.push(key === title ? `· ${bookTitle(title)}` : `· ${key}${bookTitle(title)}`);
  }
  out.push('', '以上为初步测算，以人社部门审核为准；咨询电话12333。');
  return { text: out.join('\n'), citations };
}

function uniqueCitations(cs: Citation[]): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const c of cs) {
    const k = `${c.title}|${c.docNo ?? ''}|${c.clause ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(c);
  }
  return out;
}
