import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { GatewayError } from '@tollgate/common';
import type { FastifyReply } from 'fastify';
import { GatewayRuntime } from '../gateway-runtime';
import { toGatewayError } from './to-gateway-error';

/**
 * Renders every error in OpenAI's shape with the matching status: errors from routes, and those Fastify
 * raises before a route runs (unparseable JSON, body over the limit, unknown route), which Nest routes here.
 */
@Catch()
export class OpenAIExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  constructor(private readonly runtime: GatewayRuntime) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = toGatewayError(exception, this.runtime.config.runtime.maxRequestBytes);
    if (error.status >= 500 && !(exception instanceof GatewayError) && !(exception instanceof HttpException)) {
      this.logger.error(`unexpected error: ${(exception as Error)?.stack ?? String(exception)}`);
    }
    if (reply.sent || reply.raw.headersSent) return;
    if (error.options.headers) reply.headers(error.options.headers);
    void reply.status(error.status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(error.toBody()));
  }
}
