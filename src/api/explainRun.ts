import { LiveChannelScope, isLiveChannelMessageEvent } from '@grafana/data';
import { getGrafanaLiveSrv } from '@grafana/runtime';
import { Unsubscribable } from 'rxjs';

import { PLUGIN_ID, explainChannelPath } from '../constants';
import { AlertContext, ExplainStage, ExplainStreamMessage, Explanation } from '../types';
import { api, ExplainOptions } from './client';
import { ApiError } from './errors';

export interface ExplainProgress {
  /** The stage the backend last reported; undefined while no stage is known. */
  stage?: ExplainStage;
  /** Whether stages arrive over Grafana Live (otherwise only the request lifecycle is known). */
  live: boolean;
  /** The model's answer so far, streamed token by token when the backend supports it. */
  partialText: string;
}

export interface ExplainRun {
  promise: Promise<Explanation>;
  cancel(): void;
}

const STAGES: readonly ExplainStage[] = ['resolving', 'collecting', 'analyzing', 'asking_model', 'done'];
const MAX_PARTIAL_TEXT = 20_000;

/** A stream id the backend accepts: 8 to 64 letters, digits, '-' or '_'. */
function newStreamId(): string {
  const random = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `ui-${Date.now().toString(36)}-${random}`;
}

function subscribeToProgress(
  streamId: string,
  onMessage: (message: ExplainStreamMessage) => void
): Unsubscribable | undefined {
  try {
    const live = getGrafanaLiveSrv();
    if (!live) {
      return undefined;
    }
    return live
      .getStream<ExplainStreamMessage>({
        scope: LiveChannelScope.Plugin,
        stream: PLUGIN_ID,
        path: explainChannelPath(streamId),
      })
      .subscribe({
        next: (event) => {
          if (isLiveChannelMessageEvent(event) && event.message && typeof event.message === 'object') {
            onMessage(event.message);
          }
        },
        // A broken live connection only loses progress display; the POST still answers.
        error: () => undefined,
      });
  } catch {
    return undefined;
  }
}

/**
 * Starts one explanation: subscribes to its Grafana Live progress channel when
 * Live is available and POSTs /explain?stream=<the same id>. Whichever
 * delivers the explanation first wins; progress is reported through onProgress.
 */
export function startExplain(
  alert: AlertContext,
  options: Omit<ExplainOptions, 'stream'>,
  onProgress: (progress: ExplainProgress) => void
): ExplainRun {
  const streamId = newStreamId();
  let settled = false;
  let progress: ExplainProgress = { stage: 'resolving', live: false, partialText: '' };
  let resolveStream: (ex: Explanation) => void = () => undefined;
  let rejectStream: (err: ApiError) => void = () => undefined;
  const fromStream = new Promise<Explanation>((resolve, reject) => {
    resolveStream = resolve;
    rejectStream = reject;
  });

  const update = (next: Partial<ExplainProgress>) => {
    if (settled) {
      return;
    }
    progress = { ...progress, ...next };
    onProgress(progress);
  };

  const subscription = subscribeToProgress(streamId, (message) => {
    const next: Partial<ExplainProgress> = { live: true };
    if (message.stage && message.stage !== 'error' && STAGES.includes(message.stage)) {
      next.stage = message.stage;
    }
    if (typeof message.token === 'string' && progress.partialText.length < MAX_PARTIAL_TEXT) {
      next.partialText = progress.partialText + message.token;
    }
    update(next);
    if (message.explanation && typeof message.explanation === 'object') {
      resolveStream(message.explanation);
    } else if (message.stage === 'error' || message.error) {
      const reason = typeof message.error === 'string' && message.error ? message.error : 'The explanation failed';
      rejectStream(new ApiError(500, reason));
    }
  });
  onProgress(progress);

  // Without a Live subscription nobody would read the stream: ask without one.
  const fromPost = api.explain(alert, { ...options, stream: subscription ? streamId : undefined });
  const promise = Promise.race([fromPost, fromStream]).finally(() => {
    settled = true;
    subscription?.unsubscribe();
  });
  // The losing promise must not surface as an unhandled rejection.
  fromPost.catch(() => undefined);
  fromStream.catch(() => undefined);

  return {
    promise,
    cancel: () => {
      settled = true;
      subscription?.unsubscribe();
    },
  };
}
