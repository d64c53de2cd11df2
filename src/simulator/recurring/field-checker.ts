import { recurringProblem } from '../problems';

/**
 * Collects every field error of one request body, then fails once with Recurring's
 * `validation-error` and `extraDetails[{field, text}]` (docs/vipps.md §5). Amounts must be JSON
 * integers: `100.5` and `"100"` are refused, as Vipps does.
 */
export class FieldChecker {
  readonly errors: { field: string; text: string }[] = [];

  constructor(private readonly what: string) {}

  fail(field: string, text: string): undefined {
    this.errors.push({ field, text });
    return undefined;
  }

  object(field: string, value: unknown, required: boolean): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return required ? this.fail(field, 'is required') : undefined;
    if (typeof value !== 'object' || Array.isArray(value)) return this.fail(field, 'must be an object');
    return value as Record<string, unknown>;
  }

  int(field: string, value: unknown, options: { required: boolean; min?: number; max?: number }): number | undefined {
    if (value === undefined || value === null) return options.required ? this.fail(field, 'is required') : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) return this.fail(field, 'must be an integer');
    if (options.min !== undefined && value < options.min) return this.fail(field, `must be at least ${options.min}`);
    if (options.max !== undefined && value > options.max) return this.fail(field, `must be at most ${options.max}`);
    return value;
  }

  string(field: string, value: unknown, options: { required: boolean; min?: number; max?: number; pattern?: RegExp; patternText?: string }): string | undefined {
    if (value === undefined || value === null) return options.required ? this.fail(field, 'is required') : undefined;
    if (typeof value !== 'string') return this.fail(field, 'must be a string');
    const min = options.min ?? (options.required ? 1 : 0);
    if (value.length < min) return this.fail(field, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
    if (options.max !== undefined && value.length > options.max) return this.fail(field, `must be at most ${options.max} characters`);
    if (options.pattern && !options.pattern.test(value)) return this.fail(field, options.patternText ?? `must match ${options.pattern.source}`);
    return value;
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], required: boolean): T | undefined {
    if (value === undefined || value === null) return required ? this.fail(field, 'is required') : undefined;
    if (typeof value !== 'string' || !allowed.includes(value as T)) return this.fail(field, `must be one of ${allowed.join(', ')}`);
    return value as T;
  }

  boolean(field: string, value: unknown): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') return this.fail(field, 'must be a boolean');
    return value;
  }

  /** Throws the collected errors, if any. */
  done(): void {
    if (this.errors.length === 0) return;
    const summary = this.errors.map((e) => `${e.field}: ${e.text}`).join('; ');
    throw recurringProblem(400, 'validation-error', 'Bad Request', `Invalid ${this.what}. ${summary}`, this.errors);
  }
}

/** The body as an object, or a validation error naming the body itself. */
export function bodyObject(body: unknown, what: string): Record<string, unknown> {
  const checker = new FieldChecker(what);
  const value = checker.object('body', body, true);
  checker.done();
  return value as Record<string, unknown>;
}
