import { badRequest } from '@tollgate/common';
import type { GeminiPart } from './gemini.types';

const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  aac: 'audio/aac',
  mp4: 'video/mp4',
  mov: 'video/mov',
  webm: 'video/webm',
  mpeg: 'video/mpeg',
};

const AUDIO_FORMATS: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mp3', flac: 'audio/flac', ogg: 'audio/ogg', aac: 'audio/aac' };

const DATA_URL = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s;

/**
 * One non-text OpenAI content part as a Gemini part: base64 data URLs become `inlineData`; http(s), `gs://`
 * and Files API URLs become `fileData`, whose MIME type is guessed from the file extension (Gemini requires
 * one). Audio (`input_audio`) and files (`file`) are handled the same way.
 */
export function mediaPart(part: Record<string, unknown>, where: string): GeminiPart {
  switch (part?.type) {
    case 'image_url': {
      const image = part.image_url as { url?: unknown } | string | undefined;
      const url = typeof image === 'string' ? image : image?.url;
      if (typeof url !== 'string' || url === '') throw badRequest(`${where}.image_url.url: expected a URL or a data URL.`, `${where}.image_url`);
      return fromUrl(url, where, 'image/jpeg');
    }
    case 'input_audio': {
      const audio = part.input_audio as { data?: unknown; format?: unknown } | undefined;
      const mimeType = AUDIO_FORMATS[String(audio?.format)];
      if (typeof audio?.data !== 'string' || !mimeType) throw badRequest(`${where}.input_audio: expected base64 "data" and a "format" among ${Object.keys(AUDIO_FORMATS).join(', ')}.`, `${where}.input_audio`);
      return { inlineData: { mimeType, data: audio.data } };
    }
    case 'file': {
      const file = part.file as { file_data?: unknown; file_id?: unknown; filename?: unknown; format?: unknown } | undefined;
      const url = typeof file?.file_data === 'string' ? file.file_data : typeof file?.file_id === 'string' ? file.file_id : undefined;
      if (!url) throw badRequest(`${where}.file: expected "file_data" (a data URL) or "file_id" (a file URI).`, `${where}.file`);
      const declared = typeof file?.format === 'string' ? file.format : undefined;
      const byName = typeof file?.filename === 'string' ? mimeFromPath(file.filename) : undefined;
      return fromUrl(url, where, declared ?? byName ?? 'application/pdf');
    }
    default:
      throw badRequest(`${where}: content part type "${String(part?.type)}" is not supported by Gemini.`, where);
  }
}

function fromUrl(url: string, where: string, fallbackMime: string): GeminiPart {
  if (url.startsWith('data:')) {
    const match = DATA_URL.exec(url);
    if (!match) throw badRequest(`${where}: expected a base64 data URL (data:<mime>;base64,<data>).`, where);
    return { inlineData: { mimeType: match[1], data: match[2] } };
  }
  if (!/^(https?|gs):\/\//i.test(url)) throw badRequest(`${where}: expected an http(s) or gs:// URL, or a base64 data URL.`, where);
  return { fileData: { mimeType: mimeFromPath(url) ?? fallbackMime, fileUri: url } };
}

function mimeFromPath(path: string): string | undefined {
  const clean = path.split(/[?#]/)[0];
  const ext = /\.([a-z0-9]+)$/i.exec(clean)?.[1]?.toLowerCase();
  return ext ? MIME_BY_EXTENSION[ext] : undefined;
}
