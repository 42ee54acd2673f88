// 政策找人: how many people each published document reached, as a panel at the end of the dashboard
// (#/dashboard). A separate module so the console's router stays as it is: it watches the page for
// the dashboard and adds its panel once per rendering. Counts only; no one's phone or openid.
import { get } from './api.js';
import { CHANNEL, h } from './dom.js';

const main = document.getElementById('main');
const LIMIT = 20;

function channels(byChannel) {
  const parts = Object.entries(byChannel ?? {}).map(([k, n]) => `${CHANNEL[k] ?? k} ${n}`);
  return parts.length ? parts.join('，') : '—';
}

function panel(list) {
  return h('section', { class: 'panel', dataset: { panel: 'publication-reach' } },
    h('h2', {}, '政策推送触达'),
    list.length === 0
      ? h('p', { class: 'muted' }, '还没有发布后推送给订阅者的文件。')
      : h('table', { class: 'simple' },
        h('thead', {}, h('tr', {},
          h('th', {}, '文件'), h('th', { class: 'num' }, '已送达（人）'), h('th', { class: 'num' }, '待发送'),
          h('th', { class: 'num' }, '已退订/无法送达'), h('th', { class: 'num' }, '失败'), h('th', {}, '渠道'))),
        h('tbody', {}, list.map((r) => h('tr', {},
          h('td', { title: r.docId }, r.title),
          h('td', { class: 'num' }, String(r.sent)),
          h('td', { class: 'num' }, String(r.pending)),
          h('td', { class: 'num' }, String(r.dropped)),
          h('td', { class: 'num' }, String(r.failed)),
          h('td', {}, channels(r.byChannel)))))),
    h('p', { class: 'muted small' }, '待发送：夜间（21:00–8:00）或当天已提醒过的人，次日合并为一条发送。'));
}

let adding = false;
async function addPanel() {
  const dashboard = main.querySelector('section.dashboard');
  if (!dashboard || dashboard.querySelector('[data-panel="publication-reach"]') || adding) return;
  adding = true;
  try {
    const { publications } = await get(`/api/staff/publications/reach?limit=${LIMIT}`);
    if (dashboard.isConnected && !dashboard.querySelector('[data-panel="publication-reach"]')) dashboard.append(panel(publications));
  } catch (err) {
    if (dashboard.isConnected) dashboard.append(h('section', { class: 'panel', dataset: { panel: 'publication-reach' } }, h('h2', {}, '政策推送触达'), h('p', { class: 'muted' }, err.message)));
  } finally {
    adding = false;
  }
}

new MutationObserver(() => void addPanel()).observe(main, { childList: true, subtree: false });
