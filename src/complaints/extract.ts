/**
 * What one message of a wage-arrears complaint says, in the worker's own words: who owes the money
 * (a named 厂/公司, a 包工头, or only "一个纸箱厂"), the site or project, the county, whether it is a
 * construction job and its general contractor, the amounts (total, per person, per month, per day,
 * a correction "准数是20350", several people "我五千 我兄弟四千五"), the period, how many workers,
 * the phone, the worker's name, the evidence, and signs that the dispute is about to escalate.
 *
 * Numbers, amounts, durations, dates, head counts, phone numbers, places and short replies come from
 * src/nlu (entities, numbers); this module only reads the names and flags around them. What a bare
 * answer to one question fills ("叫鑫达包装", "8", "没有") is each slot's `read` in slots.ts. Pure.
 */
import type { Entities, Place } from '../nlu/entities.js';
import { wageWordsSource } from '../nlu/lexicon.js';
import { NUMERAL, parseCount, parseNumeral } from '../nlu/numbers.js';

export type AmountPer = 'total' | 'person' | 'month' | 'day';

export interface AmountFact {
  value: number;
  per: AmountPer;
  /** 每人每月三千: a monthly rate that is also per person. */
  perPersonToo: boolean;
  approx: boolean;
  text: string;
}

export interface PeriodFact {
  /** As the worker put it, with the dates worked out: "从去年十月到现在（2025-10至2026-11）". */
  text: string;
  months: number | null;
  days: number | null;
  approx: boolean;
}

export interface PhoneFact {
  value: string;
  valid: boolean;
  problem: 'too_short' | 'too_long' | 'bad_prefix' | null;
  length: number;
  landline: boolean;
}

export interface CountyFact {
  /** Canonical name: 叶县, 舞钢市, 湛河区, or a city outside (郑州市). */
  name: string;
  text: string;
  /** Only the city was named (平顶山): the county is still to be asked. */
  cityOnly: boolean;
  /** Outside 平顶山 / 济宁. */
  outside: boolean;
}

export type ReplyKind = 'affirm' | 'deny' | 'skip' | null;

export interface PersonAmount {
  /** As the worker named them: 我, 我兄弟, 老李. */
  who: string;
  value: number;
  approx: boolean;
}

export interface Facts {
  /** A proper name: 宏达机械厂, 鑫达包装, 丰源牧业. */
  employer?: string;
  /** The county said as part of the name ("叶县鑫达纸箱厂"): kept with it on the ticket. */
  employerPlace?: string;
  /** A person who hired them: 包工头王某, 老板李建军, 王总. */
  foreman?: string;
  /** Only a description: 纸箱厂, 养殖场, 包工头. */
  employerKind?: string;
  /** 工地 / 项目 / 园区 name: 恒通物流园项目. */
  site?: string;
  county?: CountyFact;
  isConstruction?: boolean;
  generalContractor?: string;
  amounts: AmountFact[];
  /** "准数是20350", "不对，是19800", "说错了 18000": the total, replacing what was said before. */
  correction?: AmountFact;
  /** "我五千 我兄弟四千五": each person with their own amount. */
  people?: PersonAmount[];
  period?: PeriodFact;
  workers?: { count: number; approx: boolean };
  phones: PhoneFact[];
  workerName?: string;
  /** Kinds of evidence; [] when the worker says there is none. */
  evidence?: string[];
  /** Words that show the dispute may escalate (要跳楼, 堵门, 集体讨薪 …). */
  escalation: string[];
  reply: ReplyKind;
  /** The asked slot was answered with "no / don't know / won't say". */
  declined?: boolean;
  /** The message asks something (吗, 怎么, ？ …) rather than only answering. */
  question: boolean;
  /** "不知道叫啥": the worker does not know the employer's name. */
  nameUnknown?: boolean;
}

