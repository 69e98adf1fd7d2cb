/**
 * A database URL safe to print: the password is replaced. Anything that logs or reports a URL goes
 * through here, since URLs from DATABASE_URL often carry credentials.
 */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database url>';
  }
}

/** The same server and credentials, another database name (used to create and reach test databases). */
export function withDatabaseName(url: string, databaseName: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(databaseName)}`;
  return parsed.toString();
}
