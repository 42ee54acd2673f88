// Router and layout: #/queue, #/tickets/<id>, #/dashboard, #/accounts, #/audit; the log-in form when
// there is no session.
import { api, currentSession, login, logout, whenUnauthorized } from './api.js';
import { clear, dialog, h, ROLE, toast } from './dom.js';
import { renderAccounts, renderAudit } from './accounts.js';
import { renderDashboard } from './dashboard.js';
import { renderDocuments, renderDraft } from './documents.js';
import { renderQueue } from './queue.js';
import { renderTicket } from './ticket.js';
import { renderMisses } from './misses.js';
import { loadDirectory, me } from './state.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
let stopPage = null;

const ROUTES = [
  [/^#\/queue(?:\?(.*))?$/, (m) => renderQueue(main, new URLSearchParams(m[1] ?? ''))],
  [/^#\/tickets\/([^/?]+)$/, (m) => renderTicket(main, decodeURIComponent(m[1]))],
  [/^#\/dashboard$/, () => renderDashboard(main)],
  [/^#\/misses$/, () => renderMisses(main)],
  [/^#\/accounts$/, () => renderAccounts(main), 'admin'],
  [/^#\/audit$/, () => renderAudit(main), 'admin'],
  [/^#\/documents$/, () => renderDocuments(main), 'admin'],
  [/^#\/documents\/([^/?]+)$/, (m) => renderDraft(main, decodeURIComponent(m[1])), 'admin'],
];

async function route() {
  if (stopPage) {
    stopPage();
    stopPage = null;
  }
  if (!currentSession()) return showLogin();
  const hash = location.hash || '#/queue';
  for (const [re, render, role] of ROUTES) {
    const m = re.exec(hash);
    if (!m) continue;
    if (role === 'admin' && me()?.role !== 'admin') break;
    renderChrome(hash);
    main.setAttribute('aria-busy', 'true');
    try {
      stopPage = (await render(m)) ?? null;
    } catch (err) {
      clear(main, h('div', { class: 'panel error-panel' }, h('h2', {}, '出错了'), h('p', {}, err.message)));
    } finally {
      main.removeAttribute('aria-busy');
    }
    return;
  }
  location.hash = '#/queue';
}

function renderChrome(hash) {
  topbar.hidden = false;
  const account = me();
  const links = [
    ['#/queue', '工单队列'],
    ['#/dashboard', '统计'],
    ['#/misses', '答错与未答'],
    ...(account.role === 'admin' ? [['#/accounts', '账号'], ['#/audit', '操作日志'], ['#/documents', '政策文件']] : []),
  ];
  clear(document.getElementById('nav'), links.map(([href, text]) =>
    h('a', { href, class: hash.startsWith(href.replace(/\?.*/, '')) || (href === '#/queue' && hash.startsWith('#/tickets')) ? 'active' : '' }, text)));
  clear(document.getElementById('me'),
    h('span', { class: 'me-name', title: `${account.username}（${ROLE[account.role]}）` }, account.displayName ?? account.username,
      h('small', {}, ROLE[account.role])),
    h('button', { class: 'link', type: 'button', onclick: changePassword }, '改密码'),
    h('button', { class: 'link', type: 'button', onclick: async () => { await logout(); location.hash = ''; showLogin(); } }, '退出'));
}

async function changePassword() {
  const v = await dialog('修改密码', [
    { name: 'currentPassword', label: '当前密码', type: 'password', required: true, autocomplete: 'current-password' },
    { name: 'newPassword', label: '新密码（至少10位，不能是常见密码）', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' },
  ], { submit: '修改' });
  if (!v) return;
  try {
    await api('POST', '/api/staff/me/password', v);
    toast('密码已修改，其他设备上的登录已失效');
  } catch (err) {
    toast(err.message, 'error');
  }
}

function showLogin(message) {
  topbar.hidden = true;
  const error = h('p', { class: 'form-error', role: 'alert' }, message ?? '');
  const form = h('form', { class: 'login-card', autocomplete: 'on' },
    h('div', { class: 'login-brand' }, h('span', { class: 'brand-mark' }, '人社'), h('div', {},
      h('h1', {}, '工单处理台'), h('p', { class: 'muted' }, '平顶山市人力资源和社会保障局'))),
    h('label', { class: 'field' }, h('span', {}, '用户名'), h('input', { name: 'username', required: true, autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false' })),
    h('label', { class: 'field' }, h('span', {}, '密码'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
    error,
    h('button', { class: 'btn primary block', type: 'submit' }, '登录'),
    h('p', { class: 'muted small' }, '连续输错5次将暂停登录15分钟。账号由管理员开设。'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    error.textContent = '';
    try {
      await login(String(fd.get('username')), String(fd.get('password')));
      await loadDirectory();
      if (!location.hash || location.hash === '#/') location.hash = '#/queue';
      else route();
    } catch (err) {
      error.textContent = err.message;
      button.disabled = false;
    }
  });
  clear(main, h('div', { class: 'login-wrap' }, form));
  form.querySelector('input[name=username]').focus();
}

whenUnauthorized((message) => showLogin(message ?? '登录已过期，请重新登录'));
window.addEventListener('hashchange', route);
if (currentSession()) await loadDirectory();
route();
