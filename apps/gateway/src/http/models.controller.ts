import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { notFound } from '@tollgate/common';
import { ApiKeyGuard, type AuthenticatedRequest } from '../auth/api-key.guard';
import { authorizeModel } from '@tollgate/tenancy';
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
  list(@Req() request: AuthenticatedRequest): { object: 'list'; data: ModelObject[] } {
    const names = this.runtime.groups.visibleModelNames().filter((name) => this.mayUse(request, name));
    return { object: 'list', data: names.map((id) => this.model(id)) };
  }

  @Get(['v1/models/:model', 'models/:model'])
  retrieve(@Req() request: AuthenticatedRequest, @Param('model') model: string): ModelObject {
    if (!this.runtime.groups.has(model) || !this.mayUse(request, model)) {
      throw notFound(`The model "${model}" is not served by this gateway. GET /v1/models lists the available ones.`, 'model');
    }
    return this.model(model);
  }

  /** Lists only what the caller's key, team, user and organization allow. */
  private mayUse(request: AuthenticatedRequest, model: string): boolean {
    try {
      return authorizeModel(request.identity, model, this.runtime.accessGroups) === model;
    } catch {
      return false;
    }
  }

  private model(id: string): ModelObject {
    return { id, object: 'model', created: this.created, owned_by: 'tollgate' };
  }
}
