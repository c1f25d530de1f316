// The views over a data source (Notion-Version 2025-09-03: `GET /v1/views?data_source_id=`), in their
// database's tab order: name, type, id with a copy button, and what the view's saved filter, sorts and quick
// filters say, each in one line. Views are made and changed through the API.
import type { PortalView } from '@notion-local/server';
import { CopyButton } from './ui';

function Setting({ label, text }: { label: string; text: string | null }) {
  if (text === null) return null;
  return (
    <li>
      <span className="muted">{label}:</span> <code className="view-summary">{text}</code>
    </li>
  );
}

function ViewItem({ view }: { view: PortalView }) {
  const plain = view.filter_summary === null && view.sorts_summary === null && view.quick_filters_summary === null;
  return (
    <li className="view-item" aria-label={`View ${view.name || 'Untitled'}`}>
      <p className="view-head">
        <strong>{view.name || 'Untitled'}</strong> <span className="badge">{view.type}</span>{' '}
        <code className="mono small">{view.id}</code> <CopyButton text={view.id} label="Copy view id" />
      </p>
      {plain ? (
        <p className="muted small">No filter, no sorts: every row, in the API&rsquo;s default order.</p>
      ) : (
        <ul className="plain-list small view-settings">
          <Setting label="Filter" text={view.filter_summary} />
          <Setting label="Sorts" text={view.sorts_summary} />
          <Setting label="Quick filters" text={view.quick_filters_summary} />
        </ul>
      )}
    </li>
  );
}

/** A data source's views; none when every one was deleted. */
export function ViewList({ sourceName, views }: { sourceName: string; views: PortalView[] }) {
  return (
    <section className="views" aria-label={`Views of ${sourceName || 'Untitled'}`}>
      <h3 className="views-title">
        {views.length} view{views.length === 1 ? '' : 's'}
      </h3>
      {views.length === 0 ? (
        <p className="muted small">
          No views. Make one with <code>POST /v1/views</code> (Notion-Version 2025-09-03).
        </p>
      ) : (
        <ul className="plain-list view-list">
          {views.map((v) => (
            <ViewItem key={v.id} view={v} />
          ))}
        </ul>
      )}
    </section>
  );
}
