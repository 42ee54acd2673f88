// Who is logged in and the names of colleagues, shared by the pages.
import { api, currentSession, updateAccount } from './api.js';

let directory = new Map();

export function me() {
  return currentSession()?.account;
}

export function isAdmin() {
  return me()?.role === 'admin';
}

export function displayName(username) {
  if (!username) return '—';
  const d = directory.get(username);
  return d?.displayName ?? username;
}

export function staffDirectory() {
  return [...directory.values()];
}

export async function loadDirectory() {
  try {
    const { staff } = await api('GET', '/api/staff/directory');
    directory = new Map(staff.map((s) => [s.username, s]));
    const mine = directory.get(me()?.username);
    if (mine) updateAccount({ ...me(), displayName: mine.displayName, role: mine.role });
  } catch {
    // names fall back to usernames
  }
}
