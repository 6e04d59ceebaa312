import { ConfigError } from '../config/env.js';
import { AppError, type FieldIssue } from '../core/errors.js';
import { type CliOutcome, cliExitCodes, exitCodeOf } from './exit-codes.js';

/** A stream the CLI writes to: process.stdout / process.stderr, or a buffer in tests. */
export interface TextSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Everything the CLI touches outside itself, so tests can run it in-process. */
export interface CliStreams {
  stdout: TextSink;
  stderr: TextSink;
  stdin: AsyncIterable<string | Uint8Array>;
}

/** An error of the command line itself (usage, feature not built in), with its exit status. */
export class CliError extends Error {
  readonly fields: FieldIssue[] | undefined;

  constructor(
    readonly outcome: Exclude<CliOutcome, 'ok'>,
    message: string,
    options: { fields?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.fields = options.fields;
    this.name = 'CliError';
  }
}

/** Renames the fields of an AppError from service input names to the options the user typed. */
export function withOptionNames(error: unknown, optionOf: Record<string, string>): unknown {
  if (!(error instanceof AppError) || !error.fields?.length) return error;
  const fields = error.fields.map((f) => ({ ...f, field: optionOf[f.field] ?? f.field }));
  const message =
    error.code === 'validation_failed'
      ? `Invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`
      : error.message;
  return new AppError(error.code, message, {
    fields,
    ...(error.details ? { details: error.details } : {}),
    cause: error,
  });
}

/**
 * What the command prints. With `--json`, exactly one JSON document goes to stdout and nothing else;
 * without it, readable lines. Errors and progress always go to stderr.
 */
export class Output {
  /** Set once the command's result document is on stdout, so an error after it adds no second one. */
  private resultWritten = false;

  constructor(
    readonly streams: CliStreams,
    readonly json: boolean,
    readonly debug: boolean,
  ) {}

  /** The command's result: `value` as JSON with --json, else the text lines. */
  result(value: unknown, text: () => string[]): void {
    if (this.json) {
      this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      this.resultWritten = true;
      return;
    }
    for (const line of text()) this.streams.stdout.write(`${line}\n`);
  }

  /**
   * Runs `work` with a spinner and the elapsed seconds on stderr, only when stderr is a terminal and the
   * output is not JSON: a pipe or a log file gets no control characters.
   */
  async progress<T>(label: string, work: () => Promise<T>): Promise<T> {
    const { stderr } = this.streams;
    if (this.json || !stderr.isTTY) return work();
    const frames = ['|', '/', '-', '\\'];
    const started = Date.now();
    let frame = 0;
    const draw = () => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      stderr.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${label}${seconds ? ` (${seconds} s)` : ''}`);
    };
    draw();
    const timer = setInterval(draw, 120);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      stderr.write('\r\x1b[2K');
    }
  }

  /**
   * Reports a failure: one `habilis: <message>` line on stderr, then the invalid fields or configuration
   * problems one per line; with --json also `{"error": …}` on stdout (unless a result is already there);
   * the stack only with --debug. Returns the exit status from the one table.
   */
  fail(error: unknown): number {
    const { code, status, headline, message, lines, extra } = describeFailure(error);
    const { stderr, stdout } = this.streams;
    stderr.write(`habilis: ${headline}\n`);
    for (const line of lines) stderr.write(`  ${line}\n`);
    if (this.debug && error instanceof Error) {
      stderr.write(`${error.stack ?? error.message}\n`);
      if (error.cause !== undefined) stderr.write(`caused by: ${stackOf(error.cause)}\n`);
    } else if (code === 'internal') {
      stderr.write('  (run again with --debug to see the stack trace)\n');
    }
    if (this.json && !this.resultWritten) {
      stdout.write(`${JSON.stringify({ error: { code, message, ...extra } }, null, 2)}\n`);
      this.resultWritten = true;
    }
    return status;
  }

  /** A usage error the argument parser has already printed on stderr: only the JSON document is left. */
  usageFailure(message: string): void {
    if (!this.json || this.resultWritten) return;
    const error = { code: 'usage', message: message.replace(/^error: /, '') };
    this.streams.stdout.write(`${JSON.stringify({ error }, null, 2)}\n`);
    this.resultWritten = true;
  }
}

const stackOf = (e: unknown) => (e instanceof Error ? (e.stack ?? e.message) : String(e));

interface FailureDescription {
  code: string;
  status: number;
  /** The stderr line; the fields follow it one per line. */
  headline: string;
  /** The message of the JSON error document: whole, fields included. */
  message: string;
  lines: string[];
  extra: Record<string, unknown>;
}

function describeFailure(error: unknown): FailureDescription {
  if (error instanceof AppError) {
    const fields = error.fields ?? [];
    // A validation message repeats its fields; on stderr they are printed one per line below it instead.
    const message = firstLine(error.message);
    return {
      code: error.code,
      status: exitCodeOf[error.code],
      headline: error.code === 'validation_failed' && fields.length ? 'invalid input' : message,
      message,
      lines: fields.map((f) => `${f.field}: ${f.message}`),
      extra: {
        ...(fields.length ? { fields } : {}),
        ...(error.details ? { details: error.details } : {}),
      },
    };
  }
  if (error instanceof ConfigError) {
    return {
      code: 'configuration',
      status: cliExitCodes.configuration,
      headline: 'invalid configuration (environment variables)',
      message: error.message,
      lines: error.problems,
      extra: { problems: error.problems },
    };
  }
  if (error instanceof CliError) {
    const fields = error.fields ?? [];
    return {
      code: error.outcome,
      status: cliExitCodes[error.outcome],
      headline: firstLine(error.message),
      message: firstLine(error.message),
      lines: fields.map((f) => `${f.field}: ${f.message}`),
      extra: fields.length ? { fields } : {},
    };
  }
  const message = `internal error: ${firstLine(error instanceof Error ? error.message : String(error))}`;
  return {
    code: 'internal',
    status: exitCodeOf.internal,
    headline: message,
    message,
    lines: [],
    extra: {},
  };
}

const firstLine = (text: string) => text.split('\n')[0]?.trim() || 'unknown error';

/** Reads standard input to its end, as text, without the one trailing line break a shell adds. */
export async function readAllStdin(stdin: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  text += decoder.decode();
  return text.replace(/\r?\n$/, '');
}
