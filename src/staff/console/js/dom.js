// Small DOM helpers and the Chinese labels of the console. Text is always set as text (never as
// HTML), so nothing a worker typed can run in a staff member's browser.
import labels from '../labels.json' with { type: 'json' };

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style') Object.assign(el.style, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'hidden' || k === 'required') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false || c === '') continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// One home for the labels the console and the server's exports share (src/staff/export-routes.ts).
export const STATUS = labels.status;
export const STATUS_ORDER = ['new', 'accepted', 'in_progress', 'reopened', 'resolved', 'closed', 'refused'];
export const KIND = labels.kind;
export const CHANNEL = labels.channel;
export const ROLE = { admin: '管理员', staff: '工作人员' };
export const COUNTIES = ['新华区', '卫东区', '石龙区', '湛河区', '高新区', '城乡一体化示范区', '宝丰县', '叶县', '鲁山县', '郏县', '舞钢市', '汝州市'];

/** What each status can move to, with the button text (mirrors src/tickets/lifecycle.ts). */
export const MOVES = {
  new: [['accepted', '受理'], ['refused', '不予受理']],
  accepted: [['in_progress', '开始调查']],
  in_progress: [['resolved', '处理完毕']],
  resolved: [['closed', '办结'], ['reopened', '重新开启']],
  closed: [['reopened', '重新开启']],
  refused: [['reopened', '重新开启']],
  reopened: [['in_progress', '恢复调查']],
};

const TZ = 'Asia/Shanghai';
const dateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const shortDateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

export const fmtDateTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '—');
export const fmtShort = (iso) => (iso ? shortDateTime.format(new Date(iso)) : '—');
export const fmtDate = (iso) => (iso ? dateOnly.format(new Date(iso)) : '—');

export function fmtMoney(yuan) {
  if (yuan === null || yuan === undefined) return '—';
  return `${yuan.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined) return '—';
  const hours = ms / 3600_000;
  if (hours < 1) return `${Math.max(1, Math.round(ms / 60_000))} 分钟`;
  if (hours < 48) return `${hours.toFixed(hours < 10 ? 1 : 0)} 小时`;
  return `${(hours / 24).toFixed(1)} 天`;
}

/** "受理 · 剩3个工作日" with the state as class: ok / soon / overdue. */
export function deadlineBadge(deadline, { long = false } = {}) {
  if (!deadline) return long ? null : h('span', { class: 'deadline none' }, '—');
  const what = deadline.kind === 'accept' ? '受理' : '查处';
  const n = deadline.workingDaysLeft;
  let text;
  if (deadline.state === 'overdue') text = n < 0 ? `超期${-n}个工作日` : '已超期';
  else if (n <= 0) text = '今日到期';
  else text = `剩${n}个工作日`;
  const title = `${what}期限：${fmtDateTime(deadline.dueAt)}`;
  return h('span', { class: `deadline ${deadline.state}`, title }, long ? `${what}期限 · ${text}` : [h('small', {}, what), ' ', text]);
}

export function statusBadge(status) {
  return h('span', { class: `status s-${status}` }, STATUS[status] ?? status);
}

let toastTimer;
export function toast(message, kind = 'ok') {
  const el = document.getElementById('toast');
  el.textContent = message;
  el.className = `toast ${kind}`;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), kind === 'error' ? 6000 : 3000);
}

/** A modal dialog; resolves with the form's values, or null when cancelled. */
export function dialog(title, fields, { submit = '确定', danger = false, intro } = {}) {
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog', class: 'dialog-form' },
      h('h2', {}, title),
      intro ? h('p', { class: 'muted' }, intro) : null,
      fields.map((f) => h('label', { class: 'field' },
        h('span', {}, f.label, f.required ? h('b', { class: 'req' }, ' *') : null),
        f.type === 'textarea'
          ? h('textarea', { name: f.name, rows: f.rows ?? 3, required: f.required, placeholder: f.placeholder ?? '', maxlength: f.maxlength ?? 500 }, f.value ?? '')
          : f.type === 'select'
            ? h('select', { name: f.name, required: f.required }, f.options.map(([v, t]) => h('option', { value: v, selected: v === f.value }, t)))
            : h('input', { name: f.name, type: f.type ?? 'text', required: f.required, value: f.value ?? '', placeholder: f.placeholder ?? '', autocomplete: f.autocomplete ?? 'off', minlength: f.minlength })),
      ),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'btn', value: 'cancel', onclick: () => dlg.close('cancel') }, '取消'),
        h('button', { type: 'submit', class: danger ? 'btn danger' : 'btn primary', value: 'ok' }, submit)),
    );
    const dlg = h('dialog', { class: 'dialog' }, form);
    dlg.addEventListener('close', () => {
      const values = Object.fromEntries(new FormData(form).entries());
      dlg.remove();
      resolve(dlg.returnValue === 'ok' ? values : null);
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      dlg.close('ok');
    });
    document.body.append(dlg);
    dlg.showModal();
  });
}
