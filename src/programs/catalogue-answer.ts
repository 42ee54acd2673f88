/**
 * Answers from the programme catalogue: the question's programme and facets are found
 * (ProgrammeMatcher, question types), and the reply says the verdict first — the facet's answer, with
 * the person's own facts applied where the facet has checks — flags an ended period in that first
 * line, and names its source on the next. Returns null when the catalogue does not answer, so that
 * clause retrieval can.
 */
import type { Citation, Region, Reply } from '../core/types.js';
import { formatDateZh } from '../eligibility/dates.js';
import type { ClauseIndex, Hit, QueryTerm, SearchBoost } from '../knowledge/clause-index.js';
import { citationFor } from '../knowledge/documents.js';
import type { Clause, PolicyDocument } from '../knowledge/types.js';
import type { Facet, FacetEntry, Program } from './catalogue.js';
import { clauseLookup, figuresIn, type ClauseLookup } from './grounding.js';
import { ProgrammeMatcher, programFits, sameOrWithin, type Candidate } from './match.js';
import { factValue, verdictOf, type PersonFacts } from './verdict.js';
import { personaOf, type Compute } from './calculated.js';
import { questionForms } from './question-forms.js';

/** How questions are put (intents/question-forms.yaml): one home for each cue. */
const FORMS = questionForms();
import { findPlaces } from '../nlu/entities.js';
import { WHOLE_PROVISION_END } from '../answers/policy-answer.js';
import { bookTitle, citationText } from '../knowledge/citation-text.js';

export interface CatalogueQuestion {
  text: string;
  region: Region | null;
  today: string;
  /** What the person has said about themselves so far (age, graduation date, staff …). */
  facts: PersonFacts;
  /** Whether this message itself told any of those facts (a new figure to work out). */
  toldFacts?: boolean;
  /** The programme of the conversation so far: a follow-up naming only a facet is about it. */
  topic: string | null;
  /** Whether the message reads as a follow-up ("那补贴多少", "要带啥材料", "那技师呢"). */
  followUp: boolean;
  /** The previous question, which a follow-up continues ("…考初级工证 补多少" before "那技师呢"). */
  context?: string | null;
  /** The facets the previous answer gave: what a follow-up naming none asks again. */
  inherit?: Facet[];
}

/** The catalogue's answer, or null with the reason in the trace (the rules that fired all the same). */
export interface CatalogueResult {
  answer: CatalogueAnswer | null;
  trace: string[];
}

export interface CatalogueAnswer {
  replies: Reply[];
  program: Program;
  facets: Facet[];
  /** Whether the question itself names the programme (not only a follow-up or the index's evidence). */
  named: boolean;
  /** The rules that fired, in order: which programme and why, which facets, which verdict. */
  trace: string[];
}

export interface QuestionFacets {
  facets(question: string): Facet[];
  asking(question: string): string;
  boostFor(question: string): SearchBoost;
  /** What to say when the question asks something strict (a processing time) no text states, else null. */
  unmet(question: string, texts: string[]): string | null;
  /** A blank form or scoring sheet, which answers only a question asking for one. */
  unwantedForm(question: string, text: string): boolean;
  asksForForm(question: string): boolean;
}

/** "…一样不", "…有啥区别": two regions' rules side by side, which clause retrieval compares. */
/**
 * A word of the question this rare in the texts (idf) says what it is about. When the facet's answer
 * does not say it and the best clause does ("见习…算基层工作经历吗", "见习补贴…算不算缴费基数"), the
 * question is about something the facet does not answer, and clause retrieval answers instead.
 */
const SUBJECT_IDF = 6.5;
const NUMBER_WORD = /^[\d.]+$|^[\d一二两三四五六七八九十百千万]+(岁|年|个|月|天|人|元|块)?$/;

/** "有啥政策能帮帮我", "能享受啥": what there is for the person, not one programme's facet. */
const OVERVIEW_SIZE = 3;
/** A programme this far ahead of the next answers an overview question itself ("招了个大学生 企业有啥补贴"). */
const DOMINANT_RATIO = 1.5;

const HAS_PHONE_NUMBER = /(?<!\d)(?:0\d{2,3}[-—－]?)?\d{7,8}(?!\d)|123\d\d/;

/** A follow-up's own reading this strong moves to a neighbour of the topic (same document). */
const NEIGHBOUR_SCORE = 6;
/** How much more strongly a follow-up's own words must point elsewhere to leave the topic's texts. */
const ELSEWHERE_RATIO = 1.5;

/** How much the open topic counts for a follow-up that names no programme of its own. */
const TOPIC_BONUS = 10;

/** How much the person's facts count for a programme whose rule they work out to an amount. */
const FACTS_VOTE = 6;

/** A programme found by evidence this strong answers even without one of its names in the question. */
const ACCEPT_SCORE = 9;
/** Another programme this close to the best one is as good a reading (a region variant, a facet the best lacks). */
const CLOSE_RATIO = 0.75;
/** At most this many facets are answered for one message. */
const MAX_FACETS = 2;
/** A yes/no question ("能…吗", "…不", "中不中") about a programme asks whether one qualifies. */
/**
 * A question word no facet cue caught ("年工资按哪一年算"): no facet answers it for sure, so clause
 * retrieval does — unless it asks what the programme is or what there is ("有啥补贴", "是什么").
 */
/** "还能领吗", "现在还有吗": the question is whether the rule still runs; the variant stating its period answers it. */
/** At most this many sibling programmes named in one question ("个人 合伙 小微企业各能贷多少") are answered. */
const MAX_SIBLINGS = 3;
const SIBLING_RATIO = 0.6;
/** Characters two names share when one is a part of the other's subject (创业担保贷款). */
const PART_OF_RUN = 5;
/** A programme this close that states the figure the chosen answer lacks is added (as retrieval's runner-up). */
const FIGURE_GIVER_RATIO = 0.5;
/** A document's short name in a source line is at most this long; longer ones are cited by full title. */
const SHORT_TITLE_CHARS = 20;

/** How a facet reads when the texts do not give it ("文件里没有写明…具体怎么申请"). */
const FACET_WORDS: Partial<Record<Facet, string>> = {
  apply: '具体怎么申请',
  materials: '要带哪些材料',
  where: '去哪里办',
  phone: '的咨询电话',
  amount: '的具体金额',
  duration: '的期限',
};
const DEFAULT_ORDER: Facet[] = ['overview', 'who', 'amount', 'apply', 'duty', 'duration', 'materials', 'where', 'phone'];

export class CatalogueAnswerer {
  private readonly kb: ClauseLookup;
  private readonly matcher: ProgrammeMatcher;
  private readonly byId: Map<string, Program>;

