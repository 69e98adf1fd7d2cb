import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runMigrate, runStart, runWorker } from './commands';
import { applyHeapGrowth } from './heap-growth';
import { applyV8Switches } from './v8-switches';

try {
  applyHeapGrowth();
  applyV8Switches();
} catch (err) {
  process.stderr.write(`tollgate: ${(err as Error).message}\n`);
  process.exit(1);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535');
  return n;
}

const program = new Command('tollgate')
  .description('Tollgate: a self-hosted LLM gateway with an OpenAI-compatible API.')
  .showHelpAfterError();

program
  .command('start')
  .description('Run the HTTP gateway (OpenAI-compatible API on /v1/...). With no DATABASE_URL it runs an embedded PostgreSQL; with no REDIS_URL it keeps shared state and queues in memory.')
  .option('-c, --config <file>', 'LiteLLM-style config.yaml (model_list, general_settings, ...)')
  .option('-p, --port <n>', 'port to listen on (default 4000, or $PORT; 0 picks a free port)', port)
  .option('-H, --host <host>', 'address to listen on (default 0.0.0.0, or $HOST)')
  .option('--with-worker', 'with Redis: also write request logs from the queue in this process (otherwise run `tollgate worker`)')
  .option(
    '--num_workers <n>',
    'gateway processes sharing the port, for several cores per pod (default 1, or $NUM_WORKERS); more than 1 needs REDIS_URL and DATABASE_URL',
  )
  .addOption(new Option('--num-workers <n>', 'same as --num_workers').hideHelp())
  .action(runStart);

program
  .command('worker')
  .description('Run the queue worker that writes request logs from Redis to PostgreSQL (needs REDIS_URL and DATABASE_URL).')
  .option('-c, --config <file>', 'the same config.yaml the gateway uses')
  .action(runWorker);

program
  .command('migrate')
  .description('Apply database migrations (prisma/migrations) and exit. Safe to run from several replicas at once. Uses DATABASE_URL, else the embedded database in $TOLLGATE_DATA_DIR.')
  .option('-c, --config <file>', 'config.yaml (for general_settings.database_url)')
  .action(runMigrate);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`tollgate: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
