/**
 * The text of an uploaded policy document: .txt (UTF-8), .docx (mammoth, paragraphs) or a .pdf with a
 * text layer (unpdf). Scanned PDFs (images only) have no text here and are refused as empty.
 */
import { extname } from 'node:path';

export const UPLOAD_TYPES = ['.txt', '.docx', '.pdf'] as const;
export type UploadType = (typeof UPLOAD_TYPES)[number];

/** Largest file accepted (a 60-page .docx with tables is about 1 MB). */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
/** Longest text accepted once extracted (the longest shipped document is about 60 000 characters). */
export const MAX_TEXT_CHARS = 400_000;

/** Bad input: the message is shown to staff as is. `tooLarge` answers 413 instead of 400. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly tooLarge = false,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export function uploadTypeOf(filename: string): UploadType {
  const ext = extname(filename).toLowerCase();
  if (!(UPLOAD_TYPES as readonly string[]).includes(ext)) {
    throw new UploadError(`不支持的文件类型「${ext || '无扩展名'}」：只接受 .txt、.docx、.pdf（带文字层的 PDF）`);
  }
  return ext as UploadType;
}

/** Extracts the text; throws UploadError for a wrong type, a damaged file, an empty or too large one. */
export async function extractText(filename: string, input: { text: string } | { content: Buffer }): Promise<string> {
  const type = uploadTypeOf(filename);
  let text: string;
  if ('text' in input) {
    if (type !== '.txt') throw new UploadError(`${type} 文件请上传文件本身（content 为 base64），不要只传文字`);
    text = input.text;
  } else {
    const bytes = input.content;
    if (bytes.length === 0) throw new UploadError('文件是空的');
    if (bytes.length > MAX_UPLOAD_BYTES) throw new UploadError(`文件过大：最多 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`, true);
    text = type === '.txt' ? decodeUtf8(bytes) : type === '.docx' ? await docxText(bytes) : await pdfText(bytes);
  }
  text = text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  if (text.length > MAX_TEXT_CHARS) throw new UploadError(`文字过长：最多 ${MAX_TEXT_CHARS} 字`, true);
  if (text.replace(/\s+/g, '').length === 0) {
    throw new UploadError(type === '.pdf' ? 'PDF 中没有可读取的文字（可能是扫描件，请上传带文字层的 PDF 或 Word 文件）' : '文件中没有文字');
  }
  return text;
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UploadError('文本文件不是 UTF-8 编码（请另存为 UTF-8 后再上传）');
  }
}

async function docxText(bytes: Buffer): Promise<string> {
  const mammoth = (await import('mammoth')).default;
  try {
    const { value } = await mammoth.extractRawText({ buffer: bytes });
    // mammoth separates paragraphs with a blank line; one paragraph per line is what the cleaner reads.
    return value.replace(/\n{2,}/g, '\n');
  } catch (err) {
    throw new UploadError(`无法读取 Word 文件（.docx）：${(err as Error).message.slice(0, 120)}`);
  }
}

async function pdfText(bytes: Buffer): Promise<string> {
  const { extractText: pdfExtract, getDocumentProxy } = await import('unpdf');
  try {
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { text } = await pdfExtract(pdf, { mergePages: false });
    return (Array.isArray(text) ? text : [text]).join('\n');
  } catch (err) {
    throw new UploadError(`无法读取 PDF 文件：${(err as Error).message.slice(0, 120)}`);
  }
}