  constructor(
    readonly programs: Program[],
    private readonly documents: PolicyDocument[],
    private readonly index: ClauseIndex,
    private readonly types: QuestionFacets,
    private readonly buildQuery: (text: string) => QueryTerm[],
    private readonly regionFits: (docRegion: Region, asked: Region | null) => boolean,
    /** Words that tell who is asking (大专, 脱贫户, 退役军人): the calculator's vocabulary of a person. */
    private readonly personWords: ReadonlySet<string> = new Set(),
    /** Works out the person's own figure with the eligibility calculator, where their facts decide it. */
    private readonly compute?: Compute,
  ) {
    this.kb = clauseLookup(documents);
    const money = new RegExp(`^(?:${FORMS.money_kind.source})$`);
    this.matcher = new ProgrammeMatcher(programs, this.kb, buildQuery, (w) => personWords.has(w) || money.test(w));
    this.byId = new Map(programs.map((p) => [p.id, p]));
    // The source line names a document by its 文号 and a short name (its shortest alias of a readable
    // length); the citation objects keep the full title.
    for (const d of documents) {
      const short = [...d.meta.aliases].filter((a) => a.length >= 4 && a.length <= SHORT_TITLE_CHARS).sort((a, b) => a.length - b.length)[0];
      if (short && d.meta.docNo) this.shortTitles.set(d.meta.docNo, short);
    }
  }

  private readonly shortTitles = new Map<string, string>();

  program(id: string): Program | undefined {
    return this.byId.get(id);
  }

  /** Whether the message names a programme of the catalogue ("同工同酬", "一奖一补"). */
  names(text: string): boolean {
    return this.matcher.rank(text, { region: null, hits: [] }).some((c) => c.named);
  }

  /** The clauses a programme's facet cites, with their document, for "原文". */
  sources(programId: string, facets: Facet[]): Array<{ doc: PolicyDocument; clause: Clause }> {
    const p = this.byId.get(programId);
    if (!p) return [];
    return facets
      .flatMap((f) => p.facets[f]?.cite ?? [])
      .flatMap((ref) => this.kb.clauses(ref))
      .filter((c, i, all) => all.indexOf(c) === i)
      .map((clause) => ({ doc: this.kb.document(clause.docId)!, clause }));
  }

  answer(q: CatalogueQuestion): CatalogueResult {
    const trace: string[] = [];
    return { answer: this.find(q, trace), trace };
  }

  private find(q: CatalogueQuestion, trace: string[]): CatalogueAnswer | null {
    if (FORMS.comparison.test(q.text)) {
      trace.push('comparison: left to clause retrieval');
      return null;
    }
    // "12333是什么电话" asks what a number is; "多久能批下来" a processing time that only the texts'
    // own wording can show: clause retrieval has the rules for both.
    if (HAS_PHONE_NUMBER.test(q.text)) {
      trace.push('names a number: left to clause retrieval');
      return null;
    }
    if (this.types.asksForForm(q.text)) {
      trace.push('asks for a form or sheet: left to clause retrieval, which quotes it');
      return null;
    }
    // "多久能审完" asks a processing time: only an entry that states one answers (its duration facet
    // passes the same test as a clause would); else clause retrieval, which says plainly when none does.
    const asksTime = this.types.unmet(q.text, []) !== null;
    const own = asksTime ? (['duration'] as Facet[]) : this.types.facets(q.text);
    const persona = personaOf(q.facts);
    let { query, hits, ranked } = this.search(q.text, q.region, persona);
    // Whether this message itself names a programme (a new topic), before any context is added.
    const namesOwn = ranked[0]?.named === true;
    // A follow-up that names no programme of its own reads with the question it follows: "那技师呢"
    // after "…考初级工证 补多少" is "…考技师证 补多少".
    const continues = q.followUp && !!q.context && !namesOwn;
    // The follow-up's own reading, before the previous question is added: its words decide among
    // the topic's neighbours ("那社保谁给交" after a dispatch-contract question).
    const ownRanked = ranked;
    const ownQuery = query;
    if (continues) {
      ({ query, hits, ranked } = this.search(`${q.context} ${q.text}`, q.region, persona));
      trace.push('follow-up: read with the previous question');
    }
    // "那网课呢" names another programme and asks of it what was asked before (能报多少).
    const andThat = q.followUp && namesOwn && /呢[?？]?$/.test(q.text);
    // A follow-up that only tells facts ("我们是小型企业 12个人 成立8个月") asks whether they qualify, not the
    // facet asked before.
    const onlyFacts = !!q.toldFacts && this.statesFacts(q) && own.length === 0;
    const inherited = (continues || andThat) && own.length === 0 && !onlyFacts && !FORMS.yes_no.test(q.text) ? (q.inherit ?? []) : [];
    if (inherited.length) trace.push(`facets inherited:${inherited.join('+')}`);
    const asked = own.length > 0 ? own : inherited;
    if (!namesOwn) ranked = this.withFactsVote(ranked, q, persona, trace);
    let chosen = this.choose(ranked, asked, q, namesOwn, trace, ownRanked, ownQuery);
    if (!chosen) return null;
    if (asksTime && this.types.unmet(q.text, [chosen.program.facets.duration?.answer ?? '']) !== null) {
      trace.push(`asks a processing time ${chosen.program.id} does not state: left to clause retrieval`);
      return null;
    }
    chosen = this.preferVariant(chosen, ranked, q.today, FORMS.asks_currency.test(q.text), q.region, trace);

    const dominant = ranked[0] && (ranked[0].score >= ACCEPT_SCORE * 2 || ranked[0].why.includes('facts')) && ranked[0].score >= (ranked[1]?.score ?? 0) * DOMINANT_RATIO;
    // Only for a person who has said who they are: otherwise the best-evidenced programme answers.
    if (!namesOwn && !continues && asked.length === 0 && persona && FORMS.asks_overview.test(q.text) && !dominant) {
      const list = this.overview(ranked, persona, q.text, trace, q.today);
      if (list) return list;
    }
    const facets =
      onlyFacts && continues && chosen.program.facets.who?.checks.length
        ? (trace.push('facet:who (the facts told are checked against its conditions)'), ['who' as Facet])
        : this.facetsFor(chosen.program, asked, q.text, hits[0], trace, chosen.named && namesOwn);
    if (facets.length === 0 && continues && chosen.program.facets.who && this.statesFacts(q)) facets.push('who');
    // The person's own figure, worked out only when this message tells facts: a follow-up asking
    // something else ("那路费补多少") is answered, not given the same sum again.
    const computed = q.toldFacts ? this.computed(chosen.program, q, trace) : null;
    if (facets.length === 0 && !computed) {
      trace.push(`no-facet:${asked.join('+')}`);
      return null;
    }
    // A programme the person's own facts evidence is about them, whatever else the message names (工地, 浙江).
    // A follow-up is judged on its own words: the previous question's were answered before ("遇到" of
    // "济宁这边要是遇到恶意欠薪 查得严不" is no subject of "那平顶山呢").
    const uncovered = chosen.why.includes('facts') ? null : this.uncoveredSubject(ownQuery, chosen.program, facets, hits[0], q.facts, q.followUp);
    if (uncovered) {
      trace.push(`uncovered:${uncovered} (the facet does not say it; the best clause does)`);
      return null;
    }
    // Siblings are programmes this message names: the words of the question it follows were answered before.
    const siblings = this.siblings(chosen, continues ? ownRanked : ranked, facets, trace);
    // The person's own figure answers whether and how much: the facets that say so in general follow
    // only if asked — or when the person does not qualify, so they still learn what the rule gives.
    // ("多少钱一个" asks the rate: the rule's figures follow the person's sum.)
    const rest = computed && !computed.text.includes('不符合') ? facets.filter((f) => f !== 'who' && (f !== 'amount' || FORMS.asks_per_unit.test(q.text))) : facets;
    const replies = [
      ...(computed ? [computed] : []),
      ...[chosen, ...siblings]
        .map((c) => ({ c, fs: c === chosen ? rest.filter((f) => c.program.facets[f]) : [...new Set(rest.map((f) => (c.program.facets[f] ? f : 'amount')))].filter((f) => c.program.facets[f]) }))
        .filter((x) => x.fs.length > 0)
        .map((x) => this.reply(x.c.program, x.fs, q, trace)),
    ];
    // Not qualifying for a waiver says what is required instead (免除反担保 → the counter-guarantee's ways).
    const instead = computed?.text.includes('不符合') && chosen.program.otherwise ? this.byId.get(chosen.program.otherwise) : undefined;
    const insteadFacet = instead ? DEFAULT_ORDER.find((f) => instead.facets[f]) : undefined;
    if (instead && insteadFacet) {
      trace.push(`otherwise:${instead.id}`);
      replies.splice(1, replies.length - 1, this.reply(instead, [insteadFacet], q, trace));
    }
    // "技能培训有补贴吗 咋申请": a facet asked that the programme's texts do not give is said plainly.
    const unsaid = asked.filter((f) => !chosen.program.facets[f] && f in FACET_WORDS && !(f === 'apply' && facets.includes('where')));
    if (unsaid.length > 0 && replies.length > 0) {
      trace.push(`unsaid:${unsaid.join('+')}`);
      replies.push({ text: `文件里没有写明${chosen.program.name.replace(/（.*?）/g, '')}${unsaid.map((f) => FACET_WORDS[f]).join('、')}。请拨打12333，或咨询当地县（市、区）人社部门。`, citations: [] });
    }
    return { replies, program: chosen.program, facets, named: chosen.named, trace };
  }

