import type { Persona, Region } from '../core/types.js';

/** Metadata of one policy document: the YAML front matter of a file in knowledge/docs/. */
export interface DocumentMeta {
  /** File-name stem, stable: e.g. "henan-2023-youth-employment". */
  id: string;
  /** Full title as the document states it. */
  title: string;
  /** Short name people use (e.g. "一奖一补"); optional aliases help retrieval and citation. */
  aliases: string[];
  /** 文号, e.g. "豫政办〔2023〕17号"; null when the document has none. */
  docNo: string | null;
  issuers: string[];
  /** Date of issue, YYYY-MM-DD, null when unknown. */
  date: string | null;
  region: Region;
  /** Who the document mainly concerns (graduate, migrant, poverty, employer, staff, other). */
  personas: Persona[];
  validity: {
    start: string | null;
    /** End of the document's period if stated anywhere in it (YYYY-MM-DD), else null. */
    end: string | null;
    /** The sentence that states the end, quoted. */
    endText: string | null;
  };
  /** Clauses that carry their own end date inside a document that has another (or none). */
  clauseValidity: Array<{ clause: string; end: string; endText: string }>;
  /** Where it was extracted from: seed file and 1-based line range. */
  source: { file: string; lines: [number, number] } | null;
  /** The document that replaces this one, when staff marked it superseded; answers then say so. */
  supersededBy?: string;
}

/** A numbered provision of a document: 一、 / （一） / 第X条 / 1. / （1）, with its place in the hierarchy. */
export interface Clause {
  /** `${docId}#${path.join('/')}`, unique. */
  id: string;
  docId: string;
  /** Markers from the top: ["三、", "（二）"] or ["第十一条"]. Empty for the preamble. */
  path: string[];
  /** Human label for citing: "三、（二）" or "第十一条"; "正文" for the preamble. */
  label: string;
  /** The clause's own heading text when it has one (e.g. "稳定扩大企业吸纳就业岗位"). */
  heading: string | null;
  /** Full text of the clause, without its children's text. */
  text: string;
  /** End date applying to this clause (own or inherited from the document), YYYY-MM-DD or null. */
  end: string | null;
  endText: string | null;
}

export interface PolicyDocument {
  meta: DocumentMeta;
  clauses: Clause[];
}
