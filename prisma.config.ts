// Prisma 7 reads the datasource URL from here rather than from schema.prisma. Tollgate itself never uses
// this file at run time (it applies migrations with its own migrator); it serves `prisma migrate deploy`
// and `prisma studio` on machines where Prisma's engines can be downloaded.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/tollgate' },
});
