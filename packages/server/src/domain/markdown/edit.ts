// The body of PATCH /v1/pages/{id}/markdown and its four operations on the page's Markdown text (reference §17.3):
// update_content (exact, case-sensitive replacements, in order), replace_content (the whole body),
// insert_content (after a selection, at the start or at the end) and replace_content_range (a selection).
// A selection is `start...end`: from the first occurrence of the start text to the first end text after it.
import { z } from 'zod';
import { errors } from '../../errors.js';

const zPosition = z.union([
  z.object({ type: z.literal('start') }).strict(),
  z.object({ type: z.literal('end') }).strict(),
]);

const OPERATIONS = ['insert_content', 'replace_content_range', 'update_content', 'replace_content'] as const;

export const zMarkdownEdit = z
  .object({
    type: z.enum(OPERATIONS),
    insert_content: z
      .object({ content: z.string(), after: z.string().optional(), position: zPosition.optional() })
      .strict()
      .optional(),
    replace_content_range: z
      .object({ content: z.string(), content_range: z.string(), allow_deleting_content: z.boolean().optional() })
      .strict()
      .optional(),
    update_content: z
      .object({
        content_updates: z
          .array(
            z
              .object({ old_str: z.string(), new_str: z.string(), replace_all_matches: z.boolean().optional() })
              .strict(),
          )
          .max(100),
        allow_deleting_content: z.boolean().optional(),
      })
      .strict()
      .optional(),
    replace_content: z
      .object({ new_str: z.string(), allow_deleting_content: z.boolean().optional() })
      .strict()
      .optional(),
    allow_async: z.boolean().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body[body.type] === undefined)
      ctx.addIssue({ code: 'custom', path: [body.type], message: 'should be defined' });
    for (const op of OPERATIONS) {
      if (op !== body.type && body[op] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [op], message: 'should be not present' });
      }
    }
    const insert = body.insert_content;
    if (body.type === 'insert_content' && insert?.after !== undefined && insert.position !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['insert_content', 'position'], message: 'should be not present' });
    }
  });

export type MarkdownEdit = z.infer<typeof zMarkdownEdit>;

/** Whether the edit may delete child pages and databases (reference §17.3). */
export function allowsDeleting(edit: MarkdownEdit): boolean {
  if (edit.type === 'insert_content') return false;
  return edit[edit.type]?.allow_deleting_content === true;
}

/** Where a selection (`start...end`, or one text) is in `text`, or null. */
export function findSelection(text: string, selection: string): { from: number; to: number } | null {
  const cut = selection.indexOf('...');
  if (cut < 0) {
    const from = text.indexOf(selection);
    return selection === '' || from < 0 ? null : { from, to: from + selection.length };
  }
  const start = selection.slice(0, cut);
  const end = selection.slice(cut + 3);
  const from = text.indexOf(start);
  if (from < 0) return null;
  if (end === '') return { from, to: from + start.length };
  const endAt = text.indexOf(end, from + start.length);
  return endAt < 0 ? null : { from, to: endAt + end.length };
}

const noMatch = (field: string, value: string) =>
  errors.validation(`No content in the page matches ${field} ${JSON.stringify(value)}.`);

function updateContent(text: string, updates: NonNullable<MarkdownEdit['update_content']>['content_updates']) {
  let out = text;
  updates.forEach((u, i) => {
    const field = `body.update_content.content_updates[${i}].old_str`;
    if (u.old_str === '') throw errors.validation(`${field} should be a non-empty string.`);
    const count = out.split(u.old_str).length - 1;
    if (count === 0) throw noMatch(field, u.old_str);
    if (count > 1 && u.replace_all_matches !== true) {
      throw errors.validation(
        `${field} matches ${count} places in the page; make it unique or set replace_all_matches to true.`,
      );
    }
    out = u.replace_all_matches ? out.split(u.old_str).join(u.new_str) : out.replace(u.old_str, () => u.new_str);
  });
  return out;
}

const joinLines = (...parts: string[]) => parts.filter((p) => p !== '').join('\n');

/** The page's Markdown after the edit. */
export function applyEdit(text: string, edit: MarkdownEdit): string {
  switch (edit.type) {
    case 'replace_content':
      return edit.replace_content!.new_str;
    case 'update_content':
      return updateContent(text, edit.update_content!.content_updates);
    case 'replace_content_range': {
      const { content, content_range } = edit.replace_content_range!;
      const range = findSelection(text, content_range);
      if (!range) throw noMatch('body.replace_content_range.content_range', content_range);
      return text.slice(0, range.from) + content + text.slice(range.to);
    }
    case 'insert_content': {
      const { content, after, position } = edit.insert_content!;
      if (after !== undefined) {
        const range = findSelection(text, after);
        if (!range) throw noMatch('body.insert_content.after', after);
        const lineEnd = text.indexOf('\n', range.to);
        const cut = lineEnd < 0 ? text.length : lineEnd;
        return joinLines(text.slice(0, cut), content, text.slice(cut + 1));
      }
      return position?.type === 'start' ? joinLines(content, text) : joinLines(text, content);
    }
  }
}
