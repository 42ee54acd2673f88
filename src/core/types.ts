/** Shapes that cross module boundaries along the pipeline: channels → dialogue → replies → channels. */

export const CHANNELS = ['web', 'wechat', 'wechaty', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PERSONAS = ['graduate', 'migrant', 'poverty', 'employer', 'staff', 'other'] as const;
export type Persona = (typeof PERSONAS)[number];

export const REGIONS = ['全国', '河南省', '平顶山市', '济宁市'] as const;
export type Region = (typeof REGIONS)[number];

/** One message from a person, whatever channel it came through. */
export interface InboundMessage {
  channel: Channel;
  /** Stable id of the sender within the channel (phone number for SMS, openid for WeChat). */
  userId: string;
  text: string;
  /** Provider message id, used to drop retries and replays. */
  messageId?: string;
  receivedAt: Date;
}

/** Where a statement in a reply comes from. */
export interface Citation {
  title: string;
  docNo: string | null;
  clause: string | null;
}

/** One reply the user reads; several may be sent in order. */
export interface Reply {
  text: string;
  citations: Citation[];
  /** Set on the last reply of a policy answer: what the person's 有用 / 没用 refers to (src/feedback). */
  answerId?: string;
}
