/**
 * Collects one programme's outcome while its formula runs: parameter values (with the clause each
 * comes from), conditions met / failed / to verify, readings, arithmetic, the amount.
 */
import type { Citation, Region } from '../core/types.js';
import { formatDateZh } from './dates.js';
import type { RuleData } from './parameters/load.js';
import { type LookupResult, lookup } from './parameters/lookup.js';
import type { Bracket, ParameterEntry, ParameterValue, Reference } from './parameters/schema.js';
import { hasField, type Profile } from './profile.js';
import { roundFen } from './money.js';
import type { EvaluateOptions, ProgramResult } from './types.js';
import { compactCitationText } from '../knowledge/citation-text.js';

export interface RuleContext {
  data: RuleData;
  region: Region;
  asOf: string;
  profile: Profile;
  options: EvaluateOptions;
}

/** Thrown when a parameter the programme needs is not in force at asOf for the region. */
export class Unavailable extends Error {
  constructor(
    readonly param: string,
    readonly result: Exclude<LookupResult, { status: 'ok' }>,
  ) {
    super(`${param}: ${result.status}`);
  }
}

export class ResultBuilder {
  private readonly reasons: string[] = [];
  private readonly cites = new Map<string, Citation>();
  private readonly readings: string[] = [];
  private readonly lines: string[] = [];
  private readonly explained: string[] = [];
  private readonly missing: string[] = [];
  private readonly used = new Map<string, ParameterEntry>();
  private failed = false;
  private lacking = false;
  private expiredInfo: { end: string; text: string } | undefined;
  private judgedOn: string | undefined;
  amount: number | null = null;

  constructor(
    readonly program: string,
    readonly title: string,
    readonly ctx: RuleContext,
  ) {}

  get profile(): Profile {
    return this.ctx.profile;
  }

  // ---- parameters -------------------------------------------------------------------------

  private fetch(name: string): LookupResult {
    return lookup(this.ctx.data, name, this.ctx.region, this.ctx.asOf);
  }

  /** The value in force; throws Unavailable (expired / not yet / not in this region's texts). */
  get<T extends ParameterValue = ParameterValue>(name: string): T {
    const r = this.fetch(name);
    if (r.status !== 'ok') throw new Unavailable(name, r);
    this.used.set(name, r.entry);
    this.cite(r.entry.references);
    return r.value as T;
  }

  /** Like get(), but judged at another date (e.g. the day a contract was signed). */
  inForceOn(name: string, date: string): void {
    this.judgedOn = date;
    const r = lookup(this.ctx.data, name, this.ctx.region, date);
    if (r.status !== 'ok') throw new Unavailable(name, r);
    this.used.set(name, r.entry);
    this.cite(r.entry.references);
  }

  /** The value in force, or undefined when this region's texts do not set it. */
  maybe<T extends ParameterValue = ParameterValue>(name: string): T | undefined {
    const r = this.fetch(name);
    if (r.status !== 'ok') return undefined;
    this.used.set(name, r.entry);
    this.cite(r.entry.references);
    return r.value as T;
  }

  num(name: string): number {
    return this.get<number>(name);
  }
  list(name: string): string[] {
    return this.get<string[]>(name);
  }
  map(name: string): Record<string, number | string> {
    return this.get<Record<string, number | string>>(name);
  }
  brackets(name: string): Bracket[] {
    return this.get<Bracket[]>(name);
  }
  text(name: string): string {
    return this.get<string>(name);
  }

  entry(name: string): ParameterEntry {
    const e = this.used.get(name);
    if (!e) throw new Error(`parameter ${name} not looked up yet`);
    return e;
  }

  /** "平人社〔2023〕23号 第八条 1." for the value used ('' when the region's texts do not set it). */
  ref(name: string): string {
    if (!this.used.has(name) && this.maybe(name) === undefined) return '';
    return this.entry(name)
      .references.map((r) => this.refText(r))
      .filter((v, i, a) => a.indexOf(v) === i)
      .join('；');
  }

  private refText(r: Reference): string {
    const s = this.ctx.data.sources.get(r.source)!;
    return compactCitationText({ title: s.title, docNo: s.docNo, clause: r.clause });
  }

  private cite(refs: Reference[]): void {
    for (const r of refs) {
      const s = this.ctx.data.sources.get(r.source)!;
      const key = `${s.id}|${r.clause}`;
      if (!this.cites.has(key)) this.cites.set(key, { title: s.title, docNo: s.docNo, clause: r.clause });
    }
  }

  /** x satisfies a minimum threshold (以上/达到/及以上 include the bound when the data says so). */
  meetsMin(name: string, x: number): boolean {
    const v = this.num(name);
    const e = this.entry(name);
    if (x === v && e.reading) this.read(e.reading);
    return x > v || (x === v && e.inclusive === true);
  }

  /** x is within a maximum (以下/以内/不超过 include the bound when the data says so). */
  withinMax(name: string, x: number): boolean {
    const v = this.num(name);
    const e = this.entry(name);
    if (x === v && e.reading) this.read(e.reading);
    return x < v || (x === v && e.inclusive === true);
  }

  /** Adds the reading recorded on the value used, if any. */
  readFrom(name: string): void {
    const e = this.entry(name);
    if (e.reading) this.read(e.reading);
  }

