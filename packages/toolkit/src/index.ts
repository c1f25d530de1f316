// Public entry of the toolkit package.
export { systemClock, FakeClock, type Clock } from './clock.js';
export * from './limiter/pacing.js';
export { MemoryBudgetStore, type BudgetStore } from './limiter/budget-store.js';
export { PostgresBudgetStore, type PostgresBudgetStoreOptions } from './limiter/postgres-budget-store.js';
export { RedisBudgetStore, type RedisBudgetStoreOptions } from './limiter/redis-budget-store.js';
export { RateLimiter, budgetKeyForToken, type RateLimiterOptions } from './limiter/rate-limiter.js';
export * from './http/retry-policy.js';
export * from './http/notion-fetch.js';
export * from './client.js';
export {
  NOTION_VERSIONS,
  DEFAULT_NOTION_VERSION,
  isNotionVersion,
  notionApi,
  CollectionError,
  type NotionVersion,
  type NotionClient,
  type NotionApi,
  type Collection,
  type CollectionParent,
  type SchemaRequest,
} from './api/notion-api.js';
export { parseNotionId } from './ids.js';
export * from './properties/types.js';
export * from './properties/rich-text.js';
export {
  PROPERTY_RULES,
  INVALID,
  ruleFor,
  samePlain,
  normalizeId,
  type PropertyRule,
} from './properties/property-types.js';
export { prop } from './properties/builders.js';
export { validate, findProperty, errorsOnly, describeProblems } from './properties/validate.js';
export {
  appendBlocks,
  createPageWithContent,
  paragraphs,
  MAX_BLOCK_ELEMENTS_PER_REQUEST,
  type AppendResult,
} from './blocks/append.js';
export { pageToMarkdown, richTextToMarkdown } from './blocks/markdown.js';
export * from './bulk/paginate.js';
export { completeReferences, MAX_REFERENCES_IN_PAGE } from './bulk/complete-references.js';
export { Journal, type JournalEntry, type JournalState } from './bulk/journal.js';
export {
  safeCreate,
  isAmbiguousWriteError,
  mayStillBeInFlight,
  committedResourceId,
  type SafeCreateOptions,
  type PageCreateParameters,
  type SafeCreateResult,
} from './bulk/safe-create.js';
export * from './io/records.js';
export {
  parseMapFlags,
  planColumns,
  pageToPlain,
  exportColumns,
  type ColumnPlan,
  type MappedColumn,
} from './io/column-mapping.js';
export { inferSchema, schemaRequest, type InferredType } from './io/infer-schema.js';
export {
  importTable,
  errorReason,
  ImportSetupError,
  type ImportSummary,
  type ImportProgress,
  type ImportCounts,
  type RowIssue,
  type TableImportOptions,
  type ImportTarget,
} from './io/table-import.js';
export { exportDatabase, type TableExport } from './io/table-export.js';
export {
  runDoctor,
  type DoctorReport,
  type CheckResult,
  type CheckStatus,
  type DoctorOptions,
} from './doctor/doctor.js';
export { CAPABILITY_PROBES } from './doctor/probes.js';
export { createProgress, formatDuration, type ProgressReporter } from './progress.js';
export { APIErrorCode } from '@notionhq/client';
export { isNotionClientError } from './errors.js';
export {
  notionWebhookHandler,
  readRawBody,
  signNotionWebhook,
  verifyNotionSignature,
  type ReceivedWebhookEvent,
  type WebhookHandlerOptions,
} from './webhooks/receiver.js';
export type { WebhookPayload, WebhookEventType } from './webhooks/payload.js';
export * from './clone/index.js';
