import { ValidationPipe } from '@nestjs/common';

/**
 * DTO validation for management bodies and queries: values are converted to the DTO's types, unknown fields
 * are ignored (LiteLLM clients send fields Tollgate does not use), and every problem is reported in one 400.
 */
export const managementValidation = new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: false, transformOptions: { enableImplicitConversion: false } });
