// Rich text: the request schema (reference §8.5, limits §6.3) and the normalised stored/response form.
import { z } from 'zod';
import { zColor, zId, zUrl } from './validation.js';

export const MAX_TEXT_CONTENT = 2000;
export const MAX_EQUATION_EXPRESSION = 1000;
export const MAX_ARRAY_ELEMENTS = 100;

const zAnnotations = z
  .object({
    bold: z.boolean().optional(),
    italic: z.boolean().optional(),
    strikethrough: z.boolean().optional(),
    underline: z.boolean().optional(),
    code: z.boolean().optional(),
    color: zColor.optional(),
  })
  .strict();

const zDateValue = z
  .object({
    start: z.string(),
    end: z.string().nullable().optional(),
    time_zone: z.string().nullable().optional(),
  })
  .strict();

const common = {
  annotations: zAnnotations.optional(),
  plain_text: z.string().optional(),
  href: z.string().nullable().optional(),
};

const zTextItem = z
  .object({
    type: z.literal('text').optional(),
    text: z
      .object({
        content: z.string().max(MAX_TEXT_CONTENT),
        // Markdown converters send the link as `{type:"url", url}`; Notion accepts it and answers `{url}`.
        link: z
          .object({ type: z.literal('url').optional(), url: zUrl })
          .strict()
          .nullable()
          .optional(),
      })
      .strict(),
    ...common,
  })
  .strict();

const zMention = z.union([
  z
    .object({
      type: z.literal('user').optional(),
      user: z.object({ id: zId, object: z.literal('user').optional() }).passthrough(),
    })
    .strict(),
  z.object({ type: z.literal('page').optional(), page: z.object({ id: zId }).strict() }).strict(),
  z.object({ type: z.literal('database').optional(), database: z.object({ id: zId }).strict() }).strict(),
  z.object({ type: z.literal('date').optional(), date: zDateValue }).strict(),
]);

const zMentionItem = z.object({ type: z.literal('mention').optional(), mention: zMention, ...common }).strict();

const zEquationItem = z
  .object({
    type: z.literal('equation').optional(),
    equation: z.object({ expression: z.string().max(MAX_EQUATION_EXPRESSION) }).strict(),
    ...common,
  })
  .strict();

export const zRichTextItem = z.union([zTextItem, zMentionItem, zEquationItem]);
export const zRichText = z.array(zRichTextItem).max(MAX_ARRAY_ELEMENTS);

export type RichTextInput = z.infer<typeof zRichTextItem>;

export interface Annotations {
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  underline: boolean;
  code: boolean;
  color: string;
}

export type RichText = {
  type: 'text' | 'mention' | 'equation';
  annotations: Annotations;
  plain_text: string;
  href: string | null;
  [key: string]: unknown;
};

/** What normalisation needs to know about mentioned objects, as the writer can see them. */
export interface MentionResolver {
  userName(id: string): Promise<string | null>;
  /** Title and URL of a visible page/database, or null when the writer cannot see it. */
  pageInfo(id: string): Promise<{ title: string; url: string } | null>;
}

function annotations(input: RichTextInput['annotations']): Annotations {
  return {
    bold: input?.bold ?? false,
    italic: input?.italic ?? false,
    strikethrough: input?.strikethrough ?? false,
    underline: input?.underline ?? false,
    code: input?.code ?? false,
    color: input?.color ?? 'default',
  };
}

function dateText(d: { start: string; end?: string | null | undefined }): string {
  return d.end ? `${d.start} → ${d.end}` : d.start;
}

export async function normalizeRichText(
  items: readonly RichTextInput[],
  resolver: MentionResolver,
): Promise<RichText[]> {
  const out: RichText[] = [];
  for (const item of items) {
    const ann = annotations(item.annotations);
    if ('text' in item) {
      const link = item.text.link ? { url: item.text.link.url } : null;
      out.push({
        type: 'text',
        text: { content: item.text.content, link },
        annotations: ann,
        plain_text: item.text.content,
        href: link?.url ?? null,
      });
    } else if ('equation' in item) {
      out.push({
        type: 'equation',
        equation: { expression: item.equation.expression },
        annotations: ann,
        plain_text: item.equation.expression,
        href: null,
      });
    } else {
      const m = item.mention;
      if ('user' in m) {
        const name = await resolver.userName(m.user.id);
        out.push({
          type: 'mention',
          mention: { type: 'user', user: { object: 'user', id: m.user.id } },
          annotations: ann,
          plain_text: `@${name ?? 'Unknown'}`,
          href: null,
        });
      } else if ('page' in m || 'database' in m) {
        const kind = 'page' in m ? 'page' : 'database';
        const id = 'page' in m ? m.page.id : m.database.id;
        const info = await resolver.pageInfo(id);
        out.push({
          type: 'mention',
          mention: { type: kind, [kind]: { id } },
          annotations: ann,
          plain_text: info?.title || 'Untitled',
          href: info?.url ?? `https://www.notion.so/${id.replace(/-/g, '')}`,
        });
      } else {
        const date = { start: m.date.start, end: m.date.end ?? null, time_zone: m.date.time_zone ?? null };
        out.push({
          type: 'mention',
          mention: { type: 'date', date },
          annotations: ann,
          plain_text: dateText(date),
          href: null,
        });
      }
    }
  }
  return out;
}

export function plainText(items: readonly { plain_text: string }[]): string {
  return items.map((i) => i.plain_text).join('');
}

/** Rich text from a plain string, as Notion would store it. */
export function textRichText(content: string): RichText[] {
  return [
    {
      type: 'text',
      text: { content, link: null },
      annotations: annotations(undefined),
      plain_text: content,
      href: null,
    },
  ];
}