  /**
   * Other programmes the question names by a name of several words, each its own ("个人 合伙 小微企业
   * 各能贷多少": 合伙创业担保贷款 and 小微企业创业担保贷款 beside the personal loan), with the facet asked.
   */
  private siblings(chosen: Candidate, ranked: Candidate[], facets: Facet[], trace: string[]): Candidate[] {
    const own = (c: Candidate) => c.why.find((w) => w.startsWith('alias:'))?.slice(6) ?? '';
    const chosenAlias = own(chosen);
    const out = ranked.filter((c) => {
      if (c.program === chosen.program || !c.named || c.score < chosen.score * SIBLING_RATIO) return false;
      const alias = own(c);
      // Another programme's own name, not a part or a whole of the chosen one's (创业担保贷款 inside 个人创业担保贷款).
      return alias.length >= 4 && !chosenAlias.includes(alias) && !alias.includes(chosenAlias) && facets.some((f) => c.program.facets[f]);
    });
    const picked = out.slice(0, MAX_SIBLINGS - 1);
    // "招了个大学生 企业有啥补贴": the city's measure says "按规定给", the province's beside it 1000元 —
    // when the answer lacks the figure, a close programme whose same facet states one is added.
    const money = facets.find((f) => f === 'amount' || f === 'who');
    if (picked.length === 0 && money && !figuresIn(chosen.program.facets[money]?.answer ?? '').length) {
      const giver = ranked.find(
        (c) =>
          c.program !== chosen.program &&
          c.score >= chosen.score * FIGURE_GIVER_RATIO &&
          c.program.kind === chosen.program.kind &&
          shareName(c.program.name, chosen.program.name) &&
          figuresIn(c.program.facets.amount?.answer ?? '').length > 0,
      );
      if (giver) {
        trace.push(`figure from:${giver.program.id}`);
        return [giver];
      }
    }
    if (picked.length) trace.push(`siblings:${picked.map((c) => c.program.id).join(',')}`);
    return picked;
  }

  private uncoveredSubject(query: QueryTerm[], program: Program, facets: Facet[], top: Hit | undefined, facts: PersonFacts, followUp = false): string | null {
    if (!top) return null;
    // In a follow-up, when the best clause is the one the facet is written from ("那到市外的定点机构去培训"
    // after training subsidies), its words are the facet's conditions, not another subject.
    if (followUp && facets.some((f) => program.facets[f]?.cite.some((ref) => this.kb.clauses(ref).some((c) => sameOrWithin(c, top.clause))))) return null;
    // Words that tell who is asking (大专, 脱贫户) describe the person, not what is asked.
    const personal = [...Object.values(facts).filter((v): v is string => typeof v === 'string')];
    const said = [program.name, ...program.aliases, ...facets.map((f) => program.facets[f]!.answer), ...personal].join(' ');
    const subject = query.find(
      (t) =>
        t.weight === 1 &&
        !t.term.startsWith('#') &&
        [...t.term].length >= 2 &&
        !NUMBER_WORD.test(t.term) &&
        !this.personWords.has(t.term) &&
        // the words that ask ("准备", "多少") are no subject
        this.types.facets(t.term).length === 0 &&
        this.index.has(t.term) &&
        this.index.idf(t.term) >= SUBJECT_IDF &&
        !said.includes(t.term) &&
        top.matched.includes(t.term),
    );
    return subject?.term ?? null;
  }

  private search(text: string, region: Region | null, persona: string | null): { query: QueryTerm[]; hits: Hit[]; ranked: Candidate[] } {
    const query = this.buildQuery(text);
    const hits = this.index
      .search(query, { region, limit: 8, boost: this.types.boostFor(text) })
      .filter((h) => this.regionFits(h.doc.region, region));
    return { query, hits, ranked: this.matcher.rank(text, { region, hits, persona }) };
  }

