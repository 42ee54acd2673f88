// The dashboard: a few figures and bar charts drawn with plain CSS (no chart library to ship,
// nothing fetched from a CDN, works on the bureau's intranet and on a phone), and the questions the
// assistant could not answer.
import { get } from './api.js';
import { clear, fmtDateTime, fmtDuration, h, STATUS, STATUS_ORDER } from './dom.js';
import { exportButtons } from './exports.js';

const DAYS = 30;

export async function renderDashboard(main) {
  const s = await get('/api/stats');
  const t = s.tickets;
  const open = ['new', 'accepted', 'in_progress', 'reopened'].reduce((n, k) => n + t.byStatus[k], 0);
  clear(main, h('section', { class: 'dashboard' },
    h('div', { class: 'page-head' }, h('h1', {}, '统计'), h('span', { class: 'muted small' }, `截至 ${fmtDateTime(s.generatedAt)}`),
      exportButtons((format) => `/api/stats/export?format=${format}`)),
    h('div', { class: 'kpis' },
      kpi('工单总数', t.total, `处理中 ${open}`),
      kpi('待受理', t.byStatus.new, '', '#/queue?status=new'),
      kpi('已超期', t.overdue, '受理或查处期限已过', '#/queue?status=all&overdue=1', t.overdue > 0 ? 'bad' : ''),
      kpi('受理用时（中位数）', fmtDuration(t.medianMsToAcceptance), '从登记到受理')),
    h('div', { class: 'charts' },
      h('section', { class: 'panel chart-panel wide' }, h('h2', {}, `每日新增（近${DAYS}天）`), dailyChart(t.perDay, s.generatedAt)),
      h('section', { class: 'panel chart-panel' }, h('h2', {}, '各县区工单量'), bars(t.perCounty.map((c) => [c.county, c.count]), (label) => `#/queue?status=all&county=${encodeURIComponent(label)}`)),
      h('section', { class: 'panel chart-panel' }, h('h2', {}, '各状态工单量'), bars(STATUS_ORDER.map((k) => [STATUS[k], t.byStatus[k], k]), (_l, key) => `#/queue?status=${key}`))),
    unanswered(s.unanswered)));
}

function kpi(label, value, sub, href, tone = '') {
  const body = [h('span', { class: 'kpi-label' }, label), h('strong', { class: 'kpi-value' }, String(value)), sub ? h('span', { class: 'kpi-sub' }, sub) : null];
  return href ? h('a', { class: `kpi ${tone}`, href }, body) : h('div', { class: `kpi ${tone}` }, body);
}

function chinaDay(d) {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Vertical bars for the last DAYS days, empty days included; heights as CSS percentages. */
function dailyChart(perDay, generatedAt) {
  const counts = new Map(perDay.map((d) => [d.day, d.count]));
  const end = new Date(generatedAt);
  const days = [];
  for (let i = DAYS - 1; i >= 0; i--) {
    const day = chinaDay(new Date(end.getTime() - i * 86400_000));
    days.push([day, counts.get(day) ?? 0]);
  }
  const max = Math.max(1, ...days.map(([, n]) => n));
  const total = days.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return h('p', { class: 'muted' }, `近${DAYS}天没有新工单`);
  return h('figure', { class: 'vbars-figure', role: 'img', 'aria-label': `近${DAYS}天共新增${total}件，单日最多${max}件` },
    h('div', { class: 'vbars-axis' }, h('span', {}, String(max)), h('span', {}, max >= 2 ? String(Math.round(max / 2)) : ''), h('span', {}, '0')),
    h('ol', { class: 'vbars' }, days.map(([day, n], i) => h('li', { title: `${day}：${n} 件` },
      h('span', { class: 'vbar-slot' }, h('span', { class: n ? 'vbar' : 'vbar zero', style: { height: `${(100 * n) / max}%` } })),
      h('span', { class: 'vbar-day' }, i % 5 === 4 || i === days.length - 1 ? day.slice(5) : '')))));
}

/** Horizontal bars as CSS widths (set through the CSSOM, which the page's CSP allows). */
function bars(rows, hrefOf) {
  if (rows.length === 0 || rows.every(([, n]) => n === 0)) return h('p', { class: 'muted' }, '暂无数据');
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return h('ul', { class: 'hbars' }, rows.map(([label, n, key]) => h('li', {},
    h('a', { href: hrefOf(label, key), class: 'hbar-label' }, label),
    h('span', { class: 'hbar-track' }, n ? h('span', { class: 'hbar', style: { width: `${(100 * n) / max}%` } }) : null),
    h('span', { class: 'hbar-n num' }, String(n)))));
}

function unanswered(list) {
  return h('section', { class: 'panel' },
    h('h2', {}, '助手未能回答的问题'),
    list === null
      ? h('p', { class: 'muted' }, '未接入问题记录。')
      : list.length === 0
        ? h('p', { class: 'muted' }, '暂无。')
        : h('table', { class: 'simple' },
          h('thead', {}, h('tr', {}, h('th', {}, '问题'), h('th', { class: 'num' }, '次数'), h('th', {}, '最近'))),
          h('tbody', {}, list.map((q) => h('tr', {}, h('td', {}, q.text), h('td', { class: 'num' }, `${q.count} 次`), h('td', { class: 'nowrap' }, fmtDateTime(q.at)))))));
}
