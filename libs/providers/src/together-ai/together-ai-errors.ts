import { TGI_TOO_LONG } from '../huggingface/huggingface-errors';
import { parseErrorBody, type UpstreamErrorDetail } from '../shared/upstream-errors';

/**
 * Together's error bodies are OpenAI-shaped, but a prompt over the context window is reported in Text
 * Generation Inference's words ("`inputs` tokens + `max_new_tokens` must be <= ..."), marked here as
 * `context_length_exceeded`.
 */
export function readTogetherError(text: string): UpstreamErrorDetail {
  const detail = parseErrorBody(text);
  return detail.message !== undefined && TGI_TOO_LONG.test(detail.message) ? Object.assign({}, detail, { code: 'context_length_exceeded' }) : detail;
}
