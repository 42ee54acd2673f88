/**
 * Answers a policy question from the knowledge base: retrieve the clauses, quote the sentences that
 * answer, name the source (title, 文号, clause), flag a period that has ended, and say plainly when the
 * texts do not answer.
 */
import type { Citation, Region, Reply } from '../core/types.js';
import { bigrams, nested, type ClauseIndex, type Hit, type QueryTerm } from '../knowledge/clause-index.js';
import { citationFor } from '../knowledge/documents.js';
import { findPlaces } from '../nlu/entities.js';
import { expandQuery, isColloquial, isPolicyTerm, patternTerms, segment, synonymWeight } from '../nlu/segment.js';
import { excerpt } from './excerpt.js';
import type { QuestionTypes } from './question-types.js';
import { formatDateZh } from '../eligibility/dates.js';
import { Lru } from '../core/lru.js';
import { questionForms } from '../programs/question-forms.js';
import { bookTitle, citationText } from '../knowledge/citation-text.js';

export interface PolicyAnswer {
  replies: Reply[];
  answered: boolean;
  /** Why nothing was answered: nothing relevant, or the texts mention it without the figure asked for. */
  gap: 'no_match' | 'no_figure' | null;
  hits: Hit[];
}

/** Below this BM25 score the best clause is not about the question. Calibrated on the dev set. */
const MIN_SCORE = 4;
/** A second clause is quoted too when it scores this close to the first (e.g. province vs city rule). */
const SECOND_RATIO = 0.7;
/**
 * When the quoted clauses lack what was asked (the figure, how to apply), a clause scoring this close
 * to the first may give it.
 */
const RUNNER_UP_RATIO = 0.5;

// 几 asks; 好几年, 十几个, 这几年 tell, and so do 俺们几个 / 跟几个朋友 (the people someone is with).
const ASKS_FIGURE = /多少|(?<![好十这前近头们跟和与])几(个|岁|年|月|天|次|万|千|百|成)?|多大|多长|多久|比例|标准是|金额|税率|工资是/;
/** A figure: a number that is not a list marker ("4. 规范…", "（3）"), or a Chinese amount or duration (一次, not 一次性). */
const HAS_FIGURE = /(?<![（(\d])\d+(?![\d.、．)）])|\d+\.\d|[一二三四五六七八九十两百千万]+(元|万|个月|年|岁|%|人|次(?!性)|学时)/;
/** How many of the question's most specific words a figure's sentence may be about. */
const FOCUS_TERMS = 3;
/** Words that only say how much or how long (一个月, 多少钱, 3年): never what a question is about. */
const QUANTITY_WORD = /^[\d一二三四五六七八九十两半几多每]*(个)?(月|年|天|日|次|人|元|块|万|钱|少|少钱)?$|多少|^(一|每)(个|年|月)/;
const PHONE_SEARCH_LIMIT = 30;
const ASKS_PHONE = /电话|号码|联系方式|热线/;
const HAS_PHONE = /(?<!\d)(?:0\d{2,3}[-—－]?)?\d{7,8}(?!\d)|12333/;
const ASKS_MONEY = /多少钱|几块|多少元|几元|多少块|几万块/;
const HAS_MONEY = /\d+(?:\.\d+)?\s*(?:万元|元|块)|[一二三四五六七八九十两百千万]+(?:元|块)/;
const ASKS_SPAN = /多久|多长时间|多长|(?<![好十这前近头])几(年|个月|天)|多少年|多少天|多少个月|期限/;
/** A span of time ("3年", "12个月", "30日内"), not a date ("2023年6月8日") nor a 文号 ("〔2018〕8号"). */
/** How often ("多久去一次", "一年几次"): a frequency answers it ("每月至少1次"), not a span. */
const ASKS_FREQUENCY = /多久.{0,4}一次|多长时间.{0,4}一次|几次|多少次|频次|隔多久/;
const HAS_FREQUENCY = /每(个)?(月|年|季度?|周|天|日|半年)[^，。；]{0,6}(\d+|[一两二三四五六七八九十])\s*次|(\d+|[一两二三四五六七八九十])\s*次/;
const HAS_SPAN = /(?<![\d.年月〔])\d{1,3}\s*(?:年(?![\d底初〕])|个月|天|日内|个工作日)|[一两二三四五六七八九十半]+(?:年|个月|天)(?!底|初)/;
/** Two rules side by side (intents/question-forms.yaml, shared with the catalogue). */
const COMPARISON = questionForms().comparison;

