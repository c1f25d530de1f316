// The flat page list from /portal/api/pages as a tree (children in server order).
import type { PortalTreeNode } from '@notion-local/server';

export interface TreeItem {
  node: PortalTreeNode;
  children: TreeItem[];
}

export function buildTree(nodes: readonly PortalTreeNode[]): TreeItem[] {
  const items = new Map<string, TreeItem>(nodes.map((n) => [n.id, { node: n, children: [] }]));
  const roots: TreeItem[] = [];
  for (const n of nodes) {
    const item = items.get(n.id);
    if (!item) continue;
    const parent = n.parent_id ? items.get(n.parent_id) : undefined;
    if (parent) parent.children.push(item);
    else if (!n.parent_id) roots.push(item);
  }
  return roots;
}

/** Ids of a page's ancestors in the tree, so the sidebar can open the branch of the current page. */
export function ancestorsOf(nodes: readonly PortalTreeNode[], id: string): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out: string[] = [];
  let cur = byId.get(id)?.parent_id ?? null;
  while (cur && !out.includes(cur)) {
    out.unshift(cur);
    cur = byId.get(cur)?.parent_id ?? null;
  }
  return out;
}
