export { countTextTokens, encodingForModel, tokenizerModelOf, type EncodingName, type TokenizedDeployment } from './encodings';
export { countPromptTokens, type PromptRequest } from './prompt-tokens';
export { countCompletionTokens, countUsage, type ProducedOutput } from './completion-tokens';
export { imagePartTokens, imageTiles } from './image-tokens';
export { EXACT_TOKEN_COUNT_CHARS, TextTokenCounter } from './text-token-counter';
