// One ticket: intake facts, the conversation that produced it, the actions (claim, release, status,
// reassign), the reply to the worker, internal notes, and the history of everything done to it.
import { get, post } from './api.js';
import { CHANNEL, clear, deadlineBadge, dialog, fmtDate, fmtDateTime, fmtMoney, h, KIND, MOVES, STATUS, statusBadge, toast } from './dom.js';
import { displayName, isAdmin, me, staffDirectory } from './state.js';

const SMS_SINGLE = 70;
const SMS_SEGMENT = 67;

export async function renderTicket(main, id) {
  let data = await get(`/api/tickets/${encodeURIComponent(id)}`);
  const view = h('article', { class: 'ticket' });
  clear(main, view);

  const act = async (label, fn) => {
    try {
      await fn();
      data = await get(`/api/tickets/${encodeURIComponent(id)}`);
      paint();
      toast(label);
    } catch (err) {
      toast(err.message, 'error');
      if (err.status === 409 || err.status === 403) {
        data = await get(`/api/tickets/${encodeURIComponent(id)}`);
        paint();
      }
    }
  };

  function paint() {
    const t = data.ticket;
    // What staff were typing survives a repaint (a claim finishing while they write the reply).
    const typed = Object.fromEntries([...view.querySelectorAll('textarea[name]')].map((x) => [x.name, x.value]));
    clear(view,
      h('a', { class: 'back', href: '#/queue' }, '← 返回队列'),
      header(t),
      actions(t, act),
      h('div', { class: 'ticket-grid' },
        h('div', { class: 'col-main' }, facts(t), transcript(t)),
        h('div', { class: 'col-side' }, replyBox(t, act), noteBox(t, act), history(data.events))));
    for (const x of view.querySelectorAll('textarea[name]')) if (typed[x.name] && !x.disabled && !x.value) x.value = typed[x.name];
  }
  paint();
}

function header(t) {
  return h('header', { class: 'ticket-head' },
    h('div', { class: 'ticket-title' },
      h('h1', {}, t.id),
      statusBadge(t.status),
      h('span', { class: 'kind-badge' }, KIND[t.kind] ?? t.kind),
      deadlineBadge(t.deadline, { long: true })),
    h('div', { class: 'ticket-meta muted' },
      `${CHANNEL[t.channel] ?? t.channel}登记于 ${fmtDateTime(t.createdAt)}`,
      ' · 处理人：', t.assignee ? displayName(t.assignee) : '未认领',
      t.status === 'new' ? ` · 受理期限 ${fmtDate(t.acceptDueAt)}` : null,
      t.investigationDueAt ? ` · 查处期限 ${fmtDate(t.investigationDueAt)}` : null),
    t.priorityReasons.length
      ? h('div', { class: 'chips' }, h('span', { class: 'chip strong' }, `优先级 ${t.priority}`), t.priorityReasons.map((r) => h('span', { class: 'chip' }, r)))
      : null,
    t.refusalReason ? h('p', { class: 'refusal' }, '不予受理理由：', t.refusalReason) : null);
}

function mayAct(t) {
  return isAdmin() || t.assignee === null || t.assignee === me().username;
}

function actions(t, act) {
  const mine = t.assignee === me().username;
  const open = !['resolved', 'closed', 'refused'].includes(t.status);
  const buttons = [];
  if (open && t.assignee === null) buttons.push(h('button', { class: 'btn primary', type: 'button', onclick: () => act('已认领', () => post(`/api/tickets/${t.id}/claim`)) }, '认领'));
  if (mine || (isAdmin() && t.assignee)) buttons.push(h('button', { class: 'btn', type: 'button', onclick: () => act('已释放', () => post(`/api/tickets/${t.id}/release`)) }, mine ? '释放' : '收回'));
  if (mayAct(t)) {
    for (const [to, label] of MOVES[t.status] ?? []) {
      buttons.push(h('button', { class: `btn ${to === 'refused' ? 'danger' : 'move'}`, type: 'button', dataset: { to }, onclick: () => move(t, to, label, act) }, label));
    }
  }
  if (isAdmin() && open) buttons.push(h('button', { class: 'btn', type: 'button', onclick: () => reassign(t, act) }, '改派'));
  const note = !mayAct(t) ? h('p', { class: 'muted small' }, `此工单由 ${displayName(t.assignee)} 处理；您可以添加内部备注。`) : null;
  return h('div', { class: 'actions' }, h('div', { class: 'btn-row' }, buttons), note);
}

