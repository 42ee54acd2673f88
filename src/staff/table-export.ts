/**
 * Tables out as files staff open in Excel or LibreOffice:
 * - CSV: UTF-8 with a byte-order mark (Excel reads Chinese right only with it), CRLF, every field
 *   quoted; a text cell starting with = + - @ (or a tab / carriage return) is prefixed with ' so that
 *   no spreadsheet runs it as a formula (CSV injection). Several tables go one after the other, each
 *   under its name, a blank line between.
 * - xlsx (exceljs): one worksheet per table; text cells are stored as text, never as formulas.
 */
import ExcelJS from 'exceljs';

export type Cell = string | number | null;

export interface Table {
  name: string;
  columns: string[];
  rows: Cell[][];
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function toCsv(tables: Table[]): Buffer {
  const lines: string[] = [];
  for (const [i, t] of tables.entries()) {
    if (tables.length > 1) {
      if (i > 0) lines.push('');
      lines.push(csvCell(t.name));
    }
    lines.push(t.columns.map(csvCell).join(','));
    for (const row of t.rows) lines.push(row.map(csvCell).join(','));
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(tables: Table[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = '平顶山市人社局 工单处理台';
  for (const t of tables) {
    // Sheet names: at most 31 characters, none of : \ / ? * [ ].
    const sheet = book.addWorksheet(t.name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31));
    sheet.addRow(t.columns).font = { bold: true };
    for (const row of t.rows) sheet.addRow(row.map((c) => c ?? ''));
    sheet.columns.forEach((col, i) => {
      const widest = Math.max(t.columns[i]?.length ?? 4, ...t.rows.slice(0, 200).map((r) => String(r[i] ?? '').length));
      col.width = Math.min(60, Math.max(8, widest * 2));
    });
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
