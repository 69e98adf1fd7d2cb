import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError, formatConfigProblem } from './config-error';

/**
 * Reads and parses the YAML file. Parse options follow PyYAML's behaviour where LiteLLM files rely on
 * it: a key repeated in one mapping keeps its last value instead of failing, and `<<: *anchor` merge
 * keys work. Problems here stop loading at once: there is no document to validate.
 */
export function readConfigFile(file: string, absolutePath: string): unknown {
  const source = readText(file, absolutePath);
  const document = parseDocument(source, { prettyErrors: true, uniqueKeys: false, merge: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => {
        const position = error.linePos?.[0];
        const where = position ? `line ${position.line}, column ${position.col}` : '';
        return formatConfigProblem(file, where, `invalid YAML: ${firstSentence(error.message)}`);
      }),
    );
  }
  return document.toJS({ maxAliasCount: 1000 });
}

function readText(file: string, absolutePath: string): string {
  try {
    return fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `config file not found (looked for ${absolutePath})`
        : code === 'EISDIR'
          ? `${absolutePath} is a directory, not a config file`
          : code === 'EACCES'
            ? `cannot read ${absolutePath}: permission denied`
            : `cannot read ${absolutePath}: ${(error as Error).message}`;
    throw new ConfigError([formatConfigProblem(file, '', reason)]);
  }
}

/**
 * The parser's message without its position suffix and code frame: the frame quotes the source line,
 * which could be a line holding an api_key.
 */
function firstSentence(message: string): string {
  const withoutFrame = message.split('\n')[0] ?? message;
  return withoutFrame.replace(/ at line \d+, column \d+:?$/, '').trim();
}