  /**
   * "俺家是脱贫户 在广东干了一年 挣了两万六 有啥奖励": the person names no programme but tells facts that
   * a programme's rule works out to an amount (务工奖补 1040元). Such a programme is evidenced by the facts.
   */
  private withFactsVote(ranked: Candidate[], q: CatalogueQuestion, persona: string | null, trace: string[]): Candidate[] {
    if (!this.compute || Object.keys(q.facts).length === 0) return ranked;
    const linked = this.programs.filter((p) => p.calculator.length > 0 && programFits(p.region, q.region) && (!persona || p.personas.includes(persona as never)));
    const keys = [...new Set(linked.flatMap((p) => p.calculator))];
    const paying = new Set(this.compute(keys, q.facts, q.region, q.today, []).filter((c) => c.eligible && c.amount !== null && c.amount > 0).map((c) => c.program));
    if (paying.size === 0) return ranked;
    const out = [...ranked];
    for (const p of linked) {
      // One vote per figure the facts work out with it: the programme that gives them all (一奖一补:
      // 务工奖补 and 交通补贴) before one that gives a part.
      const votes = p.calculator.filter((k) => paying.has(k)).length;
      if (votes === 0) continue;
      const i = out.findIndex((c) => c.program === p);
      const voted = i >= 0 ? { ...out[i]!, score: out[i]!.score + FACTS_VOTE * votes, why: [...out[i]!.why, 'facts'] } : { program: p, score: FACTS_VOTE * votes + ACCEPT_SCORE, why: ['facts'], named: false };
      if (i >= 0) out[i] = voted;
      else out.push(voted);
    }
    trace.push(`facts vote:${[...paying].join('+')}`);
    return out.sort((a, b) => b.score - a.score || b.program.calculator.length - a.program.calculator.length);
  }

  /** Whether the message tells the person's own facts ("我是前年毕业的 大专", "俺58了"). */
  private statesFacts(q: CatalogueQuestion): boolean {
    return Object.keys(q.facts).length > 0 && /\d|岁|毕业|学历|大专|本科|中专|研究生|人|户/.test(q.text);
  }

