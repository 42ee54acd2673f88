/**
 * Cleaning of policy texts extracted from PDF/Word: layout noise out, facts kept.
 *
 * Input: the raw lines of a seed file (with their 1-based line numbers). Output: one paragraph or
 * table row per line, each remembering the source lines it came from. Rules, in order:
 *  - characters: full-width/no-break spaces → space; HTML tags, `<input type="checkbox">` (→ □),
 *    LaTeX `$\times 9$` (→ ×9), markdown headers/bold/bullets removed;
 *  - page numbers ("- 12 -", "— 3 —", lone digits) and blank lines dropped; TOC dot leaders removed;
 *  - table rows (tab-separated) stay one row per line, cells trimmed, trailing empty cells dropped;
 *  - spaces between Chinese and short numbers removed ("2023 年" → "2023年"), but not before or after
 *    phone numbers ("叶县：6110266", "王爱学 0371—69690326"); letter-spaced labels joined ("叶 县" → "叶县");
 *  - clause markers normalised: "(十) 推进" → "（十）推进";
 *  - a line that does not end a sentence and whose next line continues it is joined with it
 *    ("…省财政" + "厅 省农业农村厅…"); headings, titles, signatures, dates and list items are not;
 *  - an attachment list ("附件：1. … / 2. …") becomes one line.
 */

export interface RawLine {
  /** 1-based line number in the source file; 0 for lines inserted by the import manifest. */
  no: number;
  text: string;
}

export interface CleanLine {
  text: string;
  /** First and last source line this line was built from. */
  from: number;
  to: number;
  /** True for lines that come from the import manifest rather than from the source. */
  inserted: boolean;
  table: boolean;
}

export interface JoinDecision {
  line: number;
  joined: boolean;
  tail: string;
  head: string;
}

export interface CleanOptions {
  /** Source line numbers after which a break must be kept even if the heuristics would join. */
  keepBreakAfter?: number[];
  /** Source line numbers after which the next line must be joined. */
  joinAfter?: number[];
  /** Receives every join decision taken on a non-terminated line (for review). */
  onJoinDecision?: (d: JoinDecision) => void;
}

const CJK = '\\u3400-\\u9fff\\uf900-\\ufaff';
const CJK_PUNCT = '\\u3000-\\u303f\\uff00-\\uffef“”‘’—…·';
const CJK_RE = new RegExp(`[${CJK}]`);

/** Clause markers at the start of a line (after normalisation). */
export const MARKER_START_RE =
  /^(第[一二三四五六七八九十百零〇两\d]+[章节条]|第[一二三四五六七八九十]+部分|[一二三四五六七八九十百]+、|[（(]\s*[一二三四五六七八九十百]+\s*[)）]|\d{1,3}\s*[.．、](?!\d)|[（(]\s*\d{1,3}\s*[)）]|[①-⑳])/;

