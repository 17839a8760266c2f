import { describe, expect, it } from 'vitest';
import { applyEvent, followRun, type Run, type SocketLike } from './run';
import { messages } from './messages';

const base: Run = { id: 'r1', workflow: 'team-analysis', status: 'running', steps: [] };
const step = (agent: string, status: string) => ({ agent, status, input: {}, started_at: '2026-12-06T00:00:00Z' });

describe('applyEvent', () => {
  it('adds and updates steps in order, then ends the run', () => {
    let run = applyEvent(base, { type: 'workflow_step', run_id: 'r1', index: 0, step: step('team_analysis', 'running') });
    run = applyEvent(run, { type: 'workflow_step', run_id: 'r1', index: 0, step: step('team_analysis', 'done') });
    run = applyEvent(run, { type: 'workflow_step', run_id: 'r1', index: 1, step: step('meta_analysis', 'running') });
    expect(run.steps.map((s) => `${s.agent}:${s.status}`)).toEqual(['team_analysis:done', 'meta_analysis:running']);
    run = applyEvent(run, { type: 'workflow_done', run_id: 'r1', status: 'done', output: { ok: 1 } });
    expect(run.status).toBe('done');
    expect(run.output).toEqual({ ok: 1 });
  });
  it('ignores other runs', () => {
    const other = applyEvent(base, { type: 'workflow_done', run_id: 'r2', status: 'failed' });
    expect(other).toBe(base);
  });
});

class FakeSocket implements SocketLike {
  sent: string[] = [];
  closed = false;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
    this.onclose?.({});
  }
  receive(value: unknown) {
    this.onmessage?.({ data: JSON.stringify(value) });
  }
}

describe('followRun', () => {
  it('authenticates, subscribes, follows and closes at the end', () => {
    const socket = new FakeSocket();
    const seen: string[] = [];
    let failed = false;
    followRun(socket, 'tok', base, (r) => seen.push(r.status), () => (failed = true));
    socket.onopen?.({});
    expect(JSON.parse(socket.sent[0]!)).toEqual({ type: 'auth', token: 'tok' });
    socket.receive({ type: 'ready', user: 'me' });
    expect(JSON.parse(socket.sent[1]!)).toEqual({ type: 'subscribe', run_id: 'r1' });
    socket.receive({ type: 'subscribed', topic: 'workflow:r1' });
    socket.receive({ type: 'workflow_run', run: { ...base, steps: [step('meta_analysis', 'running')] } });
    socket.receive({ type: 'workflow_done', run_id: 'r1', status: 'done' });
    expect(seen).toEqual(['running', 'done']);
    expect(socket.closed).toBe(true);
    expect(failed).toBe(false);
  });
  it('reports a failure when refused or closed early', () => {
    const socket = new FakeSocket();
    let failed = 0;
    followRun(socket, 'tok', base, () => undefined, () => failed++);
    socket.receive({ type: 'error', code: 'not_found', detail: 'no such run' });
    expect(failed).toBe(1);
    const early = new FakeSocket();
    followRun(early, 'tok', base, () => undefined, () => failed++);
    early.onclose?.({});
    expect(failed).toBe(2);
  });
});

it('adviser messages exist in both languages', () => {
  expect(Object.keys(messages.fr).sort()).toEqual(Object.keys(messages.en).sort());
});
