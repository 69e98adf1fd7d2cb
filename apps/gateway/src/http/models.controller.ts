import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { notFound } from '@tollgate/common';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { GatewayRuntime } from '../gateway-runtime';

interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** OpenAI's model list: the model group names the caller may use. */
@Controller()
@UseGuards(ApiKeyGuard)
export class ModelsController {
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(private readonly runtime: GatewayRuntime) {}

  @Get(['v1/models', 'models'])
  list(): { object: 'list'; data: ModelObject[] } {
    return { object: 'list', data: this.runtime.registry.modelNames().map((id) => this.model(id)) };
  }

  @Get(['v1/models/:model', 'models/:model'])
  retrieve(@Param('model') model: string): ModelObject {
    if (!this.runtime.registry.has(model)) {
      throw notFound(`The model "${model}" is not served by this gateway. GET /v1/models lists the available ones.`, 'model');
    }
    return this.model(model);
  }

  private model(id: string): ModelObject {
    return { id, object: 'model', created: this.created, owned_by: 'tollgate' };
  }
}
