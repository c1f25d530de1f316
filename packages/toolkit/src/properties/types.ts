// Property types as the SDK (v4, 2022-06-28) spells them, and the toolkit's "plain" form of a value:
// what a CSV cell or a JSON field holds, what export writes and what sync compares.
import type { CreatePageParameters, DatabaseObjectResponse, PageObjectResponse } from '@notionhq/client';

export type PropertySchema = DatabaseObjectResponse['properties'][string];
export type DatabaseSchema = Record<string, PropertySchema>;
export type PagePropertyValue = PageObjectResponse['properties'][string];
export type PropertyType = PagePropertyValue['type'] | PropertySchema['type'];
export type PropertyValueRequest = NonNullable<CreatePageParameters['properties']>[string];
export type PagePropertiesRequest = Record<string, PropertyValueRequest>;

export interface PlainDate {
  start: string;
  end: string | null;
  time_zone: string | null;
}

export type PlainValue = string | number | boolean | null | string[] | PlainDate;

export interface Problem {
  /** The property name (or the key as given, when it matches no property). */
  readonly property: string;
  readonly message: string;
  /** `warning`: the API would accept it (e.g. a new select option is created). */
  readonly severity: 'error' | 'warning';
}
