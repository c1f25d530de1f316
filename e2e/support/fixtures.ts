// Small named fixtures shared by the end-to-end tests: two workspaces, integrations with every
// interesting capability set, a shared page tree, a private page, and a page in the other workspace.

export const IDS = {
  acme: '0a000000-0000-4000-8000-000000000001',
  other: '0b000000-0000-4000-8000-000000000001',
  ada: '0a000000-0000-4000-8000-0000000000a1',
  grace: '0a000000-0000-4000-8000-0000000000a2',
  full: '0a000000-0000-4000-8000-0000000000b1',
  readOnly: '0a000000-0000-4000-8000-0000000000b2',
  insertOnly: '0a000000-0000-4000-8000-0000000000b3',
  noEmail: '0a000000-0000-4000-8000-0000000000b4',
  commenter: '0a000000-0000-4000-8000-0000000000b5',
  unshared: '0a000000-0000-4000-8000-0000000000b6',
  otherBot: '0b000000-0000-4000-8000-0000000000b1',
  sharedRoot: '0a000000-0000-4000-8000-0000000000c1',
  child: '0a000000-0000-4000-8000-0000000000c2',
  grandchild: '0a000000-0000-4000-8000-0000000000c3',
  privatePage: '0a000000-0000-4000-8000-0000000000c4',
  otherRoot: '0b000000-0000-4000-8000-0000000000c1',
  missing: '0f000000-0000-4000-8000-00000000dead',
} as const;

export const TOKENS = {
  full: 'secret_fullaccess0000000000000000000000000000001',
  readOnly: 'ntn_readonly00000000000000000000000000000000002',
  insertOnly: 'ntn_insertonly000000000000000000000000000000003',
  noEmail: 'ntn_noemail0000000000000000000000000000000000004',
  commenter: 'ntn_commenter00000000000000000000000000000000005',
  unshared: 'ntn_unshared000000000000000000000000000000000006',
  otherBot: 'ntn_otherworkspace0000000000000000000000000000007',
} as const;

const text = (content: string) => ({ rich_text: [{ text: { content } }] });
const CONTENT = ['read_content', 'update_content', 'insert_content'];

export function testSeed() {
  return {
    workspaces: [
      {
        id: IDS.acme,
        name: 'Acme',
        users: [
          { id: IDS.ada, name: 'Ada Lovelace', email: 'ada@example.com', role: 'owner' },
          { id: IDS.grace, name: 'Grace Hopper', email: 'grace@example.com', role: 'member' },
        ],
        integrations: [
          {
            id: IDS.full,
            name: 'Full',
            token: TOKENS.full,
            capabilities: [...CONTENT, 'read_comments', 'insert_comments', 'read_user_with_email'],
          },
          { id: IDS.readOnly, name: 'ReadOnly', token: TOKENS.readOnly, capabilities: ['read_content'] },
          { id: IDS.insertOnly, name: 'InsertOnly', token: TOKENS.insertOnly, capabilities: ['insert_content'] },
          {
            id: IDS.noEmail,
            name: 'NoEmail',
            token: TOKENS.noEmail,
            capabilities: ['read_content', 'read_user_without_email'],
          },
          {
            id: IDS.commenter,
            name: 'Commenter',
            token: TOKENS.commenter,
            capabilities: ['read_content', 'read_comments', 'insert_comments'],
          },
          {
            id: IDS.unshared,
            name: 'Unshared',
            token: TOKENS.unshared,
            capabilities: [...CONTENT, 'read_comments', 'insert_comments', 'read_user_with_email'],
          },
        ],
        pages: [
          {
            id: IDS.sharedRoot,
            title: 'Shared Root',
            shared_with: ['Full', 'ReadOnly', 'InsertOnly', 'NoEmail', 'Commenter'],
            blocks: [{ paragraph: text('First paragraph') }, { to_do: { ...text('A task'), checked: false } }],
            children: [
              {
                id: IDS.child,
                title: 'Child',
                blocks: [{ paragraph: text('In the child') }],
                children: [{ id: IDS.grandchild, title: 'Grandchild' }],
              },
            ],
          },
          { id: IDS.privatePage, title: 'Private', blocks: [{ paragraph: text('Nobody shared this') }] },
        ],
      },
      {
        id: IDS.other,
        name: 'Other Co',
        users: [{ name: 'Olga Other', email: 'olga@other.example', role: 'owner' }],
        integrations: [
          {
            id: IDS.otherBot,
            name: 'OtherBot',
            token: TOKENS.otherBot,
            capabilities: [...CONTENT, 'read_comments', 'insert_comments', 'read_user_with_email'],
          },
        ],
        pages: [
          {
            id: IDS.otherRoot,
            title: 'Other Root',
            shared_with: ['OtherBot'],
            blocks: [{ paragraph: text('Other workspace') }],
          },
        ],
      },
    ],
  };
}
