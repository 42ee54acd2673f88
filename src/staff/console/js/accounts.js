// Administrators: accounts (create, role, disable / enable, reset password) and the audit trail of
// log-ins and account changes.
import { get, patch, post } from './api.js';
import { clear, dialog, fmtDateTime, h, ROLE, toast } from './dom.js';
import { loadDirectory, me } from './state.js';

export async function renderAccounts(main) {
  const { accounts } = await get('/api/staff/accounts');
  const refresh = async (message) => {
    toast(message);
    await loadDirectory();
    await renderAccounts(main);
  };
  const change = async (username, body, message) => {
    try {
      await patch(`/api/staff/accounts/${encodeURIComponent(username)}`, body);
      await refresh(message);
    } catch (err) {
      toast(err.message, 'error');
    }
  };
  const create = async () => {
    const v = await dialog('新建账号', [
      { name: 'username', label: '用户名（小写字母、数字、. _ -）', required: true, placeholder: '例如 li.ming' },
      { name: 'displayName', label: '姓名', placeholder: '例如 李明' },
      { name: 'role', label: '角色', type: 'select', options: [['staff', '工作人员'], ['admin', '管理员']], value: 'staff' },
      { name: 'password', label: '初始密码（至少10位，不能是常见密码）', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' },
    ], { submit: '创建' });
    if (!v) return;
    try {
      await post('/api/staff/accounts', { username: v.username, role: v.role, password: v.password, displayName: v.displayName || null });
      await refresh(`已创建 ${v.username}`);
    } catch (err) {
      toast(err.message, 'error');
    }
  };
  const reset = async (a) => {
    const v = await dialog(`重置密码 · ${a.username}`, [
      { name: 'password', label: '新密码（至少10位，不能是常见密码）', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' },
    ], { submit: '重置', intro: '重置后该账号已登录的设备全部退出。' });
    if (v) await change(a.username, { password: v.password }, `已重置 ${a.username} 的密码`);
  };

  clear(main, h('section', { class: 'accounts' },
    h('div', { class: 'page-head' }, h('h1', {}, '账号'), h('button', { class: 'btn primary', type: 'button', onclick: create }, '新建账号')),
    h('div', { class: 'panel' }, h('table', { class: 'simple accounts-table' },
      h('thead', {}, h('tr', {}, ['用户名', '姓名', '角色', '状态', '创建', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, accounts.map((a) => {
        const self = a.username === me().username;
        return h('tr', { class: a.disabled ? 'disabled' : '' },
          h('td', { 'data-label': '用户名' }, a.username),
          h('td', { 'data-label': '姓名' }, a.displayName ?? '—'),
          h('td', { 'data-label': '角色' }, ROLE[a.role]),
          h('td', { 'data-label': '状态' }, a.disabled ? '已停用' : '启用'),
          h('td', { 'data-label': '创建', class: 'nowrap' }, fmtDateTime(a.createdAt)),
          h('td', { class: 'actions-cell' }, h('div', { class: 'row-actions' },
            self ? h('span', { class: 'muted small' }, '（本人）') : [
              h('button', { class: 'btn small', type: 'button', onclick: () => change(a.username, { role: a.role === 'admin' ? 'staff' : 'admin' }, '角色已修改') }, a.role === 'admin' ? '设为工作人员' : '设为管理员'),
              h('button', { class: `btn small${a.disabled ? '' : ' danger'}`, type: 'button', onclick: () => change(a.username, { disabled: !a.disabled }, a.disabled ? '已启用' : '已停用') }, a.disabled ? '启用' : '停用'),
              h('button', { class: 'btn small', type: 'button', onclick: () => reset(a) }, '重置密码'),
            ])));
      }))))));
}

const ACTIONS = {
  login: '登录',
  login_failed: '登录失败',
  login_throttled: '登录被暂停',
  logout: '退出',
  account_created: '新建账号',
  account_updated: '修改账号',
  password_changed: '修改密码',
  password_change_failed: '改密码时当前密码错误',
  password_change_throttled: '改密码被暂停',
  access_denied: '越权操作被拒绝',
  document_uploaded: '上传政策文件',
  document_published: '发布政策文件',
  document_withdrawn: '撤回政策文件',
  document_superseded: '标记文件被取代',
};

function detail(e) {
  const d = e.data ?? {};
  const parts = [];
  if (d.reason) parts.push({ unknown_user: '无此用户', wrong_password: '密码错误', disabled: '账号已停用' }[d.reason] ?? d.reason);
  if (d.role && typeof d.role === 'object') parts.push(`角色 ${ROLE[d.role.from]} → ${ROLE[d.role.to]}`);
  else if (d.role) parts.push(ROLE[d.role] ?? d.role);
  if (d.disabled === true) parts.push('停用');
  if (d.disabled === false) parts.push('启用');
  if (d.passwordReset) parts.push('重置密码');
  if (d.displayName !== undefined) parts.push(`姓名：${d.displayName ?? '（清空）'}`);
  if (d.until) parts.push(`至 ${fmtDateTime(d.until)}`);
  return parts.join('，');
}

export async function renderAudit(main) {
  const { entries } = await get('/api/staff/audit?limit=300');
  clear(main, h('section', { class: 'audit' },
    h('div', { class: 'page-head' }, h('h1', {}, '操作日志'), h('span', { class: 'muted small' }, '登录与账号变更；工单上的操作见各工单的处理记录')),
    h('div', { class: 'panel' }, entries.length === 0 ? h('p', { class: 'muted' }, '暂无记录。') : h('table', { class: 'simple' },
      h('thead', {}, h('tr', {}, ['时间', '人员', '操作', '对象', '说明', '地址'].map((c) => h('th', {}, c)))),
      h('tbody', {}, entries.map((e) => h('tr', { class: e.action.startsWith('login_') ? 'warn' : '' },
        h('td', { class: 'nowrap', 'data-label': '时间' }, fmtDateTime(e.at)),
        h('td', { 'data-label': '人员' }, e.actor),
        h('td', { 'data-label': '操作' }, ACTIONS[e.action] ?? e.action),
        h('td', { 'data-label': '对象' }, e.target ?? ''),
        h('td', { 'data-label': '说明' }, detail(e)),
        h('td', { 'data-label': '地址', class: 'muted' }, e.ip ?? ''))))))));
}