  // ---- conditions -------------------------------------------------------------------------

  private withRefs(text: string, names: string[]): string {
    const refs = names.map((n) => this.ref(n)).filter((v, i, a) => v && a.indexOf(v) === i);
    return refs.length ? `${text}（${refs.join('；')}）` : text;
  }

  pass(text: string, ...params: string[]): void {
    this.reasons.push(this.withRefs(`符合：${text}`, params));
  }

  fail(text: string, ...params: string[]): void {
    this.failed = true;
    this.reasons.push(this.withRefs(`不符合：${text}`, params));
  }

  /** A condition that cannot be checked from what was given: the result stays provisional. */
  unknown(fields: string | string[], text: string, ...params: string[]): void {
    for (const f of Array.isArray(fields) ? fields : [fields]) if (!this.missing.includes(f)) this.missing.push(f);
    this.reasons.push(this.withRefs(`待核实：${text}`, params));
  }

  /** ok true → pass, false → fail, undefined → unknown(field). */
  check(ok: boolean | undefined, field: string | string[], texts: { pass: string; fail: string; unknown: string }, ...params: string[]): boolean {
    if (ok === true) this.pass(texts.pass, ...params);
    else if (ok === false) this.fail(texts.fail, ...params);
    else this.unknown(field, texts.unknown, ...params);
    return ok !== false;
  }

  note(text: string, ...params: string[]): void {
    this.reasons.push(this.withRefs(`说明：${text}`, params));
  }

  read(text: string): void {
    if (!this.readings.includes(text)) this.readings.push(text);
  }

  /** An amount computation; shown only when the result is eligible (it would mislead otherwise). */
  calc(line: string): void {
    this.lines.push(line);
  }

  /** A computation that explains the decision either way (a ratio, a comparison with a limit). */
  explain(line: string): void {
    this.explained.push(line);
  }

  /** True when every field is present; otherwise records them as missing and returns false. */
  need(...fields: string[]): boolean {
    const absent = fields.filter((f) => !hasField(this.profile, f));
    if (absent.length === 0) return true;
    for (const f of absent) if (!this.missing.includes(f)) this.missing.push(f);
    this.lacking = true;
    return false;
  }

  /** Lists a field to ask for, without a reason line and without blocking the decision. */
  ask(field: string): void {
    if (!this.missing.includes(field)) this.missing.push(field);
  }

  /** Records a missing field without blocking the eligibility decision (e.g. only the amount needs it). */
  needForAmount(field: string, text: string): void {
    if (!this.missing.includes(field)) this.missing.push(field);
    this.reasons.push(`待补充：${text}`);
  }

  get hasFailed(): boolean {
    return this.failed;
  }

  setAmount(x: number | null): void {
    this.amount = x === null ? null : roundFen(x);
  }

  // ---- outcome ----------------------------------------------------------------------------

  /** Turns an Unavailable into the result's reasons (expired / not yet in force / not in this region). */
  unavailable(u: Unavailable): void {
    const r = u.result;
    this.failed = true;
    if (r.status === 'expired') {
      const end = r.entry.end!;
      const ref = r.entry.end_reference ?? r.entry.references[0]!;
      this.cite([...r.entry.references, ...(r.entry.end_reference ? [r.entry.end_reference] : [])]);
      this.expiredInfo = { end, text: ref.quote };
      const when = this.judgedOn ? `判断日期${formatDateZh(this.judgedOn)}` : `测算日期${formatDateZh(this.ctx.asOf)}`;
      this.reasons.push(`不符合：该政策已于${formatDateZh(end)}到期（${this.refText(ref)}：“${ref.quote}”），${when}已不在执行期限内`);
    } else if (r.status === 'not_started') {
      this.cite(r.entry.references);
      const when = this.judgedOn ? `判断日期${formatDateZh(this.judgedOn)}` : `测算日期${formatDateZh(this.ctx.asOf)}`;
      this.reasons.push(`不符合：该规定自${formatDateZh(r.entry.start)}起施行（${this.refText(r.entry.references[0]!)}），${when}尚未施行`);
    } else {
      this.reasons.push(`不符合：所选地区（${this.ctx.region}）适用的政策文件中没有此项规定（知识库中${this.ctx.region === '济宁市' ? '济宁市只有《济宁市农村劳动力就业创业支持行动实施方案》，不适用河南省的规定' : '未找到相应条款'}）`);
    }
    this.amount = null;
  }

  build(): ProgramResult {
    const eligible = !this.failed && !this.lacking;
    const out: ProgramResult = {
      program: this.program,
      title: this.title,
      eligible,
      amount: eligible ? this.amount : null,
      reasons: this.reasons.length ? [...this.reasons] : ['说明：未提供判断所需的信息'],
      citations: [...this.cites.values()],
    };
    if (this.lacking) out.reasons.unshift(`缺少判断所需的信息：${this.missing.join('、')}`);
    const shown = [...this.explained, ...(eligible ? this.lines : [])];
    if (shown.length) out.arithmetic = shown.join('；');
    if (this.expiredInfo) out.expired = this.expiredInfo;
    if (this.readings.length) out.reading = this.readings.join(' ');
    if (this.missing.length) out.missing = [...this.missing];
    return out;
  }
}
