// The seed file (design.md "Seed file"): workspaces with users, integrations and pages. Validated
// strictly; a problem is reported with its JSON path (`seed.workspaces[0].integrations[1].capabilities[2]`).
import { z } from 'zod';
import { ALL_CAPABILITIES } from '../auth/capabilities.js';
import { zChildren, zIcon } from '../domain/block-types.js';
import { zId, zUrl } from '../domain/validation.js';

const zSeedUser = z
  .object({
    id: zId.optional(),
    name: z.string().min(1),
    email: z.string().email().max(200).optional(),
    role: z.enum(['owner', 'member']).optional(),
    avatar_url: z.string().url().nullable().optional(),
    password: z.string().min(1).optional(),
  })
  .strict();

/** An integration's webhook subscription (design.md "Webhooks"). */
export const zSeedWebhook = z
  .object({
    id: zId.optional(),
    url: z
      .string()
      .url()
      .refine((v) => /^https?:\/\//.test(v), { message: 'should be an http:// or https:// URL' }),
    event_types: z.array(z.string().min(1)).optional(),
    api_version: z.enum(['2022-06-28', '2025-09-03', '2026-03-11']).optional(),
    verification_token: z.string().min(1).optional(),
  })
  .strict();

const zSeedIntegration = z
  .object({
    id: zId.optional(),
    name: z.string().min(1),
    /** `public`: an OAuth app (design.md "Public integrations"); no token of its own. Default `internal`. */
    type: z.enum(['internal', 'public']).optional(),
    token: z.string().min(1).optional(),
    client_id: z.string().min(1).optional(),
    client_secret: z.string().min(1).optional(),
    redirect_uris: z.array(z.string().url()).optional(),
    capabilities: z.array(z.enum(ALL_CAPABILITIES)).optional(),
    owner: z.string().optional(),
    settings: z.record(z.unknown()).optional(),
    webhooks: z.array(zSeedWebhook).optional(),
  })
  .strict();

/** A custom emoji of the workspace (reference §19.3): a name unique in the workspace, without spaces or colons. */
const zSeedCustomEmoji = z
  .object({
    id: zId.optional(),
    name: z
      .string()
      .min(1)
      .max(100)
      .refine((v) => /^[^\s:]+$/.test(v), { message: 'should be a name without spaces or colons' }),
    url: zUrl,
  })
  .strict();

export interface SeedPage {
  id?: string | undefined;
  title: string;
  icon?: z.infer<typeof zIcon> | undefined;
  shared_with?: string[] | undefined;
  blocks?: unknown[] | undefined;
  children?: SeedPage[] | undefined;
}

const zSeedPage: z.ZodType<SeedPage, z.ZodTypeDef, unknown> = z.lazy(() =>
  z
    .object({
      id: zId.optional(),
      title: z.string(),
      icon: zIcon.optional(),
      shared_with: z.array(z.string()).optional(),
      // Kept as written (validated, not transformed): a reset re-applies the same input.
      blocks: z
        .array(z.unknown())
        .superRefine((value, ctx) => {
          const result = zChildren.safeParse(value);
          if (!result.success) for (const issue of result.error.issues) ctx.addIssue(issue);
        })
        .optional(),
      children: z.array(zSeedPage).optional(),
    })
    .strict(),
) as z.ZodType<SeedPage, z.ZodTypeDef, unknown>;

export const zSeedWorkspace = z
  .object({
    id: zId.optional(),
    name: z.string().min(1),
    users: z.array(zSeedUser).optional(),
    integrations: z.array(zSeedIntegration).optional(),
    pages: z.array(zSeedPage).optional(),
    custom_emojis: z.array(zSeedCustomEmoji).optional(),
    /** A free plan says `{ "max_file_upload_size_in_bytes": 5242880 }`; default: a paid plan (design.md). */
    limits: z.object({ max_file_upload_size_in_bytes: z.number().int().positive() }).strict().optional(),
  })
  .strict();

export const zSeed = z.object({ workspaces: z.array(zSeedWorkspace) }).strict();

export type Seed = z.infer<typeof zSeed>;
export type SeedWorkspace = z.infer<typeof zSeedWorkspace>;
