// What the Publish dialog's buttons do: hand the picks to the outbox now, add them to the posting
// queue, or rebuild the site with changed words. Problems found while sending replace the form's.
import { useState } from 'react';
import { PUBLISH_TARGETS } from '../../../shared/model';
import { useLocalLibraryHandle } from '../../data/hooks';
import type { Outbox, PublishPlan } from '../../data/outbox';
import { addToQueue, queuedMessage } from '../queue/addToQueue';
import { problemLines } from './labels';
import type { PublishChoices } from './usePublishChoices';

export interface PublishSent {
  onQueued: (plan: PublishPlan) => void;
  /** After "Add to queue", with what to tell the curator. */
  onAddedToQueue: (message: string) => void;
}

export function usePublishSend(outbox: Outbox | null, form: PublishChoices, sent: PublishSent) {
  const library = useLocalLibraryHandle();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[] | null>(null);

  const whileBusy = async (work: (outbox: Outbox) => Promise<void>) => {
    if (!outbox) return;
    setBusy(true);
    try {
      await work(outbox);
    } finally {
      setBusy(false);
    }
  };

  const updateSite = () =>
    whileBusy(async (outbox) => {
      const queued = await outbox.updateSite(form.onSite, {
        blurbs: form.blurbs,
        headlines: form.headlines,
      });
      sent.onQueued({ queued, skipped: [], problems: [] });
    });

  const publish = () =>
    whileBusy(async (outbox) => {
      const plan = await outbox.publish(form.request);
      if (plan.problems.length) {
        setProblems(problemLines(plan.problems));
        return;
      }
      sent.onQueued(plan);
    });

  const queue = () =>
    whileBusy(async (outbox) => {
      const result = addToQueue(
        library.doc,
        {
          items: form.items,
          targets: PUBLISH_TARGETS.filter((target) => form.chosen[target]),
          blurbs: form.blurbs,
          headlines: form.headlines,
        },
        { memberId: library.me.id },
      );
      let publishing = 0;
      if (result.immediate.length) {
        const plan = await outbox.publish({
          ...form.request,
          bluesky: result.immediate.includes('bluesky'),
          site: result.immediate.includes('site'),
        });
        if (plan.problems.length) {
          setProblems(problemLines(plan.problems));
          return;
        }
        publishing = plan.queued.length;
      }
      sent.onAddedToQueue(queuedMessage(result, publishing));
    });

  return { busy, problems, clearProblems: () => setProblems(null), updateSite, publish, queue };
}
