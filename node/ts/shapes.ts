// Compile-time checks of the hand-written public shapes against the core's (ts/generated/schema.ts, from
// schema/pagoefectivo.schema.json): a field added in the core and missing here fails `tsc`. Results,
// events and settings are the generated types themselves (or extend them); requests take more JS
// types in (`Date`, `bigint`), so they are checked field by field.
import type { CreateCipParams } from './cips';
import type { FieldError, PagoEfectivoError } from './errors';
import type * as schema from './generated/schema';
import type { Beneficiary, CreateRefundParams, Refund, RefundEligibility } from './refunds';
import type { CipPaidEvent, OtherEvent, RefundEvent, WebhookEvent } from './webhooks';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;

/** @internal */
export type ShapeChecks = [
  // Requests: the same fields as the core's.
  Assert<Same<keyof CreateCipParams, keyof schema.CreateCipRequest>>,
  Assert<Same<keyof CreateRefundParams, keyof schema.CreateRefundRequest>>,
  Assert<Same<keyof Beneficiary, keyof schema.Beneficiary>>,
  // Results and events: the core's fields, narrowed at most.
  Assert<Same<keyof Refund, keyof schema.Refund>>,
  Assert<Same<keyof RefundEligibility, keyof schema.RefundEligibility>>,
  Assert<WebhookEvent extends schema.Event ? true : false>,
  Assert<Same<WebhookEvent['type'], schema.Event['type']>>,
  Assert<Same<keyof CipPaidEvent, keyof Extract<schema.Event, { type: 'cip_paid' }>>>,
  Assert<Same<keyof RefundEvent, keyof Extract<schema.Event, { type: 'refund' }>>>,
  Assert<Same<keyof OtherEvent, keyof Extract<schema.Event, { type: 'other' }>>>,
  // Errors: every field of the core's error is a (camelCase) property of PagoEfectivoError.
  Assert<Same<Exclude<Camel<keyof schema.Error>, keyof PagoEfectivoError>, never>>,
  Assert<Same<keyof FieldError, keyof schema.FieldError>>,
];
