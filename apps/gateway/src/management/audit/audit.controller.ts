import { managementValidation } from '../management-validation.pipe';
import { Controller, Get, Query, UseGuards, UsePipes } from '@nestjs/common';
import { AuditReader } from '@tollgate/tenancy';
import { ManagementAccess } from '../management-access';
import { ManagementGuard } from '../management.guard';
import { AuditQueryDto } from './audit.dtos';

/** `GET /audit`: every management change, newest first. Proxy admins and proxy admin viewers only. */
@Controller('audit')
@UseGuards(ManagementGuard)
@UsePipes(managementValidation)
export class AuditController {
  constructor(private readonly audit: AuditReader) {}

  @Get()
  @ManagementAccess('admin_or_viewer')
  list(@Query() query: AuditQueryDto) {
    return this.audit.list(query);
  }
}
