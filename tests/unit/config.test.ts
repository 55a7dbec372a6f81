import { describe, expect, test } from '@jest/globals';
import { ConfigError, loadConfig } from '../../infra/config.ts';

describe('configuration', () => {
  test('defaults to the embedded default', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ driver: 'pglite', dataDir: './data/pglite' });
    expect(config.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', tls: false });
    expect(config.mail.smtpUrl).toBe('smtp://127.0.0.1:1025');
  });

  test('production settings: PostgreSQL server, Temporal with API key (TLS implied), SMTP', () => {
    const config = loadConfig({
      DATABASE_DRIVER: 'postgresql',
      DATABASE_URL: 'postgresql://app@db:5432/credcase',
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'secret',
      SMTP_URL: 'smtps://user:pass@mail.example:465',
      PUBLIC_URL: 'https://credit.example.cn',
    });
    expect(config.database).toEqual({ driver: 'postgresql', url: 'postgresql://app@db:5432/credcase' });
    expect(config.temporal).toMatchObject({ tls: true, apiKey: 'secret', namespace: 'ns.acct' });
    expect(config.http.publicUrl).toBe('https://credit.example.cn');
  });

  test('fails fast naming each bad setting and its rule', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_DRIVER: 'postgresql', HTTP_PORT: 'eighty', SMTP_URL: 'mail.example', TEMPORAL_TLS: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^DATABASE_URL: is required when DATABASE_DRIVER=postgresql$/m);
    expect(problems).toMatch(/^HTTP_PORT: /m);
    expect(problems).toMatch(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL$/m);
    expect(problems).toMatch(/^TEMPORAL_TLS: /m);
  });
});
