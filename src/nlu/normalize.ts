/**
 * Text normalisation, the first step of understanding. Pure and idempotent:
 * normalize(normalize(x)) === normalize(x).
 *
 * 1. Zero-width and bidi marks, soft hyphens are dropped; other control characters become spaces.
 * 2. Compatibility forms are folded (NFKC per character): full-width letters and digits
 *    (１３９ → 139, ＱＸ → QX), ideographic space, circled digits, Kangxi radicals that look like
 *    ordinary characters. Dashes (‐ ‑ ‒ – − ﹣ －) become "-" so phone and ticket numbers read alike.
 * 3. Chinese sentence punctuation is KEPT full width — ，。、？！：；（）《》“”〔〕 — because it carries
 *    meaning a half-width form would blur: "2，000" is two numbers in a list while "2,000" is two
 *    thousand, and 〔〕/《》 delimit document numbers and titles in citations. Both ? and ？ may therefore
 *    appear; downstream code treats them alike.
 * 4. Traditional → simplified (OpenCC, generic traditional "t" → mainland "cn", characters only).
 * 5. Domain typos from knowledge/lexicon/typos.yaml (补帖 → 补贴, 贷欵 → 贷款 …), longest first,
 *    repeated until nothing changes (at most 3 passes; the data is checked to converge).
 * 6. Runs of whitespace collapse to one space; the ends are trimmed.
 * Case is kept (QX ticket numbers); features and extractors are case-insensitive themselves.
 */
import * as OpenCC from 'opencc-js/t2cn';
import { loadTypos } from './lexicon.js';

const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** Full-width Chinese punctuation kept as is (NFKC would turn it into ASCII). */
const KEEP = new Set(['，', '！', '？', '：', '；', '（', '）']);
const DASHES = /[\u2010-\u2013\u2212\ufe63\uff0d]/g;
/** Characters that NFKC may change: everything outside ASCII and the CJK unified block. */
const FOLDABLE = /[^\u0000-\u007f\u4e00-\u9fff]/g;

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

interface TypoTable {
  pattern: RegExp | null;
  map: Map<string, string>;
}
let typoTable: TypoTable | undefined;

function typos(): TypoTable {
  if (typoTable) return typoTable;
  const map = new Map(Object.entries(loadTypos()));
  const keys = [...map.keys()].sort((a, b) => b.length - a.length);
  const pattern = keys.length ? new RegExp(keys.map(escapeRegExp).join('|'), 'g') : null;
  typoTable = { pattern, map };
  return typoTable;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fold(ch: string): string {
  if (KEEP.has(ch)) return ch;
  return ch.normalize('NFKC');
}

export function fixTypos(text: string): string {
  const { pattern, map } = typos();
  if (!pattern) return text;
  let out = text;
  for (let pass = 0; pass < 3; pass++) {
    const next = out.replace(pattern, (m) => map.get(m) ?? m);
    if (next === out) break;
    out = next;
  }
  return out;
}

export function normalize(text: string): string {
  let s = text.replace(INVISIBLE, '').replace(CONTROL, ' ');
  s = s.replace(FOLDABLE, fold).replace(DASHES, '-');
  s = toSimplified(s);
  s = fixTypos(s);
  return s.replace(/\s+/g, ' ').trim();
}
