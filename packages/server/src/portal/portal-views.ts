// A database's views in the portal: each data source lists the views over it, in tab order, with the view's
// name, type and id, and its saved filter, sorts and quick filters as the API answers them (GET /v1/views/{id})
// and as one line of text each. Properties are named as the data source names them now (a view stores them as
// given, by name or id). Reads go through services/workspace-views.ts.
import type { Schema } from '../domain/properties/schema.js';
import { readDataSourceViews, type WorkspaceView } from '../services/workspace-views.js';
import type { Store } from '../store/sql-store.js';
import type { PortalView } from './portal-types.js';

/** The longest a summary gets; past it, it ends with "…". */
export const MAX_SUMMARY_LENGTH = 300;

const OPERATORS: Record<string, string> = {
  equals: '=',
  does_not_equal: '≠',
  greater_than: '>',
  less_than: '<',
  greater_than_or_equal_to: '≥',
  less_than_or_equal_to: '≤',
};

const TIMESTAMPS: Record<string, string> = {
  created_time: 'Created time',
  last_edited_time: 'Last edited time',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A property as the data source names it now, by its id or name; an unknown one as given. */
function propertyName(schema: Schema, key: string): string {
  return schema.find(key)?.name ?? key;
}

/** `{ operator: value }`, or a type's nested condition (formula `{string: {...}}`, rollup `{any: {...}}`). */
function conditionText(condition: unknown): string {
  if (!isRecord(condition)) return JSON.stringify(condition);
  const [op, value] = Object.entries(condition)[0] ?? ['', undefined];
  if (op === '') return 'any';
  const word = OPERATORS[op] ?? op.replace(/_/g, ' ');
  if (value === true && op.startsWith('is_')) return word;
  if (isRecord(value)) return Object.keys(value).length === 0 ? word : `${word} ${conditionText(value)}`;
  return `${word} ${JSON.stringify(value)}`;
}

/** One filter (a condition, or an `and`/`or` of filters) as text; nested groups in parentheses. */
export function filterText(filter: unknown, schema: Schema, nested = false): string {
  if (!isRecord(filter)) return JSON.stringify(filter);
  for (const join of ['and', 'or'] as const) {
    const parts = filter[join];
    if (Array.isArray(parts)) {
      const text = parts.map((part) => filterText(part, schema, true)).join(` ${join} `);
      return nested && parts.length > 1 ? `(${text})` : text;
    }
  }
  if (typeof filter.timestamp === 'string') {
    const name = TIMESTAMPS[filter.timestamp] ?? filter.timestamp;
    return `${name} ${conditionText(filter[filter.timestamp])}`;
  }
  if (typeof filter.property === 'string') {
    const type = Object.keys(filter).find((key) => key !== 'property');
    return `${propertyName(schema, filter.property)} ${type ? conditionText(filter[type]) : 'any'}`;
  }
  return JSON.stringify(filter);
}

/** Sorts as text: `Score descending, Created time ascending`. */
export function sortsText(sorts: unknown, schema: Schema): string {
  if (!Array.isArray(sorts)) return JSON.stringify(sorts);
  return sorts
    .map((sort: unknown) => {
      if (!isRecord(sort)) return JSON.stringify(sort);
      const key = typeof sort.property === 'string' ? propertyName(schema, sort.property) : null;
      const name = key ?? TIMESTAMPS[String(sort.timestamp)] ?? String(sort.timestamp);
      return `${name} ${String(sort.direction)}`;
    })
    .join(', ');
}

/** Quick filters (property id → condition) as text: `Status = "Open"; Done = true`. */
export function quickFiltersText(quickFilters: unknown, schema: Schema): string {
  if (!isRecord(quickFilters)) return JSON.stringify(quickFilters);
  return Object.entries(quickFilters)
    .map(([key, condition]) => {
      const type = isRecord(condition) ? Object.keys(condition)[0] : undefined;
      const inner = type && isRecord(condition) ? condition[type] : condition;
      return `${propertyName(schema, key)} ${conditionText(inner)}`;
    })
    .join('; ');
}

const shorten = (text: string) =>
  text.length > MAX_SUMMARY_LENGTH ? `${text.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : text;

/** What a saved setting says, or null when the view has none (null, or an empty list or object). */
function summary(value: unknown, text: (value: unknown) => string): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (isRecord(value) && Object.keys(value).length === 0) return null;
  return shorten(text(value));
}

function portalView(view: WorkspaceView, schema: Schema): PortalView {
  return {
    id: view.id,
    name: view.name,
    type: view.type,
    filter: view.filter ?? null,
    sorts: view.sorts ?? null,
    quick_filters: view.quick_filters ?? null,
    filter_summary: summary(view.filter, (f) => filterText(f, schema)),
    sorts_summary: summary(view.sorts, (s) => sortsText(s, schema)),
    quick_filters_summary: summary(view.quick_filters, (q) => quickFiltersText(q, schema)),
  };
}

/** The views over each data source (by its schema), in tab order. */
export async function viewsOf(store: Store, schemas: readonly Schema[]): Promise<Map<string, PortalView[]>> {
  const bySource = await readDataSourceViews(
    store,
    schemas.map((s) => s.dataSourceId),
  );
  return new Map(
    schemas.map((schema) => [
      schema.dataSourceId,
      (bySource.get(schema.dataSourceId) ?? []).map((view) => portalView(view, schema)),
    ]),
  );
}