const TERMINAL_END_RE = /([。；：！？!?;:]|[。；：！？!?][”’」』）)]*)$/;
const OPEN_END_RE = /[，,、（(“‘《〈\-—]$/;
const DATE_LINE_RE = /^\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?\s*(印发)?$/;
const DOCNO_LINE_RE = /^[\u4e00-\u9fff]{1,12}[〔[]\d{4}[〕\]]\s*\d+\s*号$/;
const TITLE_END_RE =
  /(通\s*知|方案|办法|规程|细则|要点|措施|意见|汇编|文件|清单|表|申请书|授权书|承诺书|推荐书|决议书|条件|分工|标准|指标|（试行）|\(试行\)|一封信|渠道|政策|》)$/;
const ORG_END_RE =
  /(局|厅|委员会|办公室|小组|部|人民政府|分行|支行|中心|总工会|管委会|委|院|学校|公司|事业部|处|科|组)$/;
const BLOCK_START_RE = new RegExp(
  [
    '^[（(]此件',
    '^[（(]联系单位',
    '^附\\s*件',
    '^(联系人|联系电话|联系方式|电子邮箱|邮箱|主办|督办|抄送|备注|注[：:]|填报)',
    '^各.{2,120}[：:]$',
    '^为(深入|贯彻|进一步|加快|促进|全面|压实|加强|高质量|支持|规范|保障|加速)',
    '^现将',
    '^第[一二三四五六七八九十\\d]+步',
    '^——',
    '^#',
  ].join('|'),
);
/** "label：value" lines whose value is a number (phone lists, contact lines). */
const KEY_NUMBER_RE = /^[^，。；]{1,30}[：:]\s*[\d（(]/;
const PHONE_END_RE = /(\d[\d\s\-—]{6,}\d|[\w.-]+@[\w.-]+\.[a-z]{2,}|\bcom)$/i;

function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && CJK_RE.test(ch);
}

/** Removes HTML tags, LaTeX snippets and markdown decoration from a piece of text. */
function stripMarkup(s: string): string {
  return s
    .replace(/<input[^>]*type="checkbox"[^>]*\/?>/gi, '□')
    .replace(/<\/(p|li|ol|ul|div)>\s*<(p|li|ol|ul|div)[^>]*>/gi, ' ')
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
    .replace(/\$\\times\s*([^$]*)\$/g, '×$1')
    .replace(/\$([^$]+)\$/g, '$1')
    .replace(/\*\*/g, '');
}

/** Spaces between Chinese and short numbers go; spaces around phone numbers and between words stay. */
function normaliseSpacing(s: string): string {
  let out = s.replace(/[ \u00a0\u3000]+/g, ' ').trim();
  // CJK (or CJK punctuation) followed by space and a number/word.
  out = out.replace(
    new RegExp(`([${CJK}${CJK_PUNCT}]) (?=([0-9A-Za-z][0-9A-Za-z.%+\\-—]*))`, 'g'),
    (m, pre: string, _la: string, offset: number, whole: string) => {
      const token = /^[0-9A-Za-z][0-9A-Za-z.%+\-—]*/.exec(whole.slice(offset + m.length))?.[0] ?? '';
      return isLongNumber(token) || /^\d{1,3}\.$/.test(token) ? m : pre; // keep "…开设 2. 每年…"
    },
  );
  out = out.replace(new RegExp(`([${CJK}]) (?=\\()`, 'g'), '$1');
  // number/word followed by space and CJK.
  out = out.replace(
    new RegExp(`([0-9A-Za-z%+)）]) (?=[${CJK}${CJK_PUNCT}])`, 'g'),
    (m, pre: string, offset: number, whole: string) => {
      const before = /[0-9A-Za-z.%+\-—@]*$/.exec(whole.slice(0, offset + 1))?.[0] ?? '';
      return isLongNumber(before) ? m : pre;
    },
  );
  // Spaces just inside brackets / around full-width punctuation.
  out = out.replace(new RegExp(`([（《“]) `, 'g'), '$1').replace(new RegExp(` ([）》”，。；：、！？])`, 'g'), '$1');
  out = out.replace(new RegExp(`([，。；：、！？]) (?=[${CJK}])`, 'g'), '$1');
  // 郟 is the traditional form of 郏 (郏县) left by the PDF fonts.
  out = out.replace(/郟/g, '郏');
  return joinSpacedLabel(out);
}

/** Phone numbers, area codes ("0371"), long codes and e-mail addresses keep their surrounding spaces. */
function isLongNumber(token: string): boolean {
  const digits = token.replace(/[^0-9]/g, '');
  return digits.length >= 5 || /^0\d{2,3}/.test(token) || token.includes('@');
}

/** "叶 县：6110266" → "叶县：6110266"; "第一章 总 则" → "第一章 总则"; "姓 名" → "姓名". */
function joinSpacedLabel(s: string): string {
  const re = new RegExp(`(?<![${CJK}])((?:[${CJK}] ){1,8}[${CJK}])(?![${CJK}])`, 'g');
  return s.replace(re, (run: string, _g: string, offset: number, whole: string) => {
    const chars = run.split(' ');
    if (chars.every((c) => '年月日第'.includes(c))) return run;
    const after = whole.slice(offset + run.length);
    // Only whole labels: the run ends the text or precedes a colon.
    if (after === '' || /^[：:]/.test(after)) return chars.join('');
    return run;
  });
}

/** "(十) 推进" → "（十）推进"; "（ 1 ）" → "（1）". */
function normaliseMarker(s: string): string {
  return s
    .replace(/^[(（]\s*([一二三四五六七八九十百]+)\s*[)）]\s*/, '（$1）')
    .replace(/^[(（]\s*(\d{1,3})\s*[)）]\s*/, '（$1）')
    .replace(/^(\d{1,3})\s*．\s*(?!\d)/, '$1. ');
}

function cleanInline(text: string): string {
  let s = stripMarkup(text);
  s = s.replace(/^\s*#{1,6}\s+/, '');
  s = s.replace(/^\s*[-*•]\s+/, '');
  // TOC dot leaders ("…通知..... 24", "……12")
  s = s.replace(/\s*(?:[.．·…]\s*){4,}\d*\s*$/, '');
  s = normaliseSpacing(s);
  return normaliseMarker(s);
}

export function isPageNoise(text: string): boolean {
  const t = text.trim();
  return (
    /^[-—–]*\s*\d{1,3}\s*[-—–]*$/.test(t) ||
    /^第\s*\d{1,3}\s*页(\s*共\s*\d+\s*页)?$/.test(t) ||
    /^[-—–]\s*\d{1,3}\s*[-—–]$/.test(t)
  );
}

function isHeadingLike(a: string): boolean {
  return MARKER_START_RE.test(a) && !/[，。；,;]/.test(a) && a.length <= 24;
}

/** Decides whether line `a` (not ending a sentence) continues on line `b`. */
export function continuesOnNextLine(a: string, b: string): boolean {
  if (/^[，,、。；;：:！？!?）)》”’%]/.test(b)) return true;
  if (TERMINAL_END_RE.test(a) || /[_＿]$/.test(a)) return false;
  if (MARKER_START_RE.test(b) || BLOCK_START_RE.test(b)) return false;
  if (DATE_LINE_RE.test(b) || DOCNO_LINE_RE.test(b) || KEY_NUMBER_RE.test(b)) return false;
  if (OPEN_END_RE.test(a)) return true;
  if (/^[^，。；、\s]{2,6}[：:]/.test(b) || /^年\s*月\s*日$/.test(b)) return false; // "副组长：…", form fields
  if (b.length <= 12 && /[：:]$/.test(b)) return false;
  // A citation continued on the next line: "落实《…的通知》" + "(豫就业组〔2023〕1号),根据…".
  if (/^[（(][^）)]{0,12}[〔[]\d{4}[〕\]]/.test(b)) return true;
  // Inside a book title: "关于印发《河南省县域农民工" + "市民化质量提升行动实施方案》的通知".
  if (count(a, '《') > count(a, '》')) return true;
  // A fragment ending quickly in punctuation ("训。依托…") is the end of a broken word.
  const firstStop = b.search(/[。，；：、,;]/);
  const stopLimit = b[firstStop] === '、' ? 1 : 3;
  if (firstStop >= 1 && firstStop <= stopLimit && isCjk(a.at(-1)) && !(isHeadingLike(a) && a.length < 20)) return true;
  if (/[)）]$/.test(a)) return false;
  if (DATE_LINE_RE.test(a) || DOCNO_LINE_RE.test(a) || /^附\s*件/.test(a)) return false;
  if (KEY_NUMBER_RE.test(a) || PHONE_END_RE.test(a)) return false;
  if (a.length <= 45 && /^[^，。；、\s]{2,8}[：:]/.test(a)) return false; // "副组长：厅领导…"
  // A long paragraph that stops without punctuation was cut by a page break.
  if (a.length > 45) return true;
  if (a.length < 14) return false;
  if (TITLE_END_RE.test(a) || ORG_END_RE.test(a)) return false;
  if (new RegExp(`^[${CJK}]{2,4} `).test(a)) return false; // "姓名 职务" lines
  if (isHeadingLike(a)) return false;
  return true;
}

