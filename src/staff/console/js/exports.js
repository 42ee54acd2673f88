// Downloads of the exports (CSV / Excel). The API wants the bearer token in a header, so the file is
// fetched here and handed to the browser as a blob; the file name comes from the server.
import { currentSession } from './api.js';
import { h, toast } from './dom.js';

export async function download(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${currentSession()?.token ?? ''}` } });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error?.message ?? `导出失败（${res.status}）`);
  }
  const disposition = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = m ? decodeURIComponent(m[1]) : 'export';
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "导出 CSV" and "导出 Excel" buttons; `pathOf(format)` gives the export's address. */
export function exportButtons(pathOf) {
  const button = (format, label) => h('button', {
    class: 'btn', type: 'button', 'data-export': format,
    onclick: async (e) => {
      e.target.disabled = true;
      try {
        await download(pathOf(format));
      } catch (err) {
        toast(err.message, 'error');
      } finally {
        e.target.disabled = false;
      }
    },
  }, label);
  return h('span', { class: 'exports', role: 'group', 'aria-label': '导出' }, button('csv', '导出 CSV'), button('xlsx', '导出 Excel'));
}
