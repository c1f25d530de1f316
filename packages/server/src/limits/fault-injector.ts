// Fault injection for integration authors: per integration and/or route, a probability (seeded, so runs
// repeat) or a schedule ("fail the first N"), of 429/500/502/503/504/529 in Notion's exact shapes, and
// added latency. `after_commit` lets the write happen and then loses the answer — the case safe
// retries must survive. Rules live in this process (config file, admin API, portal).
//
// Which integrations a rule reaches:
// - a workspace's rule (`workspace_id` set: made in that workspace's portal, or by the admin API, which
//   resolves the integration it names first) names one integration by id and matches nothing else — never
//   another workspace's integration, whatever its name — and only requests whose token belongs to that
//   workspace, checked again when each request is decided;
// - a global rule (config file `faults`, `platform.faults`) names an integration by id (that integration),
//   by name (every integration of that name, in any workspace: the config is the operator's, as the admin
//   token is), or none (every integration). A value shaped as an id matches by id only.
// The portal lists and deletes only its workspace's rules (others answer as missing); global rules that
// reach its integrations are counted there, not shown.
import { z } from 'zod';
import { ApiError, MESSAGES, type ErrorCode } from '../errors.js';
import { validationMessage } from '../domain/validation.js';
import { isId, normalizeId } from '../ids.js';

export const FAULT_STATUSES = [429, 500, 502, 503, 504, 529] as const;

export const zFaultRule = z
  .object({
    id: z.string().min(1).optional(),
    /** Integration id or name (see above); absent = every integration. */
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

/** A rule as the admin API and the portal add it: `workspace_id` makes it that workspace's (see above). */
export interface FaultRuleSpec extends FaultRuleInput {
  workspace_id?: string | null;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** The workspace that owns the rule, or null for a global rule. */
  workspace_id: string | null;
  remaining: number | null;
  matched: number;
}

const STATUS_ERRORS: Record<number, { code: ErrorCode; message: string }> = {
  429: { code: 'rate_limited', message: MESSAGES.rateLimited },
  500: { code: 'internal_server_error', message: MESSAGES.internal },
  502: { code: 'bad_gateway', message: 'Bad Gateway' },
  503: { code: 'service_unavailable', message: MESSAGES.unavailable },
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
  /** The caller's workspace: a workspace's rule matches requests made in that workspace only. */
  workspaceId: string;
  method: string;
  route: string;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private random: () => number;
  private nextId = 1;

  constructor(
    rules: readonly FaultRuleSpec[] = [],
    private seed = 1,
  ) {
    this.random = seededRandom(seed);
    this.replace(rules);
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  replace(rules: readonly FaultRuleSpec[]): void {
    this.random = seededRandom(this.seed);
    this.rules = rules.map((r) => this.materialize(r));
  }

  add(rule: FaultRuleSpec): FaultRule {
    const r = this.materialize(rule);
    this.rules.push(r);
    return { ...r };
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  private materialize(spec: FaultRuleSpec): FaultRule {
    const { workspace_id: workspaceId, ...rule } = spec;
    if (workspaceId && !(rule.integration && isId(rule.integration)))
      throw new Error("A workspace's fault rule names one integration by id.");
    const integration = (rule.integration && normalizeId(rule.integration)) || rule.integration;
    return {
      ...rule,
      ...(integration !== undefined ? { integration } : {}),
      id: rule.id ?? `fault_${this.nextId++}`,
      workspace_id: workspaceId ? (normalizeId(workspaceId) ?? workspaceId) : null,
      remaining: rule.count ?? null,
      matched: 0,
    };
  }

  private matches(rule: FaultRule, t: FaultTarget): boolean {
    if (rule.workspace_id !== null) {
      if (t.workspaceId !== rule.workspace_id) return false;
      if (rule.integration !== t.integrationId) return false;
    } else if (rule.integration) {
      if (isId(rule.integration) ? rule.integration !== t.integrationId : rule.integration !== t.integrationName)
        return false;
    }
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
