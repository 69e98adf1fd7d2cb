import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { ChatCompletionService } from '../completion/chat-completion.service';

@Controller()
@UseGuards(ApiKeyGuard)
export class ChatCompletionsController {
  constructor(private readonly completions: ChatCompletionService) {}

  @Post(['v1/chat/completions', 'chat/completions'])
  @HttpCode(200)
  async create(@Req() request: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.completions.handle(request, reply);
  }
}
