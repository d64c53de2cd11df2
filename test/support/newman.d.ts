// newman ships no types; this is the slice of its Node API the Postman conformance test uses.
declare module 'newman' {
  interface NewmanExecution {
    item: { name: string };
    request: { method: string; url: { toString(): string } };
    response?: { code: number; stream?: Buffer };
    requestError?: Error;
    assertions?: { assertion: string; error?: Error }[];
  }
  interface NewmanSummary {
    /** The environment as the run left it (variables the scripts set included). */
    environment: { toJSON(): unknown };
    run: {
      executions: NewmanExecution[];
      failures: { error: Error; source?: { name?: string } }[];
    };
  }
  interface NewmanRunOptions {
    collection: unknown;
    environment?: unknown;
    globals?: unknown;
    reporters?: string | string[];
    timeoutRequest?: number;
    insecure?: boolean;
  }
  export function run(options: NewmanRunOptions, callback: (err: Error | null, summary: NewmanSummary) => void): void;
}
