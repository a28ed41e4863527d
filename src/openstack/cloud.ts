/**
 * A cloud to talk to: one credential, one HttpTransport (connection pools and TLS) shared by
 * every session made for it: the admin's, the existing users', and those of users that
 * contexts create. Create one per run and close it at the end.
 */
import type { CloudAuth, CloudCredential } from '../cloud/credential.js';
import type { ServiceType } from './catalog.js';
import { HttpTransport } from './http.js';
import type { TransportOptions } from './http.js';
import { OpenStackSession } from './session.js';

export interface CloudOptions {
  transport?: TransportOptions;
  /** default microversions for every session of this cloud */
  microversions?: Partial<Record<ServiceType, string>>;
  userAgent?: string;
}

export class OpenStackCloud {
  readonly transport: HttpTransport;
  private adminSession: OpenStackSession | undefined;

  constructor(
    readonly credential: CloudCredential,
    private readonly options: CloudOptions = {},
  ) {
    this.transport = new HttpTransport(credential.tls, options.transport);
  }

  /** A new session for `auth` on this cloud (cheap: no request until its first call). */
  session(auth: CloudAuth, extra: { microversions?: Partial<Record<ServiceType, string>> } = {}): OpenStackSession {
    const microversions = { ...this.options.microversions, ...extra.microversions };
    return new OpenStackSession({
      transport: this.transport,
      settings: this.credential,
      auth,
      microversions,
      ...(this.options.transport?.timeoutMs !== undefined ? { timeoutMs: this.options.transport.timeoutMs } : {}),
      ...(this.options.userAgent ? { userAgent: this.options.userAgent } : {}),
    });
  }

  /** True when the credential has an admin (not Rally's existing-users-only mode). */
  hasAdmin(): boolean {
    return this.credential.admin !== undefined;
  }

  /** The admin's session, made once and shared. */
  admin(): OpenStackSession {
    if (!this.credential.admin) throw new Error(`${this.credential.origin} has no admin credential (existing users only)`);
    this.adminSession ??= this.session(this.credential.admin);
    return this.adminSession;
  }

  /**
   * Starts the admin's authentication now, in the background, so that the first context does not
   * wait for it (a run opens the cloud, then loads its engine and contexts). A failure is not
   * reported here: the first real call asks again and reports it.
   */
  prefetchAdminToken(): void {
    if (this.hasAdmin()) this.admin().token().catch(() => undefined);
  }

  /** One new session per existing user of the credential (Rally's existing-users mode). */
  existingUserSessions(): OpenStackSession[] {
    return this.credential.users.map((auth) => this.session(auth));
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