function count(s: string, ch: string): number {
  return s.split(ch).length - 1;
}

interface Work {
  text: string;
  from: number;
  to: number;
  inserted: boolean;
  table: boolean;
}

/** Cleans raw lines of one document (see the module comment for the rules). */
export function cleanLines(raw: RawLine[], options: CleanOptions = {}): CleanLine[] {
  const keep = new Set(options.keepBreakAfter ?? []);
  const force = new Set(options.joinAfter ?? []);
  const work: Work[] = [];
  for (const line of raw) {
    const text = line.text.replace(/\r/g, '').replace(/\ufeff/g, '');
    const inserted = line.no === 0;
    if (text.includes('\t')) {
      const cells = text
        .split('\t')
        .map((c) => normaliseSpacing(stripMarkup(c)))
        .map((c) => (/^[-:—=|]+$/.test(c) ? '' : c)); // markdown table rules ("-----")
      while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
      if (cells.length === 0 || cells.every((c) => c === '')) continue;
      // A row reduced to one cell keeps a leading tab, so that it is still read as a table row
      // (its "1." is a cell's text, not a clause marker).
      if (cells.length === 1) cells.unshift('');
      work.push({ text: cells.join('\t'), from: line.no, to: line.no, inserted, table: true });
      continue;
    }
    if (text.trim() === '' || isPageNoise(text) || /^\s*[-=*]{3,}\s*$/.test(text)) continue;
    const cleaned = cleanInline(text);
    if (cleaned === '') continue;
    work.push({ text: cleaned, from: line.no, to: line.no, inserted, table: false });
  }

  // Join lines broken mid-sentence.
  const joined: Work[] = [];
  for (const w of work) {
    const prev = joined[joined.length - 1];
    if (prev && !prev.table && !w.table && !prev.inserted && !w.inserted) {
      let join: boolean;
      if (force.has(prev.to)) join = true;
      else if (keep.has(prev.to)) join = false;
      else join = continuesOnNextLine(prev.text, w.text);
      if (!TERMINAL_END_RE.test(prev.text) || join) {
        options.onJoinDecision?.({ line: prev.to, joined: join, tail: prev.text.slice(-24), head: w.text.slice(0, 24) });
      }
      if (join) {
        prev.text = glue(prev.text, w.text);
        prev.to = w.to;
        continue;
      }
    }
    joined.push({ ...w });
  }

  // Attachment lists: "附件：1. A" + "2. B" (+ continuation lines) → one line.
  const out: Work[] = [];
  let listOpen = false;
  for (const w of joined) {
    const prev = out[out.length - 1];
    if (listOpen && prev && !w.table && !w.inserted) {
      const item = /^\d{1,2}\s*[.．、](?!\d)/.test(w.text) && w.text.length < 90 && !w.text.includes('。');
      const cont =
        /^[（(]附件/.test(w.text) ||
        (!MARKER_START_RE.test(w.text) &&
          !DATE_LINE_RE.test(w.text) &&
          !/^附\s*件/.test(w.text) &&
          !/[。，；]/.test(w.text) &&
          w.text.length <= 30 &&
          /\d\s*[.．、]/.test(prev.text) &&
          !ORG_END_RE.test(w.text));
      if (item || cont) {
        prev.text = `${prev.text} ${w.text}`;
        prev.to = w.to;
        continue;
      }
    }
    listOpen = !w.table && /^附\s*件\s*[：:]/.test(w.text);
    out.push({ ...w });
  }
  return out.map((w) => ({ text: w.text, from: w.from, to: w.to, inserted: w.inserted, table: w.table }));
}

function glue(a: string, b: string): string {
  const left = a.at(-1);
  const right = b[0];
  // Keep a space only between two Latin letters/digits ("LPR+150BP" + "标准" needs none).
  if (left && right && /[0-9A-Za-z]/.test(left) && /[0-9A-Za-z]/.test(right)) return `${a} ${b}`;
  return a + b;
}

/** Digit runs of a text with all whitespace removed: used to prove that no figure was lost. */
export function digitSequence(text: string): string[] {
  return text.replace(/\s+/g, '').match(/\d+/g) ?? [];
}
