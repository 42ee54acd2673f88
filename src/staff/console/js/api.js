// The console's only way to the server: JSON over fetch with the bearer token. The token lives in
// sessionStorage: it goes when the browser closes (shared office computers) and never in a cookie.

const KEY = 'staff.session';
let session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
let onUnauthorized = () => {};

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `请求失败（${status}）`);
    this.status = status;
    this.code = body?.error?.code ?? 'INTERNAL';
    this.issues = body?.error?.issues ?? [];
  }
}

export function currentSession() {
  return session;
}

export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

function save(next) {
  session = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session?.token) headers.authorization = `Bearer ${session.token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiFailure(0, { error: { code: 'UNAVAILABLE', message: '无法连接服务器，请检查网络' } });
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && path !== '/api/staff/login') {
    save(null);
    onUnauthorized(data?.error?.message);
  }
  if (!res.ok) throw new ApiFailure(res.status, data);
  return data;
}

export async function login(username, password) {
  const data = await api('POST', '/api/staff/login', { username, password });
  save({ token: data.token, account: data.account, expiresAt: data.expiresAt });
  return data.account;
}

export async function logout() {
  try {
    await api('POST', '/api/staff/logout');
  } catch {
    // already gone
  }
  save(null);
}

export function updateAccount(account) {
  if (session) save({ ...session, account });
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const patch = (path, body) => api('PATCH', path, body);