/** Weight of character bigrams against whole words (1). */
const BIGRAM_WEIGHT = 0.35;
/** A one-character word (贷, 补, 钱) says little on its own. */
const SINGLE_CHAR_WEIGHT = 0.5;

/**
 * The weighted terms of a question: its words, the policy terms its colloquial words stand for, and
 * character bigrams. City and province names are left out: the region they name steers retrieval
 * (ClauseIndex region factor) instead of matching every sentence that mentions the city.
 */
export function buildQuery(text: string): QueryTerm[] {
  const regionNames = new Set(
    findPlaces(text)
      .filter((p) => p.level !== 'county')
      .flatMap((p) => [p.text, p.name]),
  );
  const words = segment(text).filter((w) => !regionNames.has(w));
  const terms = new Map<string, number>();
  const put = (term: string, weight: number) => terms.set(term, Math.max(terms.get(term) ?? 0, weight));
  const original = new Set(words);
  const expanded = [...expandQuery(words), ...patternTerms(text).map((token) => ({ token, weight: synonymWeight() }))];
  for (const { token, weight } of expanded) {
    // An expansion target is a phrase of the texts ("场地租金"): look for it as the texts were
    // segmented, word by word, or it would never match anything.
    const parts = original.has(token) ? [token] : segment(token);
    for (const part of parts) put(part, [...part].length === 1 ? weight * SINGLE_CHAR_WEIGHT : weight);
  }
  let rest = text;
  for (const name of regionNames) rest = rest.split(name).join(' ');
  for (const b of bigrams(rest)) put(`#${b}`, BIGRAM_WEIGHT);
  return [...terms].map(([term, weight]) => ({ term, weight }));
}

/**
 * Jining's rules never answer for Pingdingshan and the reverse: a question about 济宁 is answered from
 * Jining's and national texts, any other from the national, Henan and Pingdingshan texts.
 */
export function regionFits(docRegion: Region, asked: Region | null): boolean {
  if (asked === '济宁市') return docRegion === '济宁市' || docRegion === '全国';
  return docRegion !== '济宁市';
}

export function notFoundText(what: 'no_match' | 'no_figure'): string {
  return what === 'no_figure'
    ? '抱歉，我掌握的政策文件里没有这个具体数额或标准，无法给您准确答复。建议拨打人社服务热线12333，或咨询当地县（市、区）人社部门。'
    : '抱歉，我掌握的就业创业政策文件里没有找到这方面的内容，不敢乱说。您可以拨打12333人社服务热线，或到当地县（市、区）人社部门咨询。';
}

/**
 * Answers depend only on the (immutable) index, the question, the region and the day: the same
 * question asked again — as thousands do on the day a policy is announced — is answered from memory.
 */
const ANSWER_CACHE_SIZE = Number(process.env.ANSWER_CACHE_SIZE ?? 2000);
const answerCaches = new WeakMap<ClauseIndex, Lru<string, PolicyAnswer>>();

export function answerPolicyQuestion(
  index: ClauseIndex,
  questionTypes: QuestionTypes,
  input: { text: string; region: Region | null; today: string },
): PolicyAnswer {
  // ANSWER_CACHE_SIZE=0 turns the cache off (npm run bench:http measures a turn without it).
  if (ANSWER_CACHE_SIZE <= 0) return computeAnswer(index, questionTypes, input);
  let cache = answerCaches.get(index);
  if (!cache) answerCaches.set(index, (cache = new Lru(ANSWER_CACHE_SIZE)));
  const key = `${input.today}|${input.region ?? ''}|${input.text}`;
  return copyOf(cache.getOrCompute(key, () => computeAnswer(index, questionTypes, input)));
}