async function move(t, to, label, act) {
  const fields = [];
  if (to === 'refused') fields.push({ name: 'reason', label: '不予受理的理由（会告知诉求人）', type: 'textarea', required: true, placeholder: '例如：不属于本局管辖，请向……反映' });
  fields.push({ name: 'notice', label: '告知诉求人的话（可不填，将发送标准通知）', type: 'textarea', placeholder: to === 'accepted' ? '例如：已受理，我们将在60个工作日内调查处理。' : '' });
  const intro = to === 'accepted' ? '受理后开始计算60个工作日的查处期限，并通知诉求人。' : `工单将变为「${STATUS[to]}」，并通知诉求人。`;
  const v = await dialog(`${label} · ${t.id}`, fields, { submit: label, danger: to === 'refused', intro });
  if (!v) return;
  const body = { to };
  if (v.reason?.trim()) body.reason = v.reason.trim();
  if (v.notice?.trim()) body.notice = v.notice.trim();
  await act(`已${label}`, () => post(`/api/tickets/${t.id}/transition`, body));
}

async function reassign(t, act) {
  const options = [['', '（取消分派）'], ...staffDirectory().map((s) => [s.username, `${s.displayName ?? s.username}（${s.username}）`])];
  const v = await dialog(`改派 · ${t.id}`, [{ name: 'assignee', label: '交给', type: 'select', options, value: t.assignee ?? '' }], { submit: '改派' });
  if (!v) return;
  await act('已改派', () => post(`/api/tickets/${t.id}/assign`, { assignee: v.assignee || null }));
}

function facts(t) {
  const rows = [
    ['诉求人', t.workerName],
    ['联系电话', t.phone ? h('a', { href: `tel:${t.phone}` }, t.phone) : null],
    ['用人单位', t.employer],
    ['工地/项目', t.site],
    ['所在县区', t.county],
    ['建筑工程', t.isConstruction === null ? null : t.isConstruction ? '是' : '否'],
    ['总承包单位', t.generalContractor],
    ['欠薪金额', t.amountOwed === null ? null : fmtMoney(t.amountOwed)],
    ['人均金额', t.perPersonAmount === null ? null : fmtMoney(t.perPersonAmount)],
    ['欠薪期间', t.period],
    ['欠薪月数', t.monthsOwed === null ? null : `${t.monthsOwed} 个月`],
    ['涉及人数', t.workers === null ? null : `${t.workers} 人`],
    ['证据材料', t.evidence.length ? t.evidence.join('、') : null],
    ['渠道', `${CHANNEL[t.channel] ?? t.channel}（${t.userId}）`],
  ];
  return h('section', { class: 'panel' },
    h('h2', {}, '诉求信息'),
    h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', { class: v === null || v === undefined ? 'muted' : '' }, v ?? '未提供')])),
    // A wage complaint's description is the intake's summary, one fact a line (the transcript is apart);
    // "【信息不全】" names what staff must complete by phone.
    t.description
      ? h('div', { class: 'description' },
        h('h3', {}, t.kind === 'wage_arrears' ? '投诉摘要' : '情况描述'),
        t.description.includes('【信息不全】') ? h('p', { class: 'deadline overdue' }, '信息不全：请电话联系补全') : null,
        h('p', {}, t.description))
      : null);
}

