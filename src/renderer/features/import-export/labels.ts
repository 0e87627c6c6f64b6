// How counts read in the import, export and backup dialogs.

/** "1 link", "2,500 links". */
export const linkCount = (n: number) => (n === 1 ? '1 link' : `${n.toLocaleString('en')} links`);
