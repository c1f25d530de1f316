// Inline Markdown of comments (reference §19.1) to rich text requests, through the one inline parser
// (markdown/inline-parser.ts, its comment dialect), with a comment's limits: at most 100 rich text items, valid
// rich text, and a parse that ends in bounded time. The result is the rich text array a `rich_text` body would
// have been, normalised by the caller as usual.
import { ApiError } from '../errors.js';
import { InlineTooComplex, parseInline } from './markdown/inline-parser.js';
import { MAX_ARRAY_ELEMENTS, zRichText, type RichTextInput } from './rich-text.js';
import { renderValue } from './validation.js';

function parsed(markdown: string): RichTextInput[] {
  try {
    return parseInline(markdown, 'comment');
  } catch (error) {
    if (!(error instanceof InlineTooComplex)) throw error;
    throw new ApiError(
      'validation_error',
      'body failed validation: body.markdown should be inline markdown the server can parse, instead was too complex.',
    );
  }
}

/** The rich text a comment's inline Markdown stands for; a 400 when it does not fit in one comment. */
export function commentMarkdownToRichText(markdown: string): RichTextInput[] {
  const items = parsed(markdown);
  if (items.length > MAX_ARRAY_ELEMENTS) {
    throw new ApiError(
      'validation_error',
      `body failed validation: body.markdown should make at most ${MAX_ARRAY_ELEMENTS} rich text items, instead was \`${items.length}\`.`,
    );
  }
  const valid = zRichText.safeParse(items);
  if (!valid.success) {
    throw new ApiError(
      'validation_error',
      `body failed validation: body.markdown should be valid inline markdown, instead was ${renderValue(markdown)}.`,
    );
  }
  return valid.data;
}
