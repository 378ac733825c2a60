import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stateful fake of STS on loopback, reached through AWS_ENDPOINT_URL exactly like LocalStack would
 * be: the real SDK signs and sends real Query-protocol requests. It knows long-term keys (users),
 * issues session keys from AssumeRole (checking the MFA code), and answers with STS's own error codes.
 */
export interface FakeUser {
  accessKeyId: string;
  arn: string;
}

export class FakeSts {
  readonly users = new Map<string, FakeUser>();
  /** Role ARN → MFA serial it requires. */
  readonly roles = new Map<string, { mfaSerial?: string }>();
  /** Valid MFA codes by serial; each code works once, like a real TOTP within its window. */
  readonly mfaCodes = new Map<string, Set<string>>();
  readonly calls: { action: string; accessKeyId?: string; params: URLSearchParams }[] = [];
  private readonly sessions = new Map<string, { arn: string; expires: number }>();
  private server?: Server;
  sessionSeconds = 3600;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomBytes(8).toString('hex') });
          res.end(body);
        },
        (error: unknown) => {
          res.writeHead(500);
          res.end(String(error));
        },
      );
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    // JSON-protocol services (ECR, ECS, Logs) name the operation in a header: recorded, then refused.
    const action = params.get('Action') ?? String(req.headers['x-amz-target'] ?? '');
    const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    this.calls.push({ action, accessKeyId, params });
    const caller = this.identify(accessKeyId);
    if (!caller) return error(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (caller === 'expired') return error(403, 'ExpiredToken', 'The security token included in the request is expired');
    switch (action) {
      case 'GetCallerIdentity':
        return ok('GetCallerIdentity', `<Arn>${caller.arn}</Arn><UserId>AIDAFAKE${caller.arn.length}</UserId><Account>${caller.arn.split(':')[4]}</Account>`);
      case 'AssumeRole':
        return this.assumeRole(params);
      default:
        return error(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    }
  }

  private identify(accessKeyId: string | undefined): FakeUser | 'expired' | undefined {
    if (!accessKeyId) return undefined;
    const user = this.users.get(accessKeyId);
    if (user) return user;
    const session = this.sessions.get(accessKeyId);
    if (!session) return undefined;
    return session.expires < Date.now() ? 'expired' : { accessKeyId, arn: session.arn };
  }

  private assumeRole(params: URLSearchParams): { status: number; body: string } {
    const roleArn = params.get('RoleArn') ?? '';
    const sessionName = params.get('RoleSessionName') ?? '';
    const role = this.roles.get(roleArn);
    if (!role) return error(403, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    if (role.mfaSerial) {
      const serial = params.get('SerialNumber');
      const code = params.get('TokenCode') ?? '';
      const codes = serial ? this.mfaCodes.get(serial) : undefined;
      if (!serial || serial !== role.mfaSerial) return error(403, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
      if (!codes?.has(code)) return error(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
      codes.delete(code);
    }
    const keyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    const expires = Date.now() + this.sessionSeconds * 1000;
    const [, , , , account, resource] = roleArn.split(':');
    const assumedArn = `arn:aws:sts::${account}:assumed-role/${resource?.replace(/^role\//, '')}/${sessionName}`;
    this.sessions.set(keyId, { arn: assumedArn, expires });
    return ok(
      'AssumeRole',
      `<Credentials><AccessKeyId>${keyId}</AccessKeyId><SecretAccessKey>${randomBytes(20).toString('base64')}</SecretAccessKey><SessionToken>${randomBytes(32).toString('base64')}</SessionToken><Expiration>${new Date(expires).toISOString()}</Expiration></Credentials><AssumedRoleUser><Arn>${assumedArn}</Arn><AssumedRoleId>AROAFAKE:${sessionName}</AssumedRoleId></AssumedRoleUser>`,
    );
  }
}

function ok(action: string, result: string) {
  return {
    status: 200,
    body: `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomBytes(8).toString('hex')}</RequestId></ResponseMetadata></${action}Response>`,
  };
}

function error(status: number, code: string, message: string) {
  return {
    status,
    body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomBytes(8).toString('hex')}</RequestId></ErrorResponse>`,
  };
}
