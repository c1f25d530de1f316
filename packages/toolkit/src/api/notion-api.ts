// One view of the API over its two shapes of databases (reference §1.3). Under 2022-06-28 (SDK v4) a
// database holds its schema and its pages: queried at databases/{id}/query, pages created with
// `parent: {database_id}`. Under 2025-09-03 (SDK v5) a database is a container of data sources: the
// schema and the pages are a data source's, queried at data_sources/{id}/query, pages created with
// `parent: {data_source_id}`. Everything above this file works on a `Collection` and never asks which.
import {
  APIErrorCode,
  isFullDatabase,
  isFullPage,
  iteratePaginatedAPI,
  type Client,
  type CreateDatabaseParameters,
  type PageObjectResponse,
} from '@notionhq/client';
import { iteratePaginatedAPI as iteratePaginatedV5, type Client as ClientV5 } from 'notion-client-v5';
import { isNotionClientError } from '../errors.js';
import { richText } from '../properties/rich-text.js';
import type { DatabaseSchema } from '../properties/types.js';

export const NOTION_VERSIONS = ['2022-06-28', '2025-09-03'] as const;
export type NotionVersion = (typeof NOTION_VERSIONS)[number];
/** The version the toolkit speaks unless told otherwise. */
export const DEFAULT_NOTION_VERSION: NotionVersion = '2022-06-28';

export function isNotionVersion(value: string): value is NotionVersion {
  return (NOTION_VERSIONS as readonly string[]).includes(value);
}

/** SDK v4 (speaks 2022-06-28) or SDK v5 (speaks 2025-09-03). */
export type NotionClient = Client | ClientV5;

type QueryDatabaseParameters = Parameters<Client['databases']['query']>[0];
/** A query's filter, sorts and page size (the same in both versions). */
export type QueryOptions = Omit<QueryDatabaseParameters, 'database_id' | 'start_cursor'>;
/** The `properties` of a database create request (2022-06-28 spelling; 2025-09-03 nests it). */
export type SchemaRequest = CreateDatabaseParameters['properties'];

/** Where a database's pages live, and their schema. */
export interface Collection {
  readonly databaseId: string;
  /** The data source the pages belong to under 2025-09-03; null under 2022-06-28. */
  readonly dataSourceId: string | null;
  readonly schema: DatabaseSchema;
}

/** A page's parent in a collection, as a page create request spells it. */
export type CollectionParent = { database_id: string } | { data_source_id: string };

export interface NotionApi {
  readonly version: NotionVersion;
  readonly client: NotionClient;
  /**
   * The collection of a database id — or, under 2025-09-03, of a data source id. A database with more
   * than one data source is refused (its data sources are listed: pass one of their ids).
   */
  collection(id: string): Promise<Collection>;
  /** Creates a database under a page with this schema (under 2025-09-03: its initial data source). */
  createDatabase(parentPageId: string, title: string, properties: SchemaRequest): Promise<Collection>;
  /** Every page of a query; `target` is a collection, or an id as `collection` takes. */
  iterate(target: Collection | string, query?: QueryOptions): AsyncGenerator<PageObjectResponse>;
  /** The parent of a page created in the collection. */
  parentOf(collection: Collection): CollectionParent;
}

/** The database cannot be used as one collection (several data sources), or answered without a schema. */
export class CollectionError extends Error {
  override name = 'CollectionError';
}

const adapters = new WeakMap<object, NotionApi>();

/** The adapter of a client (SDK v4: 2022-06-28, SDK v5: 2025-09-03), made once per client; or the adapter. */
export function notionApi(source: NotionClient | NotionApi): NotionApi {
  if ('collection' in source) return source;
  let api = adapters.get(source);
  if (!api) {
    api = 'dataSources' in source ? new DataSourceApi(source) : new DatabaseApi(source);
    adapters.set(source, api);
  }
  return api;
}

/** A client for the endpoints both SDKs share (pages, blocks, users, property items): v4's typings serve. */
export function sharedEndpoints(source: NotionClient | NotionApi): Client {
  // SDK v5 keeps v4's methods for these endpoints, with wider types; the toolkit uses the common subset.
  return notionApi(source).client as Client;
}

/** 2022-06-28: the database is the collection. */
class DatabaseApi implements NotionApi {
  readonly version = '2022-06-28';
  constructor(readonly client: Client) {}

  async collection(id: string): Promise<Collection> {
    const db = await this.client.databases.retrieve({ database_id: id });
    if (!isFullDatabase(db))
      throw new CollectionError(
        `database ${id} came back without its schema; the integration needs the "Read content" capability`,
      );
    return { databaseId: db.id, dataSourceId: null, schema: db.properties };
  }

