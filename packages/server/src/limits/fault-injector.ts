// Fault injection for integration authors: per integration and/or route, a probability (seeded, so runs
// repeat) or a schedule ("fail the first N"), of 429/500/502/503/504/529 in Notion's exact shapes, and
// added latency. `after_commit` lets the write happen and then loses the answer — the case safe
// retries must survive. Rules live in this process (config file or admin API).
import { z } from 'zod';
import { ApiError, MESSAGES, type ErrorCode } from '../errors.js';
import { validationMessage } from '../domain/validation.js';

export const FAULT_STATUSES = [429, 500, 502, 503, 504, 529] as const;

export const zFaultRule = z
  .object({
    id: z.string().min(1).optional(),
    /** Integration id or name; absent = every integration. */
    integration: z.string().min(1).optional(),
    /** "POST /v1/pages", "GET /v1/pages/:page_id", or a method-less route pattern; absent = every route. */
    route: z.string().min(1).optional(),
    status: z
      .number()
      .refine((s) => (FAULT_STATUSES as readonly number[]).includes(s), {
        message: `should be one of ${FAULT_STATUSES.join(', ')}`,
      })
      .optional(),
    probability: z.number().min(0).max(1).optional(),
    /** Schedule: only the first `count` matching requests fail, then the rule is spent. */
    count: z.number().int().min(1).optional(),
    latency_ms: z.number().int().min(0).max(60_000).optional(),
    retry_after: z.number().int().min(0).max(3600).optional(),
    after_commit: z.boolean().optional(),
  })
  .strict();

export type FaultRuleInput = z.infer<typeof zFaultRule>;

/** Validates rules from a config file; the message names the rule and field (`faults[1].status should be …`). */
export function validateFaultRules(input: unknown): FaultRuleInput[] {
  const result = z.array(zFaultRule).safeParse(input);
  if (result.success) return result.data;
  throw new Error(
    validationMessage('body', result.error.issues, input).replace(/^body failed validation: body/, 'faults'),
  );
}

interface FaultRule extends FaultRuleInput {
  id: string;
  remaining: number | null;
  matched: number;
}

const STATUS_ERRORS: Record<number, { code: ErrorCode; message: string }> = {
  429: { code: 'rate_limited', message: MESSAGES.rateLimited },
  500: { code: 'internal_server_error', message: MESSAGES.internal },
  502: { code: 'bad_gateway', message: 'Bad Gateway' },
  503: { code: 'service_unavailable', message: 'Notion is unavailable, please try again later.' },
  504: { code: 'gateway_timeout', message: 'Gateway Timeout' },
  529: { code: 'service_overload', message: 'Notion is overloaded, please try again later.' },
};

export function faultError(status: number, retryAfterSeconds?: number): ApiError {
  const def = STATUS_ERRORS[status] ?? STATUS_ERRORS[500]!;
  if (retryAfterSeconds === undefined || ![429, 503, 529].includes(status)) return new ApiError(def.code, def.message);
  const additional: Record<string, string> = { retry_after: String(retryAfterSeconds) };
  if (status === 429) additional.rate_limit_reason = 'public_api_request_rate_limit';
  return new ApiError(def.code, def.message, additional, { 'retry-after': String(retryAfterSeconds) });
}

/** mulberry32: small, fast, and the same sequence for the same seed (also used by the fuzz test and benchmarks). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultDecision {
  latencyMs: number;
  error: ApiError | null;
  afterCommit: boolean;
}

export interface FaultTarget {
  integrationId: string;
  integrationName: string;
  method: string;
  route: string;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private random: () => number;
  private nextId = 1;

  constructor(
    rules: readonly FaultRuleInput[] = [],
    private seed = 1,
  ) {
    this.random = seededRandom(seed);
    this.replace(rules);
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  replace(rules: readonly FaultRuleInput[]): void {
    this.random = seededRandom(this.seed);
    this.rules = rules.map((r) => this.materialize(r));
  }

  add(rule: FaultRuleInput): FaultRule {
    const r = this.materialize(rule);
    this.rules.push(r);
    return { ...r };
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  private materialize(rule: FaultRuleInput): FaultRule {
    return { ...rule, id: rule.id ?? `fault_${this.nextId++}`, remaining: rule.count ?? null, matched: 0 };
  }

  private matches(rule: FaultRule, t: FaultTarget): boolean {
    if (rule.integration && rule.integration !== t.integrationId && rule.integration !== t.integrationName)
      return false;
    if (rule.route) {
      const [first, second] = rule.route.split(' ');
      const method = second ? first : undefined;
      const pattern = second ?? first;
      if (method && method.toUpperCase() !== t.method) return false;
      if (pattern !== '*' && pattern !== t.route) return false;
    }
    return true;
  }

  decide(target: FaultTarget): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, error: null, afterCommit: false };
    if (this.rules.length === 0) return decision;
    for (const rule of this.rules) {
      if (!this.matches(rule, target)) continue;
      if (rule.remaining === 0) continue;
      // Once a rule has chosen the answer, later error rules are not consulted: their dice are not
      // rolled and their `count` is not spent (a schedule counts the requests it actually failed).
      if (rule.status && decision.error) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      rule.matched++;
      if (rule.remaining !== null) rule.remaining--;
      decision.latencyMs += rule.latency_ms ?? 0;
      if (rule.status && !decision.error) {
        decision.error = faultError(
          rule.status,
          rule.retry_after ?? (rule.status === 429 || rule.status === 529 ? 1 : undefined),
        );
        decision.afterCommit = rule.after_commit ?? false;
      }
    }
    return decision;
  }
}
