// The portal's pure logic (no DOM): the capability form's rules and the page tree.
import { describe, expect, it } from 'vitest';
import type { PortalTreeNode } from '@notion-local/server';
import { chipLabels, sameCaps, toggle, userLevel, withUserLevel } from '../src/capabilities.ts';
import { ancestorsOf, buildTree } from '../src/tree.ts';

describe('capability form', () => {
  it('keeps at most one user-information level', () => {
    const caps = withUserLevel(['read_content', 'read_user_without_email'], 'read_user_with_email');
    expect(caps).toEqual(['read_content', 'read_user_with_email']);
    expect(userLevel(caps)).toBe('read_user_with_email');
    expect(withUserLevel(caps, 'none')).toEqual(['read_content']);
    expect(userLevel([])).toBe('none');
  });

  it('toggles capabilities and compares sets regardless of order', () => {
    expect(toggle(['read_content'], 'insert_content', true)).toEqual(['read_content', 'insert_content']);
    expect(toggle(['read_content', 'insert_content'], 'read_content', false)).toEqual(['insert_content']);
    expect(sameCaps(['read_content', 'insert_content'], ['insert_content', 'read_content'])).toBe(true);
    expect(sameCaps(['read_content'], ['read_content', 'insert_content'])).toBe(false);
  });

  it('lists capabilities in the form order', () => {
    expect(chipLabels(['read_user_with_email', 'insert_content', 'read_content'])).toEqual([
      'read',
      'insert',
      'users + email',
    ]);
  });
});

describe('page tree', () => {
  const node = (id: string, parent_id: string | null): PortalTreeNode => ({
    id,
    parent_id,
    object: 'page',
    title: id,
    icon: null,
  });
  const nodes = [node('a', null), node('b', 'a'), node('c', 'b'), node('d', null), node('orphan', 'gone')];

  it('nests children under parents in server order and drops orphans', () => {
    const tree = buildTree(nodes);
    expect(tree.map((t) => t.node.id)).toEqual(['a', 'd']);
    expect(tree[0]!.children[0]!.children[0]!.node.id).toBe('c');
  });

  it('finds the ancestors to open for the current page', () => {
    expect(ancestorsOf(nodes, 'c')).toEqual(['a', 'b']);
    expect(ancestorsOf(nodes, 'a')).toEqual([]);
  });
});
