import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.ts';

type TemporalConfig = Config['temporal'];

async function tlsOptions(config: TemporalConfig) {
  if (!config.tls) return undefined;
  if (config.tlsCertPath && config.tlsKeyPath) {
    return { clientCertPair: { crt: await readFile(config.tlsCertPath), key: await readFile(config.tlsKeyPath) } };
  }
  return true as const;
}

/** Client for starting workflows and sending updates (API side). */
export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({
    address: config.address,
    tls: await tlsOptions(config),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  });
  return new Client({ connection, namespace: config.namespace });
}

/** Native connection for workers. */
export async function connectWorker(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect({
    address: config.address,
    tls: await tlsOptions(config),
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
  });
}