/** Callers get their own reply objects, so nothing they do reaches the cached answer. */
function copyOf(a: PolicyAnswer): PolicyAnswer {
  return { ...a, replies: a.replies.map((r) => ({ text: r.text, citations: r.citations.map((c) => ({ ...c })) })) };
}

/** The answer worked out afresh, without the cache (benchmarks measure this). */
export function computeAnswer(
  index: ClauseIndex,
  questionTypes: QuestionTypes,
  input: { text: string; region: Region | null; today: string },
): PolicyAnswer {
  const query = buildQuery(input.text);
  const givesPhone = ASKS_PHONE.test(input.text) ? phoneCheck(input.text, query, input.region) : null;
  // A phone question looks further down: the city's own number may rank below the province's lists.
  const found = index
    .search(query, { region: input.region, limit: givesPhone ? PHONE_SEARCH_LIMIT : 12, boost: questionTypes.boostFor(input.text) })
    .filter((h) => regionFits(h.doc.region, input.region))
    // A scoring sheet's "按照同工同酬原则支付劳动报酬(4分)" scores points; it states no one's rights.
    .filter((h) => !questionTypes.unwantedForm(input.text, h.passage))
    .slice(0, givesPhone ? PHONE_SEARCH_LIMIT : 8);
  // "舞钢…电话": a clause that gives that county's number comes before any other list of numbers.
  const hits = givesPhone ? [...found].sort((a, b) => Number(givesPhone(b, b.passage)) - Number(givesPhone(a, a.passage))) : found;
  const top = hits[0];
  if (!top || top.score < MIN_SCORE) {
    return unanswered(notFoundText('no_match'), 'no_match', hits);
  }

  // "劳务派遣工同工同酬吗": the texts name 同工同酬 only in a scoring sheet; clauses on 劳务派遣 in
  // general do not answer it.
  const subject = rareSubject(index, query);
  if (subject && !hits.some((h) => h.score >= MIN_SCORE && h.matched.includes(subject))) {
    return unanswered(notFoundText('no_match'), 'no_match', hits);
  }

  const chosen: Hit[] = [top];
  const named = benefitsNamed(query);
  const second = hits.find((h) => !nested(h.clause, top.clause));
  if (
    second &&
    (second.score >= top.score * SECOND_RATIO ||
      (COMPARISON.test(input.text) && second.doc.id !== top.doc.id && second.score >= MIN_SCORE))
  ) {
    // "技能培训有补贴吗": the provision naming the subsidy asked (职业培训补贴) comes first, and one
    // that names another instead (对口帮扶's 生活费补贴, the enlistment 一次性生活补助) is left out:
    // it only shares the question's words.
    const secondNames = namesBenefit(second, named);
    if (secondNames && !namesBenefit(top, named)) chosen.splice(0, 1, second, ...(namesOtherBenefit(top, named) ? [] : [top]));
    else if (secondNames || COMPARISON.test(input.text) || !namesOtherBenefit(second, named)) chosen.push(second);
  }

  let parts: Part[] = chosen.map((hit) => ({ hit, ex: excerpt(hit) }));
  let how: Part | undefined;
  const asksHow = questionTypes.classify(input.text).includes('procedure');
  // "务工奖补咋申请": the clause on the programme states its amounts; the same document's clause on
  // applying, scoring at least half as much, answers the question and comes first.
  if (asksHow && !parts.some((p) => questionTypes.fits('procedure', p.ex))) {
    how = runnerUp(hits, chosen, top.score * RUNNER_UP_RATIO, (p) =>
      // …not about another subsidy: 岗前培训补贴's 申请 is not how to apply for 职业培训补贴.
      p.hit.doc.id === top.doc.id && questionTypes.fits('procedure', p.ex) && !headedByOtherBenefit(p.hit, named),
    );
    if (how) parts = [how, parts[0]!];
  }
  // "技能培训有补贴吗 咋申请": when no quoted clause on the subsidy asked says how to apply for it, say
  // so rather than let another programme's procedure pass for it.
  const howUnsaid =
    asksHow && !how && named.length > 0 && !parts.some((p) => namesBenefit(p.hit, named) && questionTypes.fits('procedure', p.ex));
  // "多久能批下来" asks the office's processing time: the loan's 期限 is another duration.
  const unmet = questionTypes.unmet(input.text, parts.map((p) => p.ex));
  if (unmet) return unanswered(unmet, 'no_figure', hits);
  // The figure asked for (a phone number, an amount, a period) must be in what is quoted.
  const answersIt = (p: Part) =>
    givesPhone ? givesPhone(p.hit, p.ex) : figureAbout(input.text, p.ex, focusTerms(index, query, p.hit), p.hit.clause.heading ?? '');
  if (givesPhone || ASKS_FIGURE.test(input.text)) {
    if (!parts.some(answersIt)) {
      // The clause on the subject may not state the figure while a close runner-up does
      // (公益岗…几年: the article on the posts vs the one on their 补贴期限). Only for a figure of a
      // definite kind (a span, an amount of money): "any number" would take a 50% from anything.
      const definite = !givesPhone && (ASKS_SPAN.test(input.text) || ASKS_MONEY.test(input.text));
      const giver = definite ? runnerUp(hits, chosen, Math.max(MIN_SCORE, top.score * RUNNER_UP_RATIO), answersIt) : undefined;
      if (!giver) {
        const text = givesPhone ? (HAS_PHONE.test(input.text) ? NO_NUMBER_TEXT : NO_PHONE_TEXT) : notFoundText('no_figure');
        return unanswered(text, 'no_figure', hits);
      }
      parts = [giver];
    }
    // The provision that gives the figure comes first; a list of other offices' numbers is left out.
    parts = [...parts.filter(answersIt), ...(givesPhone ? [] : parts.filter((p) => !answersIt(p)))];
  }

  const comparison = COMPARISON.test(input.text) ? compareFigures(parts.map((p) => p.ex)) : null;
  const cited = parts.map(({ hit }) => citationFor(index.document(hit.doc.id), hit.clause));
  const replies: Reply[] = parts.map(({ hit, ex }, k) => {
    const citation = cited[k]!;
    const lines = [ex, expiryNote(hit, ex, input.today), sourceLine(citation, hit.doc.region)].filter(Boolean);
    return { text: lines.join('\n'), citations: [citation] };
  });
  // "平顶山人社局电话多少": the texts give the bureau's consultation line as 12333 and other numbers
  // for one service each (档案查询); say which is which before quoting.
  if (givesPhone && !HAS_PHONE.test(input.text) && asksBureauLine(query)) {
    const k = parts.findIndex((p) => CONSULTATION_LINE.test(p.ex));
    if (k >= 0) replies.unshift({ text: BUREAU_LINE_TEXT, citations: [cited[k]!] });
  }
  if (howUnsaid) {
    const benefit = named.find((t) => parts[0]!.hit.matched.includes(t)) ?? named[0]!;
    replies.push({ text: `以上条款没有写明${benefit}具体怎么申请。申请渠道和材料请拨打12333人社服务热线，或咨询当地县（市、区）人社部门。`, citations: [] });
  }
  if (comparison && parts.length > 1) {
    const where = cited.map((c) => bookTitle(c.title));
    replies.unshift({
      text:
        comparison === 'same'
          ? `${where.join('和')}规定的标准一致（${sharedFigures(parts.map((p) => p.ex)).join('、')}），原文如下：`
          : `${where.join('和')}的规定不完全相同，请分别参看原文：`,
      citations: [],
    });
  }
  return { replies, answered: true, gap: null, hits };
}

