import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A production process of the app (`app/server.ts`, `app/worker.ts`) as a child, configured by its
 * environment; resolves once it says it runs, with the address it printed (null: none, a worker
 * without a health port). The caller kills it.
 */
export function startAppProcess(script: 'app/server.ts' | 'app/worker.ts', env: Record<string, string>): { child: ChildProcess; running: Promise<string | null> } {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const running = new Promise<string | null>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const said = /running(?: on (\S+))?\n/.exec(out);
      if (said) resolve(said[1] ?? null);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it ran: ${out}`)));
  });
  return { child, running };
}
