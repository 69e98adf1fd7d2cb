import { describe, expect, it } from 'vitest';
import { isEmptyObjectSchema, toGeminiSchema } from './gemini-schema';

describe('toGeminiSchema', () => {
  it('inlines local $refs and drops keywords Gemini refuses', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { home: { $ref: '#/$defs/Address', description: 'where they live' }, tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } },
      required: ['home'],
      additionalProperties: false,
      $defs: { Address: { type: 'object', properties: { city: { type: 'string', format: 'email' } }, additionalProperties: false } },
    };
    expect(toGeminiSchema(schema, 'p')).toEqual({
      type: 'object',
      properties: {
        home: { type: 'object', properties: { city: { type: 'string' } }, description: 'where they live' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['home'],
    });
  });

  it('turns type unions with null into nullable, oneOf into anyOf and const into a one-value enum', () => {
    expect(toGeminiSchema({ type: ['string', 'null'] }, 'p')).toEqual({ type: 'string', nullable: true });
    expect(toGeminiSchema({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, 'p')).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }] });
    expect(toGeminiSchema({ const: 'fixed' }, 'p')).toEqual({ enum: ['fixed'], type: 'string' });
    expect(toGeminiSchema({ type: 'string', format: 'date-time', enum: ['a', 'b'] }, 'p')).toEqual({ type: 'string', format: 'date-time', enum: ['a', 'b'] });
  });

  it('refuses recursive and unresolvable references with a 400', () => {
    const recursive = { type: 'object', properties: { next: { $ref: '#/$defs/Node' } }, $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } } };
    expect(() => toGeminiSchema(recursive, 'tools[0]')).toThrow(/recursive \$ref/);
    expect(() => toGeminiSchema({ $ref: 'https://example.com/s.json' }, 'tools[0]')).toThrow(/unresolvable/);
  });

  it('knows an object schema without properties', () => {
    expect(isEmptyObjectSchema({ type: 'object', properties: {} })).toBe(true);
    expect(isEmptyObjectSchema(undefined)).toBe(true);
    expect(isEmptyObjectSchema({ type: 'object', properties: { a: { type: 'string' } } })).toBe(false);
  });
});
