// The webhook payloads as the official SDK (v5) types them: one union, told apart by `type`.
import type {
  CommentCreatedWebhookPayload,
  CommentDeletedWebhookPayload,
  CommentUpdatedWebhookPayload,
  DatabaseContentUpdatedWebhookPayload,
  DatabaseCreatedWebhookPayload,
  DatabaseDeletedWebhookPayload,
  DatabaseMovedWebhookPayload,
  DatabaseSchemaUpdatedWebhookPayload,
  DatabaseUndeletedWebhookPayload,
  DataSourceContentUpdatedWebhookPayload,
  DataSourceCreatedWebhookPayload,
  DataSourceDeletedWebhookPayload,
  DataSourceMovedWebhookPayload,
  DataSourceSchemaUpdatedWebhookPayload,
  DataSourceUndeletedWebhookPayload,
  FileUploadCompletedWebhookPayload,
  FileUploadCreatedWebhookPayload,
  FileUploadExpiredWebhookPayload,
  FileUploadUploadFailedWebhookPayload,
  PageContentUpdatedWebhookPayload,
  PageCreatedWebhookPayload,
  PageDeletedWebhookPayload,
  PageLockedWebhookPayload,
  PageMovedWebhookPayload,
  PagePropertiesUpdatedWebhookPayload,
  PageUndeletedWebhookPayload,
  PageUnlockedWebhookPayload,
  ViewCreatedWebhookPayload,
  ViewDeletedWebhookPayload,
  ViewUpdatedWebhookPayload,
} from 'notion-client-v5';

export type WebhookPayload =
  | PageCreatedWebhookPayload
  | PageContentUpdatedWebhookPayload
  | PagePropertiesUpdatedWebhookPayload
  | PageMovedWebhookPayload
  | PageDeletedWebhookPayload
  | PageUndeletedWebhookPayload
  | PageLockedWebhookPayload
  | PageUnlockedWebhookPayload
  | DatabaseCreatedWebhookPayload
  | DatabaseContentUpdatedWebhookPayload
  | DatabaseSchemaUpdatedWebhookPayload
  | DatabaseMovedWebhookPayload
  | DatabaseDeletedWebhookPayload
  | DatabaseUndeletedWebhookPayload
  | DataSourceCreatedWebhookPayload
  | DataSourceContentUpdatedWebhookPayload
  | DataSourceSchemaUpdatedWebhookPayload
  | DataSourceMovedWebhookPayload
  | DataSourceDeletedWebhookPayload
  | DataSourceUndeletedWebhookPayload
  | CommentCreatedWebhookPayload
  | CommentUpdatedWebhookPayload
  | CommentDeletedWebhookPayload
  | FileUploadCreatedWebhookPayload
  | FileUploadCompletedWebhookPayload
  | FileUploadExpiredWebhookPayload
  | FileUploadUploadFailedWebhookPayload
  | ViewCreatedWebhookPayload
  | ViewUpdatedWebhookPayload
  | ViewDeletedWebhookPayload;

export type WebhookEventType = WebhookPayload['type'];