  /** The programme the question is about: named, strongly evidenced, or the topic a follow-up continues. */
  private choose(ranked: Candidate[], asked: Facet[], q: CatalogueQuestion, namesOwn: boolean, trace: string[], own: Candidate[], ownQuery: QueryTerm[]): Candidate | null {
    const best = ranked[0];
    const topic = q.topic ? this.byId.get(q.topic) : undefined;
    // "那济宁呢" after a national rule: where the place named has its own rule for the same benefit,
    // that one answers (the national one still fits, but the person asked about there).
    const namedRegion = q.region && findPlaces(q.text).some((p) => p.region === q.region) ? q.region : null;
    if (topic && q.followUp && !namesOwn && namedRegion && topic.region !== namedRegion && programFits(topic.region, namedRegion)) {
      const local = this.analogue(topic, namedRegion, asked, true);
      if (local) {
        trace.push(`program:${local.program.id} (${namedRegion}'s own rule for ${topic.id}: ${local.why})`);
        return ranked.find((c) => c.program === local.program) ?? { program: local.program, score: ACCEPT_SCORE, why: ['analogue'], named: false };
      }
    }
    // "在职25个人 今年新招了3个 够不够" after the small-business loan: facts that decide the topic's
    // own rule in the calculator are told for it, whatever other programme their words also fit.
    // A name pieced together from the words ("招了5个应届生" → 应届毕业生吸纳就业补贴) does not move it.
    const literally = own.some((c) => c.named && c.program !== topic && q.text.replace(/\s/g, '').includes(aliasOf(c)));
    if (topic && q.followUp && !literally && q.toldFacts && programFits(topic.region, q.region)) {
      // (the calculator decides with them, or a facet's own checks read them: 成立8个月) — the topic's,
      // or its variant's that states the conditions (the province's plan behind the city's measure)
      const decides = (p: Program) =>
        (!!this.compute && p.calculator.length > 0 && this.compute(p.calculator, q.facts, q.region, q.today, []).length > 0) ||
        Object.values(p.facets).some((f) => f!.checks.some((c) => factValue(c.fact, q.facts, q.today) !== null));
      const topicNames = new Set(topic.aliases);
      const held = [topic, ...this.programs.filter((p) => p !== topic && p.kind === topic.kind && programFits(p.region, q.region) && p.aliases.some((a) => topicNames.has(a)))].find(decides);
      if (held) {
        trace.push(`topic:${held.id} (the facts told decide its rule${held === topic ? '' : `, for ${topic.id}`})`);
        return ranked.find((c) => c.program === held) ?? { program: held, score: TOPIC_BONUS + ACCEPT_SCORE, why: ['topic', 'facts'], named: false };
      }
    }
    // Not when the follow-up says nothing but the facet and the topic has it: "要带啥材料" after the
    // loan's amount is the loan's materials, though 弄虚作假 (…申请材料…) shares the word.
    const topicAnswers = !!topic && asked.length > 0 && asked.every((f) => topic.facets[f]) && this.asksOnlyFacet(q.text);
    if (topic && q.followUp && !namesOwn && !topicAnswers && programFits(topic.region, q.region)) {
      const topicDocs = docsOf(topic);
      const neighbour = own.find(
        (c) =>
          c.program !== topic &&
          c.score >= NEIGHBOUR_SCORE &&
          [...docsOf(c.program)].some((d) => topicDocs.has(d)) &&
          c.why.some((w) => w.startsWith('terms:')) &&
          // a neighbour that cannot say what is asked is no better answer than the topic
          (asked.length === 0 || asked.some((f) => c.program.facets[f])),
      );
      // …unless the follow-up's own words point far more strongly to a programme of other texts, whose
      // clauses the index ranks near the top ("那俺自己出去打工有啥奖励" after 雨露计划: 一奖一补).
      const ownBest = own[0];
      const elsewhere =
        !!neighbour && !!ownBest && ownBest.program !== topic && ownBest.program !== neighbour.program &&
        ownBest.why.some((w) => /^clause:.*@[123]$/.test(w)) &&
        ![...docsOf(ownBest.program)].some((d) => topicDocs.has(d)) &&
        ownBest.score >= neighbour.score * ELSEWHERE_RATIO &&
        // by the follow-up's words themselves, not only by a clause its generic words rank (社保 → 降费率)
        termsOf(ownBest) > termsOf(neighbour);
      if (elsewhere) {
        trace.push(`program:${ownBest!.program.id} (the follow-up's own words, far stronger than ${neighbour!.program.id} beside topic ${topic.id})`);
        return ownBest!;
      }
      if (neighbour) {
        trace.push(`program:${neighbour.program.id} (the follow-up's own words, beside topic ${topic.id})`);
        return neighbour;
      }
    }
    // "那补贴多少", "要带啥材料": a follow-up that names no programme of its own is about the
    // conversation's one — unless its own words point to another of the same texts ("那社保谁给交"
    // after a labour-dispatch contract question), which then outranks the topic's bonus.
    if (topic && q.followUp && !namesOwn && programFits(topic.region, q.region)) {
      // "需要交哪些材料" after a question on internships for employers: the topic has no such facet; the
      // programme of the same texts that has it (申报就业见习单位) answers, best read with the context.
      // (not for "who": "能不能…" is as often a yes/no on the topic's rule as a question of who qualifies)
      if (asked.length > 0 && !asked.includes('who') && !asked.some((f) => topic.facets[f])) {
        const topicDocs = docsOf(topic);
        const ofTexts = (p: Program) => p !== topic && asked.some((f) => p.facets[f]) && programFits(p.region, q.region) && [...docsOf(p)].some((d) => topicDocs.has(d));
        // Read with the context when its words rank one; else the one for the kind of person asking.
        const employer = FORMS.employer_voice.test(`${q.context ?? ''} ${q.text}`);
        const unranked = this.programs.filter(ofTexts).sort((a, b) => Number(b.personas.includes('employer') === employer) - Number(a.personas.includes('employer') === employer))[0];
        const sibling = ranked.find((c) => ofTexts(c.program)) ?? (unranked ? { program: unranked, score: ACCEPT_SCORE, why: ['topic texts'], named: false } : undefined);
        if (sibling) {
          trace.push(`program:${sibling.program.id} (topic ${topic.id} has no ${asked.join('+')}; this programme of its texts has)`);
          return sibling;
        }
      }
      // The follow-up's own words alone name another subject, of other texts, far more than the topic
      // ("那要是一直拖着不给呢 老板会咋样" after who must pay: the punishment of arrears).
      const ownBest = own[0];
      const ownTopic = own.find((c) => c.program === topic);
      if (
        // (a message telling the person's facts — 中专毕业 — is about them, for the topic)
        !q.toldFacts && !this.statesFacts(q) && ownBest && ownBest.program !== topic && termsOf(ownBest) >= ACCEPT_SCORE &&
        // (words besides those that ask: "那额度最高多少 利息多少" asks the topic's amount)
        /[\p{L}]{2,}/u.test(this.types.asking(q.text).replace(/^(那|那么|要是|如果)|呢|吗|啊/g, '')) &&
        termsOf(ownBest) > (ownTopic ? termsOf(ownTopic) : 0) * ELSEWHERE_RATIO &&
        ![...docsOf(ownBest.program)].some((d) => docsOf(topic).has(d))
      ) {
        trace.push(`program:${ownBest.program.id} (the follow-up's own words name it, not topic ${topic.id})`);
        return ownBest;
      }
      const held = ranked.find((c) => c.program === topic);
      const withTopic = held ? held.score + TOPIC_BONUS : TOPIC_BONUS + ACCEPT_SCORE;
      const rival = ranked.find((c) => c.program !== topic && c.score > withTopic && c.why.some((w) => w.startsWith('clause:')));
      if (!rival) {
        trace.push(`topic:${topic.id}`);
        return held ?? { program: topic, score: withTopic, why: ['topic'], named: false };
      }
      trace.push(`topic ${topic.id} outranked by ${rival.program.id}`);
      return rival;
    }
    // "那济宁呢": the topic's programme does not run there; its variant there (the closest name) does.
    if (topic && q.followUp && !namesOwn && !programFits(topic.region, q.region)) {
      // The same benefit there, by what the two entries share (aliases, name): the region's other
      // programmes that the follow-up's few words happen to rank do not count ("那济宁呢 我户口是济宁农村的").
      const analogue = this.analogue(topic, q.region, asked);
      if (analogue) {
        const held = ranked.find((c) => c.program === analogue.program);
        trace.push(`program:${analogue.program.id} (${q.region}'s analogue of ${topic.id}: ${analogue.why})`);
        return held ?? { program: analogue.program, score: ACCEPT_SCORE, why: ['analogue'], named: false };
      }
      const variant = best && ranked
        .filter((c) => c.score >= best.score * CLOSE_RATIO)
        .sort((a, b) => commonRun(b.program.name, topic.name) - commonRun(a.program.name, topic.name) || b.score - a.score)[0];
      if (variant) {
        trace.push(`program:${variant.program.id} (${q.region}'s variant of ${topic.id})`);
        return variant;
      }
    }
    if (!best) return null;
    // "…够小微企业创业担保贷款的比例不": a programme the question calls by its name goes before one whose name
    // only the synonyms of its words piece together (招了…登记失业 → 吸纳就业补贴).
    if (best.why.includes('pieced-with-synonyms')) {
      const compactText = q.text.replace(/\s/g, '');
      // (a name about as specific either way: "创业贷款" said does not beat 返乡创业农民工创业担保贷款 pieced,
      // nor 个人创业担保贷款 said the 担保人 the question asks about)
      const said = ranked.find(
        (c) =>
          c !== best && c.named && !c.why.includes('pieced-with-synonyms') && compactText.includes(aliasOf(c)) &&
          Math.abs(aliasOf(c).length - aliasOf(best).length) <= aliasOf(best).length * (1 - CLOSE_RATIO) && c.score >= best.score * SIBLING_RATIO &&
          // (not when the pieced one is a part of the one said: 创业担保贷款反担保 within 个人创业担保贷款)
          commonRun(aliasOf(c), aliasOf(best)) < PART_OF_RUN,
      );
      if (said) {
        trace.push(`program:${said.program.id} (called by its name; ${best.program.id} only pieced with synonyms)`);
        return said;
      }
    }
    if (!best.named && best.score < ACCEPT_SCORE && !(FORMS.asks_overview.test(q.text) && personaOf(q.facts))) {
      trace.push(`weak:${best.program.id}:${best.score.toFixed(1)}`);
      return null;
    }
    // The best reading lacks the facet asked while a close one has it ("创业贷款…材料": the loan's
    // procedure entry, not the loan's amounts).
    if (asked.length > 0 && !asked.some((f) => best.program.facets[f])) {
      // Only to a programme the question names or whose clause the index ranks: shared words alone
      // sent "人社局管毕业生就业的电话" to the union's hotline.
      const evidenced = (c: Candidate) => c.named || c.why.some((w) => w.startsWith('clause:'));
      const other = ranked.find((c) => c.score >= best.score * CLOSE_RATIO && evidenced(c) && asked.some((f) => c.program.facets[f]));
      if (other) {
        trace.push(`program:${other.program.id} (${other.why.join(' ')}; has ${asked.join('+')})`);
        return other;
      }
    }
    // "有什么补贴": a programme that pays, if one close behind has the evidence, before a service.
    const paysSomething = best.program.kind === 'benefit' || best.program.kind === 'loan' || best.program.calculator.length > 0 || !!best.program.facets.amount;
    if (!best.named && FORMS.asks_what_it_is.test(q.text) && FORMS.money_kind.test(q.text) && !paysSomething) {
      const paying = ranked.find(
        (c) =>
          (c.program.kind === 'benefit' || c.program.kind === 'loan') &&
          c.score >= best.score * SIBLING_RATIO &&
          (!personaOf(q.facts) || c.program.personas.includes(personaOf(q.facts) as never)) &&
          // An employer's subsidy only for someone who speaks as an employer.
          (FORMS.employer_voice.test(q.text) || c.program.personas.some((p) => p !== 'employer')) &&
          c.why.some((w) => !w.startsWith('persona')),
      );
      if (paying) {
        trace.push(`program:${paying.program.id} (pays, asked what subsidy; before ${best.program.id})`);
        return paying;
      }
      trace.push(`asked what subsidy, ${best.program.id} pays none: left to clause retrieval`);
      return null;
    }
    // "个人创业担保贷款 要不要找人担保": the name is the loan, the question its guarantee — when the
    // index's best clause belongs to another programme of the same document, that one is asked. Not
    // when the named programme answers the facet asked itself: "创业担保贷款能贷多少" is the loan's
    // amount, though the index ranks the agencies' 1% award (…创业担保贷款总额的1%) first.
    const answersItself = asked.length > 0 && asked.every((f) => best.program.facets[f]);
    const narrower = answersItself ? null : this.narrower(best, ranked, ownQuery);
    if (narrower) {
      trace.push(`program:${narrower.program.id} (narrower than ${best.program.id}: the index's best clause is its)`);
      return narrower;
    }
    // A phone number is given only for a programme the question names: which office's number a
    // general "电话多少" wants is for the phone rules of clause retrieval to work out.
    if (asked.length === 1 && asked[0] === 'phone' && !best.named) {
      trace.push(`phone for an unnamed programme (${best.program.id}): left to clause retrieval`);
      return null;
    }
    trace.push(`program:${best.program.id} (${best.why.join(' ')})`);
    return best;
  }

