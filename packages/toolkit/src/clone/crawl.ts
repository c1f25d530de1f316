// The crawl of `notion-local clone`: from search (or the given pages and databases) it reads, through the API
// under Notion-Version 2025-09-03, every page with its block tree (children of children), every database with its
// data sources (schemas) and their rows, the references of relation and people values past the 25 a page object
// holds, comments (optionally) and users, into a clone bundle. One request at a time, paced and retried by the
// toolkit's client; every answer is journaled by the reader, so an interrupted crawl resumes.
import { emptyBundle, type ApiObject, type CloneBundle } from './bundle.js';
import { CloneReadError, type CloneReader } from './reader.js';

export interface CrawlOptions {
  /** roots: pages and databases (ids); none = everything search answers */
  readonly pages?: readonly string[];
  readonly databases?: readonly string[];
  /** stop reading pages (database rows included) after this many */
  readonly maxPages?: number;
  readonly includeComments?: boolean;
  /** objects read so far, objects known to read, what is being read */
  readonly onProgress?: (done: number, known: number, detail: string) => void;
}

type Task =
  | { kind: 'page'; id: string; object?: ApiObject }
  | { kind: 'database'; id: string }
  | { kind: 'data_source'; id: string }
  | { kind: 'children'; id: string }
  | { kind: 'comments'; id: string }
  | { kind: 'references'; id: string; property: string };

const PAGE_SIZE = 100;
/** The most people a page object lists per property (relations say `has_more`). */
const REFERENCES_IN_PAGE = 25;

const asObjects = (value: unknown): ApiObject[] => (Array.isArray(value) ? (value as ApiObject[]) : []);

class Crawl {
  readonly bundle: CloneBundle;
  private readonly queue: Task[] = [];
  private readonly seen = new Set<string>();
  private pagesRead = 0;
  private pagesSkipped = 0;
  private done = 0;
  private commentsRefused = false;

  constructor(
    private readonly reader: CloneReader,
    source: string,
    me: ApiObject,
    private readonly options: CrawlOptions,
  ) {
    this.bundle = emptyBundle(source, me);
    this.bundle.read_comments = options.includeComments === true;
  }

  /** Queues a task once (by kind and id); a page over --max-pages is counted, not read. */
  push(task: Task, front = false): void {
    const key = `${task.kind}:${task.id}${task.kind === 'references' ? `:${task.property}` : ''}`;
    if (this.seen.has(key)) return;
    if (task.kind === 'page' && this.options.maxPages !== undefined && this.pagesRead >= this.options.maxPages) {
      this.pagesSkipped++;
      return;
    }
    this.seen.add(key);
    if (task.kind === 'page') this.pagesRead++;
    if (front) this.queue.unshift(task);
    else this.queue.push(task);
  }

  /** Every page of a paginated list (GET with a query, or POST with a body). */
  async *list(
    path: string,
    method: 'get' | 'post',
    params: Record<string, unknown> = {},
    version?: string,
  ): AsyncGenerator<ApiObject> {
    let cursor: string | undefined;
    do {
      const args = { ...params, page_size: PAGE_SIZE, ...(cursor ? { start_cursor: cursor } : {}) };
      const answer =
        method === 'get'
          ? await this.reader.get(path, args as Record<string, string | number>)
          : await this.reader.post(path, args, version);
      for (const item of asObjects(answer.results)) yield item;
      cursor = answer.has_more === true && typeof answer.next_cursor === 'string' ? answer.next_cursor : undefined;
    } while (cursor);
  }

  async run(): Promise<CloneBundle> {
    await this.readUsers();
    await this.queueRoots();
    while (this.queue.length > 0) {
      const task = this.queue.shift()!;
      this.options.onProgress?.(this.done, this.done + this.queue.length + 1, `${task.kind} ${task.id}`);
      try {
        await this.runTask(task);
      } catch (error) {
        if (!(error instanceof CloneReadError)) throw error;
        this.refused(task, error);
      }
      this.done++;
    }
    this.options.onProgress?.(this.done, this.done, 'done');
    if (this.pagesSkipped > 0)
      this.bundle.unreadable.push({
        id: '*',
        kind: 'page',
        reason: `${this.pagesSkipped} more pages not read (--max-pages ${this.options.maxPages})`,
      });
    return this.bundle;
  }

  private refused(task: Task, error: CloneReadError): void {
    const reason = `${error.status} ${error.code}: ${error.message}`;
    if (task.kind === 'comments') {
      if (!this.commentsRefused) this.bundle.unreadable.push({ id: '*', kind: 'comments', reason });
      this.commentsRefused = true;
      return;
    }
    const kind = task.kind === 'children' ? 'block' : task.kind === 'references' ? 'property' : task.kind;
    this.bundle.unreadable.push({ id: task.id, kind, reason });
  }

  private async readUsers(): Promise<void> {
    try {
      for await (const user of this.list('users', 'get')) this.bundle.users.push(user);
      this.bundle.read_users = true;
    } catch (error) {
      if (!(error instanceof CloneReadError)) throw error;
      this.bundle.unreadable.push({
        id: '*',
        kind: 'users',
        reason: `${error.status} ${error.code}: ${error.message}`,
      });
    }
  }

