export interface ImageSize {
  width: number;
  height: number;
}

/**
 * Enough of a base64 payload to reach the size fields of PNG, GIF and WebP headers, and the frame header of
 * nearly every JPEG (it follows the EXIF block, which is usually well under 64 KB). A multiple of 4 so it
 * decodes on a base64 boundary.
 */
const HEADER_BASE64_CHARS = 96 * 1024;

/** The pixel size of an image sent inline as a `data:` URL (PNG, JPEG, GIF or WebP); undefined when unreadable. */
export function dataUrlImageSize(url: string): ImageSize | undefined {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma === -1 || !url.slice(0, comma).endsWith(';base64')) return undefined;
  const bytes = Buffer.from(url.slice(comma + 1, comma + 1 + HEADER_BASE64_CHARS), 'base64');
  return imageSize(bytes);
}

/** The pixel size read from an image file's header, or undefined for formats this does not know. */
export function imageSize(bytes: Buffer): ImageSize | undefined {
  const size = pngSize(bytes) ?? gifSize(bytes) ?? webpSize(bytes) ?? jpegSize(bytes);
  return size && size.width > 0 && size.height > 0 ? size : undefined;
}

function pngSize(b: Buffer): ImageSize | undefined {
  // Signature, then the IHDR chunk whose data starts with width and height (big-endian).
  if (b.length < 24 || b.readUInt32BE(0) !== 0x89504e47 || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function gifSize(b: Buffer): ImageSize | undefined {
  if (b.length < 10 || b.toString('latin1', 0, 4) !== 'GIF8') return undefined;
  return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
}

function webpSize(b: Buffer): ImageSize | undefined {
  if (b.length < 30 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  switch (b.toString('latin1', 12, 16)) {
    case 'VP8 ': // lossy: 14-bit sizes after the key-frame start code
      return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
    case 'VP8L': {
      // lossless: 14-bit (size - 1) fields packed after the signature byte
      const bits = b.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case 'VP8X': // extended: 24-bit (size - 1) fields
      return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
    default:
      return undefined;
  }
}

/** Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not. */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpegSize(b: Buffer): ImageSize | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 3 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (isStartOfFrame(marker)) {
      if (at + 9 > b.length) return undefined;
      return { width: b.readUInt16BE(at + 7), height: b.readUInt16BE(at + 5) };
    }
    at += 2 + b.readUInt16BE(at + 2);
  }
  return undefined;
}
