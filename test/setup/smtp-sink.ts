import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from './own-redis';

/** One message as the SMTP server received it: envelope recipients, and the decoded subject and bodies. */
export interface ReceivedMail {
  /** RCPT TO addresses, sorted. */
  to: string[];
  from: string;
  subject: string;
  /** The text/plain part, decoded (quoted-printable or base64, UTF-8). */
  text: string;
  html: string;
  messageId: string;
}

/** An in-process SMTP server on a free port that keeps what it receives; it can go away (refusing connections) and come back. */
export interface SmtpSink {
  port: number;
  url: string;
  messages: ReceivedMail[];
  isUp(): boolean;
  /**
   * A slow server: each message is answered `ms` after its data arrived. Like a real server, the
   * message counts as received only if the client is still connected when the server accepts it.
   */
  setDelay(ms: number): void;
  /** Messages whose data arrived and that the server has not answered yet (a slow server's in-flight mail). */
  inFlight(): number;
  /**
   * While held, no message is answered (in-flight ones wait past their delay): the set of accepted
   * messages stays fixed, so a test can act "mid-send" without racing an acceptance.
   */
  hold(on: boolean): void;
  /** In-flight messages whose client is still connected (a killed client's sessions drop out once the server saw the close). */
  inFlightConnected(): number;

  /** Stops listening and drops open connections: the next connection is refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Messages received by `address` (envelope), optionally only those whose subject contains `subject`. */
  to(address: string, subject?: string): ReceivedMail[];
  /** Waits until `predicate` holds for the received messages, or fails after `timeoutMs`. */
  waitFor(description: string, predicate: (messages: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const messages: ReceivedMail[] = [];
  let server: SMTPServer | null = null;
  let delayMs = 0;
  let inFlight = 0;
  let held = false;
  let releases: (() => void)[] = [];
  const closed = new Set<string>();
  /** Session ids of the in-flight messages. */
  const pending = new Set<string>();

  const listen = async (): Promise<void> => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 50,
      onClose(session) {
        closed.add(session.id);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          simpleParser(Buffer.concat(chunks))
            .then(async (parsed) => {
              inFlight++;
              pending.add(session.id);
              if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
              while (held) await new Promise<void>((r) => releases.push(r));
              inFlight--;
              pending.delete(session.id);
              if (closed.has(session.id)) return callback(new Error('client gone before the message was accepted'));
              messages.push({
                to: session.envelope.rcptTo.map((r) => r.address).sort(),
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId ?? '',
              });
              callback();
            })
            .catch((err: Error) => callback(err));
        });
      },
    });
    s.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    server = s;
  };

  const down = async (): Promise<void> => {
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  const sink: SmtpSink = {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    isUp: () => server !== null,
    setDelay: (ms) => {
      delayMs = ms;
    },
    inFlight: () => inFlight,
    hold: (on) => {
      held = on;
      if (!on) {
        const waiting = releases;
        releases = [];
        for (const release of waiting) release();
      }
    },
    inFlightConnected: () => [...pending].filter((id) => !closed.has(id)).length,
    down,
    up: () => (server ? Promise.resolve() : listen()),
    to: (address, subject) => messages.filter((m) => m.to.includes(address) && (subject === undefined || m.subject.includes(subject))),
    async waitFor(description, predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(messages)) {
        if (Date.now() > deadline) {
          const got = messages.map((m) => `${m.to.join(',')}: ${m.subject}`).join('\n  ');
          throw new Error(`SMTP: timed out after ${timeoutMs} ms waiting for ${description}; received:\n  ${got}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return messages;
    },
    close: down,
  };
  return sink;
}
