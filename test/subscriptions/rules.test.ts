/** The named rules of 政策找人 that are data or pure functions: routing words, quiet hours, matching, notice length. */
import { describe, expect, it } from 'vitest';
import { lengthBudget, renderSms, smsLength, templateOverhead } from '../../src/channels/sms/length.js';
import { loadRoutingRules } from '../../src/dialogue/routing.js';
import { understand } from '../../src/nlu/understand.js';
import { loadConfig } from '../../src/server/config.js';
import { matchPublication, personasOf, regionCovers } from '../../src/subscriptions/matching.js';
import { chinaDay, isQuiet, parseQuietHours } from '../../src/subscriptions/quiet-hours.js';
import type { Subscription } from '../../src/subscriptions/types.js';
import { fitNotice, loadSubscriptionWording, shortTitle } from '../../src/subscriptions/wording.js';
import { china, publication } from './harness.js';

const routing = loadRoutingRules('intents');
const route = (text: string) => routing.route(understand(text, { today: '2026-11-24' }).normalized, 'policy_question', { topicOpen: true, namesTopic: () => false });
const wording = loadSubscriptionWording('intents');

describe('routing to subscribe and unsubscribe (intents/routing.yaml)', () => {
  it.each(['有新政策告诉我', '订阅', '有消息通知我', '以后有变化通知我一下', '帮我订阅这个', '有新的政策了提醒我', '我要订阅'])('"%s" subscribes', (text) => {
    expect(route(text)).toMatchObject({ handler: 'subscribe', rule: 'subscribe' });
  });
  it.each(['退订', '退订创业担保贷款', '别再通知我了', '取消订阅', '不要再发了'])('"%s" unsubscribes', (text) => {
    expect(route(text)).toMatchObject({ handler: 'unsubscribe', rule: 'unsubscribe' });
  });
  it.each(['怎么订阅公众号', '订阅号在哪关注', '怎么退订', '创业担保贷款怎么申请', '有新政策吗', '我的投诉有消息通知我'])('"%s" is neither', (text) => {
    expect(route(text).handler).not.toMatch(/subscribe/);
  });
});

describe('quiet hours (China time)', () => {
  const q = parseQuietHours('21:00-08:00');
  it('span midnight, and "off" disables them', () => {
    expect(isQuiet(q, china('2026-11-24 20:59'))).toBe(false);
    expect(isQuiet(q, china('2026-11-24 21:00'))).toBe(true);
    expect(isQuiet(q, china('2026-11-25 07:59'))).toBe(true);
    expect(isQuiet(q, china('2026-11-25 08:00'))).toBe(false);
    expect(isQuiet(parseQuietHours('12:00-13:30'), china('2026-11-25 13:00'))).toBe(true);
    expect(isQuiet(parseQuietHours('off'), china('2026-11-25 03:00'))).toBe(false);
    expect(chinaDay(china('2026-11-25 07:59'))).toBe('2026-11-25');
  });
  it('are validated in the configuration', () => {
    expect(loadConfig({}).NOTICE_QUIET_HOURS).toBe('21:00-08:00');
    expect(() => loadConfig({ NOTICE_QUIET_HOURS: '9pm-8am' })).toThrow(/NOTICE_QUIET_HOURS/);
    expect(() => loadConfig({ WECHAT_API_BASE: 'ftp://x' })).toThrow(/WECHAT_API_BASE/);
    expect(loadConfig({ WECHAT_API_BASE: 'http://127.0.0.1:9' }).WECHAT_API_BASE).toBe('http://127.0.0.1:9');
  });
});

describe('which subscribers a publication concerns', () => {
  const sub = (topics: Subscription['topics'], region: Subscription['region'] = null): Subscription => ({
    channel: 'web',
    userId: 'u',
    topics,
    facts: {},
    region,
    consent: { at: '2026-11-24T02:00:00.000Z', text: '…' },
  });
  const loan = { programme: 'pds-startup-loan-personal', query: '创业贷款', label: '个人创业担保贷款', region: '平顶山市' as const };
  const grad = { persona: 'graduate', query: '', label: '高校毕业生政策', region: null };

  it('programme: the publication touches a subscribed programme, whatever its title', () => {
    expect(matchPublication(sub([loan]), publication({ docId: 'd', title: '某通知', programmeIds: ['x', loan.programme] }), wording)).toEqual({
      topic: '个人创业担保贷款',
      reason: 'programme:pds-startup-loan-personal',
    });
    expect(matchPublication(sub([loan]), publication({ docId: 'd', title: '某通知', programmeIds: ['x'] }), wording)).toBeNull();
  });

  it('facts: a document of the person’s region or a wider one, whose title names their group', () => {
    const p = (region: string, title = '高校毕业生就业补贴办法') => publication({ docId: 'd', title, region, programmeIds: [] });
    expect(matchPublication(sub([grad]), p('henan'), wording)?.reason).toBe('facts:graduate');
    expect(matchPublication(sub([grad]), p('national'), wording)?.reason).toBe('facts:graduate');
    expect(matchPublication(sub([grad]), p('平顶山市'), wording)?.reason).toBe('facts:graduate');
    expect(matchPublication(sub([grad]), p('jining'), wording)).toBeNull();
    expect(matchPublication(sub([grad], '济宁市'), p('jining'), wording)?.reason).toBe('facts:graduate');
    expect(matchPublication(sub([grad]), p('henan', '根治欠薪工作方案'), wording)).toBeNull();
    expect(regionCovers('河南省', '济宁市')).toBe(false);
  });

  it('query-words: a question answered from the texts shares a topic word with the title', () => {
    const asked = { query: '考焊工证有培训补贴吗', label: '考焊工证有培训补贴吗', region: null };
    expect(matchPublication(sub([asked]), publication({ docId: 'd', title: '职业技能培训补贴标准', programmeIds: [] }), wording)?.reason).toBe('query-words:补贴');
    expect(matchPublication(sub([asked]), publication({ docId: 'd', title: '创业担保贷款办法', programmeIds: [] }), wording)).toBeNull();
  });

  it('only new documents are announced', () => {
    const p = publication({ docId: 'd', title: 't', programmeIds: [loan.programme], action: 'withdrawn' });
    expect(matchPublication(sub([loan]), p, wording)).toBeNull();
  });

  it('groups come from the facts told to the calculator', () => {
    expect(personasOf({ graduation_date: '2024-06' }, wording)).toEqual(['graduate']);
    expect(personasOf({ persona: 'migrant', loan_type: 'personal' }, wording)).toEqual(['migrant', 'startup']);
    expect(personasOf({ age: 30 }, wording)).toEqual([]);
  });
});

describe('notice wording', () => {
  const template = { signName: '平顶山人社', template: '${content}' };
  const budget = lengthBudget(1) - templateOverhead(template);
  const long = '关于印发《平顶山市高校毕业生、农民工等重点群体创业担保贷款贴息资金管理实施细则（试行）》的通知';

  it('fits one SMS segment with the signature, shortening a long title', () => {
    for (const t of [wording.notice_one, wording.notice_many]) {
      const text = fitNotice(t, { title: shortTitle(long), topic: '个人创业担保贷款', count: 3 }, budget);
      expect(smsLength(renderSms(template, text))).toBeLessThanOrEqual(70);
      expect(text).toContain('…》');
      expect(text).toContain('退订');
    }
    expect(shortTitle(long)).toMatch(/^平顶山市高校毕业生/);
  });
});
