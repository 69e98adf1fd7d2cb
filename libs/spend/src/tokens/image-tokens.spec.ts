import { describe, expect, it } from 'vitest';
import { imageSize } from './image-size';
import { imagePartTokens, imageTiles } from './image-tokens';

function png(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

function jpeg(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const sof0 = Buffer.alloc(19);
  sof0.writeUInt16BE(0xffc0, 0);
  sof0.writeUInt16BE(17, 2);
  sof0[4] = 8;
  sof0.writeUInt16BE(height, 5);
  sof0.writeUInt16BE(width, 7);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, Buffer.from([0xff, 0xdb, 0x00, 0x04, 0, 0]), sof0]);
}

function gif(width: number, height: number): Buffer {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(width, 6);
  b.writeUInt16LE(height, 8);
  return b;
}

function webpLossless(width: number, height: number): Buffer {
  const b = Buffer.alloc(30);
  b.write('RIFF', 0, 'latin1');
  b.write('WEBP', 8, 'latin1');
  b.write('VP8L', 12, 'latin1');
  b[20] = 0x2f;
  b.writeUInt32LE((width - 1) | ((height - 1) << 14), 21);
  return b;
}

const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;

describe('image sizes', () => {
  it('reads the size from PNG, JPEG, GIF and WebP headers', () => {
    expect(imageSize(png(1024, 768))).toEqual({ width: 1024, height: 768 });
    expect(imageSize(jpeg(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageSize(gif(300, 200))).toEqual({ width: 300, height: 200 });
    expect(imageSize(webpLossless(1500, 900))).toEqual({ width: 1500, height: 900 });
    expect(imageSize(Buffer.from('not an image'))).toBeUndefined();
  });
});

describe('image tokens (OpenAI tile rule)', () => {
  it('cuts images into 512-pixel tiles after scaling, as OpenAI documents', () => {
    expect(imageTiles({ width: 1024, height: 1024 })).toBe(4); // 768 x 768
    expect(imageTiles({ width: 2048, height: 4096 })).toBe(6); // 1024 x 2048, then 768 x 1536
    expect(imageTiles({ width: 100, height: 100 })).toBe(1); // never scaled up
  });

  it('counts an inline image by its real size', () => {
    expect(imagePartTokens({ url: dataUrl('image/png', png(1024, 1024)) }, 'gpt-4o')).toBe(765);
    expect(imagePartTokens({ url: dataUrl('image/jpeg', jpeg(2048, 4096)), detail: 'high' }, 'gpt-4o')).toBe(1105);
    expect(imagePartTokens({ url: dataUrl('image/png', png(4096, 8192)), detail: 'low' }, 'gpt-4o')).toBe(85);
    expect(imagePartTokens({ url: dataUrl('image/gif', gif(150, 150)) }, 'gpt-4o-mini')).toBe(2833 + 5667);
    expect(imagePartTokens({ url: dataUrl('image/png', png(150, 150)) }, 'o1')).toBe(75 + 150);
  });

  it('assumes 1024 x 1024 when the size cannot be read', () => {
    expect(imagePartTokens({ url: 'https://example.com/a.png' }, 'gpt-4o')).toBe(765);
    expect(imagePartTokens('https://example.com/a.png', 'gpt-4o')).toBe(765);
    expect(imagePartTokens({ url: 'data:image/png;base64,AAAA' }, 'gpt-4o')).toBe(765);
  });
});
