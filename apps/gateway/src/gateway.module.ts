import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ChatCompletionService } from './completion/chat-completion.service';
import { OpenAIExceptionFilter } from './errors/openai-exception.filter';
import { GatewayRuntime } from './gateway-runtime';
import { DependencyHealthIndicator } from './health/dependency-health.indicator';
import { HealthController } from './health/health.controller';
import { ChatCompletionsController } from './http/chat-completions.controller';
import { ModelsController } from './http/models.controller';
import { EmbeddingsController } from './http/embeddings.controller';
import { EmbeddingService } from './embeddings/embedding.service';
import { MANAGEMENT_CONTROLLERS, MANAGEMENT_PROVIDERS } from './management';

@Module({})
export class GatewayModule {
  static forRoot(runtime: GatewayRuntime): DynamicModule {
    return {
      module: GatewayModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [ChatCompletionsController, EmbeddingsController, ModelsController, HealthController, ...MANAGEMENT_CONTROLLERS],
      providers: [
        { provide: GatewayRuntime, useValue: runtime },
        { provide: APP_FILTER, useClass: OpenAIExceptionFilter },
        ApiKeyGuard,
        ChatCompletionService,
        EmbeddingService,
        ...MANAGEMENT_PROVIDERS,
        DependencyHealthIndicator,
      ],
    };
  }
}
