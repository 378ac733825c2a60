/**
 * A service error in wire terms — the code AWS puts in `<Code>`, its message and HTTP status. Handlers
 * throw these, mirroring the API references; each service fake then turns them into exactly what the
 * SDK's deserializer would have thrown for that response (see `toSdkError`).
 */
export class SandboxFault extends Error {
  override readonly name = 'SandboxFault';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export function fault(code: string, message: string, status = 400): SandboxFault {
  return new SandboxFault(code, message, status);
}

/** A command or option the simulated account does not answer: a gap in the sandbox, not an AWS error. */
export class SandboxUnsupportedError extends Error {
  override readonly name = 'SandboxUnsupportedError';
}

export interface ResponseMetadata {
  httpStatusCode: number;
  requestId: string;
  attempts: number;
  totalRetryDelay: number;
}
export type ModeledCtor = new (options: { message: string; $metadata: ResponseMetadata }) => Error;
type BaseCtor = new (options: { name: string; $fault: 'client' | 'server'; $metadata: ResponseMetadata; message: string }) => Error;

/** How one SDK package shapes the errors of its service. */
export interface ExceptionTable {
  /** The package's `<Service>ServiceException`: what the SDK throws for codes its model does not name. */
  base: BaseCtor;
  /** Wire code → modeled exception class (`NoSuchEntity` → `NoSuchEntityException`). */
  modeled: Record<string, ModeledCtor>;
  /** awsQuery services (IAM, STS) send `<Type>Sender</Type>`; EC2 sends none. */
  senderType: boolean;
}

/**
 * Builds the exception the SDK would build from the XML error response: the modeled class where there is
 * one (its `name` ends in "Exception"), else the service's base exception named by the wire code; with
 * `$fault`, `$metadata`, `Code`, `Type` and `Error` as the query protocol deserializer sets them.
 */
export function toSdkError(f: SandboxFault, table: ExceptionTable, requestId: string): Error {
  const $metadata: ResponseMetadata = { httpStatusCode: f.status, requestId, attempts: 1, totalRetryDelay: 0 };
  const $fault = f.status >= 500 ? 'server' : 'client';
  const Modeled = table.modeled[f.code];
  const error = Modeled ? new Modeled({ message: f.message, $metadata }) : new table.base({ name: f.code, $fault, $metadata, message: f.message });
  const Type = table.senderType ? ($fault === 'client' ? 'Sender' : 'Receiver') : undefined;
  Object.assign(error, {
    $fault,
    $metadata,
    ...(Type ? { Type } : {}),
    Code: f.code,
    Error: { ...(Type ? { Type } : {}), Code: f.code, Message: f.message },
    ...(Modeled ? { RequestId: requestId } : {}),
  });
  return error;
}
