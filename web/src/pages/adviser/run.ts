// Following a workflow run: the WebSocket /api/v1/ws/mcm (auth as the first message, then
// `{"type":"subscribe","run_id"}`) sends the run so far (`workflow_run`), each step as it
// starts and ends (`workflow_step`) and the end (`workflow_done`); `applyEvent` folds them
// into the run the page shows. When the socket cannot be used, the page polls
// GET /ai/workflows/runs/{id} instead.

export interface Step {
  agent: string;
  status: string;
  input: unknown;
  output?: unknown;
  error?: string | null;
  started_at: string;
  duration_ms?: number | null;
}

export interface Run {
  id: string;
  workflow: string;
  status: string;
  steps: Step[];
  output?: unknown;
  error?: string | null;
}

export type RunEvent =
  | { type: 'workflow_run'; run: Run }
  | { type: 'workflow_step'; run_id: string; index: number; step: Step }
  | { type: 'workflow_done'; run_id: string; status: string; output?: unknown; error?: string | null };

/** The run after one event (events of other runs change nothing). */
export function applyEvent(run: Run, event: RunEvent): Run {
  switch (event.type) {
    case 'workflow_run':
      return event.run.id === run.id ? event.run : run;
    case 'workflow_step': {
      if (event.run_id !== run.id) return run;
      const steps = run.steps.slice();
      steps[event.index] = event.step;
      return { ...run, steps };
    }
    case 'workflow_done':
      if (event.run_id !== run.id) return run;
      return { ...run, status: event.status, output: event.output ?? run.output, error: event.error ?? null };
    default:
      return run;
  }
}

export const finished = (run: Run) => run.status !== 'running';

export interface SocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/**
 * Follows one run over a socket until it is finished; `onRun` gets each new state,
 * `onFail` is called when the socket closes before the end (the caller polls instead).
 */
export function followRun(
  socket: SocketLike,
  token: string,
  initial: Run,
  onRun: (run: Run) => void,
  onFail: () => void,
): () => void {
  let run = initial;
  let over = false;
  socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }));
  socket.onmessage = (ev) => {
    let message: { type?: string } & Record<string, unknown>;
    try {
      message = JSON.parse(String(ev.data));
    } catch {
      return;
    }
    if (message.type === 'ready') {
      socket.send(JSON.stringify({ type: 'subscribe', run_id: run.id }));
      return;
    }
    if (message.type === 'error') {
      over = true;
      socket.close(1000, 'error');
      onFail();
      return;
    }
    if (message.type === 'workflow_run' || message.type === 'workflow_step' || message.type === 'workflow_done') {
      run = applyEvent(run, message as unknown as RunEvent);
      onRun(run);
      if (finished(run)) {
        over = true;
        socket.close(1000, 'done');
      }
    }
  };
  socket.onclose = () => {
    if (!over) {
      over = true;
      onFail();
    }
  };
  socket.onerror = () => undefined;
  return () => {
    over = true;
    socket.close(1000, 'left');
  };
}