function unanswered(text: string, gap: 'no_match' | 'no_figure', hits: Hit[]): PolicyAnswer {
  return { replies: [{ text, citations: [] }], answered: false, gap, hits };
}

/** A word of the question this rare in the texts (idf) names what it is about: an answer must have it. */
const RARE_SUBJECT_IDF = 7;

function rareSubject(index: ClauseIndex, query: QueryTerm[]): string | undefined {
  return query
    // A colloquial key (合伙开店) stands for the terms it expands to, which the hits match instead.
    .filter((q) => q.weight === 1 && !q.term.startsWith('#') && [...q.term].length >= 4 && !QUANTITY_WORD.test(q.term) && !isColloquial(q.term) && index.has(q.term))
    .filter((q) => index.idf(q.term) >= RARE_SUBJECT_IDF)
    .sort((a, b) => index.idf(b.term) - index.idf(a.term))[0]?.term;
}

/** A named benefit (职业培训补贴, 创业担保贷款): a policy term more specific than 补贴 itself. */
const BENEFIT_NAME = /.{2,}(补贴|补助|奖补|贷款|贴息)$/;

export function benefitsNamed(query: QueryTerm[]): string[] {
  return query.map((q) => q.term).filter((t) => !t.startsWith('#') && BENEFIT_NAME.test(t) && isPolicyTerm(t));
}