export interface ExtractOptions {
  /** The slot the form asked about last (a bare answer fills it), or null. */
  asking: string | null;
  /** The complaint is about a construction job: a bare surname names the 包工头 rather than the 老板. */
  construction?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/** Common single-character surnames; ambiguous everyday characters (和, 成, 都, 来, 那 …) left out. */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵严覃武戴莫孔汤常温康施牛樊葛邢齐乔伍庞颜倪庄聂章岳翟殷詹申欧耿关兰焦俞左柳甘祝宁尚舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆路辛靳管柴鲍喻祁蒲房滕屈饶牟艾尤穆司卓缪车项芦褚娄窦戚岑党宫费卜冷晏卫米柏宗瞿桂佟臧闵苟邬卞姬栾隋刁荣巫寇桑郎甄仲虞敖巩佘池麻苑迟邝封匡鞠惠荆冀郁胥栗燕楚鄢谌奚皮粟蔺阚权帅屠豆朴练禹井祖漆巴丰支卿狄计宣晋扈晁芮阙浦雍辜裘亓邰赫杭逯茹慕亢嵇茅揭尉冶檀衣';
const SURNAME = `[${SURNAMES}]`;

/** Words that end a place of work, longest first within each group. Chains (物流园项目) are one name. */
const SITE_KINDS = ['项目部', '项目', '工地', '工程', '标段', '小区', '家园', '花园', '广场', '大厦', '商城', '物流园', '产业园', '工业园', '科技园', '园区'];
const EMPLOYER_KINDS = [
  '有限责任公司', '有限公司', '股份公司', '集团公司', '集团', '公司',
  '加工厂', '制品厂', '厂子', '厂',
  '养殖场', '养猪场', '养鸡场', '养殖基地', '种植基地', '家庭农场', '牧场', '农场', '基地', '专业合作社', '合作社', '牧业', '农家乐',
  '饭店', '酒店', '宾馆', '餐馆', '饭馆', '超市', '商场', '门市', '门店', '店',
  '煤矿', '矿', '医院', '学校', '物业', '车队', '作坊', '车间',
];
const ALL_KINDS = [...SITE_KINDS, ...EMPLOYER_KINDS].sort((a, b) => b.length - a.length);
/** Kinds followed by these are something else: 工程款, 项目经理, 厂长, 店长, 矿工 … */
const KIND_NOT_BEFORE = '(?!款|师|队长|量|经理|负责人|长|主|工(?!地)|里的人)';
const PHASE = '(?:[一二三四五六七八九十\\d]+(?:期|标段|号楼|号地块))?';
const KIND_CHAIN = new RegExp(`(?:${ALL_KINDS.join('|')})(?:(?:${ALL_KINDS.join('|')}))*${PHASE}${KIND_NOT_BEFORE}`, 'gu');

const CONSTRUCTION_SITE_KINDS = new Set(['项目部', '项目', '工地', '工程', '标段']);

/** Product or trade words that describe a 厂 without naming it: 纸箱厂, 机械厂, 砖厂. */
const GENERIC_WORDS = [
  '纸箱', '纸品', '包装', '机械', '服装', '制衣', '鞋', '砖', '瓦', '水泥', '家具', '木材', '木器', '食品', '面粉',
  '塑料', '钢材', '钢铁', '铸造', '陶瓷', '化工', '电子', '玻璃', '石料', '石材', '预制板', '加工', '养猪', '养鸡',
  '养殖', '建筑', '劳务', '物流', '快递', '装修', '装饰', '印刷', '纺织', '煤',
];

/** Where a name stops on its left: prepositions, pronouns, verbs of working, quantifiers. */
const LEFT_BOUNDARY =
  /(?:在|到|给|帮|替|跟|和|与|去|来|从|是|叫|的|了|我们|俺们|咱们|我|俺|咱|他|她|们|那个|这个|一个|个|一家|那家|这家|家|某|些|里|上|干活|干|做|打工|上班|上工|说|欠|拖|被|知道|清楚|晓得|记得|忘了|啥|什么)/gu;
const QUANTIFIER_BEFORE = /(?:一个|那个|这个|一家|那家|这家|个|家|某个|某|一处)$/u;

const SEGMENT_BREAK = /[\s，。,.!！?？;；:：、（）()“”"']/u;

/** 总包是中建七局 / 总承包单位：平煤建工. */
const GC_RE = new RegExp(
  '(?:总包|总承包)(?:单位|公司|方|商|企业)?(?:是|叫|为|:|：)?\\s*((?:[\\p{Script=Han}A-Za-z0-9]){2,24}?)(?=[\\s，。,.!！;；]|$|的|欠|没|不|负责)',
  'u',
);

const CONSTRUCTION_RE =
  /工地|项目部|工程|建筑|施工|盖楼|建楼|盖房|修路|修桥|架桥|钢结构|钢筋|扎筋|脚手架|搅拌站|瓦工|木工|架子工|砌墙|砌砖|抹灰|粉刷|装修|塔吊|包工头|总包|分包|标段|楼盘|工程款/u;
/** Workplaces that are not construction (unless construction words are present too). */
const NON_CONSTRUCTION_KINDS = new Set([
  '加工厂', '制品厂', '厂子', '厂', '养殖场', '养猪场', '养鸡场', '养殖基地', '种植基地', '家庭农场', '牧场', '农场', '专业合作社', '合作社', '牧业', '农家乐',
  '饭店', '酒店', '宾馆', '餐馆', '饭馆', '超市', '商场', '门市', '门店', '店', '煤矿', '矿', '医院', '学校', '物业',
  '车队', '作坊', '车间',
]);
const CONSTRUCTION_COMPANY = /建筑|建设|建工|劳务|工程|装饰|路桥|市政|钢构/u;

const EVIDENCE: Array<[string, RegExp]> = [
  ['劳动合同', /劳动合同|用工合同|合同|协议/u],
  ['考勤记录', /考勤|打卡|记工|工时|出勤|点工单/u],
  ['欠条', /欠条|白条|欠据|打了条|写了条|打的条|条子/u],
  ['工资条', /工资条|工资单|工资表/u],
  ['聊天记录', /聊天记录|微信记录|聊天|短信|微信/u],
  ['录音录像', /录音|录像|视频/u],
  ['照片截图', /照片|拍照|截图/u],
  ['转账记录', /转账|银行流水|流水|打款记录|支付宝/u],
  ['工友证人', /证人|作证|工友都知道/u],
  ['工作证', /工作证|工牌|胸牌|出入证/u],
];
const EVIDENCE_NEGATION_BEFORE = /(?:没|没有|无|未|不|都没)[^，。,.]{0,2}$/u;
const EVIDENCE_NEGATION_AFTER = /^(?:也|都|早)?(?:没|没有|无|删|丢|找不到|不在)/u;

const ESCALATION: Array<[RegExp, string]> = [
  [/跳楼|跳河|自杀|喝药|不想活|不活了|寻死|同归于尽|爬塔吊|上塔吊|以死/u, '人身安全风险'],
  [/堵门|围堵|堵路|堵他|闹事|拉横幅|打横幅|上访|打起来|动手|砸了|砸东西|拼命/u, '矛盾激化'],
  [/集体(?:讨薪|上访|去|堵|闹|停工|罢工|维权|要钱|找)|一起去(?:堵|闹|找|要)|都要去(?:堵|闹|找|要)|大家都急了/u, '群体性讨薪'],
];
const NEGATED_BEFORE = /(?:不|没|别|不会|不想|没有|不要|不打算)(?:去|要|再|会)?$/u;

/** A bare answer with these is a sentence about the case, not a name: 还有七八个老乡也没拿到. */
const NOT_A_NAME = new RegExp(`${wageWordsSource('owed', 'runaway', 'pay')}|干活|还有|也|我|俺|他们|老乡|工友|兄弟|[吗呢吧]$`, 'u');

const SKIP_RE =
  /^(?:不知道|不清楚|不记得|记不清|记不得|忘了|说不准|不确定|不晓得|不知|不说|不想说|不方便说|保密|没有名字|不知道名字|不知道叫啥|不知道叫什么|不懂|跳过|没问|没有了?|没了|无|没)(?:了|啊|呀|吧|哦)?$/u;
const QUESTION_RE = /[?？]|吗|嘛|怎么|咋|哪|什么|啥|多少|能不能|可不可以|是不是|有没有/u;

// ---------------------------------------------------------------------------------------------
// Helpers

interface Cut {
  start: number;
  end: number;
}

function clean(name: string): string {
  return name
    .replace(/^(?:就是|就叫|叫做|名叫|名字叫|名字是|全称是|全称|他叫|它叫|叫|是)/u, '')
    .replace(/^(?:那个|这个|那家|这家|一个|一家)/u, '')
    .replace(/(?:的|啊|呀|吧|呢|了|哈|哦|嘛)+$/u, '')
    .trim();
}

/** 宏达机械 → named (宏达); 纸箱, 小砖 → only a description. Trade words are stripped from the end. */
function isNamedPrefix(prefix: string): boolean {
  let rest = prefix;
  for (let changed = true; changed; ) {
    changed = false;
    for (const w of GENERIC_WORDS) {
      if (rest.endsWith(w)) {
        rest = rest.slice(0, -w.length);
        changed = true;
      }
    }
  }
  return [...rest].length >= 2;
}

/** Text of the message with the given spans blanked out (same length, so indexes still hold). */
function blank(text: string, cuts: Cut[]): string {
  let out = text;
  for (const c of cuts) out = out.slice(0, c.start) + ' '.repeat(Math.max(0, c.end - c.start)) + out.slice(c.end);
  return out;
}

function entitySpans(e: Entities): Cut[] {
  const spans: Cut[] = [];
  for (const list of [e.amounts, e.durations, e.dates, e.phones, e.landlines, e.idNumbers, e.places, e.tickets]) {
    for (const s of list) spans.push({ start: s.start, end: s.end });
  }
  if (e.people) spans.push({ start: e.people.start, end: e.people.end });
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Names: employer, foreman, site, general contractor

interface NameCandidate {
  full: string;
  /** The place written right before the name (叶县鑫达纸箱厂), if any. */
  placeBefore: string;
  kind: string;
  named: boolean;
  site: boolean;
  start: number;
}

function kindCandidates(text: string, places: Place[]): NameCandidate[] {
  const out: NameCandidate[] = [];
  for (const m of text.matchAll(KIND_CHAIN)) {
    const chain = m[0];
    const kind = ALL_KINDS.find((k) => chain.replace(new RegExp(`${PHASE}$`, 'u'), '').endsWith(k)) ?? chain;
    // The segment before the chain, back to a space or punctuation.
    let segStart = m.index;
    while (segStart > 0 && !SEGMENT_BREAK.test(text[segStart - 1] ?? '')) segStart--;
    const seg = text.slice(segStart, m.index);
    // Cut at the last boundary word or place name inside the segment.
    let cutAt = 0;
    let cutWord = '';
    for (const b of seg.matchAll(LEFT_BOUNDARY)) {
      if (b.index + b[0].length > cutAt) {
        cutAt = b.index + b[0].length;
        cutWord = seg.slice(0, cutAt);
      }
    }
    let keepPlace = '';
    for (const p of places) {
      const ps = p.start - segStart;
      const pe = p.end - segStart;
      if (ps >= 0 && pe <= seg.length && pe > cutAt) {
        cutAt = pe;
        cutWord = seg.slice(0, cutAt);
        keepPlace = p.text;
      }
    }
    const prefix = seg.slice(cutAt);
    const quantified = QUANTIFIER_BEFORE.test(cutWord);
    const named = !quantified && isNamedPrefix(prefix);
    // A company name may start with its county: 叶县鑫达包装有限公司.
    const withPlace = named && keepPlace && /公司|集团/u.test(kind) && cutWord.endsWith(keepPlace) ? keepPlace : '';
    const site = SITE_KINDS.some((k) => chain.includes(k)) && !EMPLOYER_KINDS.some((k) => kind === k);
    const placeBefore = keepPlace && cutWord.endsWith(keepPlace) && !withPlace ? keepPlace : '';
    out.push({ full: `${withPlace}${prefix}${chain}`, placeBefore, kind, named, site, start: segStart + cutAt });
  }
  return out;
}

const NAMING_RE = new RegExp(
  `(?:(我|俺|本人)|(包工头|工头|老板|老总|经理)|(${ALL_KINDS.join('|')}|厂子|单位|东家))?(?:的名字|名字)?(?:叫做|叫|名叫|全称是|名字是)\\s*([\\p{Script=Han}A-Za-z0-9]{2,24})`,
  'u',
);

function foremanOf(text: string): string | undefined {
  const role = (r: string): string => (/工头/u.test(r) ? '包工头' : r === '老总' ? '老板' : r);
  let m = new RegExp(`(包工头|工头|老板|老总)(?:叫|是|名叫|名字叫)\\s*(${SURNAME})([\\p{Script=Han}]{1,2})?`, 'u').exec(text);
  if (m) {
    const given = (m[3] ?? '').replace(/[的了欠跑不没在说他是也都还就把给].*$/u, '');
    return given.length > 0 ? `${role(m[1] ?? '')}${m[2]}${given}` : `${role(m[1] ?? '')}${m[2]}某`;
  }
  m = new RegExp(`(包工头|工头|老板|老总)姓(${SURNAME})`, 'u').exec(text);
  if (m) return `${role(m[1] ?? '')}${m[2]}某`;
  m = new RegExp(`姓(${SURNAME})的(包工头|工头|老板)`, 'u').exec(text);
  if (m) return `${role(m[2] ?? '')}${m[1]}某`;
  m = new RegExp(`(包工头|工头)老(${SURNAME})`, 'u').exec(text);
  if (m) return `包工头${m[2]}某`;
  // 包工头王二欠钱不给, 老板刘建军跑了: the name right after the role.
  m = new RegExp(`(包工头|工头|老板)(${SURNAME})([\\p{Script=Han}]{1,2})?`, 'u').exec(text);
  if (m && !/^[们娘家]/u.test(m[2] ?? '')) {
    const given = (m[3] ?? '').replace(/[的了欠跑不没在说他是也都还就把给拖钱].*$/u, '');
    return given.length > 0 ? `${role(m[1] ?? '')}${m[2]}${given}` : `${role(m[1] ?? '')}${m[2]}某`;
  }
  m = new RegExp(`(${SURNAME})(包工头|工头|老板|总(?![共计包承是价数体之]))`, 'u').exec(text);
  if (m && !/(?:大|小|老|这|那|的|新|原|前|给|跟|找|问|和|对)$/u.test(text.slice(0, m.index))) {
    const r = m[2] === '总' ? '' : role(m[2] ?? '');
    return r ? `${r}${m[1]}某` : `${m[1]}总`;
  }
  return undefined;
}

function readNames(text: string, e: Entities, facts: Facts): void {
  let rest = text;
  const gc = GC_RE.exec(rest);
  if (gc?.[1]) {
    const name = clean(gc[1]);
    if (name.length >= 2 && !/^(?:单位|公司|是谁|不知道|不|没|也|都|还|就|管|说)/u.test(name)) facts.generalContractor = name;
    rest = blank(rest, [{ start: gc.index, end: gc.index + gc[0].length }]);
  }

  const foreman = foremanOf(rest);
  if (foreman) facts.foreman = foreman;

  const naming = NAMING_RE.exec(rest);
  if (naming && !naming[1]) {
    const name = clean((naming[4] ?? '').replace(/(?:欠|没|不|拖|跑|在|说).*$/u, ''));
    if (naming[2]) {
      // 老板叫王建军: a person, handled by foremanOf when it starts with a surname.
      if (!facts.foreman && name.length >= 2) facts.foreman = `${/工头/u.test(naming[2]) ? '包工头' : '老板'}${name}`;
    } else if (name.length >= 2) {
      facts.employer = name;
      if (naming[3] && naming[3] !== '单位' && naming[3] !== '东家' && naming[3] !== '厂子') facts.employerKind ??= naming[3];
      if (naming[3] === '厂子') facts.employerKind ??= '厂';
    }
    rest = blank(rest, [{ start: naming.index, end: naming.index + naming[0].length }]);
  }

  for (const c of kindCandidates(rest, e.places)) {
    if (c.site) {
      if (c.named) facts.site ??= c.full;
      else facts.employerKind ??= c.full;
    } else if (c.named) {
      if (!facts.employer) {
        facts.employer = c.full;
        if (c.placeBefore) facts.employerPlace = c.placeBefore;
      }
    } else {
      facts.employerKind ??= c.full;
    }
  }
  if (!facts.employer && !facts.foreman && !facts.employerKind && /包工头|工头/u.test(rest)) facts.employerKind = '包工头';
}

/**
 * Construction or not, from the names gathered so far: a 项目/工地 or a 建筑/劳务 company says yes,
 * a 厂/养殖场/饭店 says no; undefined when the names do not tell (the form asks).
 */
export function inferConstruction(names: { employer?: string | null; employerKind?: string | null; site?: string | null }): boolean | undefined {
  const { employer, employerKind, site } = names;
  if (site && [...CONSTRUCTION_SITE_KINDS].some((k) => site.includes(k))) return true;
  if (employer && CONSTRUCTION_COMPANY.test(employer)) return true;
  if (employerKind && (CONSTRUCTION_SITE_KINDS.has(employerKind) || employerKind === '包工头')) return true;
  const kindOfEmployer = employer ? ALL_KINDS.find((k) => employer.endsWith(k)) : undefined;
  // 砖厂, 纸箱厂: a description ends in its kind.
  const kindOfDescription = employerKind ? ALL_KINDS.find((k) => employerKind.endsWith(k)) : undefined;
  if (kindOfDescription && NON_CONSTRUCTION_KINDS.has(kindOfDescription)) return false;
  if (kindOfEmployer && NON_CONSTRUCTION_KINDS.has(kindOfEmployer)) return false;
  if (employer && /(?:牧业|农业|养殖|食品|包装|机械|纺织|服装|餐饮|超市|商贸|物流)$/u.test(employer)) return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Places, amounts, period, people, phones

function readCounty(e: Entities): CountyFact | undefined {
  const inService = (p: Place): boolean => p.scope === 'pingdingshan' || p.scope === 'jining';
  const county = e.places.find((p) => p.level === 'county' && inService(p)) ?? e.places.find((p) => p.level === 'county');
  if (county) return { name: county.name, text: county.text, cityOnly: false, outside: !inService(county) };
  const city = e.places.find((p) => p.level === 'city');
  if (city) return { name: city.name, text: city.text, cityOnly: inService(city), outside: !inService(city) };
  return undefined;
}

function readAmounts(text: string, e: Entities, asking: string | null): AmountFact[] {
  const out: AmountFact[] = [];
  for (const a of e.amounts) {
    if (a.certainty === 'weak' && a.value < 100 && asking !== 'amount') continue;
    const before = text.slice(Math.max(0, a.start - 8), a.start);
    let per: AmountPer = 'total';
    let perPersonToo = false;
    if (a.per === 'person') {
      per = 'person';
      if (/(?:每月|每个月|一个月|一月)/u.test(before)) {
        per = 'month';
        perPersonToo = true;
      }
    } else if (a.per === 'month' && /(?:\d+|[两二三四五六七八九十几半俩仨]+)个?多?月(?:的)?工资[^\d]{0,3}$/u.test(before)) {
      // 欠我两个月工资 五千六: the months owed, then the total (src/nlu reads 月工资 as a rate).
      per = 'total';
    } else if (a.per === 'month') {
      per = 'month';
      perPersonToo = /(?:每人|每个人|人均|一人)/u.test(before);
    } else if (a.per === 'day') {
      per = 'day';
      perPersonToo = /(?:每人|每个人|人均)/u.test(before);
    } else if (a.per === 'year') {
      // 一年挣三万: what the job pays, not what is owed; the total is asked.
      continue;
    }
    if (a.total) per = 'total';
    out.push({ value: a.value, per, perPersonToo, approx: a.approx, text: a.text });
  }
  return out;
}

/** "准数是20350", "具体是19800", "不对，是2万", "说错了 是18000", "金额是9000": the figure that replaces the last one. */
const CORRECTION_RE = new RegExp(
  `(?:(?:准数|准确|确切|具体|实际|其实|精确|金额|欠款|钱数|总数|一共|总共)(?:的)?(?:数|数字|金额|钱数)?(?:是|为|应该是|改成|:|：)|(?:准数|准确|确切|具体|实际|其实|精确)|改成|(?:不对|说错了|写错了|打错了|错了|更正)[，,\\s]*(?:应该|实际|其实)?(?:是|为)?)\\s*(${NUMERAL})(多|来|出头)?\\s*(?:块钱|块|元)?(?![\\d.零〇一二两三四五六七八九十百千万]|\\s*(?:个|人|名|位|月|天|年|号|岁|日|期|楼))`,
  'u',
);

function readCorrection(text: string, e: Entities): AmountFact | undefined {
  const m = CORRECTION_RE.exec(text);
  if (!m) return undefined;
  const at = m.index + m[0].length - m[1]!.length;
  // A phone number or a date is corrected elsewhere.
  if (e.phones.some((p) => at >= p.start && at < p.end) || e.landlines.some((p) => at >= p.start && at < p.end)) return undefined;
  const n = parseNumeral(m[1]!);
  if (!n || n.value < 100 || n.value > 10_000_000) return undefined;
  return { value: n.value, per: 'total', perPersonToo: false, approx: n.approx || Boolean(m[2]), text: m[0].trim() };
}

/** Who an amount belongs to, right before it: 我 / 俺 / 我兄弟 / 我媳妇 / 老李 / 他. */
const PERSON_AMOUNT_RE = new RegExp(
  `(?<=^|[\\s，,、；;。]|还有|和|跟)((?:我|俺)(?:的|家)?(?:兄弟|哥哥|哥|弟弟|弟|姐姐|姐|妹妹|妹|媳妇|老婆|爱人|对象|老公|男人|爸|妈|父亲|叔|舅|表哥|表弟|堂哥|堂弟|侄子|儿子|闺女|女儿|老乡|工友|同事|朋友|徒弟|师傅|伙计)|(?:我|俺|本人|他|她)(?:自己)?|(?:老|小)${SURNAME}|${SURNAME}(?:师傅|哥|姐))(?:的|是|欠|被欠|有|要)*\\s*(${NUMERAL})(多|来|出头)?\\s*(?:块钱|块|元)?(?!\\s*(?:个|人|名|位|月|天|年|号|岁|日|期|楼|\\d))`,
  'gu',
);

/** "我五千 我兄弟四千五", "老李4000 老张3500 我5000": two or more people, each with their own amount. */
function readPeople(text: string, e: Entities): PersonAmount[] | undefined {
  const out: PersonAmount[] = [];
  const inPhone = (at: number): boolean => [...e.phones, ...e.landlines].some((p) => at >= p.start && at < p.end);
  for (const m of text.matchAll(PERSON_AMOUNT_RE)) {
    const at = m.index + m[0].indexOf(m[2]!);
    if (inPhone(at)) continue;
    const n = parseNumeral(m[2]!);
    if (!n || n.value < 100 || n.value > 1_000_000) continue;
    let who = m[1]!;
    if (who === '俺' || who === '本人' || who === '我自己' || who === '俺自己') who = '我';
    out.push({ who, value: n.value, approx: n.approx || Boolean(m[3]) });
  }
  return out.length >= 2 && new Set(out.map((p) => p.who)).size === out.length ? out : undefined;
}

const OWED_NEAR = new RegExp(wageWordsSource('owed', 'pay'), 'u');

function readPeriod(text: string, e: Entities): PeriodFact | undefined {
  const durations = e.durations.filter((d) => !d.rate);
  const near = durations.find((d) => OWED_NEAR.test(text.slice(Math.max(0, d.start - 5), d.end + 5)));
  const d = near ?? durations.find((x) => x.from) ?? durations[0];
  if (d) {
    const dates = d.from ? `（${d.from}至${(d.to ?? '').slice(0, 7)}）` : '';
    return { text: `${d.text}${dates}`, months: d.months, days: d.days, approx: d.approx };
  }
  return undefined;
}

function readWorkers(text: string, e: Entities, asking: string | null): Facts['workers'] {
  const p = e.people;
  if (p) {
    // 少打了一位 (a digit missing), 第一位: not a head count.
    const before = text.slice(Math.max(0, p.start - 2), p.start);
    if (!(/位$/u.test(p.text) && /(?:少|多|打|输|第)$/u.test(before))) return { count: p.count, approx: p.approx };
  }
  if (asking === 'workers') {
    // A bare count: 8, 十二个, 七八个吧, 二十来个, 大概十几个.
    const bare = /^\s*(?:大概|大约|差不多|估计|有)?\s*(\d{1,4}|[一二两三四五六七八九十百俩仨]+)\s*(几|多|来)?\s*(?:个|人|位|个人)?\s*(左右|上下|吧|啊|呀|哦)?\s*$/u.exec(text);
    const n = bare ? parseCount(bare[1]!) : null;
    if (n && Number.isInteger(n.value) && n.value > 0) return { count: n.value, approx: n.approx || Boolean(bare![2]) || bare![3] === '左右' || bare![3] === '上下' };
    if (/^(?:没有|没|无)(?:了|啊|呀|吧)?$|^(?:就我|只有我|就俺|只有俺)/u.test(text.trim())) return { count: 1, approx: false };
  }
  // 没人跟我一起, 没别的工友: only the worker, whatever was asked.
  if (/没(?:有)?(?:人|别人|其他人|别的人|别的工友|其他工友)(?:跟|和|同)?|就我一个|只有我一个|就俺一个|(?:^|\s)(?:就|只有|只)(?:我|俺)(?:自己|一个人?)?(?:了|啊|吧)?$/u.test(text.trim())) return { count: 1, approx: false };
  return undefined;
}

function readPhones(e: Entities): PhoneFact[] {
  const mobiles = e.phones.map((p) => ({ value: p.value, valid: p.valid, problem: p.problem, length: p.length, landline: false }));
  const lines = e.landlines.map((l) => ({ value: l.value, valid: true, problem: null, length: l.value.replace(/\D/g, '').length, landline: true }));
  return [...mobiles, ...lines];
}

const NAME_STOP = /[工的人了在是县区市村镇厂老乡]|农民|师傅们/u;

function readWorkerName(text: string, e: Entities, asking: string | null): { name?: string; declined?: boolean } {
  const inPlace = (start: number): boolean => e.places.some((p) => start >= p.start && start < p.end);
  let m = new RegExp(`(?:我叫|俺叫|我的名字是|我名字叫|我是|俺是|本人)\\s*(${SURNAME})([\\p{Script=Han}]{0,2}?)(?=$|[\\s，。,.!！]|师傅|先生|女士)`, 'u').exec(text);
  if (m && !inPlace(m.index + m[0].length - (m[1]!.length + m[2]!.length)) && !NAME_STOP.test(`${m[1]}${m[2]}`)) {
    return { name: m[2] ? `${m[1]}${m[2]}` : `${m[1]}某` };
  }
  m = new RegExp(`(?:我姓|俺姓|免贵姓)\\s*(${SURNAME})`, 'u').exec(text);
  if (m) return { name: `${m[1]}某` };
  if (asking !== 'name') return {};
  // A bare "姓李" answers the name question only (asked about the 包工头, it names him).
  m = new RegExp(`(?:^|\\s)姓\\s*(${SURNAME})`, 'u').exec(text.trim());
  if (m) return { name: `${m[1]}某` };
  const s = text.trim().replace(/[。.!！]+$/u, '');
  if (SKIP_RE.test(s) || /^(?:不用|算了不说|不告诉)/u.test(s)) return { declined: true };
  const bare = new RegExp(`^(?:叫|我叫|我是)?(老|小)?(${SURNAME})([\\p{Script=Han}]{0,2})(师傅|先生|女士|大姐|大哥)?$`, 'u').exec(s);
  if (bare && !NAME_STOP.test(bare[3] ?? '')) {
    if (bare[1] && !bare[3]) return { name: `${bare[1]}${bare[2]}` };
    if (bare[4]) return { name: `${bare[2]}${bare[3] ?? ''}${bare[4]}` };
    return { name: bare[3] ? `${bare[2]}${bare[3]}` : `${bare[2]}某` };
  }
  return {};
}

function readEvidence(text: string): string[] | undefined {
  const found: string[] = [];
  for (const [label, re] of EVIDENCE) {
    const g = new RegExp(re.source, 'gu');
    for (const m of text.matchAll(g)) {
      const before = text.slice(Math.max(0, m.index - 4), m.index);
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 3);
      if (EVIDENCE_NEGATION_BEFORE.test(before) || EVIDENCE_NEGATION_AFTER.test(after)) continue;
      if (!found.includes(label)) found.push(label);
      break;
    }
  }
  return found.length > 0 ? found : undefined;
}

function readEscalation(text: string): string[] {
  const out: string[] = [];
  for (const [re, label] of ESCALATION) {
    const g = new RegExp(re.source, 'gu');
    for (const m of text.matchAll(g)) {
      if (NEGATED_BEFORE.test(text.slice(Math.max(0, m.index - 4), m.index))) continue;
      out.push(`${label}：“${m[0]}”`);
      break;
    }
  }
  return out;
}

function replyKind(text: string, e: Entities): ReplyKind {
  if (/^有(?:的|啊|呢|哦)?$/u.test(text.trim())) return 'affirm';
  if (SKIP_RE.test(text.trim().replace(/[。.!！，,]+$/u, ''))) {
    return /^(?:没有|没|无)/u.test(text.trim()) ? 'deny' : 'skip';
  }
  const r = e.reply;
  if (!r || (!r.exact && r.rest.length > 2)) return null;
  if (r.kind === 'affirm') return 'affirm';
  if (r.kind === 'deny') return 'deny';
  if (r.kind === 'skip') return 'skip';
  return null;
}

// ---------------------------------------------------------------------------------------------
// All together

/**
 * Reads one (normalised) message. `asking` is the slot the form asked last: a bare answer — a name
 * with no 厂/公司, a bare number, "没有", a surname — is read for that slot.
 */
export function extractFacts(text: string, e: Entities, opts: ExtractOptions): Facts {
  const { asking } = opts;
  const facts: Facts = { amounts: [], phones: [], escalation: [], reply: replyKind(text, e), question: QUESTION_RE.test(text) };
  readNames(text, e, facts);
  if (CONSTRUCTION_RE.test(text)) facts.isConstruction = true;
  const county = readCounty(e);
  if (county) facts.county = county;
  facts.amounts = readAmounts(text, e, asking);
  const correction = readCorrection(text, e);
  if (correction) facts.correction = correction;
  const people = readPeople(text, e);
  if (people) facts.people = people;
  const period = readPeriod(text, e);
  if (period) facts.period = period;
  const workers = readWorkers(text, e, asking);
  if (workers) facts.workers = workers;
  facts.phones = readPhones(e);
  const name = readWorkerName(text, e, asking);
  if (name.name) facts.workerName = name.name;
  const evidence = readEvidence(text);
  if (evidence) facts.evidence = evidence;
  facts.escalation = readEscalation(text);
  const declined = facts.reply === 'deny' || facts.reply === 'skip' || name.declined === true;
  if (declined && asking) facts.declined = true;
  if (/(?:不知道|不清楚|不晓得|记不清|忘了).{0,4}(?:叫啥|叫什么|名字|名)|名字不知道|叫啥不知道|叫什么不知道/u.test(text) && !facts.employer && !facts.foreman) {
    facts.nameUnknown = true;
  }
  return facts;
}

/** Something besides names was said (an amount, a period, a phone …): the message is no bare name. */
export function saidOtherThings(f: Facts): boolean {
  return Boolean(
    f.amounts.length > 0 || f.correction || f.period || f.workers || f.phones.length > 0 || f.county || f.evidence || f.escalation.length > 0,
  );
}

/** The message without its numbers, phones, places …, cleaned of 叫/是/那个 and trailing particles. */
export function restOf(text: string, e: Entities): string {
  return clean(blank(text, entitySpans(e)).replace(/\s+/gu, ' ').trim());
}

export { NOT_A_NAME, SURNAME, readWorkerName, blank };
