// What the curator has chosen so far in the Publish dialog (targets, blurbs, headlines, thread),
// as a request, and everything that would stop it going out.
import { useMemo, useState, useSyncExternalStore } from 'react';
import { getPublicationHeadline } from '../../../shared/collection';
import {
  keptBlurbs,
  onSite,
  publishProblems,
  splitPublished,
  startingBlurb,
  type PublishRequest,
} from '../../../shared/publish';
import type { ItemRow } from '../../../shared/model';
import { useLocalLibraryHandle } from '../../data/hooks';
import { problemLines } from './labels';
import { usePublishSettings } from './usePublishSettings';

export type Targets = { bluesky: boolean; site: boolean };

export type PublishChoices = ReturnType<typeof usePublishChoices>;

/** The rows for these ids as they are now (another device may publish one meanwhile). */
function useItems(ids: readonly string[]): { items: ItemRow[]; version: number } {
  const { store } = useLocalLibraryHandle();
  const version = useSyncExternalStore(store.subscribe, store.getVersion);
  const items = useMemo(
    () => ids.map((id) => store.get(id)).filter((row): row is ItemRow => row !== undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for the store's contents.
    [ids, store, version],
  );
  return { items, version };
}

export function usePublishChoices(ids: readonly string[]) {
  const library = useLocalLibraryHandle();
  const view = usePublishSettings();
  const { items, version } = useItems(ids);
  const [targets, setTargets] = useState<Targets | null>(null);
  // The words kept from an earlier press (a failed attempt, another device) come back here.
  const [blurbs, setBlurbs] = useState<Record<string, string>>(() => {
    const kept = keptBlurbs(library.doc);
    return Object.fromEntries(items.map((item) => [item.id, startingBlurb(item, kept)]));
  });
  const [headlines, setHeadlines] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      items.map((item) => [item.id, getPublicationHeadline(library.doc, item.id) ?? '']),
    ),
  );
  const [thread, setThread] = useState(false);
  const [intro, setIntro] = useState('');
  // Until the curator chooses, every target that is set up is on.
  const chosen: Targets = targets ?? {
    bluesky: view.settings.bluesky !== null,
    site: view.settings.site !== null,
  };
  const request: PublishRequest = {
    items,
    bluesky: chosen.bluesky,
    site: chosen.site,
    blurbs,
    headlines,
    threadIntro: chosen.bluesky && thread ? intro : null,
  };
  const bluesky = splitPublished(items, 'bluesky');
  const site = splitPublished(items, 'site');
  const kept = keptBlurbs(library.doc);
  const problems = view.loaded ? publishProblems(request, view.settings, kept) : [];
  const introProblem =
    request.threadIntro !== null && !intro.trim() ? 'Thread intro: write the first post' : null;
  return {
    view,
    items,
    version,
    chosen,
    setTargets,
    blurbs,
    setBlurbs,
    headlines,
    setHeadlines,
    onSite: chosen.site ? items.filter(onSite) : [],
    thread: { on: thread, set: setThread, intro, setIntro },
    request,
    bluesky,
    site,
    kept,
    nothingToDo:
      (!chosen.bluesky || bluesky.todo.length === 0) && (!chosen.site || site.todo.length === 0),
    messages: [...problemLines(problems), ...(introProblem ? [introProblem] : [])],
  };
}
