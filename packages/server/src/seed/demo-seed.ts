// The demo workspace `npm start` creates on first start: one shared page tree to read and write, one page
// that is deliberately not shared (to see the 404 Notion gives), and an integration with every capability.
import type { Seed } from './seed-schema.js';

const text = (content: string) => ({ rich_text: [{ text: { content } }] });

export const DEMO_INTEGRATION_NAME = 'Demo Integration';

export function demoSeed(): Seed {
  return {
    workspaces: [
      {
        name: 'Acme',
        users: [
          { name: 'Ada Lovelace', email: 'ada@example.com', role: 'owner' },
          { name: 'Grace Hopper', email: 'grace@example.com', role: 'member' },
        ],
        integrations: [
          {
            name: DEMO_INTEGRATION_NAME,
            capabilities: [
              'read_content',
              'update_content',
              'insert_content',
              'read_comments',
              'insert_comments',
              'read_user_with_email',
            ],
          },
          { name: 'Read-only Reporter', capabilities: ['read_content'] },
        ],
        pages: [
          {
            title: 'Getting Started',
            icon: { emoji: '👋' },
            shared_with: [DEMO_INTEGRATION_NAME, 'Read-only Reporter'],
            blocks: [
              { heading_1: text('Welcome to notion-local') },
              {
                paragraph: text(
                  'This page is shared with "Demo Integration". Read it with GET /v1/blocks/{id}/children.',
                ),
              },
              { to_do: { ...text('Copy the token printed at start-up'), checked: true } },
              { to_do: text('Create a page under this one with POST /v1/pages') },
              {
                callout: {
                  ...text('Pages nobody shared with your integration answer 404, just like Notion.'),
                  icon: { emoji: '💡' },
                },
              },
              {
                code: {
                  ...text(
                    'curl -H "Authorization: Bearer $NOTION_TOKEN" -H "Notion-Version: 2022-06-28" $BASE/v1/users/me',
                  ),
                  language: 'bash',
                },
              },
              { bulleted_list_item: text('Sharing is inherited by every descendant') },
              { toggle: { ...text('Nested content'), children: [{ paragraph: text('Children of a toggle.') }] } },
            ],
            children: [{ title: 'Roadmap', blocks: [{ paragraph: text('Q1: ship the platform core.') }] }],
          },
          { title: 'Private Notes', blocks: [{ paragraph: text('Not shared with any integration.') }] },
        ],
      },
    ],
  };
}