  private async queueRoots(): Promise<void> {
    const { pages = [], databases = [] } = this.options;
    if (pages.length > 0 || databases.length > 0) {
      for (const id of databases) this.push({ kind: 'database', id });
      for (const id of pages) this.push({ kind: 'page', id });
      return;
    }
    // Rows come with their data source's query: pages that are rows wait at the end, read only when not met there.
    const rows: ApiObject[] = [];
    for await (const found of this.list('search', 'post')) {
      this.bundle.search.push(found.id);
      if (found.object === 'data_source') {
        const parent = found.parent as { database_id?: string } | undefined;
        if (parent?.database_id) this.push({ kind: 'database', id: parent.database_id });
      } else if (found.object === 'database') this.push({ kind: 'database', id: found.id });
      else if ((found.parent as { type?: string } | undefined)?.type === 'data_source_id') rows.push(found);
      else this.push({ kind: 'page', id: found.id, object: found });
    }
    for (const row of rows) this.queue.push({ kind: 'page', id: row.id, object: row });
    // Under 2022-06-28 search answers databases, in the order of their own last edit: kept to restore that order.
    for await (const found of this.list('search', 'post', {}, '2022-06-28'))
      this.bundle.search_databases.push(found.id);
  }

  private async runTask(task: Task): Promise<void> {
    switch (task.kind) {
      case 'page':
        return this.readPage(task.id, task.object);
      case 'database':
        return this.readDatabase(task.id);
      case 'data_source':
        return this.readDataSource(task.id);
      case 'children':
        return this.readChildren(task.id);
      case 'comments':
        for await (const comment of this.list('comments', 'get', { block_id: task.id }))
          this.bundle.comments.push(comment);
        return;
      case 'references':
        return this.readReferences(task.id, task.property);
    }
  }

  private async readPage(id: string, known?: ApiObject): Promise<void> {
    // A row queued from search may have been read with its data source's query since.
    if (known && this.bundle.pages.some((p) => p.id === id)) return;
    const page = known ?? ((await this.reader.get(`pages/${id}`)) as ApiObject);
    this.addPage(page);
  }

  /** A page read (alone or as a row): its content, comments and long reference lists go on the queue. */
  private addPage(page: ApiObject): void {
    this.bundle.pages.push(page);
    this.push({ kind: 'children', id: page.id }, true);
    if (this.options.includeComments && !this.commentsRefused) this.push({ kind: 'comments', id: page.id });
    for (const value of Object.values((page.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      const long =
        (value.type === 'relation' && value.has_more === true) ||
        (value.type === 'people' && asObjects(value.people).length >= REFERENCES_IN_PAGE);
      if (long) this.push({ kind: 'references', id: page.id, property: String(value.id) });
    }
  }

  private async readDatabase(id: string): Promise<void> {
    const database = (await this.reader.get(`databases/${id}`)) as ApiObject;
    this.bundle.databases.push(database);
    for (const source of asObjects(database.data_sources)) this.push({ kind: 'data_source', id: source.id }, true);
  }

  private async readDataSource(id: string): Promise<void> {
    const source = (await this.reader.get(`data_sources/${id}`)) as ApiObject;
    this.bundle.data_sources.push(source);
    const rows: string[] = [];
    this.bundle.rows[id] = rows;
    for await (const row of this.list(`data_sources/${id}/query`, 'post')) {
      rows.push(row.id);
      const key = `page:${row.id}`;
      if (this.seen.has(key) && this.bundle.pages.some((p) => p.id === row.id)) continue;
      if (this.options.maxPages !== undefined && this.pagesRead >= this.options.maxPages && !this.seen.has(key)) {
        this.pagesSkipped++;
        continue;
      }
      if (!this.seen.has(key)) this.pagesRead++;
      this.seen.add(key);
      this.addPage(row);
    }
  }

  private async readChildren(id: string): Promise<void> {
    const ids: string[] = [];
    this.bundle.children[id] = ids;
    for await (const block of this.list(`blocks/${id}/children`, 'get')) {
      ids.push(block.id);
      if (block.type === 'child_page') this.push({ kind: 'page', id: block.id }, true);
      else if (block.type === 'child_database') this.push({ kind: 'database', id: block.id }, true);
      else {
        this.bundle.blocks.push(block);
        if (block.has_children === true) this.push({ kind: 'children', id: block.id }, true);
        const file = block[block.type as string] as { type?: string } | undefined;
        if (file?.type === 'file')
          this.bundle.unreadable.push({
            id: block.id,
            kind: 'file',
            reason: 'a Notion-hosted file: its bytes are behind an expiring URL and were not copied',
          });
      }
    }
  }

  private async readReferences(pageId: string, propertyId: string): Promise<void> {
    const ids: string[] = [];
    const path = `pages/${pageId}/properties/${encodeURIComponent(propertyId)}`;
    for await (const item of this.list(path, 'get')) {
      const ref = (item.relation ?? item.people) as { id?: string } | undefined;
      if (ref?.id) ids.push(ref.id);
    }
    (this.bundle.references[pageId] ??= {})[propertyId] = ids;
  }
}

/** Reads what the reader's token can see into a clone bundle (Notion-Version 2025-09-03 answers). */
export async function crawl(reader: CloneReader, source: string, options: CrawlOptions = {}): Promise<CloneBundle> {
  const me = (await reader.get('users/me')) as ApiObject;
  return new Crawl(reader, source, me, options).run();
}