function namesBenefit(hit: Hit, named: string[]): boolean {
  return named.some((t) => hit.matched.includes(t));
}

const BENEFIT_WORD = /补贴|补助|奖补|贷款|贴息/;

/** The clause's heading names a benefit, not the one asked (岗前培训补贴 for 职业培训补贴). */
function headedByOtherBenefit(hit: Hit, named: string[]): boolean {
  const heading = hit.clause.heading ?? '';
  return named.length > 0 && BENEFIT_WORD.test(heading) && !named.some((n) => heading.includes(n));
}

/** The clause names a benefit other than those asked (nor a part or a whole of one). */
function namesOtherBenefit(hit: Hit, named: string[]): boolean {
  if (named.length === 0) return false;
  for (const t of hit.terms) {
    if (t.startsWith('#') || !BENEFIT_NAME.test(t) || !isPolicyTerm(t)) continue;
    if (!named.some((n) => n.includes(t) || t.includes(n))) return true;
  }
  return false;
}

interface Part {
  hit: Hit;
  ex: string;
}

/** The best hit not yet quoted, scoring at least `minScore`, whose excerpt `fits` (excerpts made as needed). */
function runnerUp(hits: Hit[], chosen: Hit[], minScore: number, fits: (p: Part) => boolean): Part | undefined {
  for (const hit of hits) {
    if (chosen.includes(hit) || hit.score < minScore) continue;
    const part = { hit, ex: excerpt(hit) };
    if (fits(part)) return part;
  }
  return undefined;
}

const NO_NUMBER_TEXT =
  '抱歉，我掌握的政策文件里没有说明这个号码是哪里的。人社方面的问题可拨打12333人社服务热线，或到当地县（市、区）人社部门咨询。';
const NO_PHONE_TEXT =
  '抱歉，我掌握的政策文件里没有这个部门或地方的联系电话，不敢乱给号码。建议拨打12333人社服务热线，或到当地县（市、区）人社部门咨询。';

/**
 * Whether a text of a hit gives the phone number a question asks for: a number, and when the question
 * names a county, that county's, in a list about what was asked (the internship office's number is
 * not 劳动监察's).
 */
function phoneCheck(question: string, query: QueryTerm[], region: Region | null): (hit: Hit, text: string) => boolean {
  // "12333是什么电话" asks about a number, not for one: only a text that has it says what it is.
  const asked = HAS_PHONE.exec(question)?.[0];
  if (asked) return (_hit, text) => text.includes(asked);
  const places = findPlaces(question);
  const place = places.find((p) => p.level === 'county');
  // "平顶山人社局电话": a number of the city's own texts, not a provincial office's.
  // "人社局电话" with no place: the bureau of the conversation's city, else the one this assistant
  // serves (Pingdingshan, as the retrieval defaults), never a provincial office's list.
  const named = places.find((p) => p.level === 'city' && p.region === p.name)?.region;
  const bureau = asksBureauLine(query);
  const city = named ?? (places.length === 0 && bureau ? (region ?? DEFAULT_CITY) : undefined);
  // A notice's own 联系人 line is for the offices it is sent to, not the bureau's number for the public.
  const publicPart = (text: string) => (bureau ? text.replace(RECIPIENT_CONTACT, '') : text);
  if (!place) return (hit, text) => HAS_PHONE.test(publicPart(text)) && (!city || hit.doc.region === city);
  const county = place.name.replace(/(?<=..)(县|市|区)$/, ''); // 舞钢市 → 舞钢, as the lists write it
  const topic = topicTerms(query, county);
  return (hit, text) =>
    HAS_PHONE.test(text) && text.includes(county) && (topic.length === 0 || topic.some((t) => hit.matched.includes(t)));
}

