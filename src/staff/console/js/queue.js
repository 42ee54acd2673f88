// The queue: status tabs with counts, filters kept in the address (#/queue?status=new&…), search,
// "take the next one", and the list sorted by the server (urgency, then deadline). Refreshes every
// 30 seconds while visible.
import { get, post } from './api.js';
import { clear, COUNTIES, deadlineBadge, fmtMoney, fmtShort, h, KIND, STATUS, STATUS_ORDER, statusBadge, toast } from './dom.js';
import { displayName } from './state.js';
import { exportButtons } from './exports.js';

const PAGE = 50;
const REFRESH_MS = 30_000;
/** Priority from which a ticket is flagged 急 (collective, long or large arrears). */
const URGENT = 60;
let knownCounties = new Set(COUNTIES);

export async function renderQueue(main, params) {
  const state = {
    // The landing view is what waits for acceptance; "全部" is status=all.
    status: params.get('status') ?? 'new',
    county: params.get('county') ?? '',
    kind: params.get('kind') ?? '',
    mine: params.get('mine') === '1',
    overdue: params.get('overdue') === '1',
    q: params.get('q') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    offset: Number(params.get('offset') ?? 0) || 0,
  };
  const go = (patch) => {
    const next = { ...state, offset: 0, ...patch };
    const p = new URLSearchParams();
    if (next.status !== 'new') p.set('status', next.status);
    for (const k of ['county', 'kind', 'q', 'from', 'to']) if (next[k]) p.set(k, next[k]);
    if (next.mine) p.set('mine', '1');
    if (next.overdue) p.set('overdue', '1');
    if (next.offset) p.set('offset', String(next.offset));
    const s = p.toString();
    location.hash = s ? `#/queue?${s}` : '#/queue';
  };

  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': '按状态' });
  const alert = h('div', { class: 'alert', role: 'status', hidden: true });
  const list = h('div', { class: 'queue-list' });
  const pager = h('div', { class: 'pager' });
  const search = h('input', { type: 'search', name: 'q', value: state.q, placeholder: '工单号 / 电话 / 单位名称', 'aria-label': '搜索', enterkeyhint: 'search' });
  const countySelect = h('select', { name: 'county', 'aria-label': '县区', onchange: (e) => go({ county: e.target.value }) });
  const filters = h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); const q = search.value.trim(); go({ q, status: q ? 'all' : state.status }); } },
    h('div', { class: 'search-box' }, search, h('button', { class: 'btn', type: 'submit' }, '搜索')),
    countySelect,
    h('select', { name: 'kind', 'aria-label': '类型', onchange: (e) => go({ kind: e.target.value }) },
      h('option', { value: '' }, '全部类型'),
      Object.entries(KIND).map(([v, t]) => h('option', { value: v, selected: state.kind === v }, t))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: state.mine, onchange: (e) => go({ mine: e.target.checked, status: e.target.checked ? 'all' : state.status }) }), '我的'),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: state.overdue, onchange: (e) => go({ overdue: e.target.checked, status: e.target.checked ? 'all' : state.status }) }), '已超期'),
    h('span', { class: 'date-range' },
      h('input', { type: 'date', name: 'from', value: state.from, 'aria-label': '登记日期起', onchange: (e) => go({ from: e.target.value }) }), '至',
      h('input', { type: 'date', name: 'to', value: state.to, 'aria-label': '登记日期止', onchange: (e) => go({ to: e.target.value }) })),
    exportButtons((format) => `/api/tickets/export?${filterQuery({ format })}`),
    h('button', { class: 'btn primary next', type: 'button', onclick: takeNext }, '领取下一件'),
  );
  fillCounties(countySelect, state.county);

  clear(main, h('section', { class: 'queue' },
    h('div', { class: 'page-head' }, h('h1', {}, '工单队列'), h('span', { class: 'muted small', id: 'updated' }, '')),
    alert, tabs, filters, list, pager));

  // The filters on screen as the API's query (the list and its export share them).
  function filterQuery(extra) {
    const q = new URLSearchParams(extra);
    if (state.status && state.status !== 'all') q.set('status', state.status);
    if (state.county) q.set('county', state.county);
    if (state.kind) q.set('kind', state.kind);
    if (state.mine) q.set('assignee', 'me');
    if (state.overdue) q.set('overdue', 'true');
    if (state.q) q.set('q', state.q);
    if (state.from) q.set('from', state.from);
    if (state.to) q.set('to', state.to);
    return q;
  }

  async function load() {
    const q = filterQuery({ limit: String(PAGE), offset: String(state.offset) });
    // The queue is ordered by urgency; overdue tickets are flagged above it whatever the filter.
    const [page, overdue] = await Promise.all([
      get(`/api/tickets?${q}`),
      state.overdue ? null : get('/api/tickets?overdue=true&limit=1'),
    ]);
    renderAlert(overdue?.total ?? 0);
    renderTabs(page.countsByStatus);
    renderList(page.tickets);
    renderPager(page.total);
    for (const t of page.tickets) if (t.county && !knownCounties.has(t.county)) {
      knownCounties.add(t.county);
      fillCounties(countySelect, state.county);
    }
    const updated = document.getElementById('updated');
    if (updated) updated.textContent = `更新于 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`;
  }

  function renderAlert(n) {
    alert.hidden = n === 0;
    if (n) clear(alert, h('strong', {}, `${n} 件工单已超过期限`), h('a', { href: '#/queue?status=all&overdue=1' }, '查看'));
  }

  function renderTabs(counts) {
    const all = STATUS_ORDER.reduce((s, k) => s + (counts[k] ?? 0), 0);
    clear(tabs,
      tab('all', '全部', all),
      STATUS_ORDER.map((s) => tab(s, STATUS[s], counts[s] ?? 0)));
  }

  function tab(status, label, n) {
    const active = state.status === status;
    return h('button', { type: 'button', role: 'tab', 'aria-selected': String(active), class: `tab${active ? ' active' : ''} t-${status}`, onclick: () => go({ status }) },
      label, h('span', { class: 'count' }, String(n)));
  }

  function renderList(tickets) {
    if (tickets.length === 0) {
      clear(list, h('p', { class: 'empty' }, state.q || state.county || state.kind || state.mine || state.overdue || state.from || state.to ? '没有符合条件的工单。' : '队列是空的。'));
      return;
    }
    const head = ['期限', '工单号', '状态', '诉求人', '单位', '县区', '金额', '处理人', '登记'];
    clear(list, h('table', { class: 'tickets' },
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, tickets.map(row))));
  }

  function row(t) {
    const href = `#/tickets/${encodeURIComponent(t.id)}`;
    const open = () => (location.hash = href);
    return h('tr', { class: `row d-${t.deadline?.state ?? 'none'}`, onclick: open, tabindex: '0', onkeydown: (e) => e.key === 'Enter' && open() },
      h('td', { class: 'c-deadline', 'data-label': '期限' }, deadlineBadge(t.deadline)),
      h('td', { class: 'c-id', 'data-label': '工单号' }, h('a', { href, onclick: (e) => e.stopPropagation() }, t.id),
        t.priority >= URGENT ? h('span', { class: 'urgent', title: t.priorityReasons.join('、') }, '急') : null,
        h('span', { class: 'kind' }, KIND[t.kind] ?? t.kind)),
      h('td', { class: 'c-status', 'data-label': '状态' }, statusBadge(t.status)),
      h('td', { class: 'c-worker', 'data-label': '诉求人' }, t.workerName ?? '—', h('span', { class: 'phone' }, t.phone ?? '')),
      h('td', { class: 'c-employer', 'data-label': '单位' }, t.employer ?? '—'),
      h('td', { class: 'c-county', 'data-label': '县区' }, t.county ?? '—'),
      h('td', { class: 'c-amount num', 'data-label': '金额' }, fmtMoney(t.amountOwed)),
      h('td', { class: 'c-assignee', 'data-label': '处理人' }, t.assignee ? displayName(t.assignee) : h('span', { class: 'muted' }, '未认领')),
      h('td', { class: 'c-created', 'data-label': '登记' }, fmtShort(t.createdAt)));
  }

  function renderPager(total) {
    if (total <= PAGE && state.offset === 0) {
      clear(pager, h('span', { class: 'muted small' }, `共 ${total} 件`));
      return;
    }
    const from = Math.min(total, state.offset + 1);
    const to = Math.min(total, state.offset + PAGE);
    clear(pager,
      h('button', { class: 'btn', type: 'button', disabled: state.offset === 0, onclick: () => go({ ...state, offset: Math.max(0, state.offset - PAGE) }) }, '上一页'),
      h('span', { class: 'muted small' }, `第 ${from}–${to} 件，共 ${total} 件`),
      h('button', { class: 'btn', type: 'button', disabled: to >= total, onclick: () => go({ ...state, offset: state.offset + PAGE }) }, '下一页'));
  }

  async function takeNext() {
    try {
      const { ticket } = await post('/api/tickets/claim-next');
      if (!ticket) return toast('没有待认领的工单');
      toast(`已领取 ${ticket.id}`);
      location.hash = `#/tickets/${encodeURIComponent(ticket.id)}`;
    } catch (err) {
      toast(err.message, 'error');
    }
  }

  await load();
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') load().catch(() => {});
  }, REFRESH_MS);
  return () => clearInterval(timer);
}

function fillCounties(select, selected) {
  clear(select, h('option', { value: '' }, '全部县区'),
    [...knownCounties].map((c) => h('option', { value: c, selected: c === selected }, c)));
}