function transcript(t) {
  return h('section', { class: 'panel' },
    h('h2', {}, '对话记录', h('span', { class: 'muted small' }, ` ${t.transcript.length} 条`)),
    t.transcript.length === 0
      ? h('p', { class: 'muted' }, '没有对话记录。')
      : h('ol', { class: 'chat' }, t.transcript.map((m) => h('li', { class: `bubble ${m.from}` },
        h('span', { class: 'who' }, m.from === 'user' ? '诉求人' : '助手', ' · ', fmtDateTime(m.at)),
        h('p', {}, m.text)))));
}

function replyBox(t, act) {
  const prefix = `关于工单 ${t.id}：`;
  const counter = h('span', { class: 'muted small' });
  const text = h('textarea', { name: 'reply', rows: 4, maxlength: 2000, placeholder: `答复将通过${CHANNEL[t.channel] ?? t.channel}发送给诉求人` });
  const update = () => {
    const n = prefix.length + text.value.trim().length;
    const parts = t.channel === 'sms' ? (n <= SMS_SINGLE ? 1 : Math.ceil(n / SMS_SEGMENT)) : null;
    counter.textContent = `${text.value.trim().length} 字${parts ? ` · 约 ${parts} 条短信` : ''}`;
  };
  text.addEventListener('input', update);
  update();
  const allowed = mayAct(t);
  const form = h('form', { class: 'panel reply', onsubmit: async (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value) return toast('请先填写答复内容', 'error');
    await act('答复已发送', async () => {
      await post(`/api/tickets/${t.id}/replies`, { text: value });
      text.value = ''; // sent: not kept for the repaint
    });
  } },
    h('h2', {}, '答复诉求人'),
    h('p', { class: 'muted small' }, `经${CHANNEL[t.channel] ?? t.channel}发送${t.channel === 'sms' ? `至 ${t.userId}` : ''}；开头自动加「${prefix}」`),
    text,
    h('div', { class: 'form-foot' }, counter, h('button', { class: 'btn primary', type: 'submit', disabled: !allowed }, '发送答复')));
  if (!allowed) text.disabled = true;
  return form;
}

function noteBox(t, act) {
  const text = h('textarea', { name: 'note', rows: 2, maxlength: 2000, placeholder: '仅工作人员可见' });
  return h('form', { class: 'panel note', onsubmit: async (e) => {
    e.preventDefault();
    const value = text.value.trim();
    if (!value) return toast('请先填写备注', 'error');
    await act('备注已添加', async () => {
      await post(`/api/tickets/${t.id}/notes`, { text: value });
      text.value = '';
    });
  } },
    h('h2', {}, '内部备注'),
    text,
    h('div', { class: 'form-foot' }, h('span', {}), h('button', { class: 'btn', type: 'submit' }, '添加备注')));
}

function describe(e) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'filed': return `登记工单（${CHANNEL[d.channel] ?? d.channel ?? ''}）`;
    case 'claimed': return '认领';
    case 'released': return d.reason === 'lease_expired' ? `${displayName(d.holder)} 的领取已超时，退回队列` : '释放，退回队列';
    case 'assigned': return d.to ? `改派给 ${displayName(d.to)}` : '取消分派';
    case 'status': return [`状态：${STATUS[d.from] ?? d.from} → ${STATUS[d.to] ?? d.to}`, d.reason ? `（理由：${d.reason}）` : '', d.investigationDueAt ? `，查处期限 ${fmtDate(d.investigationDueAt)}` : ''].join('');
    case 'note': return '内部备注';
    case 'reply': return '答复诉求人';
    case 'viewed': return '查看';
    default: return e.type;
  }
}

function history(events) {
  const items = [...events].reverse();
  return h('section', { class: 'panel' },
    h('h2', {}, '处理记录'),
    h('ol', { class: 'timeline' }, items.map((e) => h('li', { class: `ev ev-${e.type}` },
      h('div', { class: 'ev-head' },
        h('strong', {}, e.actor === 'system' ? '系统' : e.actor === 'worker' ? '诉求人' : displayName(e.actor)),
        ' ', describe(e),
        h('time', { datetime: e.at }, fmtDateTime(e.at))),
      e.type === 'note' || e.type === 'reply' ? h('p', { class: 'ev-text' }, String(e.data.text ?? '')) : null))));
}