const DEFAULT_CITY: Region = '平顶山市';
/** "联系人：刘培思 荆浩 联系方式：0375-…" to the attachments or the date that close a notice. */
const RECIPIENT_CONTACT = /(?:^|\n)[^\n]{0,12}联系人[\s\S]*?(?=\n附件|\n\d{4}年|$)/g;
const CONSULTATION_LINE = /拨打12333服务热线|12333(服务)?热线/;
const BUREAU_LINE_TEXT =
  '文件里写明的人社政策咨询电话是12333服务热线；原文中的其他号码各有专门用途，以原文标注的为准：';
/** Words that name the bureau itself, not a service of it. */
const BUREAU_WORD = /人社|人力资源|劳动局|社保局/;

/** A phone question about the bureau in general ("人社局电话"), not one of its services ("见习…电话"). */
function asksBureauLine(query: QueryTerm[]): boolean {
  const words = query.map((q) => q.term).filter((t) => !t.startsWith('#'));
  return words.some((t) => BUREAU_WORD.test(t)) && topicTerms(query).every((t) => BUREAU_WORD.test(t));
}

const PHONE_WORD = /电话|联系|号码|热线|方式|找谁|打给谁|多少|咨询/;

/** What a phone question is about, its place and the asking aside ("劳动监察大队", "见习"). */
function topicTerms(query: QueryTerm[], county?: string): string[] {
  return query
    .map((q) => q.term)
    .filter((t) => !t.startsWith('#') && [...t].length > 1 && !QUANTITY_WORD.test(t) && !PHONE_WORD.test(t) && !(county && t.includes(county)));
}

/** The most specific words of the question that the clause contains: what a figure must be about. */
function focusTerms(index: ClauseIndex, query: QueryTerm[], hit: Hit): string[] {
  const matched = new Set(hit.matched);
  const candidates = query.filter((q) => !q.term.startsWith('#') && matched.has(q.term) && !QUANTITY_WORD.test(q.term));
  // The word asked, not a part of it: 一次性创业补贴, not the 创业补贴 in 一次性求职创业补贴.
  return candidates
    .filter((q) => !candidates.some((c) => c.term !== q.term && c.term.includes(q.term)))
    .sort((a, b) => index.idf(b.term) * b.weight - index.idf(a.term) * a.weight)
    .slice(0, FOCUS_TERMS)
    .map((q) => q.term);
}

/**
 * The excerpt gives a figure of the kind asked for (money for "多少钱", a span for "多久", any figure
 * otherwise) about what the question is about: next to one of its words (in the same or the next
 * phrase), or anywhere in a clause whose heading names it. "当地最低工资标准的70%" does not answer
 * "最低工资是多少钱", nor does a 留用率 of 50% a few phrases before it.
 */
function figureAbout(question: string, excerptText: string, focus: string[], heading: string): boolean {
  // "按当地最低工资标准的50%" is how much a subsidy is, never how much the standard itself is
  // (unless the share is what is asked: "按最低工资的百分之多少").
  const text = ASKS_SHARE.test(question)
    ? excerptText
    : excerptText.replace(SHARES_OF_STANDARD, (m, subject: string) => (question.includes(subject.slice(-4)) ? '，' : m));
  const kind = ASKS_MONEY.test(question)
    ? (t: string) => HAS_MONEY.test(t) || SHARE_OF_STANDARD.test(t)
    : ASKS_FREQUENCY.test(question)
      ? (t: string) => HAS_FREQUENCY.test(t)
      : ASKS_SPAN.test(question)
      ? (t: string) => HAS_SPAN.test(t)
      : (t: string) => HAS_FIGURE.test(t);
  const about = (t: string) => focus.some((f) => t.includes(f));
  if (about(heading)) return about(excerptText) && kind(text);
  const phrases = text.split(PHRASE_END);
  return phrases.some((p, i) => about(p) && (kind(p) || kind(phrases[i + 1] ?? '')));
}

