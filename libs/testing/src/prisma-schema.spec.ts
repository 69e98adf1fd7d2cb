import { describe, expect, it } from 'vitest';
import { attribute, listArgument, nativeType, parsePrismaSchema } from './prisma-schema';

const source = `
// comment with a { brace
enum Role {
  ADMIN   @map("admin")
  MEMBER
  @@map("user_role")
}

model Key {
  token     String   @id
  alias     String   @unique(map: "key_alias_unique") @db.VarChar(64) // trailing "comment"
  teamId    String   @map("team_id")
  team      Team     @relation(fields: [teamId], references: [id], onDelete: Cascade)
  role      Role     @default(MEMBER)
  tags      String[]
  spend     Decimal? @db.Decimal(18, 6)
  note      String   @default("a // not a comment")
  raw       Unsupported("tsvector")?
  @@unique([teamId, alias])
  @@index([teamId(sort: Desc), alias], map: "keys_custom_idx")
  @@map("keys")
}

model Team {
  id   String @id @default(uuid())
  keys Key[]
}
`;

describe('parsePrismaSchema', () => {
  const schema = parsePrismaSchema(source);
  const key = schema.models.find((m) => m.name === 'Key')!;
  const field = (name: string) => key.fields.find((f) => f.name === name)!;

  it('reads models, table names and enums with their database names', () => {
    expect(schema.models.map((m) => [m.name, m.tableName])).toEqual([
      ['Key', 'keys'],
      ['Team', 'Team'],
    ]);
    expect(schema.enums).toEqual([{ name: 'Role', dbName: 'user_role', values: ['ADMIN', 'MEMBER'] }]);
  });

  it('reads each field’s kind, optionality, list-ness, column name and attributes', () => {
    expect(field('teamId')).toMatchObject({ kind: 'scalar', columnName: 'team_id', optional: false, list: false });
    expect(field('team')).toMatchObject({ kind: 'object', type: 'Team' });
    expect(field('role')).toMatchObject({ kind: 'enum', type: 'Role' });
    expect(field('tags')).toMatchObject({ kind: 'scalar', list: true, optional: false });
    expect(field('spend')).toMatchObject({ optional: true });
    expect(field('raw')).toMatchObject({ kind: 'unsupported', optional: true });
    expect(nativeType(field('spend'))).toEqual({ name: 'Decimal', args: ['18', '6'] });
    expect(nativeType(field('alias'))).toEqual({ name: 'VarChar', args: ['64'] });
    expect(attribute(field('note'), 'default')?.args).toBe('"a // not a comment"');
    expect(listArgument(attribute(field('team'), 'relation')?.args, 'fields')).toEqual(['teamId']);
    expect(listArgument(attribute(field('team'), 'relation')?.args, 'references')).toEqual(['id']);
  });

  it('collects primary keys, unique constraints and indexes in declaration order', () => {
    expect(key.indexes).toEqual([
      { kind: 'id', fields: ['token'], map: undefined },
      { kind: 'unique', fields: ['alias'], map: 'key_alias_unique' },
      { kind: 'unique', fields: ['teamId', 'alias'], map: undefined },
      { kind: 'index', fields: ['teamId', 'alias'], map: 'keys_custom_idx' },
    ]);
  });
});
