import type { Citation, Region } from '../core/types.js';
import type { Profile } from './profile.js';

export interface ProgramResult {
  program: string;
  /** Chinese name of the programme, for display. */
  title: string;
  eligible: boolean;
  /** Yuan, rounded to the fen; null when there is no amount or it cannot be computed from the texts. */
  amount: number | null;
  /** Each condition met, failed or still to be verified, with its clause. */
  reasons: string[];
  citations: Citation[];
  /** The computation in Chinese, e.g. "15000 × 3% = 450 元". */
  arithmetic?: string;
  /** Set when the provision ended before asOf. */
  expired?: { end: string; text: string };
  /** Which reading of an ambiguous text was used. */
  reading?: string;
  /** Profile fields that would decide or confirm this result; ask for them one at a time. */
  missing?: string[];
}

export interface EvaluateInput {
  region: Region;
  /** YYYY-MM-DD */
  asOf: string;
  profile: Profile;
}

export interface EvaluateOutput {
  results: ProgramResult[];
}

export interface EvaluateOptions {
  /** Local monthly minimum wage when the profile gives none; the texts do not state it. */
  minWageMonthly?: number;
}