const ASKS_SHARE = /百分之|比例|几成|百分比|[%％]/;
const PHRASE_END = /[，,。；;：:\n]/;

/** "…最低工资标准的50%": a subsidy set as a share of a standard the texts do not give. */
const SHARE_OF_STANDARD = /([\u4e00-\u9fff]{2,8})标准的\s*\d+(?:\.\d+)?\s*[%％]/;
const SHARES_OF_STANDARD = new RegExp(SHARE_OF_STANDARD.source, 'g');

const FIGURE = /\d+(?:\.\d+)?\s*(?:%|％|万元|元|个月|岁)/g;

function figuresOf(text: string): Set<string> {
  return new Set((text.match(FIGURE) ?? []).map((f) => f.replace(/\s+/g, '').replace('％', '%')));
}

/** Whether two quoted provisions state the same figures: 'same', 'different', or null without figures. */
function compareFigures(texts: string[]): 'same' | 'different' | null {
  const [a, b] = texts.map(figuresOf);
  if (!a || !b || a.size === 0 || b.size === 0) return null;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  return [...small].every((f) => large.has(f)) ? 'same' : 'different';
}

function sharedFigures(texts: string[]): string[] {
  const [a, b] = texts.map(figuresOf);
  return a && b ? [...a].filter((f) => b.has(f)) : [];
}

function expiryNote(hit: Hit, quoted: string, today: string): string {
  const end = hit.clause.end;
  if (!end || end >= today) return '';
  // An end date that one provision states about itself ("剩余期限见习补贴…延续至2023年底") concerns that
  // provision only: say so only when the reply quotes it.
  const ownEnd = hit.doc.validity.end !== end;
  if (ownEnd) {
    const endSentence = (hit.clause.endText ?? '').replace(/\s+/g, '');
    const probe = endSentence.slice(0, 12);
    if (!probe || !quoted.replace(/\s+/g, '').includes(probe)) return '';
    // "（所需资金…列支，）执行期限截止…" has no subject of its own: it closes the whole provision quoted.
    if (WHOLE_PROVISION_END.test(endSentence)) {
      const label = hit.clause.path.at(-1);
      return `⚠ 注意：这一条${label ? `（${label}）` : ''}规定的执行期限截至${formatDateZh(end)}，现已到期，可能不再执行。是否有延续政策，请拨打12333或咨询当地人社部门。`;
    }
    return `⚠ 注意：其中“${shorten(endSentence)}”这一项的执行期限截至${formatDateZh(end)}，现已到期，可能不再执行；其余内容请以最新政策为准，可拨打12333核实。`;
  }
  return `⚠ 注意：这项政策的执行期限截至${formatDateZh(end)}，现已到期，可能不再执行。是否有延续政策，请拨打12333或咨询当地人社部门。`;
}

/** An end-date sentence without a subject of its own ("执行期限截止…", "本条…"). */
export const WHOLE_PROVISION_END = /^(?:所需资金[^。]*?[。，,；;])?执行期限|^(?:本|该)(?:条|项|政策|措施)/;

function shorten(sentence: string): string {
  return sentence.length > 40 ? `${sentence.slice(0, 38)}…` : sentence.replace(/。$/, '');
}

function sourceLine(c: Citation, region: Region): string {
  const where = region === '全国' ? '' : `【${region}】`;
  const clause = c.clause && c.clause !== '正文' ? ` 条款：${c.clause}` : '';
  return `—— 出处：${where}${citationText(c, { withoutClause: true })}${clause}`;
}
