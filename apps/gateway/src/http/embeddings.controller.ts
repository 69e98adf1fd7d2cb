import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { EmbeddingService } from '../embeddings/embedding.service';

@Controller()
@UseGuards(ApiKeyGuard)
export class EmbeddingsController {
  constructor(private readonly embeddings: EmbeddingService) {}

  @Post(['v1/embeddings', 'embeddings'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.embeddings.handle(request, reply);
  }
}
