// Getting started: the path every integration author follows, with this server's base URL filled in.
import { Link } from '../router';
import { useShell } from '../session';
import { CopyButton } from '../components/ui';

export function Home() {
  const { session, tree } = useShell();
  const base = location.origin;
  const snippet = `import { Client } from '@notionhq/client';\n\nconst notion = new Client({ auth: process.env.NOTION_TOKEN, baseUrl: '${base}' });\nconsole.log(await notion.search({ query: '' }));`;
  const pages = tree.data?.length ?? 0;
  return (
    <section className="screen">
      <h1>Getting started</h1>
      <p className="lead">
        This is <strong>{session.workspace.name}</strong> on notion-local: the Notion API at <code>{base}/v1/</code>, on
        your machine. Point any Notion client at it by changing the base URL.
      </p>
      <ol className="steps">
        <li>
          <h2>Create an integration</h2>
          <p>
            Pick its capabilities and copy its secret — it is shown once.{' '}
            <Link to="/integrations/new">New integration</Link>
          </p>
        </li>
        <li>
          <h2>Share pages with it</h2>
          <p>
            Open a page and use <strong>Connections</strong>. Pages you do not share answer{' '}
            <code>404 object_not_found</code>, as in Notion.{' '}
            {pages > 0 ? `${pages} page${pages === 1 ? '' : 's'} in the sidebar.` : 'Create a page from the sidebar.'}
          </p>
        </li>
        <li>
          <h2>Call the API</h2>
          <div className="code-card">
            <pre>
              <code>{snippet}</code>
            </pre>
            <CopyButton text={snippet} label="Copy code" />
          </div>
        </li>
      </ol>
    </section>
  );
}
