import { dataUrlImageSize, type ImageSize } from './image-size';

/** OpenAI's tile pricing of an image: a base charge plus a charge per 512-pixel tile (high detail). */
interface TileRule {
  base: number;
  tile: number;
}

/** gpt-4o, gpt-4.1, gpt-4.5, gpt-4-turbo and the models OpenAI documents no other figures for. */
const DEFAULT_RULE: TileRule = { base: 85, tile: 170 };
/** gpt-4o-mini counts more tokens per image so that, at its lower token price, an image costs what it costs on gpt-4o. */
const GPT_4O_MINI_RULE: TileRule = { base: 2833, tile: 5667 };
/** o1 and o3. */
const O1_O3_RULE: TileRule = { base: 75, tile: 150 };

function tileRuleFor(model: string): TileRule {
  const name = model.toLowerCase().split('/').pop() ?? '';
  if (name.startsWith('gpt-4o-mini')) return GPT_4O_MINI_RULE;
  if (/^o[13](?:-|$)/.test(name)) return O1_O3_RULE;
  return DEFAULT_RULE;
}

/**
 * The tiles a high-detail image is cut into: it is scaled down to fit 2048 x 2048, then down again so its
 * shorter side is at most 768 pixels, then covered with 512 x 512 tiles.
 */
export function imageTiles({ width, height }: ImageSize): number {
  let w = width;
  let h = height;
  if (w > 2048 || h > 2048) {
    const scale = 2048 / Math.max(w, h);
    w = Math.floor(w * scale);
    h = Math.floor(h * scale);
  }
  const shorter = Math.min(w, h);
  if (shorter > 768) {
    const scale = 768 / shorter;
    w = Math.floor(w * scale);
    h = Math.floor(h * scale);
  }
  return Math.ceil(w / 512) * Math.ceil(h / 512);
}

/**
 * The size assumed for an image whose pixels are not at hand (a remote URL is never fetched just to count
 * it): 1024 x 1024, i.e. 4 tiles, 765 tokens on gpt-4o.
 */
const UNKNOWN_SIZE_TILES = 4;

/**
 * Prompt tokens of one `image_url` content part, by OpenAI's tile rule for `model`: low detail costs the base
 * charge; otherwise the image's size is read from an inline `data:` URL when it can be, else assumed to be
 * 1024 x 1024. Models that count images by 32-pixel patches (gpt-4.1-mini/nano, o4-mini) are counted with the
 * tile rule too, an approximation.
 */
export function imagePartTokens(imageUrl: unknown, model: string): number {
  const rule = tileRuleFor(model);
  const { url, detail } = (imageUrl && typeof imageUrl === 'object' ? imageUrl : { url: imageUrl }) as { url?: unknown; detail?: unknown };
  if (detail === 'low') return rule.base;
  const size = typeof url === 'string' ? dataUrlImageSize(url) : undefined;
  return rule.base + rule.tile * (size ? imageTiles(size) : UNKNOWN_SIZE_TILES);
}
