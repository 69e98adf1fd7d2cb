/** OpenAI's `encoding_format: "base64"`: the vector's values as little-endian float32, base64-encoded. */
export function float32Base64(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}

/** A vector as the caller asked for it: the numbers, or base64 (see `float32Base64`). */
export function encodeEmbedding(vector: number[], encodingFormat: unknown): number[] | string {
  return encodingFormat === 'base64' ? float32Base64(vector) : vector;
}
