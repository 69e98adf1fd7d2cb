import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { badRequest } from '@tollgate/common';

/** Every violated rule with its field path (`members_with_roles.0.role`), nested errors flattened. */
function problems(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...problems(error.children ?? [], field)];
  });
}

/**
 * DTO validation for management bodies and queries: values are converted to the DTO's classes, unknown
 * fields are ignored (LiteLLM clients send fields Tollgate does not use), and every problem is reported in
 * one 400 in OpenAI's shape whose `param` names the first offending field.
 */
export const managementValidation = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: false,
  transformOptions: { enableImplicitConversion: false },
  exceptionFactory: (errors) => {
    const found = problems(errors);
    return badRequest(found.map((p) => p.message).join('; ') || 'The request is not valid.', found[0]?.field);
  },
});
