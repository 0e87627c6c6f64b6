// The Add link form's URL field takes one link per line. Every bad line is reported with its line
// number and the reason, so a pasted list can be fixed in one pass.
import { InvalidUrlError, parseHttpUrl, urlKey } from '../../../shared/model';

export interface LinkLine {
  /** 1-based line in the field. */
  line: number;
  url: string;
}

export interface ParsedLinks {
  links: LinkLine[];
  errors: string[];
}

export function parseLinkLines(text: string): ParsedLinks {
  const links: LinkLine[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  text.split('\n').forEach((raw, index) => {
    const input = raw.trim();
    if (!input) return;
    try {
      const url = parseHttpUrl(input).toString();
      const key = urlKey(url);
      if (seen.has(key)) return;
      seen.add(key);
      links.push({ line: index + 1, url: input });
    } catch (error) {
      const reason = error instanceof InvalidUrlError ? error.message : String(error);
      errors.push(`Line ${index + 1}: ${reason}`);
    }
  });
  return { links, errors };
}

/** True when pasted text looks like one or more links rather than prose. */
export function looksLikeLinks(text: string): boolean {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length > 0 && lines.every((l) => /^https?:\/\/\S+$/i.test(l));
}