  /**
   * The programme of another region that is the same benefit as `topic`: the most aliases in common
   * (公益岗, 创业担保贷款), then the longest common run of the names without their region tag. Only a
   * programme sharing an alias or a 4-character run of its name counts; one that has the facet asked
   * goes first.
   */
  private analogue(topic: Program, region: Region | null, asked: Facet[], exact = false): { program: Program; why: string } | null {
    const bare = (name: string) => name.replace(/（.*?）/g, '');
    const topicAliases = new Set([bare(topic.name), ...topic.aliases]);
    let best: { program: Program; why: string; score: number } | null = null;
    for (const p of this.programs) {
      if (p === topic || !programFits(p.region, region) || (exact ? p.region !== region : programFits(p.region, topic.region))) continue;
      const shared = [bare(p.name), ...p.aliases].filter((a) => topicAliases.has(a));
      const run = commonRun(bare(p.name), bare(topic.name));
      if (shared.length === 0 && run < 4) continue;
      const hasFacet = asked.length === 0 || asked.some((f) => p.facets[f]) ? 1 : 0;
      const score = hasFacet * 100 + shared.length * 10 + run + (p.kind === topic.kind ? 1 : 0);
      if (!best || score > best.score) best = { program: p, score, why: shared.length ? `aliases ${shared.join('/')}` : `name run ${run}` };
    }
    return best;
  }

  /**
   * "有啥政策能帮帮我", "我这情况能享受啥": the programmes that fit best, for the kind of person the
   * asker says they are, by name — the person picks one to hear more.
   */
  private overview(ranked: Candidate[], persona: string | null, question: string, trace: string[], today: string): CatalogueAnswer | null {
    // "有什么补贴" lists what pays; "有啥政策" anything one can take up.
    const kinds = FORMS.money_kind.test(question) ? ['benefit', 'loan'] : ['benefit', 'loan', 'service', 'right'];
    const fits = ranked.filter(
      (c) =>
        kinds.includes(c.program.kind) &&
        (!persona || c.program.personas.includes(persona as never)) &&
        c.why.some((w) => w.startsWith('terms:') || w.startsWith('clause:') || w.startsWith('alias:')),
    );
    const picked: Candidate[] = [];
    const bare = (name: string) => name.replace(/（.*?）/g, '');
    // What still runs before what has ended; one entry per benefit (the city's and the province's
    // 创业培训补贴 are one line to the person).
    fits.sort((a, b) => Number(this.ended(a.program, today)) - Number(this.ended(b.program, today)));
    for (const c of fits) {
      if (picked.some((p) => bare(p.program.name) === bare(c.program.name))) continue;
      picked.push(c);
      if (picked.length === OVERVIEW_SIZE) break;
    }
    if (picked.length < 2) return null;
    trace.push(`overview:${picked.map((c) => c.program.id).join(',')}`);
    const citations = uniqueCitations(
      picked.flatMap((c) => {
        const entry = c.program.facets.overview ?? c.program.facets.amount ?? Object.values(c.program.facets)[0]!;
        const clause = this.kb.clauses(entry.cite[0]!)[0];
        return clause ? [citationFor(this.kb.document(clause.docId)!, clause)] : [];
      }),
    );
    const lines = picked.map((c, i) => `${i + 1}. ${c.program.name.replace(/（.*?）/g, '')}`);
    const text = `您这种情况可以了解这几项，回复名称我细说（能领多少、怎么办）：\n${lines.join('\n')}\n依据：${[...new Set(citations.map((c) => c.docNo ?? bookTitle(c.title)))].join('、')}`;
    return { replies: [{ text, citations }], program: picked[0]!.program, facets: [], named: false, trace };
  }

  /**
   * Whether a message is only a facet's question ("要带啥材料", "去哪办"): what is left once every
   * stretch that asks a facet is taken out is at most one character of filler.
   */
  private asksOnlyFacet(text: string): boolean {
    let rest = text.replace(/[\s，。？?！!、]/g, '');
    for (let found = true; found; ) {
      found = false;
      for (let len = 2; len <= rest.length && !found; len++) {
        for (let i = 0; i + len <= rest.length && !found; i++) {
          if (this.types.facets(rest.slice(i, i + len)).length > 0) {
            rest = rest.slice(0, i) + rest.slice(i + len);
            found = true;
          }
        }
      }
    }
    return rest.replace(/什么|[那呢吗嘛啊呀的了我俺要请问一下还再啥]/g, '').length <= 1;
  }

  private narrower(best: Candidate, ranked: Candidate[], query: QueryTerm[]): Candidate | null {
    // Only beneath a programme one applies for (a loan and its guarantee rules); a duty or right is itself the rule asked.
    if (!best.named || best.why.some((w) => w.endsWith('@1')) || best.program.kind === 'duty' || best.program.kind === 'right') return null;
    const top = ranked.find((c) => c.why.some((w) => w.startsWith('clause:') && w.endsWith('@1')));
    if (!top || top === best || top.named) return null;
    const docs = (p: Program) => new Set(Object.values(p.facets).flatMap((f) => f!.cite.map((r) => r.split('#')[0])));
    const bestDocs = docs(best.program);
    if (![...docs(top.program)].some((d) => bestDocs.has(d))) return null;
    // The question must say something of the narrower one beyond what the named one says ("要不要找人
    // 担保" → 反担保): "培训那几天吃饭有补助不" is the living allowance, whatever clause the index ranks first.
    const named = [best.program.name, ...best.program.aliases, ...Object.values(best.program.facets).map((f) => f!.answer)].join(' ');
    const itsOwn = [top.program.name, ...top.program.aliases, ...Object.values(top.program.facets).map((f) => f!.answer)].join(' ');
    const beyond = query.filter(
      (t) => !t.term.startsWith('#') && t.weight >= 0.8 && [...t.term].length >= 2 && !named.includes(t.term) && this.types.facets(t.term).length === 0 && itsOwn.includes(t.term),
    );
    return beyond.length > 0 ? top : null;
  }

