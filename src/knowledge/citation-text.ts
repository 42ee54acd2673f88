/**
 * How a document's title and a citation are written for people, in one place: every source line,
 * "来源：" suffix and web citation goes through here. A notice that issues a document
 * ("关于印发《X》的通知", also with the issuer in front) is cited by what it issues: 《X》 with its 文号,
 * never as the nested 《关于印发《X》的通知》.
 */
import type { Citation } from '../core/types.js';

/** "（…）关于印发《X》的通知" / "关于印发X的通知" → "X"; null for other titles. */
export function innerTitle(title: string): string | null {
  const m = /^.*?关于印发(.+)的通知$/.exec(title.trim());
  if (!m?.[1]) return null;
  return stripBookMarks(m[1]);
}

/** "《X》" → "X" (only when the marks enclose the whole title). */
function stripBookMarks(title: string): string {
  const m = /^《([^《》]+)》$/.exec(title.trim());
  return m?.[1] ?? title.trim();
}

/** The title as cited, without book-title marks: the issued document for a "关于印发…的通知". */
export function displayTitle(title: string): string {
  return innerTitle(title) ?? stripBookMarks(title);
}

/** "《X》" for any title, never nested. */
export function bookTitle(title: string): string {
  return `《${displayTitle(title)}》`;
}

export interface CitationTextOptions {
  /** A shorter name to use instead of the title (e.g. a document's short alias). */
  title?: string;
  /** Between the 文号 and the clause label (default none: "（文号）三、（二）"). */
  clausePrefix?: string;
  /** Leave out the clause label. */
  withoutClause?: boolean;
}

/** "《X》（平人社办〔2023〕73号）三、（二）". */
export function citationText(c: Citation, opts: CitationTextOptions = {}): string {
  const clause = !opts.withoutClause && c.clause && c.clause !== '正文' ? `${opts.clausePrefix ?? ''}${c.clause}` : '';
  return `${bookTitle(opts.title ?? c.title)}${c.docNo ? `（${c.docNo}）` : ''}${clause}`;
}

/** "平人社办〔2023〕73号 三、（二）", or "《X》 三、（二）" without a 文号: the compact form. */
export function compactCitationText(c: Citation): string {
  return [c.docNo ?? bookTitle(c.title), c.clause].filter(Boolean).join(' ');
}
