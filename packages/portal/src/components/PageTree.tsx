// The workspace's pages as a tree: expand/collapse buttons, links that open a page, the current page
// marked and its branch opened. Databases are listed too (their rows are not).
import { useEffect, useMemo, useState } from 'react';
import { Link } from '../router';
import { useShell } from '../session';
import { ancestorsOf, buildTree, type TreeItem } from '../tree';
import { ErrorBanner, Loading } from './ui';
import { iconText } from './RichText';

export function PageTree({ path }: { path: string }) {
  const { tree } = useShell();
  const currentId = path.startsWith('/pages/') ? path.slice('/pages/'.length) : null;
  const [open, setOpen] = useState<Set<string>>(new Set());
  const roots = useMemo(() => buildTree(tree.data ?? []), [tree.data]);

  useEffect(() => {
    if (!currentId || !tree.data) return;
    // Opens the current page's branch when the page or the tree changes; branches collapsed since stay shut.
    const up = ancestorsOf(tree.data, currentId);
    setOpen((o) => (up.every((id) => o.has(id)) ? o : new Set([...o, ...up])));
  }, [currentId, tree.data]);

  if (tree.error)
    return (
      <div className="tree">
        <ErrorBanner message={tree.error} onRetry={tree.reload} />
      </div>
    );
  if (!tree.data)
    return (
      <div className="tree">
        <Loading />
      </div>
    );
  if (roots.length === 0) return <p className="tree muted small">No pages yet. Create one with “New page”.</p>;
  const flip = (id: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <ul className="tree" aria-labelledby="pages-heading">
      {roots.map((item) => (
        <Node key={item.node.id} item={item} depth={0} open={open} flip={flip} currentId={currentId} />
      ))}
    </ul>
  );
}

function Node({
  item,
  depth,
  open,
  flip,
  currentId,
}: {
  item: TreeItem;
  depth: number;
  open: Set<string>;
  flip(id: string): void;
  currentId: string | null;
}) {
  const { node, children } = item;
  const expanded = open.has(node.id);
  const title = node.title || 'Untitled';
  const current = node.id === currentId;
  return (
    <li>
      <div className={`tree-row${current ? ' current' : ''}`} style={{ paddingLeft: `${depth * 14 + 4}px` }}>
        {children.length > 0 ? (
          <button
            type="button"
            className="tree-toggle"
            aria-expanded={expanded}
            aria-label={`${expanded ? 'Collapse' : 'Expand'} ${title}`}
            onClick={() => flip(node.id)}
          >
            <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="tree-toggle-space" aria-hidden="true" />
        )}
        <Link to={`/pages/${node.id}`} className="tree-link" aria-current={current ? 'page' : undefined}>
          <span className="tree-icon" aria-hidden="true">
            {iconText(node.icon, node.object)}
          </span>
          <span className="tree-title">{title}</span>
        </Link>
      </div>
      {expanded && children.length > 0 && (
        <ul>
          {children.map((c) => (
            <Node key={c.node.id} item={c} depth={depth + 1} open={open} flip={flip} currentId={currentId} />
          ))}
        </ul>
      )}
    </li>
  );
}