  /**
   * Region variants of one programme (named by the same words): a current rule before an ended one,
   * then the city's own before the province's and the national one.
   */
  private preferVariant(chosen: Candidate, ranked: Candidate[], today: string, asksCurrency: boolean, said: Region | null, trace: string[]): Candidate {
    const alias = chosen.why.find((w) => w.startsWith('alias:'));
    if (!alias) return chosen;
    const variants = ranked.filter((c) => c.why.includes(alias) && c.score >= chosen.score * CLOSE_RATIO);
    // Asked whether it still runs, the variant with a stated period answers; otherwise a current rule first.
    // The region the person named comes before others; otherwise the best reading stays.
    const rank = (c: Candidate) =>
      (asksCurrency ? (this.hasEnd(c.program) ? 10 : 0) : this.ended(c.program, today) ? 0 : 10) + (c.program.region === said ? 1 : 0);
    const best = variants.sort((a, b) => rank(b) - rank(a) || b.score - a.score)[0] ?? chosen;
    if (best !== chosen) trace.push(`variant:${best.program.id} (${asksCurrency ? 'states its period' : this.ended(chosen.program, today) ? 'current' : 'the region named'})`);
    return best;
  }

  /** A facet written only from blank forms or scoring sheets answers only a question asking for one. */
  private usable(program: Program, f: Facet, text: string): boolean {
    const entry = program.facets[f];
    if (!entry) return false;
    const clauses = entry.cite.flatMap((ref) => this.kb.clauses(ref));
    return clauses.length === 0 || clauses.some((c) => !this.types.unwantedForm(text, c.text));
  }

  private facetsFor(program: Program, asked: Facet[], text: string, top: Hit | undefined, trace: string[], named = false): Facet[] {
    const present = asked.filter((f) => this.usable(program, f, text));
    // "有补贴吗 怎么算": how much, and on what condition it is paid.
    if (present.length === 1 && present[0] === 'amount' && FORMS.asks_if_paid.test(text) && this.usable(program, 'who', text)) present.push('who');
    if (present.length > 0) {
      trace.push(`facets:${present.slice(0, MAX_FACETS).join('+')}`);
      return present.slice(0, MAX_FACETS);
    }
    // "能在网上投不" asks how to go about it: where to go says it when the entry has no procedure.
    if (asked.includes('apply') && this.usable(program, 'where', text)) {
      trace.push('facet:where (asked how; the entry says where)');
      return ['where'];
    }
    if (asked.length > 0) return [];
    // "有没有低息的贷款": whether such a benefit or loan exists is answered by what it gives.
    if (FORMS.asks_exists.test(text) && (program.kind === 'benefit' || program.kind === 'loan') && this.usable(program, 'amount', text)) {
      trace.push('facet:amount (asks whether there is such a benefit)');
      return ['amount'];
    }
    if (FORMS.yes_no.test(text)) {
      // "能领吗" of a benefit: whether, and how much; "算…吗" of a right or duty: what the rule says.
      const wanted: Facet[] =
        program.kind === 'duty' || program.kind === 'right' ? ['duty', 'overview', 'who'] : ['who', 'amount'];
      const found = program.kind === 'duty' || program.kind === 'right'
        ? wanted.filter((f) => this.usable(program, f, text)).slice(0, 1)
        : wanted.filter((f) => this.usable(program, f, text));
      if (found.length > 0) {
        trace.push(`facets:${found.join('+')} (a yes/no question about a ${program.kind})`);
        return found;
      }
    }
    // No facet named: the one whose clause the index ranks best — of several written from that clause,
    // the one that says most of the question's words ("单位给上啥保险": the entry naming 意外伤害保险).
    const fromTop = top ? DEFAULT_ORDER.filter((f) => this.usable(program, f, text) && program.facets[f]?.cite.some((ref) => this.kb.clauses(ref).some((c) => sameOrWithin(c, top.clause)))) : [];
    const supported = this.saysMost(program, fromTop, text);
    if (FORMS.asks_something.test(text) && !FORMS.asks_what_it_is.test(text)) {
      // "社保咋交" asks something no facet type names: the facet written from the clause the index
      // ranks best says it, when there is one; otherwise the clause itself is better than a guess.
      if (supported && supported !== 'overview') {
        trace.push(`facet:${supported} (asks something unnamed; the index's best clause is this facet's)`);
        return [supported];
      }
      // A programme the question names, asked "咋交"/"咋弄": what it is and how it works is its
      // overview (a subject the overview does not cover is caught after, as uncovered).
      if (named && FORMS.asks_how_generally.test(text) && this.usable(program, 'overview', text)) {
        trace.push('facet:overview (asks something unnamed of a programme it names)');
        return ['overview'];
      }
      trace.push('no facet for what is asked: left to clause retrieval');
      return [];
    }
    if (supported) {
      trace.push(`facet:${supported} (the index's best clause)`);
      return [supported];
    }
    const implied = DEFAULT_ORDER.find((f) => this.usable(program, f, text));
    if (implied) trace.push(`facet:${implied} (implied)`);
    return implied ? [implied] : [];
  }

  /** Of these facets (in DEFAULT_ORDER), the one whose answer holds most of the question's content words; the first on a tie. */
  private saysMost(program: Program, facets: Facet[], text: string): Facet | undefined {
    if (facets.length <= 1) return facets[0];
    // Words that name the programme (its aliases) or tell who is asking say nothing of which facet.
    const names = [program.name, ...program.aliases].join(' ');
    const words = this.buildQuery(text).filter(
      (t) => !t.term.startsWith('#') && t.weight >= 0.8 && [...t.term].length >= 2 && this.types.facets(t.term).length === 0 && !names.includes(t.term) && !this.personWords.has(t.term),
    );
    let best = facets[0]!;
    let most = -1;
    for (const f of facets) {
      const answer = program.facets[f]!.answer;
      const said = words.filter((w) => answer.includes(w.term)).length;
      if (said > most) {
        best = f;
        most = said;
      }
    }
    return best;
  }

  private hasEnd(program: Program): boolean {
    return Object.values(program.facets).some((f) => this.endOf(f!) !== null);
  }

  private ended(program: Program, today: string): boolean {
    return Object.values(program.facets).some((f) => this.endOf(f!) !== null && this.endOf(f!)! < today);
  }

  /**
   * The earliest end date among a facet's cited clauses, or null: the document's end, or a clause's own
   * end date when the answer is about the provision that end concerns ("剩余期限见习补贴…延续至2023年底"
   * ends that subsidy, not the 70% one beside it).
   */
  private endOf(entry: FacetEntry): string | null {
    const ends = entry.cite
      .flatMap((ref) => this.kb.clauses(ref))
      .map((c) => {
        const docEnd = this.kb.document(c.docId)?.meta.validity.end ?? null;
        if (!c.end || c.end === docEnd) return c.end;
        // "执行期限截止…" with no subject of its own ends the whole article.
        const endText = (c.endText ?? '').replace(/\s+/g, '');
        return WHOLE_PROVISION_END.test(endText) || aboutSameProvision(entry.answer, endText) ? c.end : docEnd;
      })
      .filter((e): e is string => e !== null)
      .sort();
    return ends[0] ?? null;
  }