  async createDatabase(parentPageId: string, title: string, properties: SchemaRequest): Promise<Collection> {
    const db = await this.client.databases.create({
      parent: { page_id: parentPageId },
      title: richText(title),
      properties,
    });
    if (!isFullDatabase(db)) throw new CollectionError('the created database came back without its schema');
    return { databaseId: db.id, dataSourceId: null, schema: db.properties };
  }

  async *iterate(target: Collection | string, query: QueryOptions = {}): AsyncGenerator<PageObjectResponse> {
    const database_id = typeof target === 'string' ? target : target.databaseId;
    for await (const item of iteratePaginatedAPI(this.client.databases.query, { ...query, database_id }))
      if (item.object === 'page' && isFullPage(item)) yield item;
  }

  parentOf(collection: Collection): CollectionParent {
    return { database_id: collection.databaseId };
  }
}

/** 2025-09-03: the collection is the database's data source. */
class DataSourceApi implements NotionApi {
  readonly version = '2025-09-03';
  private readonly resolved = new Map<string, Promise<Collection>>();
  constructor(readonly client: ClientV5) {}

  collection(id: string): Promise<Collection> {
    let found = this.resolved.get(id);
    if (!found) {
      found = this.resolve(id);
      this.resolved.set(id, found);
      found.catch(() => this.resolved.delete(id));
    }
    return found;
  }

  /** A database id → its one data source; else the id is taken as a data source's. */
  private async resolve(id: string): Promise<Collection> {
    let dataSourceId = id;
    try {
      const db = await this.client.databases.retrieve({ database_id: id });
      const sources = 'data_sources' in db ? db.data_sources : [];
      if (sources.length !== 1) throw severalSources(id, sources);
      dataSourceId = sources[0]!.id;
    } catch (error) {
      if (!(isNotionClientError(error) && error.code === APIErrorCode.ObjectNotFound)) throw error;
      try {
        return await this.dataSource(id);
      } catch (second) {
        // Neither a database nor a data source: the database's answer is the one people expect.
        if (isNotionClientError(second) && second.code === APIErrorCode.ObjectNotFound) throw error;
        throw second;
      }
    }
    return this.dataSource(dataSourceId);
  }

  private async dataSource(id: string): Promise<Collection> {
    const ds = await this.client.dataSources.retrieve({ data_source_id: id });
    if (!('parent' in ds))
      throw new CollectionError(
        `data source ${id} came back without its schema; the integration needs the "Read content" capability`,
      );
    // A data source's property schema is the 2022-06-28 database schema (relations also name a data source).
    const schema = ds.properties as unknown as DatabaseSchema;
    return { databaseId: ds.parent.database_id, dataSourceId: ds.id, schema };
  }

  async createDatabase(parentPageId: string, title: string, properties: SchemaRequest): Promise<Collection> {
    const db = await this.client.databases.create({
      parent: { type: 'page_id', page_id: parentPageId },
      title: richText(title),
      // The property requests of 2022-06-28 are those of a 2025-09-03 initial data source.
      initial_data_source: { properties: properties as never },
    });
    const source = 'data_sources' in db ? db.data_sources[0] : undefined;
    if (!source) throw new CollectionError(`the created database ${db.id} came back without a data source`);
    return this.dataSource(source.id);
  }

  async *iterate(target: Collection | string, query: QueryOptions = {}): AsyncGenerator<PageObjectResponse> {
    const collection = typeof target === 'string' ? await this.collection(target) : target;
    const data_source_id = collection.dataSourceId ?? collection.databaseId;
    // Filters and sorts are spelled the same in both versions.
    const args = { ...(query as object), data_source_id };
    for await (const item of iteratePaginatedV5(this.client.dataSources.query, args))
      // A 2025-09-03 page differs from a 2022-06-28 one only in its parent (data_source_id); values are alike.
      if (item.object === 'page' && 'properties' in item) yield item as unknown as PageObjectResponse;
  }

  parentOf(collection: Collection): CollectionParent {
    return { data_source_id: collection.dataSourceId ?? collection.databaseId };
  }
}

function severalSources(id: string, sources: readonly { id: string; name: string }[]): CollectionError {
  if (sources.length === 0) return new CollectionError(`database ${id} has no data source the integration can see`);
  const list = sources.map((s) => `"${s.name}" ${s.id}`).join(', ');
  return new CollectionError(
    `database ${id} has ${sources.length} data sources (${list}); name one of them by its data source id`,
  );
}
