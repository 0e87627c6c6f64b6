// Links that reach the window from outside it: dropped on it (saved at once, like a paste into
// Add link), or sent by quick capture (the bookmarklet, curio://add), which opens Add link filled
// in. Both go through `editing`, so a read-only collection says why instead.
import { useEffect } from 'react';
import type { QuickCaptureResult } from '../../../shared/quick-capture';
import { useLibrary } from '../../data/hooks';
import { useEditing } from '../library/useLibraryActions';
import { useStableCallback } from '../shell/useStableCallback';
import { useToast } from '../shell/Toast';
import { parseLinkLines } from './linkLines';
import { captureFromPage, takeQuickCapture } from './quickCaptureRoute';
import { saveLinks, type AddOutcome } from './saveLinks';
import { useDropLinks } from './useDropLinks';

export interface LinksFromElsewhere {
  /** Opens Add link filled in with a link sent from elsewhere. */
  openAdd: (sent: { urls: string; title: string; note: string }) => void;
  /** Shows what a drop saved, as a save from Add link would. */
  onAdded: (outcome: AddOutcome) => void;
}

export function useLinksFromElsewhere({ openAdd, onAdded }: LinksFromElsewhere): void {
  const library = useLibrary();
  const toast = useToast();
  const editing = useEditing();
  useDropLinks(
    useStableCallback(
      editing((text: string) => {
        const { links, errors } = parseLinkLines(text);
        if (links.length)
          onAdded(
            saveLinks(
              library,
              links.map(({ url }) => ({ url })),
            ),
          );
        if (errors.length) toast({ text: `Not saved: ${errors.join('; ')}` });
      }),
    ),
  );
  const quickCapture = useStableCallback(
    editing((sent: QuickCaptureResult | null) => {
      if (sent?.ok)
        openAdd({ urls: sent.capture.url, title: sent.capture.title, note: sent.capture.note });
      else if (sent) toast({ text: sent.error });
    }),
  );
  useEffect(() => quickCapture(takeQuickCapture()), [quickCapture]);
  useEffect(
    () => window.curioCaptures?.subscribe((page) => quickCapture(captureFromPage(page))),
    [quickCapture],
  );
}