  /**
   * "叶县见习电话": the cited list's number for the county asked ("叶县：6110266"), read from the
   * clause itself; null when the question names no county or the list has none for it.
   */
  private countyPhone(entry: FacetEntry, question: string): string | null {
    const county = findPlaces(question).find((p) => p.level === 'county');
    if (!county) return null;
    const short = county.name.replace(/(?<=..)(县|市|区)$/, '');
    for (const clause of entry.cite.flatMap((ref) => this.kb.clauses(ref))) {
      const m = new RegExp(`(${short}[^：:\\d\\n]{0,8})[：:]?\\s*((?:0\\d{2,3}[-－]?)?\\d{7,8})`).exec(clause.text);
      if (m) return `${m[1]}电话：${m[2]}。`;
    }
    return `文件所列的电话里没有${county.name}的号码，请拨打12333或到${county.name}人社部门咨询。`;
  }

  private computed(program: Program, q: CatalogueQuestion, trace: string[]): Reply | null {
    if (!this.compute || program.calculator.length === 0 || Object.keys(q.facts).length === 0) return null;
    const results = this.compute(program.calculator, q.facts, q.region, q.today, program.personas);
    if (results.length === 0) return null;
    trace.push(`calculated:${results.map((r) => r.program).join('+')}`);
    const citations = uniqueCitations(results.flatMap((r) => r.citations));
    return { text: `${results.map((r) => r.line).join('\n')}\n${sourceLine(citations, program.region, this.shortTitles)}`, citations };
  }

  /** One reply per programme: each facet's line, then one source line for them all. */
  private reply(program: Program, facets: Facet[], q: CatalogueQuestion, trace: string[]): Reply {
    const parts = facets.map((f) => this.compose(program, f, program.facets[f]!, q, trace));
    const citations = uniqueCitations(parts.flatMap((p) => p.citations));
    return { text: `${parts.map((p) => p.line).join('\n')}\n${sourceLine(citations, program.region, this.shortTitles)}`, citations };
  }

  private compose(program: Program, facet: Facet, entry: FacetEntry, q: CatalogueQuestion, trace: string[]): { line: string; citations: Citation[] } {
    const verdict = facet === 'who' ? verdictOf(entry, q.facts, q.today) : null;
    if (verdict) trace.push(`verdict:${verdict.rule}`);
    const end = this.endOf(entry);
    const expired = end !== null && end < q.today ? `（执行期至${formatDateZh(end)}，已到期，是否延续请问12333）` : '';
    if (expired) trace.push(`expired:${end}`);
    const local = facet === 'phone' ? this.countyPhone(entry, q.text) : null;
    if (local) trace.push(`phone:${local}`);
    const said = local ?? entry.answer;
    // An answer that never names its programme ("安置无法离乡…") is prefixed with it, so that an SMS
    // read on its own says what it is about.
    const names = [program.name, ...program.aliases].map((n) => n.replace(/（.*?）/g, '')).filter((n) => n.length >= 2);
    const named = names.some((n) => said.includes(n)) ? '' : `${program.name.replace(/（.*?）/g, '')}：`;
    // The verdict an answer opens with ("能：", "要看条件：") stays first, before the programme's name.
    const lead = named ? /^([^：，。；]{1,6})：/.exec(said) : null;
    const body = lead ? `${lead[1]}。${named}${said.slice(lead[0].length)}` : `${named}${said}`;
    const first = `${verdict ? verdict.text : ''}${body}${expired}`;
    const clauses = entry.cite.map((ref) => this.kb.clauses(ref)[0]).filter((c): c is Clause => c !== undefined);
    return { line: first, citations: clauses.map((c) => citationFor(this.kb.document(c.docId)!, c)) };
  }
}

/**
 * Whether an answer speaks of the provision an end-date sentence is about: a 6-character phrase in
 * common ("剩余期限见习"); shorter ones ("见习人员") are shared by every provision of a document.
 */
const SAME_PROVISION_CHARS = 6;
function aboutSameProvision(answer: string, endText: string): boolean {
  const sentence = endText.replace(/\s+/g, '');
  for (let i = 0; i + SAME_PROVISION_CHARS <= sentence.length; i++) if (answer.includes(sentence.slice(i, i + SAME_PROVISION_CHARS))) return true;
  return false;
}

/** The longest run of characters two names share (个人创业担保贷款 and 个人创业担保贷款（济宁）: 8). */
function commonRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (a[i + k] !== undefined && a[i + k] === b[j + k]) k++;
      if (k > best) best = k;
    }
  }
  return best;
}

/** The candidate's score from the question's words alone (its "terms:" evidence). */
function termsOf(c: Candidate): number {
  const t = c.why.find((w) => w.startsWith('terms:'));
  return t ? Number(t.slice(6)) : 0;
}

/** The name or alias by which the question named a candidate ("" when it did not). */
function aliasOf(c: Candidate): string {
  return c.why.find((w) => w.startsWith('alias:'))?.slice(6) || '\u0000';
}

/** The documents a programme's facets cite. */
function docsOf(p: Program): Set<string> {
  return new Set(Object.values(p.facets).flatMap((f) => f!.cite.map((r) => r.split('#')[0]!)));
}

/** Two programme names with a 4-character word in common (吸纳就业补贴): the same benefit, another rule. */
function shareName(a: string, b: string): boolean {
  for (let i = 0; i + 4 <= a.length; i++) if (b.includes(a.slice(i, i + 4))) return true;
  return false;
}


function uniqueCitations(list: Citation[]): Citation[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const k = `${c.title}|${c.clause}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** "出处：【平顶山市】《…》（平人社办〔2023〕73号）一、（二）、一、（三）": one line for a facet's clauses. */
function sourceLine(citations: Citation[], region: Region, shortTitles: ReadonlyMap<string, string> = new Map()): string {
  // A 文号 already says whose rule it is (平人社…, 豫政办…, 济…); only a document without one is tagged.
  const where = region === '全国' || citations.every((c) => c.docNo) ? '' : `【${region}】`;
  const byDoc = new Map<string, Citation[]>();
  for (const c of citations) byDoc.set(`${c.title}|${c.docNo ?? ''}`, [...(byDoc.get(`${c.title}|${c.docNo ?? ''}`) ?? []), c]);
  const parts = [...byDoc.values()].map((cs) => {
    const c = cs[0]!;
    const labels = cs.map((x) => x.clause).filter((l): l is string => !!l && l !== '正文');
    const title = c.docNo ? (shortTitles.get(c.docNo) ?? c.title) : c.title;
    return `${citationText(c, { title, withoutClause: true })}${labels.length ? labels.slice(0, 2).join('、') : ''}`;
  });
  return `出处：${where}${parts.join('；')}`;
}

export type { Hit };
